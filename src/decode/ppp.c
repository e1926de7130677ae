/* PPP (RFC 1661) as a link type and as the payload of PPPoE: IP goes on,
 * link and network control protocols are accepted silently. */
#include "decode/layers.h"

#define PPP_PROTO_IPV4 0x0021
#define PPP_PROTO_IPV6 0x0057
#define PPP_PROTO_VJ_COMPRESSED 0x002d
#define PPP_PROTO_VJ_UNCOMPRESSED 0x002f
/* From 0x8000 on the protocols are NCPs and LCPs: control, no user data. */
#define PPP_PROTO_CONTROL_FIRST 0x8000

int decode_ppp_protocol(struct decode_ctx *ctx, struct packet *p, uint16_t proto,
                        const uint8_t *pkt, uint32_t len)
{
    switch (proto) {
    case PPP_PROTO_IPV4:
        if (len < 20)
            return decode_invalid(ctx, p, DECODE_EV_PPP_IP4_PKT_TOO_SMALL);
        if ((pkt[0] >> 4) != 4)
            return decode_invalid(ctx, p, DECODE_EV_PPP_WRONG_TYPE);
        return decode_ipv4(ctx, p, pkt, len);
    case PPP_PROTO_IPV6:
        if (len < 40)
            return decode_invalid(ctx, p, DECODE_EV_PPP_IP6_PKT_TOO_SMALL);
        if ((pkt[0] >> 4) != 6)
            return decode_invalid(ctx, p, DECODE_EV_PPP_WRONG_TYPE);
        return decode_ipv6(ctx, p, pkt, len);
    case PPP_PROTO_VJ_COMPRESSED:
    case PPP_PROTO_VJ_UNCOMPRESSED:
        /* Van Jacobson compressed TCP/IP cannot be rebuilt without state. */
        if (len < 20)
            return decode_invalid(ctx, p, DECODE_EV_PPP_VJU_PKT_TOO_SMALL);
        return 0;
    default:
        if (proto >= PPP_PROTO_CONTROL_FIRST)
            return 0;
        return decode_invalid(ctx, p, DECODE_EV_PPP_UNSUP_PROTO);
    }
}

int decode_ppp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.ppp++;
    /* HDLC-like framing adds address 0xff and control 0x03 before the protocol. */
    if (len >= 2 && pkt[0] == 0xff && pkt[1] == 0x03) {
        pkt += 2;
        len -= 2;
    }
    if (len < 2)
        return decode_invalid(ctx, p, DECODE_EV_PPP_PKT_TOO_SMALL);
    return decode_ppp_protocol(ctx, p, decode_be16(pkt), pkt + 2, len - 2);
}
