/* Ethernet II framing and the ethertype dispatch shared by every link layer
 * that names its payload with an ethertype (Ethernet, VLAN, SLL, GRE...). */
#include "decode/layers.h"

#define ETHERNET_HEADER_LEN 14

int decode_ethernet(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.ethernet++;
    if (len < ETHERNET_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ETHERNET_PKT_TOO_SMALL);
    return decode_ethertype(ctx, p, decode_be16(pkt + 12), pkt + ETHERNET_HEADER_LEN,
                            len - ETHERNET_HEADER_LEN);
}

int decode_ethertype(struct decode_ctx *ctx, struct packet *p, uint16_t type,
                     const uint8_t *pkt, uint32_t len)
{
    switch (type) {
    case 0x0800:
        return decode_ipv4(ctx, p, pkt, len);
    case 0x86dd:
        return decode_ipv6(ctx, p, pkt, len);
    case 0x0806:
        return decode_arp(ctx, p, pkt, len);
    case 0x8100: /* 802.1Q */
    case 0x88a8: /* 802.1ad */
    case 0x9100: /* pre-standard QinQ */
        return decode_vlan(ctx, p, pkt, len);
    case 0x8864:
        return decode_pppoe_session(ctx, p, pkt, len);
    case 0x8863:
        return decode_pppoe_discovery(ctx, p, pkt, len);
    case 0x8847: /* MPLS unicast */
    case 0x8848: /* MPLS multicast */
        return decode_mpls(ctx, p, pkt, len);
    default:
        /* Unknown is not malformed: counted, but the frame stays valid. */
        ctx->stats.unknown_ethertype++;
        decode_set_event(ctx, p, DECODE_EV_ETHERNET_UNKNOWN_ETHERTYPE);
        return 0;
    }
}
