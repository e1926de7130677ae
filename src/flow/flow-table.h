/* The flow hash table: one array of buckets, each with its own lock and a
 * chain of flows; the only lock a packet takes on its way through. */
#ifndef VIGIL_FLOW_FLOW_TABLE_H
#define VIGIL_FLOW_FLOW_TABLE_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"
#include "util/spinlock.h"

struct flow_bucket {
    spinlock_t lock;
    struct flow *head;
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

/* Unlinks f from its bucket's chain; the caller holds the bucket lock and
 * passes the link that points at f. */
static inline void flow_bucket_unlink(struct flow **link, struct flow *f)
{
    *link = f->hash_next;
    f->hash_next = NULL;
}

#endif
