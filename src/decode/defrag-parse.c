/* Fragment parsing for defrag: validates the IP header (and IPv6 extension
 * headers before the Fragment header) against l3_len and extracts the key. */
#include "decode/defrag-parse.h"

#include <string.h>

#define IPV4_MIN_HEADER 20u
#define IPV4_MF 0x2000u
#define IPV4_OFFSET_MASK 0x1fffu
#define IPV6_HEADER 40u
#define IPV6_FRAG_HEADER 8u
#define IPV6_NH_HOPOPTS 0u
#define IPV6_NH_ROUTING 43u
#define IPV6_NH_FRAGMENT 44u
#define IPV6_NH_DSTOPTS 60u

static uint16_t read_be16(const uint8_t *b)
{
    return (uint16_t)((b[0] << 8) | b[1]);
}

static uint32_t read_be32(const uint8_t *b)
{
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static bool parse_ipv4(const uint8_t *ip, uint32_t avail, struct defrag_frag_info *fi)
{
    if (avail < IPV4_MIN_HEADER || (ip[0] >> 4) != 4)
        return false;
    uint32_t hlen = (ip[0] & 0x0fu) * 4u;
    uint32_t total = read_be16(ip + 2);
    /* A datagram cut short by the capture cannot be reassembled faithfully. */
    if (hlen < IPV4_MIN_HEADER || total < hlen || total > avail)
        return false;
    uint16_t frag = read_be16(ip + 6);
    fi->ip_version = 4;
    fi->proto = ip[9];
    memcpy(&fi->src.w[0], ip + 12, 4);
    memcpy(&fi->dst.w[0], ip + 16, 4);
    fi->id = read_be16(ip + 4);
    fi->offset = (frag & IPV4_OFFSET_MASK) * 8u;
    fi->more = (frag & IPV4_MF) != 0;
    fi->header_len = hlen;
    fi->payload = ip + hlen;
    fi->payload_len = total - hlen;
    return true;
}

static bool skip_ipv6_ext(const uint8_t *ip, uint32_t end, uint32_t *off, uint32_t *nh_off)
{
    if (*off + 2u > end)
        return false;
    uint32_t len = ((uint32_t)ip[*off + 1] + 1u) * 8u;
    *nh_off = *off;
    *off += len;
    return *off <= end;
}

static bool parse_ipv6(const uint8_t *ip, uint32_t avail, struct defrag_frag_info *fi)
{
    if (avail < IPV6_HEADER || (ip[0] >> 4) != 6)
        return false;
    /* Payload length 0 means a jumbogram, which is never fragmented. */
    uint32_t plen = read_be16(ip + 4);
    uint32_t end = IPV6_HEADER + plen;
    if (plen == 0 || end > avail)
        return false;
    uint32_t nh_off = 6, off = IPV6_HEADER;
    uint8_t nh = ip[6];
    while (nh == IPV6_NH_HOPOPTS || nh == IPV6_NH_ROUTING || nh == IPV6_NH_DSTOPTS) {
        if (!skip_ipv6_ext(ip, end, &off, &nh_off))
            return false;
        nh = ip[nh_off];
    }
    if (nh != IPV6_NH_FRAGMENT || off + IPV6_FRAG_HEADER > end)
        return false;
    uint16_t fo = read_be16(ip + off + 2);
    fi->ip_version = 6;
    fi->proto = ip[off];
    memcpy(fi->src.b, ip + 8, 16);
    memcpy(fi->dst.b, ip + 24, 16);
    fi->id = read_be32(ip + off + 4);
    fi->offset = fo & 0xfff8u;
    fi->more = (fo & 1u) != 0;
    fi->header_len = off;
    fi->nh_offset = nh_off;
    fi->payload = ip + off + IPV6_FRAG_HEADER;
    fi->payload_len = end - off - IPV6_FRAG_HEADER;
    return true;
}

static bool fragment_shape_ok(const struct defrag_frag_info *fi)
{
    if (!fi->more)
        return true;
    /* Only the last fragment may be short of an 8-byte multiple or empty. */
    return fi->payload_len > 0 && fi->payload_len % 8u == 0;
}

enum defrag_parse_result defrag_parse(const struct packet *p, struct defrag_frag_info *fi)
{
    memset(fi, 0, sizeof(*fi));
    if (p->l3 == NULL)
        return DEFRAG_PARSE_INVALID;
    bool ok;
    if (p->ip_version == 4)
        ok = parse_ipv4(p->l3, p->l3_len, fi);
    else if (p->ip_version == 6)
        ok = parse_ipv6(p->l3, p->l3_len, fi);
    else
        ok = false;
    if (!ok)
        return DEFRAG_PARSE_INVALID;
    return fragment_shape_ok(fi) ? DEFRAG_PARSE_OK : DEFRAG_PARSE_BAD_LENGTH;
}
