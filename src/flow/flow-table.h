/* The flow hash table: one array of buckets, each with its own lock and a
 * chain of flows; the only lock a packet takes on its way through. */
#ifndef VIGIL_FLOW_FLOW_TABLE_H
#define VIGIL_FLOW_FLOW_TABLE_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"
#include "util/spinlock.h"

/* 32 bytes, so a bucket never straddles two cache lines. */
struct flow_bucket {
    alignas(32) spinlock_t lock;
    /* The hash of the chain's head and the flow after it, kept with the
     * chain under the lock: a burst prefetches the flow a lookup will meet
     * from the bucket alone, without reading a flow it holds no lock for
     * (at load factor 1 half the lookups go past the head). */
    uint32_t head_hash;
    struct flow *head;
    struct flow *second;
    /* A time before which no flow of the row can time out (last packet plus
     * the shortest timeout its protocol can get), so the manager skips the
     * row without locking it. Lowered under the lock on insert, recomputed
     * by the manager; packets only make flows younger, never older. */
    atomic_uint_fast64_t next_timeout_us;
};

_Static_assert(sizeof(struct flow_bucket) == 32, "a bucket is half a cache line");

struct flow_table {
    struct flow_bucket *buckets;
    uint32_t size;
    /* False when one thread alone uses the table (the single runmode): a
     * locked instruction per packet costs a store-buffer drain for nothing. */
    bool shared;
};

int flow_table_init(struct flow_table *table, uint32_t size);
void flow_table_destroy(struct flow_table *table);

static inline struct flow_bucket *flow_table_bucket(struct flow_table *table, uint32_t hash)
{
    /* Multiply-shift maps the (well mixed) 32-bit hash onto [0, size)
     * without a division. */
    return &table->buckets[(uint32_t)(((uint64_t)hash * table->size) >> 32)];
}

static inline size_t flow_table_bytes(uint32_t size)
{
    return (size_t)size * sizeof(struct flow_bucket);
}

static inline void flow_bucket_lock(const struct flow_table *t, struct flow_bucket *b)
{
    if (t->shared)
        spinlock_lock(&b->lock);
}

static inline bool flow_bucket_trylock(const struct flow_table *t, struct flow_bucket *b)
{
    return !t->shared || spinlock_trylock(&b->lock);
}

static inline void flow_bucket_unlock(const struct flow_table *t, struct flow_bucket *b)
{
    if (t->shared)
        spinlock_unlock(&b->lock);
}

static inline void flow_bucket_lower_timeout(struct flow_bucket *b, uint64_t t)
{
    if (t < atomic_load_explicit(&b->next_timeout_us, memory_order_relaxed))
        atomic_store_explicit(&b->next_timeout_us, t, memory_order_relaxed);
}

/* Stores the prefetch hints of b from its chain; bucket locked. Stored
 * atomically because the prefetch stage reads them without the lock. */
static inline void flow_bucket_set_hints(struct flow_bucket *b)
{
    struct flow *head = b->head;
    __atomic_store_n(&b->head_hash, head ? head->hash : 0, __ATOMIC_RELAXED);
    __atomic_store_n(&b->second, head ? head->hash_next : NULL, __ATOMIC_RELAXED);
}

/* Unlinks f from b's chain; the caller holds the bucket lock and passes the
 * link that points at f. */
static inline void flow_bucket_unlink(struct flow_bucket *b, struct flow **link, struct flow *f)
{
    __atomic_store_n(link, f->hash_next, __ATOMIC_RELAXED);
    __atomic_store_n(&f->hash_next, NULL, __ATOMIC_RELAXED);
    flow_bucket_set_hints(b);
}

/* Links f at the head of b's chain; bucket locked. */
static inline void flow_bucket_insert(struct flow_bucket *b, struct flow *f)
{
    __atomic_store_n(&f->hash_next, b->head, __ATOMIC_RELAXED);
    __atomic_store_n(&b->head, f, __ATOMIC_RELAXED);
    flow_bucket_set_hints(b);
}

#endif
