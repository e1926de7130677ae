/* UDP (RFC 768): header and length checks, ports, then the UDP-borne
 * tunnels (Teredo, Geneve, VXLAN) on their configured ports. */
#include "decode/layers.h"

#define UDP_HEADER_LEN 8

static void decode_udp_tunnels(struct decode_ctx *ctx, struct packet *p)
{
    if (decode_teredo(ctx, p, p->payload, p->payload_len))
        return;
    if (decode_geneve(ctx, p, p->payload, p->payload_len))
        return;
    decode_vxlan(ctx, p, p->payload, p->payload_len);
}

int decode_udp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.udp++;
    if (len < UDP_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_UDP_HLEN_TOO_SMALL);
    const uint16_t ulen = decode_be16(pkt + 4);
    if (ulen > len)
        return decode_invalid(ctx, p, DECODE_EV_UDP_PKT_TOO_SMALL);
    /* Trailing bytes after the datagram are odd but harmless. */
    if (ulen != len)
        decode_set_event(ctx, p, DECODE_EV_UDP_HLEN_INVALID);
    if (ulen < UDP_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_UDP_LEN_INVALID);

    p->sp = decode_be16(pkt);
    p->dp = decode_be16(pkt + 2);
    p->payload = pkt + UDP_HEADER_LEN;
    p->payload_len = ulen - UDP_HEADER_LEN;
    p->flags |= PKT_HAS_FLOW_KEY;
    decode_udp_tunnels(ctx, p);
    return 0;
}
