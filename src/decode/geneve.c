/* Geneve (RFC 8926): variable-length header with options, carrying
 * Ethernet, IPv4 or IPv6 on the configured UDP port. */
#include "decode/layers.h"

#define GENEVE_HEADER_LEN 8
#define GENEVE_PROTO_ETHERNET 0x6558
#define GENEVE_PROTO_IPV4 0x0800
#define GENEVE_PROTO_IPV6 0x86dd

static enum packet_tunnel_type decode_geneve_inner(uint16_t proto)
{
    switch (proto) {
    case GENEVE_PROTO_ETHERNET:
        return PACKET_TUNNEL_ETHERNET;
    case GENEVE_PROTO_IPV4:
        return PACKET_TUNNEL_IPV4;
    case GENEVE_PROTO_IPV6:
        return PACKET_TUNNEL_IPV6;
    default:
        return PACKET_TUNNEL_NONE;
    }
}

bool decode_geneve(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    if (!ctx->cfg.geneve_enabled || p->dp != ctx->cfg.geneve_port)
        return false;
    if (len < GENEVE_HEADER_LEN || (pkt[0] >> 6) != 0)
        return false;
    const uint32_t hlen = GENEVE_HEADER_LEN + (uint32_t)(pkt[0] & 0x3f) * 4;
    if (hlen >= len)
        return false;
    const enum packet_tunnel_type inner = decode_geneve_inner(decode_be16(pkt + 2));
    if (inner == PACKET_TUNNEL_NONE) {
        decode_set_event(ctx, p, DECODE_EV_GENEVE_UNKNOWN_PAYLOAD_TYPE);
        return false;
    }
    ctx->stats.geneve++;
    decode_set_tunnel(p, inner, pkt + hlen);
    return true;
}
