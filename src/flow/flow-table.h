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

/* Flows at the front of a chain that their bucket names, with their hashes. */
#define FLOW_BUCKET_HINTS 4u

/* One cache line, so a lookup reads one line of the table. */
struct flow_bucket {
    alignas(64) spinlock_t lock;
    /* The hashes of first[]: a lookup goes straight to the flow with the
     * packet's hash, without reading the flows before it in the chain. */
    uint32_t first_hash[FLOW_BUCKET_HINTS];
    /* The chain's first flows: first[0] is its head, and each flow links
     * to the next by hash_next; first[1..] repeat those links (NULL past
     * the end). Kept under the lock, stored atomically: a burst's prefetch
     * reads them without it, and at worst prefetches a flow that moved on. */
    struct flow *first[FLOW_BUCKET_HINTS];
    /* Outside emergency mode, a time before which no flow of the row times
     * out (each flow's last packet plus its normal timeout in its state), so
     * the manager skips the row without locking it and a lookup need not
     * check the flows it goes past. Lowered under the lock on insert and
     * when a packet moves a flow to a state that times out sooner,
     * recomputed by the manager; packets only make flows younger. Emergency
     * timeouts are shorter: in emergency mode it is not used. */
    atomic_uint_fast64_t next_timeout_us;
};

_Static_assert(sizeof(struct flow_bucket) == 64, "a bucket is one cache line");

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

/* Reads the hints of b again from its chain, after a flow left it; bucket
 * locked. Reads the flows that follow the head, which the unlinking walk
 * reads next anyway. */
static inline void flow_bucket_set_hints(struct flow_bucket *b)
{
    struct flow *f = b->first[0];
    for (unsigned i = 0; i < FLOW_BUCKET_HINTS; i++) {
        __atomic_store_n(&b->first[i], f, __ATOMIC_RELAXED);
        __atomic_store_n(&b->first_hash[i], f ? f->hash : 0, __ATOMIC_RELAXED);
        f = f ? f->hash_next : NULL;
    }
}

/* Unlinks f from b's chain; the caller holds the bucket lock and passes the
 * link that points at f (&b->first[0] or the previous flow's hash_next). */
static inline void flow_bucket_unlink(struct flow_bucket *b, struct flow **link, struct flow *f)
{
    __atomic_store_n(link, f->hash_next, __ATOMIC_RELAXED);
    f->hash_next = NULL;
    flow_bucket_set_hints(b);
}

/* Takes b's whole chain (linked by hash_next) and leaves b empty; bucket
 * locked. */
static inline struct flow *flow_bucket_take_chain(struct flow_bucket *b)
{
    struct flow *chain = b->first[0];
    __atomic_store_n(&b->first[0], NULL, __ATOMIC_RELAXED);
    flow_bucket_set_hints(b);
    return chain;
}

/* Links f (its hash set) at the head of b's chain; bucket locked. The
 * hints move along without reading any flow. */
static inline void flow_bucket_insert(struct flow_bucket *b, struct flow *f)
{
    f->hash_next = b->first[0];
    for (unsigned i = FLOW_BUCKET_HINTS - 1; i > 0; i--) {
        __atomic_store_n(&b->first[i], b->first[i - 1], __ATOMIC_RELAXED);
        __atomic_store_n(&b->first_hash[i], b->first_hash[i - 1], __ATOMIC_RELAXED);
    }
    __atomic_store_n(&b->first[0], f, __ATOMIC_RELAXED);
    __atomic_store_n(&b->first_hash[0], f->hash, __ATOMIC_RELAXED);
}

#endif
