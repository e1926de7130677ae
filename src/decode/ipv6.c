/* IPv6 (RFC 8200): fixed header sanity and addresses; the extension header
 * chain and the payload are walked by ipv6_exthdr.c. */
#include <string.h>

#include "decode/ipv6_exthdr.h"
#include "decode/layers.h"

#define IPV6_HEADER_LEN 40

int decode_ipv6(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.ipv6++;
    if (len < IPV6_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_IPV6_PKT_TOO_SMALL);
    if ((pkt[0] >> 4) != 6)
        return decode_invalid(ctx, p, DECODE_EV_IPV6_WRONG_IP_VERSION);
    const uint32_t plen = decode_be16(pkt + 4);
    if (plen > len - IPV6_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_IPV6_TRUNC_PKT);

    p->ip_version = 6;
    p->proto = pkt[6];
    p->l3 = pkt;
    p->l3_len = IPV6_HEADER_LEN + plen;
    p->l2_len = decode_offset(p, pkt);
    memcpy(p->src.b, pkt + 8, 16);
    memcpy(p->dst.b, pkt + 24, 16);
    return decode_ipv6_exthdrs(ctx, p, pkt[6], pkt + IPV6_HEADER_LEN, plen);
}
