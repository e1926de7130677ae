/* Allocation of the bucket array; bucket locks are spinlocks (util/spinlock.h)
 * because they are held for a chain walk only, never across anything that sleeps. */
#include "flow/flow-table.h"

#include <stdlib.h>
#include <sys/mman.h>

/* A large table is looked up at random: on 4 KiB pages nearly every lookup
 * would also miss the TLB, so it asks for transparent huge pages. */
#define FLOW_TABLE_HUGE_PAGE (2u << 20)

int flow_table_init(struct flow_table *table, uint32_t size)
{
    size_t bytes = flow_table_bytes(size);
    size_t rounded = (bytes + FLOW_TABLE_HUGE_PAGE - 1) / FLOW_TABLE_HUGE_PAGE * FLOW_TABLE_HUGE_PAGE;
    table->size = size;
    table->shared = true;
    table->buckets = aligned_alloc(FLOW_TABLE_HUGE_PAGE, rounded);
    if (!table->buckets)
        return -1;
    madvise(table->buckets, rounded, MADV_HUGEPAGE);
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
