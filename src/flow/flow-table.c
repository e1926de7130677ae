/* Allocation of the bucket array; bucket locks are spinlocks (util/spinlock.h)
 * because they are held for a chain walk only, never across anything that sleeps. */
#include "flow/flow-table.h"

#include <stdlib.h>

#include "util/huge-alloc.h"

int flow_table_init(struct flow_table *table, uint32_t size)
{
    table->size = size;
    table->shared = true;
    /* A large table is looked up at random: on 4 KiB pages nearly every
     * lookup would also miss the TLB. */
    table->buckets = huge_alloc(flow_table_bytes(size));
    if (!table->buckets)
        return -1;
    for (uint32_t i = 0; i < size; i++) {
        spinlock_init(&table->buckets[i].lock);
        for (unsigned h = 0; h < FLOW_BUCKET_HINTS; h++) {
            table->buckets[i].first[h] = NULL;
            table->buckets[i].first_hash[h] = 0;
        }
        atomic_init(&table->buckets[i].next_timeout_us, UINT64_MAX);
    }
    return 0;
}

void flow_table_destroy(struct flow_table *table)
{
    free(table->buckets);
    table->buckets = NULL;
}
