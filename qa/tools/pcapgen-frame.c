/* Builds one Ethernet frame for the pcap generator with correct lengths and
 * IPv4, TCP, UDP, ICMP and ICMPv6 checksums, so decoders accept every packet. */
#include "pcapgen-frame.h"

#include <string.h>

#define ETH_HDR_LEN 14
#define VLAN_TAG_LEN 4
#define IPV4_HDR_LEN 20
#define IPV6_HDR_LEN 40
#define TCP_HDR_LEN 20
#define TCP_MSS_OPTION_LEN 4
#define UDP_HDR_LEN 8
#define ICMP_ECHO_HDR_LEN 8

static void put16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
    put16(b, (uint16_t)(v >> 16));
    put16(b + 2, (uint16_t)v);
}

/* One's-complement sum of big-endian 16-bit words; an odd tail is padded with zero. */
static uint64_t checksum_add(uint64_t acc, const uint8_t *b, size_t n)
{
    while (n >= 2) {
        acc += (uint32_t)b[0] << 8 | b[1];
        b += 2;
        n -= 2;
    }
    if (n)
        acc += (uint32_t)b[0] << 8;
    return acc;
}

static uint16_t checksum_fold(uint64_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

static size_t put_ethernet(const struct pcapgen_packet *p, uint8_t *out)
{
    size_t off = 0;
    memcpy(out, p->dst->mac, 6);
    memcpy(out + 6, p->src->mac, 6);
    off = 12;
    if (p->vlan_id) {
        put16(out + off, 0x8100);
        put16(out + off + 2, p->vlan_id & 0x0fff);
        off += VLAN_TAG_LEN;
    }
    put16(out + off, p->family == 4 ? 0x0800 : 0x86dd);
    return off + 2;
}

static size_t put_ip(const struct pcapgen_packet *p, uint8_t *ip, size_t l4_len)
{
    if (p->family == 4) {
        ip[0] = 0x45;
        ip[1] = 0;
        put16(ip + 2, (uint16_t)(IPV4_HDR_LEN + l4_len));
        put16(ip + 4, p->ip_id);
        put16(ip + 6, 0x4000); /* DF, as modern stacks send */
        ip[8] = p->ttl;
        ip[9] = p->proto;
        put16(ip + 10, 0);
        memcpy(ip + 12, p->src->addr, 4);
        memcpy(ip + 16, p->dst->addr, 4);
        put16(ip + 10, checksum_fold(checksum_add(0, ip, IPV4_HDR_LEN)));
        return IPV4_HDR_LEN;
    }
    put32(ip, 0x60000000);
    put16(ip + 4, (uint16_t)l4_len);
    ip[6] = p->proto;
    ip[7] = p->ttl;
    memcpy(ip + 8, p->src->addr, 16);
    memcpy(ip + 24, p->dst->addr, 16);
    return IPV6_HDR_LEN;
}

/* The TCP/UDP/ICMPv6 pseudo-header sum (RFC 793, RFC 8200 section 8.1). */
static uint64_t pseudo_header_sum(const struct pcapgen_packet *p, size_t l4_len)
{
    size_t addr_len = p->family == 4 ? 4 : 16;
    uint64_t acc = checksum_add(0, p->src->addr, addr_len);
    acc = checksum_add(acc, p->dst->addr, addr_len);
    return acc + p->proto + l4_len;
}

static size_t l4_header_len(const struct pcapgen_packet *p)
{
    switch (p->proto) {
    case 6:
        return TCP_HDR_LEN + (p->tcp_mss_option ? TCP_MSS_OPTION_LEN : 0);
    case 17:
        return UDP_HDR_LEN;
    default:
        return ICMP_ECHO_HDR_LEN;
    }
}

static void put_tcp(const struct pcapgen_packet *p, uint8_t *h, size_t hdr_len)
{
    put16(h, p->src->port);
    put16(h + 2, p->dst->port);
    put32(h + 4, p->seq);
    put32(h + 8, p->ack);
    h[12] = (uint8_t)((hdr_len / 4) << 4);
    h[13] = p->tcp_flags;
    put16(h + 14, 64240);
    put16(h + 16, 0);
    put16(h + 18, 0);
    if (p->tcp_mss_option)
        put32(h + 20, 0x020405b4); /* kind 2, length 4, MSS 1460 */
}

/* Fills the L4 header (checksum field zero) and returns the checksum offset in it. */
static size_t put_l4_header(const struct pcapgen_packet *p, uint8_t *h, size_t hdr_len, size_t l4_len)
{
    if (p->proto == 6) {
        put_tcp(p, h, hdr_len);
        return 16;
    }
    if (p->proto == 17) {
        put16(h, p->src->port);
        put16(h + 2, p->dst->port);
        put16(h + 4, (uint16_t)l4_len);
        put16(h + 6, 0);
        return 6;
    }
    h[0] = p->icmp_type;
    h[1] = 0;
    put16(h + 2, 0);
    put16(h + 4, p->icmp_id);
    put16(h + 6, p->icmp_seq);
    return 2;
}

size_t pcapgen_frame_build(const struct pcapgen_packet *p, uint8_t *out)
{
    size_t l2_len = put_ethernet(p, out);
    size_t hdr_len = l4_header_len(p);
    size_t l4_len = hdr_len + p->payload_len;
    size_t ip_len = put_ip(p, out + l2_len, l4_len);
    uint8_t *l4 = out + l2_len + ip_len;
    size_t csum_off = put_l4_header(p, l4, hdr_len, l4_len);
    memcpy(l4 + hdr_len, p->payload, p->payload_len);

    /* ICMPv4 alone has no pseudo-header in its checksum. */
    uint64_t acc = p->proto == 1 ? 0 : pseudo_header_sum(p, l4_len);
    uint16_t csum = checksum_fold(checksum_add(acc, l4, l4_len));
    if (csum == 0 && p->proto == 17)
        csum = 0xffff; /* zero means "no checksum" in UDP */
    put16(l4 + csum_off, csum);
    return l2_len + ip_len + l4_len;
}
