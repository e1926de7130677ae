/* Allocation of the bucket array; bucket locks are spinlocks (util/spinlock.h)
 * because they are held for a chain walk only, never across anything that sleeps. */
#include "flow/flow-table.h"

#include <stdlib.h>

int flow_table_init(struct flow_table *table, uint32_t size)
{
    table->size = size;
    table->buckets = calloc(size, sizeof(*table->buckets));
    if (!table->buckets)
        return -1;
    for (uint32_t i = 0; i < size; i++) {
        spinlock_init(&table->buckets[i].lock);
        atomic_init(&table->buckets[i].next_timeout_us, UINT64_MAX);
    }
    return 0;
}

void flow_table_destroy(struct flow_table *table)
{
    free(table->buckets);
    table->buckets = NULL;
}
