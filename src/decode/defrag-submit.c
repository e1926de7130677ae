/* Defrag per-fragment path: parse, find or make the tracker, store, and when
 * the datagram is whole, build the reassembled pseudo-packet; plus timeouts. */
#include <string.h>

#include "decode/defrag-ctx.h"
#include "decode/defrag-parse.h"

#define IPV6_HEADER 40u
#define IP_MAX_DATAGRAM 65535u

static void raise_event(struct decode_ctx *dctx, struct packet *frag, enum decode_event ev)
{
    if (dctx != NULL)
        decode_set_event(dctx, frag, ev);
}

static void count_timeout(struct defrag_ctx *ctx, const struct defrag_tracker *t)
{
    if (t->key.ip_version == 4)
        ctx->stats.ipv4_timeouts++;
    else
        ctx->stats.ipv6_timeouts++;
}

static bool frame_ok(const struct packet *p)
{
    return p->data != NULL && p->l3 != NULL && p->l2_len <= p->len &&
           p->l2_len <= DEFRAG_MAX_L2_LEN;
}

/* The datagram this fragment implies, by its own header, is over 65535. */
static bool too_large(const struct defrag_frag_info *fi)
{
    uint32_t end = fi->offset + fi->payload_len;
    uint32_t size = fi->ip_version == 4 ? fi->header_len + end
                                        : fi->header_len - IPV6_HEADER + end;
    return size > IP_MAX_DATAGRAM;
}

static void make_key(const struct decode_ctx *dctx, const struct packet *p,
                     const struct defrag_frag_info *fi, struct defrag_key *key)
{
    memset(key, 0, sizeof(*key));
    key->src = fi->src;
    key->dst = fi->dst;
    key->id = fi->id;
    key->ip_version = fi->ip_version;
    key->proto = fi->ip_version == 4 ? fi->proto : 0;
    key->recursion_level = p->recursion_level;
    if (dctx == NULL || dctx->cfg.vlan_use_for_tracking) {
        key->vlan_count = p->vlan_count > PACKET_MAX_VLANS ? PACKET_MAX_VLANS : p->vlan_count;
        memcpy(key->vlan_id, p->vlan_id, key->vlan_count * sizeof(key->vlan_id[0]));
    }
}

/* An expired tracker under this key belongs to an older datagram that
 * reused the IP id: it is dropped, not extended. When none is free, the
 * stalest one is reclaimed only if it has expired. */
static struct defrag_tracker *tracker_for(struct defrag_ctx *ctx, const struct defrag_key *key,
                                          uint64_t now_us)
{
    struct defrag_tracker *t = defrag_table_find(ctx, key);
    if (t != NULL && !defrag_table_expired(ctx, t, now_us))
        return t;
    if (t == NULL)
        t = defrag_table_oldest(ctx);
    if (t != NULL && defrag_table_expired(ctx, t, now_us)) {
        ctx->stats.wrk_tracker_timeout++;
        count_timeout(ctx, t);
        defrag_table_remove(ctx, t);
    }
    t = defrag_table_add(ctx, key, now_us);
    if (t == NULL)
        ctx->stats.max_trackers_reached++;
    return t;
}

static struct defrag_output *output_get(struct defrag_ctx *ctx)
{
    for (size_t i = 0; i < DEFRAG_OUTPUT_POOL_SIZE; i++)
        if (!ctx->out[i].in_use)
            return &ctx->out[i];
    return NULL;
}

static void fill_output(struct packet *out, const uint8_t *buf, uint32_t len,
                        const struct defrag_tracker *t, const struct packet *frag)
{
    memset(out, 0, sizeof(*out));
    out->ts_us = frag->ts_us;
    out->data = buf;
    out->len = out->wire_len = len;
    out->linktype = t->linktype;
    out->pcap_cnt = frag->pcap_cnt;
    out->iface = frag->iface;
    out->flags = PKT_IS_REASSEMBLED | (frag->flags & PKT_IS_TUNNEL_INNER);
    out->recursion_level = frag->recursion_level;
    out->tunnel = frag->tunnel;
    out->vlan_count = frag->vlan_count;
    memcpy(out->vlan_id, frag->vlan_id, sizeof(out->vlan_id));
}

static void count_too_large(struct defrag_ctx *ctx, struct decode_ctx *dctx,
                            struct packet *frag, uint8_t ip_version)
{
    if (ip_version == 4) {
        ctx->stats.ipv4_frag_too_large++;
        raise_event(dctx, frag, DECODE_EV_IPV4_FRAG_PKT_TOO_LARGE);
    } else {
        ctx->stats.ipv6_frag_too_large++;
        raise_event(dctx, frag, DECODE_EV_IPV6_FRAG_PKT_TOO_LARGE);
    }
}

/* The tracker is finished either way: its storage goes back to the pools. */
static struct packet *reassemble(struct defrag_ctx *ctx, struct decode_ctx *dctx,
                                 struct defrag_tracker *t, struct packet *frag)
{
    struct defrag_output *out = output_get(ctx);
    struct packet *result = NULL;
    if (out == NULL) {
        ctx->stats.memcap_exceeded++;
    } else {
        uint32_t len = defrag_tracker_build(t, &ctx->pool, out->buf, DEFRAG_OUTPUT_CAP);
        if (len == 0) {
            count_too_large(ctx, dctx, frag, t->key.ip_version);
        } else {
            fill_output(&out->pkt, out->buf, len, t, frag);
            out->in_use = true;
            result = &out->pkt;
            if (t->key.ip_version == 4)
                ctx->stats.ipv4_reassembled++;
            else
                ctx->stats.ipv6_reassembled++;
        }
    }
    defrag_table_remove(ctx, t);
    return result;
}

static void count_overlap(struct defrag_ctx *ctx, struct decode_ctx *dctx,
                          struct packet *frag, uint8_t ip_version)
{
    if (ip_version == 4) {
        ctx->stats.ipv4_frag_overlap++;
        raise_event(dctx, frag, DECODE_EV_IPV4_FRAG_OVERLAP);
    } else {
        ctx->stats.ipv6_frag_overlap++;
        raise_event(dctx, frag, DECODE_EV_IPV6_FRAG_OVERLAP);
    }
}

static bool store(struct defrag_ctx *ctx, struct decode_ctx *dctx, struct defrag_tracker *t,
                  struct packet *frag, const struct defrag_frag_info *fi)
{
    struct defrag_frame frame = {
        .l2 = frag->data, .l2_len = frag->l2_len, .l3 = frag->l3, .linktype = frag->linktype,
    };
    bool overlap = false;
    enum defrag_insert_result r = defrag_tracker_insert(t, &ctx->pool, fi, &frame, &overlap);
    if (overlap)
        count_overlap(ctx, dctx, frag, fi->ip_version);
    if (r == DEFRAG_INSERT_NO_ENTRY)
        ctx->stats.max_frags_reached++;
    else if (r == DEFRAG_INSERT_NO_MEMORY)
        ctx->stats.memcap_exceeded++;
    return r == DEFRAG_INSERT_OK;
}

static void count_fragment(struct defrag_ctx *ctx, uint8_t ip_version)
{
    if (ip_version == 4)
        ctx->stats.ipv4_fragments++;
    else
        ctx->stats.ipv6_fragments++;
}

static struct packet *submit_parsed(struct defrag_ctx *ctx, struct decode_ctx *dctx,
                                    struct packet *frag, const struct defrag_frag_info *fi)
{
    if (too_large(fi)) {
        count_too_large(ctx, dctx, frag, fi->ip_version);
        return NULL;
    }
    struct defrag_key key;
    make_key(dctx, frag, fi, &key);
    struct defrag_tracker *t = tracker_for(ctx, &key, frag->ts_us);
    if (t == NULL)
        return NULL;
    defrag_table_touch(ctx, t, frag->ts_us);
    if (!store(ctx, dctx, t, frag, fi)) {
        if (defrag_tracker_empty(t))
            defrag_table_remove(ctx, t);
        return NULL;
    }
    if (!defrag_tracker_complete(t, &ctx->pool))
        return NULL;
    return reassemble(ctx, dctx, t, frag);
}

struct packet *defrag_submit(struct defrag_ctx *ctx, struct decode_ctx *dctx,
                             struct packet *frag)
{
    struct defrag_frag_info fi;
    enum defrag_parse_result r = frame_ok(frag) ? defrag_parse(frag, &fi) : DEFRAG_PARSE_INVALID;
    if (r != DEFRAG_PARSE_OK) {
        ctx->stats.invalid_fragments++;
        if (r == DEFRAG_PARSE_BAD_LENGTH && fi.ip_version == 6)
            raise_event(dctx, frag, DECODE_EV_IPV6_FRAG_INVALID_LENGTH);
        return NULL;
    }
    count_fragment(ctx, fi.ip_version);
    struct packet *result = submit_parsed(ctx, dctx, frag, &fi);
    defrag_update_memuse(ctx);
    return result;
}

void defrag_release(struct defrag_ctx *ctx, struct packet *reassembled)
{
    for (size_t i = 0; i < DEFRAG_OUTPUT_POOL_SIZE; i++)
        if (&ctx->out[i].pkt == reassembled)
            ctx->out[i].in_use = false;
}

void defrag_timeout(struct defrag_ctx *ctx, uint64_t now_us)
{
    struct defrag_tracker *t;
    while ((t = defrag_table_oldest(ctx)) != NULL && defrag_table_expired(ctx, t, now_us)) {
        ctx->stats.mgr_tracker_timeout++;
        count_timeout(ctx, t);
        defrag_table_remove(ctx, t);
    }
    defrag_update_memuse(ctx);
}
