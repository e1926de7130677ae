/* The IP payload by protocol, shared by IPv4 and IPv6, including the
 * IP-in-IP tunnels (protocols 4 and 41) whose outer packet keeps a flow. */
#include "decode/layers.h"

enum ip_proto {
    IP_PROTO_ICMP = 1,
    IP_PROTO_IGMP = 2,
    IP_PROTO_IPIP = 4,
    IP_PROTO_TCP = 6,
    IP_PROTO_UDP = 17,
    IP_PROTO_IPV6 = 41,
    IP_PROTO_GRE = 47,
    IP_PROTO_ESP = 50,
    IP_PROTO_ICMPV6 = 58,
    IP_PROTO_SCTP = 132,
};

/* The outer of IP-in-IP is a flow of its own, with ports 0. */
static void decode_ipip_outer(struct packet *p, enum packet_tunnel_type type, const uint8_t *inner)
{
    p->sp = 0;
    p->dp = 0;
    p->flags |= PKT_HAS_FLOW_KEY;
    decode_set_tunnel(p, type, inner);
}

static int decode_ipv4_in_ip(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt,
                             uint32_t len)
{
    if (p->ip_version == 6) {
        ctx->stats.ipv4_in_ipv6++;
        if (len < 20)
            return decode_invalid(ctx, p, DECODE_EV_IPV6_IPV4_IN_IPV6_TOO_SMALL);
        if ((pkt[0] >> 4) != 4)
            return decode_invalid(ctx, p, DECODE_EV_IPV6_IPV4_IN_IPV6_WRONG_VERSION);
    } else {
        ctx->stats.ipv4_in_ipv4++;
    }
    decode_ipip_outer(p, PACKET_TUNNEL_IPV4, pkt);
    return 0;
}

static int decode_ipv6_in_ip(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt,
                             uint32_t len)
{
    if (p->ip_version == 6) {
        ctx->stats.ipv6_in_ipv6++;
        if (len < 40)
            return decode_invalid(ctx, p, DECODE_EV_IPV6_IPV6_IN_IPV6_TOO_SMALL);
        if ((pkt[0] >> 4) != 6)
            return decode_invalid(ctx, p, DECODE_EV_IPV6_IPV6_IN_IPV6_WRONG_VERSION);
    } else {
        ctx->stats.ipv6_in_ipv4++;
    }
    decode_ipip_outer(p, PACKET_TUNNEL_IPV6, pkt);
    return 0;
}

int decode_ip_payload(struct decode_ctx *ctx, struct packet *p, uint8_t proto,
                      const uint8_t *pkt, uint32_t len)
{
    const bool v6 = p->ip_version == 6;

    switch (proto) {
    case IP_PROTO_TCP:
        return decode_tcp(ctx, p, pkt, len);
    case IP_PROTO_UDP:
        return decode_udp(ctx, p, pkt, len);
    case IP_PROTO_SCTP:
        return decode_sctp(ctx, p, pkt, len);
    case IP_PROTO_ESP:
        return decode_esp(ctx, p, pkt, len);
    case IP_PROTO_GRE:
        return decode_gre(ctx, p, pkt, len);
    case IP_PROTO_ICMP:
        if (v6)
            return decode_invalid(ctx, p, DECODE_EV_IPV6_ICMPV4);
        return decode_icmpv4(ctx, p, pkt, len);
    case IP_PROTO_ICMPV6:
        if (!v6)
            return decode_invalid(ctx, p, DECODE_EV_IPV4_ICMPV6);
        return decode_icmpv6(ctx, p, pkt, len);
    case IP_PROTO_IPIP:
        return decode_ipv4_in_ip(ctx, p, pkt, len);
    case IP_PROTO_IPV6:
        return decode_ipv6_in_ip(ctx, p, pkt, len);
    case IP_PROTO_IGMP:
        if (!v6) {
            ctx->stats.igmp++;
            return 0;
        }
        break;
    default:
        break;
    }
    /* IPv4 carries many protocols Suricata does not decode (OSPF, PIM...)
     * without complaint; an unknown IPv6 next header is reported. */
    if (v6)
        decode_set_event(ctx, p, DECODE_EV_IPV6_UNKNOWN_NEXT_HEADER);
    return 0;
}
