/* GRE (RFC 2784/2890 version 0, RFC 2637 version 1 for PPTP): header checks
 * and the carried protocol, which becomes a tunnel; GRE itself is no flow. */
#include "decode/erspan.h"
#include "decode/layers.h"

#define GRE_HEADER_LEN 4
#define GRE_FLAG_CHECKSUM 0x8000
#define GRE_FLAG_ROUTING 0x4000
#define GRE_FLAG_KEY 0x2000
#define GRE_FLAG_SEQ 0x1000
#define GRE_FLAG_SSR 0x0800
#define GRE_RECUR_MASK 0x0700
#define GRE_V1_FLAG_ACK 0x0080
#define GRE_V0_RESERVED 0x00f8
#define GRE_V1_RESERVED 0x0078
#define GRE_VERSION_MASK 0x0007
#define GRE_SRE_HEADER_LEN 4

#define GRE_PROTO_IPV4 0x0800
#define GRE_PROTO_IPV6 0x86dd
#define GRE_PROTO_TEB 0x6558
#define GRE_PROTO_ERSPAN 0x88be
#define GRE_PROTO_ERSPAN_III 0x22eb
#define GRE_PROTO_PPP 0x880b

/* Source route entries end with an empty one (family 0, length 0). */
static int decode_gre_sre(const uint8_t *sre, uint32_t len)
{
    uint32_t off = 0;
    for (;;) {
        if (len - off < GRE_SRE_HEADER_LEN)
            return -1;
        const uint16_t family = decode_be16(sre + off);
        const uint8_t sre_len = sre[off + 3];
        off += GRE_SRE_HEADER_LEN;
        if (family == 0 && sre_len == 0)
            return (int)off;
        if (sre_len > len - off)
            return -1;
        off += sre_len;
    }
}

/* Returns the version 0 header length, or -1 after raising the event. */
static int decode_gre_v0(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    const uint16_t flags = decode_be16(pkt);
    if (flags & GRE_RECUR_MASK)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION0_RECUR);
    if (flags & GRE_V0_RESERVED)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION0_FLAGS);
    uint32_t hlen = GRE_HEADER_LEN;
    if (flags & (GRE_FLAG_CHECKSUM | GRE_FLAG_ROUTING))
        hlen += 4;
    if (flags & GRE_FLAG_KEY)
        hlen += 4;
    if (flags & GRE_FLAG_SEQ)
        hlen += 4;
    if (hlen > len)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION0_HDR_TOO_BIG);
    if (flags & GRE_FLAG_ROUTING) {
        const int sre = decode_gre_sre(pkt + hlen, len - hlen);
        if (sre < 0)
            return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION0_MALFORMED_SRE_HDR);
        hlen += (uint32_t)sre;
    }
    return (int)hlen;
}

static int decode_gre_v1(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    const uint16_t flags = decode_be16(pkt);
    if (flags & GRE_FLAG_CHECKSUM)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_CHKSUM);
    if (flags & GRE_FLAG_ROUTING)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_ROUTE);
    if (flags & GRE_FLAG_SSR)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_SSR);
    if (flags & GRE_RECUR_MASK)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_RECUR);
    if (flags & GRE_V1_RESERVED)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_FLAGS);
    if (decode_be16(pkt + 2) != GRE_PROTO_PPP)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_WRONG_PROTOCOL);
    if (!(flags & GRE_FLAG_KEY))
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_NO_KEY);
    uint32_t hlen = GRE_HEADER_LEN + 4;
    if (flags & GRE_FLAG_SEQ)
        hlen += 4;
    if (flags & GRE_V1_FLAG_ACK)
        hlen += 4;
    if (hlen > len)
        return decode_invalid(ctx, p, DECODE_EV_GRE_VERSION1_HDR_TOO_BIG);
    return (int)hlen;
}

static int decode_gre_payload(struct decode_ctx *ctx, struct packet *p, uint16_t proto,
                              bool has_seq, const uint8_t *pkt, uint32_t len)
{
    switch (proto) {
    case GRE_PROTO_IPV4:
        decode_set_tunnel(p, PACKET_TUNNEL_IPV4, pkt);
        return 0;
    case GRE_PROTO_IPV6:
        decode_set_tunnel(p, PACKET_TUNNEL_IPV6, pkt);
        return 0;
    case GRE_PROTO_TEB:
        decode_set_tunnel(p, PACKET_TUNNEL_ETHERNET, pkt);
        return 0;
    case GRE_PROTO_ERSPAN:
        /* Type II carries a sequence number, type I has neither it nor a header. */
        if (has_seq)
            return decode_erspan_ii(ctx, p, pkt, len);
        return decode_erspan_i(ctx, p, pkt);
    case GRE_PROTO_ERSPAN_III:
        return decode_erspan_iii(ctx, p, pkt, len);
    default:
        /* PPTP's PPP and other payloads are not followed. */
        return 0;
    }
}

int decode_gre(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.gre++;
    if (len < GRE_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_GRE_PKT_TOO_SMALL);
    const uint16_t flags = decode_be16(pkt);
    int hlen;
    switch (flags & GRE_VERSION_MASK) {
    case 0:
        hlen = decode_gre_v0(ctx, p, pkt, len);
        break;
    case 1:
        hlen = decode_gre_v1(ctx, p, pkt, len);
        break;
    default:
        return decode_invalid(ctx, p, DECODE_EV_GRE_WRONG_VERSION);
    }
    if (hlen < 0)
        return -1;
    return decode_gre_payload(ctx, p, decode_be16(pkt + 2), flags & GRE_FLAG_SEQ,
                              pkt + hlen, len - (uint32_t)hlen);
}
