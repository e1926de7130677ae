/* Allocation of the bucket array; bucket locks are spinlocks because they
 * are held for a chain walk only, never across anything that sleeps. */
#include "flow/flow-table.h"

#include <stdlib.h>

int flow_table_init(struct flow_table *table, uint32_t size)
{
    table->size = size;
    table->buckets = calloc(size, sizeof(*table->buckets));
    if (!table->buckets)
        return -1;
    for (uint32_t i = 0; i < size; i++)
        pthread_spin_init(&table->buckets[i].lock, PTHREAD_PROCESS_PRIVATE);
    return 0;
}

void flow_table_destroy(struct flow_table *table)
{
    for (uint32_t i = 0; i < table->size; i++)
        pthread_spin_destroy(&table->buckets[i].lock);
    free(table->buckets);
    table->buckets = NULL;
}
