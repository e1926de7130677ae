/* VXLAN (RFC 7348): Ethernet in UDP on the configured port; anything that
 * does not look like VXLAN stays plain UDP. */
#include "decode/layers.h"

#define VXLAN_HEADER_LEN 8
#define VXLAN_FLAG_VNI 0x08
#define ETHERNET_HEADER_LEN 14

static bool decode_vxlan_known_ethertype(uint16_t type)
{
    return type == 0x0800 || type == 0x86dd || type == 0x0806 || type == 0x8100 ||
           type == 0x88a8 || type == 0x9100 || type == 0x8847 || type == 0x8864 ||
           type == 0x8863;
}

bool decode_vxlan(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    if (!ctx->cfg.vxlan_enabled || p->dp != ctx->cfg.vxlan_port)
        return false;
    if (len < VXLAN_HEADER_LEN + ETHERNET_HEADER_LEN || !(pkt[0] & VXLAN_FLAG_VNI))
        return false;
    const uint8_t *eth = pkt + VXLAN_HEADER_LEN;
    if (!decode_vxlan_known_ethertype(decode_be16(eth + 12))) {
        decode_set_event(ctx, p, DECODE_EV_VXLAN_UNKNOWN_PAYLOAD_TYPE);
        return false;
    }
    ctx->stats.vxlan++;
    decode_set_tunnel(p, PACKET_TUNNEL_ETHERNET, eth);
    return true;
}
