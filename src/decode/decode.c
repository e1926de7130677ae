/* Decoder entry points: per-thread context, packet reset, link-type dispatch
 * and the per-packet event record. */
#include <stddef.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/layers.h"

void decode_config_set_defaults(struct decode_config *cfg)
{
    *cfg = (struct decode_config){
        .vlan_use_for_tracking = true,
        .vxlan_enabled = true,
        .vxlan_port = 4789,
        .geneve_enabled = true,
        .geneve_port = 6081,
        .teredo_enabled = true,
        .teredo_port = 3544,
    };
}

void decode_ctx_init(struct decode_ctx *ctx, const struct decode_config *cfg)
{
    memset(ctx, 0, sizeof(*ctx));
    if (cfg != NULL)
        ctx->cfg = *cfg;
    else
        decode_config_set_defaults(&ctx->cfg);
}

void decode_set_event(struct decode_ctx *ctx, struct packet *p, enum decode_event ev)
{
    if ((unsigned)ev >= DECODE_EVENT_COUNT)
        return;
    ctx->stats.events[ev]++;
    if (p->event_count < PACKET_MAX_EVENTS)
        p->events[p->event_count++] = (uint16_t)ev;
}

/* Clears the decoder results (from `flags` up to `events`), keeping what a
 * tunnel or defrag pseudo-packet inherited from its parent. */
static void decode_reset(struct packet *p)
{
    const uint32_t kept_flags = p->flags & (PKT_IS_TUNNEL_INNER | PKT_IS_REASSEMBLED);
    const uint8_t recursion_level = p->recursion_level;

    memset(&p->flags, 0, offsetof(struct packet, events) - offsetof(struct packet, flags));
    p->flags = kept_flags;
    p->recursion_level = recursion_level;
    p->tcp_wscale = 0xff;
    p->flow_bytes = p->len;
}

static void decode_count_frame(struct decode_ctx *ctx, const struct packet *p)
{
    ctx->stats.pkts++;
    ctx->stats.bytes += p->len;
    if (p->len > ctx->stats.max_pkt_size)
        ctx->stats.max_pkt_size = p->len;
}

static void decode_by_linktype(struct decode_ctx *ctx, struct packet *p)
{
    const uint8_t *d = p->data;
    const uint32_t len = p->len;

    switch (p->linktype) {
    case DECODE_LINKTYPE_ETHERNET:
    case DECODE_LINKTYPE_TUNNEL_ETHERNET:
        decode_ethernet(ctx, p, d, len);
        break;
    case DECODE_LINKTYPE_PPP:
        decode_ppp(ctx, p, d, len);
        break;
    case DECODE_LINKTYPE_RAW:
    case DECODE_LINKTYPE_RAW_OPENBSD:
    case DECODE_LINKTYPE_RAW_101:
        decode_raw(ctx, p, d, len);
        break;
    case DECODE_LINKTYPE_NULL:
        decode_null(ctx, p, d, len, false);
        break;
    case DECODE_LINKTYPE_LOOP:
        decode_null(ctx, p, d, len, true);
        break;
    case DECODE_LINKTYPE_LINUX_SLL:
        decode_sll(ctx, p, d, len);
        break;
    case DECODE_LINKTYPE_LINUX_SLL2:
        decode_sll2(ctx, p, d, len);
        break;
    case DECODE_LINKTYPE_IPV4:
    case DECODE_LINKTYPE_TUNNEL_IPV4:
        decode_ipv4(ctx, p, d, len);
        break;
    case DECODE_LINKTYPE_IPV6:
    case DECODE_LINKTYPE_TUNNEL_IPV6:
        decode_ipv6(ctx, p, d, len);
        break;
    default:
        /* The capture refuses unknown link types; a stray one is just invalid. */
        p->flags |= PKT_INVALID;
        break;
    }
}

/* An invalid packet must not reach the flow table nor spawn a tunnel. */
static void decode_finish(struct decode_ctx *ctx, struct packet *p)
{
    if (p->flags & PKT_INVALID) {
        ctx->stats.invalid++;
        p->flags &= ~(uint32_t)(PKT_HAS_FLOW_KEY | PKT_ICMP_ERROR);
        p->tunnel_type = PACKET_TUNNEL_NONE;
        p->tunnel_offset = 0;
    }
}

void decode_packet(struct decode_ctx *ctx, struct packet *p)
{
    decode_reset(p);
    if (!(p->flags & PKT_IS_REASSEMBLED))
        decode_count_frame(ctx, p);
    decode_by_linktype(ctx, p);
    decode_finish(ctx, p);
}

void decode_set_tunnel(struct packet *p, enum packet_tunnel_type type, const uint8_t *inner)
{
    p->tunnel_type = type;
    p->tunnel_offset = decode_offset(p, inner);
}

static int decode_tunnel_linktype(enum packet_tunnel_type type)
{
    switch (type) {
    case PACKET_TUNNEL_IPV4:
        return DECODE_LINKTYPE_TUNNEL_IPV4;
    case PACKET_TUNNEL_IPV6:
        return DECODE_LINKTYPE_TUNNEL_IPV6;
    case PACKET_TUNNEL_ETHERNET:
        return DECODE_LINKTYPE_TUNNEL_ETHERNET;
    default:
        return -1;
    }
}

static void decode_inherit_tunnel(const struct packet *outer, struct packet *inner)
{
    inner->tunnel = (struct packet_tunnel_info){
        .src = outer->src,
        .dst = outer->dst,
        .sp = outer->sp,
        .dp = outer->dp,
        .proto = outer->proto,
        .ip_version = outer->ip_version,
        .depth = inner->recursion_level,
    };
}

/* The inner ends where the outer IP datagram ends, not at the frame's end:
 * Ethernet padding is no part of the tunnel payload. */
static uint32_t decode_tunnel_len(const struct packet *outer, const uint8_t *start)
{
    const uint8_t *end = outer->data + outer->len;
    if (outer->l3 != NULL && outer->l3 + outer->l3_len < end)
        end = outer->l3 + outer->l3_len;
    return start < end ? (uint32_t)(end - start) : 0;
}

void decode_tunnel_inner(struct decode_ctx *ctx, const struct packet *outer,
                         struct packet *inner)
{
    const uint32_t offset = outer->tunnel_offset <= outer->len ? outer->tunnel_offset : outer->len;

    inner->data = outer->data + offset;
    inner->len = decode_tunnel_len(outer, inner->data);
    inner->wire_len = inner->len;
    inner->ts_us = outer->ts_us;
    inner->pcap_cnt = outer->pcap_cnt;
    inner->iface = outer->iface;
    inner->linktype = decode_tunnel_linktype(outer->tunnel_type);
    inner->flags = PKT_IS_TUNNEL_INNER;
    inner->recursion_level = (uint8_t)(outer->recursion_level + 1);
    decode_inherit_tunnel(outer, inner);
    decode_reset(inner);
    /* Inner flows live in the outer's VLANs, so they stay apart per VLAN. */
    memcpy(inner->vlan_id, outer->vlan_id, sizeof(inner->vlan_id));
    inner->vlan_count = outer->vlan_count;
    if (inner->recursion_level > PACKET_MAX_RECURSION) {
        ctx->stats.too_many_layers++;
        inner->flags |= PKT_INVALID;
    } else {
        decode_by_linktype(ctx, inner);
    }
    decode_finish(ctx, inner);
}
