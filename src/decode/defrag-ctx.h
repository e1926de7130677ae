/* Defrag internals shared by the context, table and submit files: the
 * context layout and the tracker table operations. Not for other rooms. */
#ifndef VIGIL_DECODE_DEFRAG_CTX_H
#define VIGIL_DECODE_DEFRAG_CTX_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/defrag-pool.h"
#include "decode/defrag-tracker.h"
#include "decode/defrag.h"

/* Largest frame: link bytes + IPv6 header + a full 65535-byte payload. */
#define DEFRAG_OUTPUT_CAP (DEFRAG_MAX_L2_LEN + 40u + 65535u)

struct defrag_output {
    struct packet pkt;
    uint8_t *buf;
    bool in_use;
};

struct defrag_ctx {
    struct defrag_config cfg;
    uint64_t timeout_us;
    uint64_t fixed_bytes;
    uint32_t *buckets;
    uint32_t bucket_mask;
    struct defrag_tracker *trackers;
    uint32_t tracker_count;
    uint32_t tracker_free;       /* free list through hash_next */
    /* Trackers never used yet start at trackers[tracker_fresh] and are
     * handed out from there once the free list is empty. */
    uint32_t tracker_fresh;
    uint32_t lru_head, lru_tail; /* least recently touched first */
    struct defrag_pool pool;
    struct defrag_output out[DEFRAG_OUTPUT_POOL_SIZE];
    struct defrag_stats stats;
};

/* The live tracker for key, or NULL. */
struct defrag_tracker *defrag_table_find(struct defrag_ctx *ctx, const struct defrag_key *key);

/* A fresh tracker for key, or NULL when all are in use. */
struct defrag_tracker *defrag_table_add(struct defrag_ctx *ctx, const struct defrag_key *key,
                                        uint64_t now_us);

/* Marks t as just used: moves it to the LRU tail. */
void defrag_table_touch(struct defrag_ctx *ctx, struct defrag_tracker *t, uint64_t now_us);

/* Unhashes t, clears its storage and puts it on the free list. */
void defrag_table_remove(struct defrag_ctx *ctx, struct defrag_tracker *t);

/* The least recently touched tracker, or NULL. */
struct defrag_tracker *defrag_table_oldest(struct defrag_ctx *ctx);

/* defrag.memuse: the fixed tables plus the data chunks held now. */
void defrag_update_memuse(struct defrag_ctx *ctx);

bool defrag_table_expired(const struct defrag_ctx *ctx, const struct defrag_tracker *t,
                          uint64_t now_us);

#endif
