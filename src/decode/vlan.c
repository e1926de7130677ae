/* 802.1Q / 802.1ad VLAN tags: up to PACKET_MAX_VLANS ids are kept in the
 * packet; the flow engine decides whether they take part in tracking. */
#include "decode/layers.h"

#define VLAN_HEADER_LEN 4

static void decode_vlan_count(struct decode_ctx *ctx, uint8_t depth)
{
    if (depth == 0)
        ctx->stats.vlan++;
    else if (depth == 1)
        ctx->stats.vlan_qinq++;
    else if (depth == 2)
        ctx->stats.vlan_qinqinq++;
}

int decode_vlan(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    decode_vlan_count(ctx, p->vlan_count);
    if (len < VLAN_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_VLAN_HEADER_TOO_SMALL);
    if (p->vlan_count >= PACKET_MAX_VLANS)
        return decode_invalid(ctx, p, DECODE_EV_VLAN_TOO_MANY_LAYERS);
    p->vlan_id[p->vlan_count++] = decode_be16(pkt) & 0x0fff;
    return decode_ethertype(ctx, p, decode_be16(pkt + 2), pkt + VLAN_HEADER_LEN,
                            len - VLAN_HEADER_LEN);
}
