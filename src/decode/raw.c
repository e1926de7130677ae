/* Raw IP link types (DLT_RAW and friends): the IP version nibble tells
 * IPv4 from IPv6. */
#include "decode/layers.h"

int decode_raw(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.raw++;
    if (len < 1)
        return decode_invalid(ctx, p, DECODE_EV_IPV4_PKT_TOO_SMALL);
    switch (pkt[0] >> 4) {
    case 4:
        return decode_ipv4(ctx, p, pkt, len);
    case 6:
        return decode_ipv6(ctx, p, pkt, len);
    default:
        return decode_invalid(ctx, p, DECODE_EV_IPRAW_INVALID_IP_VERSION);
    }
}
