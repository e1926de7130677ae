/* Defrag context lifecycle: sizes every table and pool from the config so
 * that all of it fits in memcap, and frees it all at the end. */
#include "decode/defrag.h"

#include <stdlib.h>
#include <string.h>

#include "decode/defrag-ctx.h"
#include "util/huge-alloc.h"

#define US_PER_SEC 1000000ull
#define MAX_BUCKETS (1u << 30)

void defrag_config_set_defaults(struct defrag_config *cfg)
{
    memset(cfg, 0, sizeof(*cfg));
    cfg->memcap = 32ull * 1024 * 1024;
    cfg->hash_size = 65536;
    cfg->trackers = 65535;
    cfg->max_frags = 65535;
    cfg->timeout_sec = 60;
    cfg->prealloc = true;
}

static uint32_t bucket_count(uint32_t hash_size)
{
    uint32_t n = 1;
    while (n < hash_size && n < MAX_BUCKETS)
        n <<= 1;
    return n;
}

uint64_t defrag_fixed_memory(const struct defrag_config *cfg)
{
    return sizeof(struct defrag_ctx) +
           (uint64_t)bucket_count(cfg->hash_size) * sizeof(uint32_t) +
           (uint64_t)cfg->trackers * sizeof(struct defrag_tracker) +
           defrag_pool_bytes(cfg->max_frags, 0) +
           (uint64_t)DEFRAG_OUTPUT_POOL_SIZE * DEFRAG_OUTPUT_CAP;
}

static uint32_t chunk_budget(const struct defrag_config *cfg)
{
    uint64_t n = (cfg->memcap - defrag_fixed_memory(cfg)) / defrag_pool_bytes_per_chunk();
    return n >= DEFRAG_NONE ? DEFRAG_NONE - 1 : (uint32_t)n;
}

/* Trackers are handed out from a fresh index, then from the free list
 * (defrag_table_add). prealloc: yes commits their memory now, on huge
 * pages: 7 MiB by default in a few faults rather than 1800, which in this
 * project's VM were 40 % of a run on a tiny pcap. prealloc: no leaves it
 * uncommitted (calloc) until a tracker is first used. */
static bool alloc_trackers(struct defrag_ctx *ctx)
{
    size_t bytes = (size_t)(ctx->cfg.trackers ? ctx->cfg.trackers : 1) * sizeof(*ctx->trackers);
    ctx->tracker_count = ctx->cfg.trackers;
    ctx->tracker_free = DEFRAG_NONE;
    ctx->tracker_fresh = 0;
    if (!ctx->cfg.prealloc) {
        ctx->trackers = calloc(1, bytes);
        return ctx->trackers != NULL;
    }
    ctx->trackers = huge_alloc(bytes);
    if (ctx->trackers == NULL)
        return false;
    memset(ctx->trackers, 0, bytes);
    return true;
}

static bool alloc_tables(struct defrag_ctx *ctx)
{
    uint32_t buckets = bucket_count(ctx->cfg.hash_size);
    ctx->buckets = malloc((size_t)buckets * sizeof(*ctx->buckets));
    if (ctx->buckets == NULL || !alloc_trackers(ctx))
        return false;
    ctx->bucket_mask = buckets - 1;
    for (uint32_t i = 0; i < buckets; i++)
        ctx->buckets[i] = DEFRAG_NONE;
    ctx->lru_head = ctx->lru_tail = DEFRAG_NONE;
    for (size_t i = 0; i < DEFRAG_OUTPUT_POOL_SIZE; i++) {
        ctx->out[i].buf = malloc(DEFRAG_OUTPUT_CAP);
        if (ctx->out[i].buf == NULL)
            return false;
    }
    return true;
}

void defrag_update_memuse(struct defrag_ctx *ctx)
{
    ctx->stats.memuse = ctx->fixed_bytes +
                        (uint64_t)defrag_pool_chunks_used(&ctx->pool) * DEFRAG_CHUNK_SIZE;
}

struct defrag_ctx *defrag_create(const struct defrag_config *cfg)
{
    if (cfg->memcap < defrag_fixed_memory(cfg))
        return NULL;
    struct defrag_ctx *ctx = calloc(1, sizeof(*ctx));
    if (ctx == NULL)
        return NULL;
    ctx->cfg = *cfg;
    ctx->timeout_us = (uint64_t)cfg->timeout_sec * US_PER_SEC;
    ctx->fixed_bytes = defrag_fixed_memory(cfg);
    if (!alloc_tables(ctx) ||
        !defrag_pool_init(&ctx->pool, cfg->max_frags, chunk_budget(cfg))) {
        defrag_destroy(ctx);
        return NULL;
    }
    defrag_update_memuse(ctx);
    return ctx;
}

void defrag_destroy(struct defrag_ctx *ctx)
{
    if (ctx == NULL)
        return;
    defrag_pool_fini(&ctx->pool);
    for (size_t i = 0; i < DEFRAG_OUTPUT_POOL_SIZE; i++)
        free(ctx->out[i].buf);
    free(ctx->trackers);
    free(ctx->buckets);
    free(ctx);
}

const struct defrag_stats *defrag_get_stats(const struct defrag_ctx *ctx)
{
    return &ctx->stats;
}
