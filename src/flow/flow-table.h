/* The flow hash table: one array of buckets, each with its own lock and a
 * chain of flows; the only lock a packet takes on its way through. */
#ifndef VIGIL_FLOW_FLOW_TABLE_H
#define VIGIL_FLOW_FLOW_TABLE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"
#include "util/spinlock.h"

struct flow_bucket {
    spinlock_t lock;
    struct flow *head;
    /* A time before which no flow of the row can time out (last packet plus
     * the shortest timeout its protocol can get), so the manager skips the
     * row without locking it. Lowered under the lock on insert, recomputed
     * by the manager; packets only make flows younger, never older. */
    atomic_uint_fast64_t next_timeout_us;
};

struct flow_table {
    struct flow_bucket *buckets;
    uint32_t size;
};

int flow_table_init(struct flow_table *table, uint32_t size);
void flow_table_destroy(struct flow_table *table);

static inline struct flow_bucket *flow_table_bucket(struct flow_table *table, uint32_t hash)
{
    return &table->buckets[hash % table->size];
}

static inline size_t flow_table_bytes(uint32_t size)
{
    return (size_t)size * sizeof(struct flow_bucket);
}

static inline void flow_bucket_lower_timeout(struct flow_bucket *b, uint64_t t)
{
    if (t < atomic_load_explicit(&b->next_timeout_us, memory_order_relaxed))
        atomic_store_explicit(&b->next_timeout_us, t, memory_order_relaxed);
}

/* Unlinks f from its bucket's chain; the caller holds the bucket lock and
 * passes the link that points at f. */
static inline void flow_bucket_unlink(struct flow **link, struct flow *f)
{
    *link = f->hash_next;
    f->hash_next = NULL;
}

#endif
