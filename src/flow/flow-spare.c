/* Spare flows: preallocated at start, moved in blocks so a worker takes the
 * pool mutex once per hundred new flows, and carved from slabs further only
 * while flow.memuse stays under flow.memcap. */
#include "flow/flow-spare.h"

#include <stddef.h>
#include <string.h>

/* Flows flow.memcap still has room for when memuse is used. */
static uint64_t memcap_room(const struct flow_spare_pool *pool, uint64_t used)
{
    uint64_t cap = atomic_load_explicit(&pool->memcap, memory_order_relaxed);
    return used < cap ? (cap - used) / FLOW_MEMORY_SIZE : 0;
}

/* Reserves flow.memcap room for up to want flows with one atomic update;
 * returns how many fit. */
static uint32_t memuse_reserve(struct flow_spare_pool *pool, uint32_t want)
{
    uint64_t used = atomic_load_explicit(&pool->memuse, memory_order_relaxed);
    uint32_t n;
    do {
        uint64_t room = memcap_room(pool, used);
        n = room < want ? (uint32_t)room : want;
        if (n == 0)
            return 0;
    } while (!atomic_compare_exchange_weak(&pool->memuse, &used, used + (uint64_t)n * FLOW_MEMORY_SIZE));
    return n;
}

uint32_t flow_spare_alloc_block(struct flow_spare_pool *pool, struct flow_queue *out, uint32_t want)
{
    uint32_t reserved = memuse_reserve(pool, want);
    if (reserved == 0)
        return 0;
    uint32_t carved = flow_slabs_carve(&pool->slabs, out, reserved);
    if (carved < reserved)
        atomic_fetch_sub(&pool->memuse, (uint64_t)(reserved - carved) * FLOW_MEMORY_SIZE);
    return carved;
}

void flow_spare_free_block(struct flow_spare_pool *pool, struct flow_queue *flows)
{
    uint64_t n = flows->len;
    flow_slabs_give_back(&pool->slabs, flows);
    atomic_fetch_sub(&pool->memuse, n * FLOW_MEMORY_SIZE);
}

void flow_spare_pool_prepare_slab(struct flow_spare_pool *pool)
{
    uint64_t used = atomic_load_explicit(&pool->memuse, memory_order_relaxed);
    flow_slabs_prepare(&pool->slabs, memcap_room(pool, used));
}

int flow_spare_pool_init(struct flow_spare_pool *pool, uint64_t memcap, uint64_t table_bytes,
                         uint32_t prealloc)
{
    pthread_mutex_init(&pool->lock, NULL);
    flow_queue_init(&pool->spares);
    flow_slabs_init(&pool->slabs);
    atomic_init(&pool->memcap, memcap);
    atomic_init(&pool->memuse, table_bytes);
    return flow_spare_alloc_block(pool, &pool->spares, prealloc) == prealloc ? 0 : -1;
}

void flow_spare_pool_destroy(struct flow_spare_pool *pool)
{
    flow_slabs_destroy(&pool->slabs);
    flow_queue_init(&pool->spares);
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
