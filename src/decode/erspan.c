/* ERSPAN (draft-foschiano-erspan): mirrored Ethernet frames inside GRE; the
 * mirror's VLAN from the header is kept like a tag on the packet. */
#include "decode/erspan.h"
#include "decode/layers.h"

#define ERSPAN_II_HEADER_LEN 8
#define ERSPAN_III_HEADER_LEN 12
#define ERSPAN_III_PLATFORM_LEN 8
#define ERSPAN_II_VERSION 1
#define ERSPAN_III_VERSION 2

int decode_erspan_i(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt)
{
    ctx->stats.erspan++;
    decode_set_tunnel(p, PACKET_TUNNEL_ETHERNET, pkt);
    return 0;
}

int decode_erspan_ii(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.erspan++;
    if (len < ERSPAN_II_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ERSPAN_HEADER_TOO_SMALL);
    if ((pkt[0] >> 4) != ERSPAN_II_VERSION)
        return decode_invalid(ctx, p, DECODE_EV_ERSPAN_UNSUPPORTED_VERSION);
    const uint16_t vlan = decode_be16(pkt) & 0x0fff;
    if (vlan != 0) {
        if (p->vlan_count >= PACKET_MAX_VLANS)
            return decode_invalid(ctx, p, DECODE_EV_ERSPAN_TOO_MANY_VLAN_LAYERS);
        p->vlan_id[p->vlan_count++] = vlan;
    }
    decode_set_tunnel(p, PACKET_TUNNEL_ETHERNET, pkt + ERSPAN_II_HEADER_LEN);
    return 0;
}

int decode_erspan_iii(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.erspan++;
    if (len < ERSPAN_III_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ERSPAN_HEADER_TOO_SMALL);
    if ((pkt[0] >> 4) != ERSPAN_III_VERSION)
        return decode_invalid(ctx, p, DECODE_EV_ERSPAN_UNSUPPORTED_VERSION);
    uint32_t hlen = ERSPAN_III_HEADER_LEN;
    /* The O flag announces an optional platform-specific subheader. */
    if (pkt[11] & 0x01)
        hlen += ERSPAN_III_PLATFORM_LEN;
    if (len < hlen)
        return decode_invalid(ctx, p, DECODE_EV_ERSPAN_HEADER_TOO_SMALL);
    decode_set_tunnel(p, PACKET_TUNNEL_ETHERNET, pkt + hlen);
    return 0;
}
