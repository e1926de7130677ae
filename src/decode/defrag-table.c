/* Defrag tracker table: seeded hash buckets for lookup and an LRU list so
 * timeouts and reuse only ever look at the stalest trackers. */
#include <string.h>

#include "decode/defrag-ctx.h"

static uint32_t rotl32(uint32_t x, int r)
{
    return (x << r) | (x >> (32 - r));
}

static uint32_t mix(uint32_t h, uint32_t w)
{
    w *= 0xcc9e2d51u;
    w = rotl32(w, 15) * 0x1b873593u;
    h ^= w;
    return rotl32(h, 13) * 5u + 0xe6546b64u;
}

static uint32_t finish(uint32_t h)
{
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    return h ^ (h >> 16);
}

static uint32_t key_hash(uint32_t seed, const struct defrag_key *k)
{
    uint32_t h = seed;
    for (int i = 0; i < 4; i++) {
        h = mix(h, k->src.w[i]);
        h = mix(h, k->dst.w[i]);
    }
    h = mix(h, k->id);
    h = mix(h, (uint32_t)k->ip_version << 24 | (uint32_t)k->proto << 16 |
                   (uint32_t)k->recursion_level << 8 | k->vlan_count);
    for (int i = 0; i < PACKET_MAX_VLANS; i++)
        h = mix(h, k->vlan_id[i]);
    return finish(h);
}

/* Keys are built zeroed, so unused VLAN slots and address words compare equal. */
static bool key_equal(const struct defrag_key *a, const struct defrag_key *b)
{
    return a->id == b->id && a->ip_version == b->ip_version && a->proto == b->proto &&
           a->recursion_level == b->recursion_level && a->vlan_count == b->vlan_count &&
           memcmp(a->vlan_id, b->vlan_id, sizeof(a->vlan_id)) == 0 &&
           memcmp(&a->src, &b->src, sizeof(a->src)) == 0 &&
           memcmp(&a->dst, &b->dst, sizeof(a->dst)) == 0;
}

static uint32_t *bucket_of(struct defrag_ctx *ctx, const struct defrag_key *key)
{
    return &ctx->buckets[key_hash(ctx->cfg.hash_seed, key) & ctx->bucket_mask];
}

static uint32_t index_of(const struct defrag_ctx *ctx, const struct defrag_tracker *t)
{
    return (uint32_t)(t - ctx->trackers);
}

struct defrag_tracker *defrag_table_find(struct defrag_ctx *ctx, const struct defrag_key *key)
{
    for (uint32_t i = *bucket_of(ctx, key); i != DEFRAG_NONE; i = ctx->trackers[i].hash_next)
        if (key_equal(&ctx->trackers[i].key, key))
            return &ctx->trackers[i];
    return NULL;
}

static void lru_unlink(struct defrag_ctx *ctx, struct defrag_tracker *t)
{
    if (t->lru_prev != DEFRAG_NONE)
        ctx->trackers[t->lru_prev].lru_next = t->lru_next;
    else
        ctx->lru_head = t->lru_next;
    if (t->lru_next != DEFRAG_NONE)
        ctx->trackers[t->lru_next].lru_prev = t->lru_prev;
    else
        ctx->lru_tail = t->lru_prev;
}

static void lru_append(struct defrag_ctx *ctx, struct defrag_tracker *t)
{
    uint32_t idx = index_of(ctx, t);
    t->lru_prev = ctx->lru_tail;
    t->lru_next = DEFRAG_NONE;
    if (ctx->lru_tail != DEFRAG_NONE)
        ctx->trackers[ctx->lru_tail].lru_next = idx;
    else
        ctx->lru_head = idx;
    ctx->lru_tail = idx;
}

struct defrag_tracker *defrag_table_add(struct defrag_ctx *ctx, const struct defrag_key *key,
                                        uint64_t now_us)
{
    uint32_t idx = ctx->tracker_free;
    if (idx != DEFRAG_NONE)
        ctx->tracker_free = ctx->trackers[idx].hash_next;
    else if (ctx->tracker_fresh < ctx->tracker_count)
        idx = ctx->tracker_fresh++;
    else
        return NULL;
    struct defrag_tracker *t = &ctx->trackers[idx];
    memset(t, 0, sizeof(*t));
    t->key = *key;
    t->frag_head = DEFRAG_NONE;
    t->l2_chunk = t->ip_chunk = DEFRAG_NONE;
    t->last_seen_us = now_us;
    uint32_t *bucket = bucket_of(ctx, key);
    t->hash_next = *bucket;
    *bucket = idx;
    lru_append(ctx, t);
    return t;
}

void defrag_table_touch(struct defrag_ctx *ctx, struct defrag_tracker *t, uint64_t now_us)
{
    t->last_seen_us = now_us;
    lru_unlink(ctx, t);
    lru_append(ctx, t);
}

static void unhash(struct defrag_ctx *ctx, struct defrag_tracker *t)
{
    uint32_t idx = index_of(ctx, t);
    uint32_t *link = bucket_of(ctx, &t->key);
    while (*link != idx)
        link = &ctx->trackers[*link].hash_next;
    *link = t->hash_next;
}

void defrag_table_remove(struct defrag_ctx *ctx, struct defrag_tracker *t)
{
    unhash(ctx, t);
    lru_unlink(ctx, t);
    defrag_tracker_clear(t, &ctx->pool);
    t->hash_next = ctx->tracker_free;
    ctx->tracker_free = index_of(ctx, t);
}

struct defrag_tracker *defrag_table_oldest(struct defrag_ctx *ctx)
{
    return ctx->lru_head == DEFRAG_NONE ? NULL : &ctx->trackers[ctx->lru_head];
}

bool defrag_table_expired(const struct defrag_ctx *ctx, const struct defrag_tracker *t,
                          uint64_t now_us)
{
    return now_us > t->last_seen_us && now_us - t->last_seen_us > ctx->timeout_us;
}
