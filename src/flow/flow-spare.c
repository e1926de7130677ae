/* Spare flows: preallocated at start, moved in blocks so a worker takes the
 * pool mutex once per hundred new flows, and allocated further only while
 * flow.memuse stays under flow.memcap. */
#include "flow/flow-spare.h"

#include <stdlib.h>
#include <string.h>

struct flow *flow_spare_alloc(struct flow_spare_pool *pool)
{
    uint64_t used = atomic_load_explicit(&pool->memuse, memory_order_relaxed);
    do {
        if (used + sizeof(struct flow) > pool->memcap)
            return NULL;
    } while (!atomic_compare_exchange_weak(&pool->memuse, &used, used + sizeof(struct flow)));
    struct flow *f = calloc(1, sizeof(*f));
    if (!f)
        atomic_fetch_sub(&pool->memuse, sizeof(struct flow));
    return f;
}

int flow_spare_pool_init(struct flow_spare_pool *pool, uint64_t memcap, uint64_t table_bytes,
                         uint32_t prealloc)
{
    pthread_mutex_init(&pool->lock, NULL);
    flow_queue_init(&pool->spares);
    pool->memcap = memcap;
    atomic_init(&pool->memuse, table_bytes);
    for (uint32_t i = 0; i < prealloc; i++) {
        struct flow *f = flow_spare_alloc(pool);
        if (!f)
            return -1;
        flow_queue_push(&pool->spares, f);
    }
    return 0;
}

void flow_spare_pool_destroy(struct flow_spare_pool *pool)
{
    struct flow *f;
    while ((f = flow_queue_pop(&pool->spares)) != NULL) {
        free(f);
        atomic_fetch_sub(&pool->memuse, sizeof(struct flow));
    }
    pthread_mutex_destroy(&pool->lock);
}

uint32_t flow_spare_pool_get_block(struct flow_spare_pool *pool, struct flow_queue *out)
{
    uint32_t moved = 0;
    pthread_mutex_lock(&pool->lock);
    while (moved < FLOW_SPARE_BLOCK_SIZE) {
        struct flow *f = flow_queue_pop(&pool->spares);
        if (!f)
            break;
        flow_queue_push(out, f);
        moved++;
    }
    pthread_mutex_unlock(&pool->lock);
    return moved;
}

void flow_spare_pool_return(struct flow_spare_pool *pool, struct flow_queue *flows)
{
    pthread_mutex_lock(&pool->lock);
    flow_queue_append(&pool->spares, flows);
    pthread_mutex_unlock(&pool->lock);
}

uint32_t flow_spare_pool_count(struct flow_spare_pool *pool)
{
    pthread_mutex_lock(&pool->lock);
    uint32_t n = pool->spares.len;
    pthread_mutex_unlock(&pool->lock);
    return n;
}

void flow_reset(struct flow *f)
{
    memset(f, 0, sizeof(*f));
}
