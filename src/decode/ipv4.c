/* IPv4 (RFC 791): header sanity, addresses, fragments, then the payload by
 * protocol. Broken lengths or options stop decoding as Suricata does. */
#include <string.h>

#include "decode/ipv4_options.h"
#include "decode/layers.h"

#define IPV4_HEADER_LEN 20
#define IPV4_MF 0x2000
#define IPV4_OFFSET_MASK 0x1fff

/* The checks Suricata makes before it trusts an IPv4 header; returns the
 * header length or -1. */
static int decode_ipv4_header(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt,
                              uint32_t len)
{
    if (len < IPV4_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_IPV4_PKT_TOO_SMALL);
    if ((pkt[0] >> 4) != 4)
        return decode_invalid(ctx, p, DECODE_EV_IPV4_WRONG_IP_VERSION);
    const uint32_t hlen = (uint32_t)(pkt[0] & 0x0f) * 4;
    if (hlen < IPV4_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_IPV4_HLEN_TOO_SMALL);
    const uint32_t total = decode_be16(pkt + 2);
    if (total < hlen)
        return decode_invalid(ctx, p, DECODE_EV_IPV4_IPLEN_SMALLER_THAN_HLEN);
    if (total > len)
        return decode_invalid(ctx, p, DECODE_EV_IPV4_TRUNC_PKT);
    return (int)hlen;
}

static void decode_ipv4_addresses(struct packet *p, const uint8_t *pkt)
{
    memset(&p->src, 0, sizeof(p->src));
    memset(&p->dst, 0, sizeof(p->dst));
    memcpy(&p->src.w[0], pkt + 12, 4);
    memcpy(&p->dst.w[0], pkt + 16, 4);
}

int decode_ipv4(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.ipv4++;
    const int hlen = decode_ipv4_header(ctx, p, pkt, len);
    if (hlen < 0)
        return -1;
    const uint32_t total = decode_be16(pkt + 2);

    p->ip_version = 4;
    p->proto = pkt[9];
    p->l3 = pkt;
    p->l3_len = total;
    p->l2_len = decode_offset(p, pkt);
    decode_ipv4_addresses(p, pkt);

    if (hlen > IPV4_HEADER_LEN &&
        decode_ipv4_options(ctx, p, pkt + IPV4_HEADER_LEN, (uint32_t)hlen - IPV4_HEADER_LEN) < 0)
        return -1;

    const uint16_t frag = decode_be16(pkt + 6);
    if ((frag & IPV4_MF) || (frag & IPV4_OFFSET_MASK)) {
        p->flags |= PKT_IS_FRAGMENT;
        return 0;
    }
    return decode_ip_payload(ctx, p, p->proto, pkt + hlen, total - (uint32_t)hlen);
}
