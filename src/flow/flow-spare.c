/* Spare flows: preallocated at start, moved in blocks so a worker takes the
 * pool mutex once per hundred new flows, and carved from slabs further only
 * while flow.memuse stays under flow.memcap. */
#include "flow/flow-spare.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Flows are carved from 2 MiB slabs that ask for transparent huge pages:
 * with 4 KiB pages a lookup in a large table pays a TLB miss on top of the
 * cache miss. Slabs live until the pool is destroyed; flows are reused
 * through the spare queues, never freed one by one. */
#define FLOW_SLAB_BYTES (2u << 20)

struct flow_slab {
    struct flow_slab *next;
};

#define FLOW_SLAB_FIRST ((sizeof(struct flow_slab) + FLOW_ALIGN - 1) / FLOW_ALIGN * FLOW_ALIGN)
#define FLOW_SLAB_CAPACITY ((FLOW_SLAB_BYTES - FLOW_SLAB_FIRST) / FLOW_MEMORY_SIZE)

static bool slab_add(struct flow_spare_pool *pool)
{
    struct flow_slab *slab = aligned_alloc(FLOW_SLAB_BYTES, FLOW_SLAB_BYTES);
    if (!slab)
        return false;
    madvise(slab, FLOW_SLAB_BYTES, MADV_HUGEPAGE);
    slab->next = pool->slabs;
    pool->slabs = slab;
    pool->slab_used = 0;
    return true;
}

static struct flow *slab_carve(struct flow_spare_pool *pool)
{
    pthread_mutex_lock(&pool->slab_lock);
    struct flow *f = NULL;
    if ((pool->slabs && pool->slab_used < FLOW_SLAB_CAPACITY) || slab_add(pool)) {
        f = (struct flow *)((char *)pool->slabs + FLOW_SLAB_FIRST +
                            pool->slab_used * FLOW_MEMORY_SIZE);
        pool->slab_used++;
    }
    pthread_mutex_unlock(&pool->slab_lock);
    return f;
}

struct flow *flow_spare_alloc(struct flow_spare_pool *pool)
{
    uint64_t used = atomic_load_explicit(&pool->memuse, memory_order_relaxed);
    do {
        if (used + FLOW_MEMORY_SIZE > atomic_load_explicit(&pool->memcap, memory_order_relaxed))
            return NULL;
    } while (!atomic_compare_exchange_weak(&pool->memuse, &used, used + FLOW_MEMORY_SIZE));
    struct flow *f = slab_carve(pool);
    if (!f) {
        atomic_fetch_sub(&pool->memuse, FLOW_MEMORY_SIZE);
        return NULL;
    }
    flow_reset(f);
    return f;
}

int flow_spare_pool_init(struct flow_spare_pool *pool, uint64_t memcap, uint64_t table_bytes,
                         uint32_t prealloc)
{
    pthread_mutex_init(&pool->lock, NULL);
    pthread_mutex_init(&pool->slab_lock, NULL);
    flow_queue_init(&pool->spares);
    pool->slabs = NULL;
    pool->slab_used = 0;
    atomic_init(&pool->memcap, memcap);
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
    struct flow_slab *slab = pool->slabs;
    while (slab) {
        struct flow_slab *next = slab->next;
        free(slab);
        slab = next;
    }
    pool->slabs = NULL;
    flow_queue_init(&pool->spares);
    pthread_mutex_destroy(&pool->slab_lock);
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

_Static_assert(offsetof(struct flow, use_count) + sizeof(atomic_uint) ==
                   offsetof(struct flow, hash_next),
               "flow_reset clears use_count between two memsets");

void flow_reset(struct flow *f)
{
    memset(f, 0, offsetof(struct flow, use_count));
    atomic_store_explicit(&f->use_count, 0, memory_order_relaxed);
    memset(&f->hash_next, 0, sizeof(*f) - offsetof(struct flow, hash_next));
}
