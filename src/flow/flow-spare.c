/* Spare flows: preallocated at start, moved in blocks so a worker takes the
 * pool mutex once per hundred new flows, and carved from slabs further only
 * while flow.memuse stays under flow.memcap. */
#include "flow/flow-spare.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

/* Flows are carved from 2 MiB slabs that ask for transparent huge pages:
 * with 4 KiB pages a lookup in a large table pays a TLB miss on top of the
 * cache miss. Slabs are anonymous mappings, so a flow never carved before
 * is already zero. They live until the pool is destroyed; flows are reused
 * through the spare queues, never freed one by one. */
struct flow_slab {
    struct flow_slab *next;
};

_Static_assert(sizeof(struct flow_slab) <= FLOW_ALIGN, "a slab's header fits its first line");

static struct flow *slab_flow(struct flow_slab *slab, size_t i)
{
    return (struct flow *)((char *)slab + FLOW_ALIGN + i * FLOW_MEMORY_SIZE);
}

/* A zeroed slab aligned to its size (a huge page can back it only then):
 * twice the size is mapped and the ends around the aligned part unmapped. */
static struct flow_slab *slab_new(void)
{
    size_t span = 2 * FLOW_SLAB_BYTES;
    char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    char *slab = (char *)(((uintptr_t)raw + FLOW_SLAB_BYTES - 1) & ~(uintptr_t)(FLOW_SLAB_BYTES - 1));
    if (slab > raw)
        munmap(raw, (size_t)(slab - raw));
    if (raw + span > slab + FLOW_SLAB_BYTES)
        munmap(slab + FLOW_SLAB_BYTES, (size_t)(raw + span - (slab + FLOW_SLAB_BYTES)));
    madvise(slab, FLOW_SLAB_BYTES, MADV_HUGEPAGE);
    return (struct flow_slab *)slab;
}

/* Links each of the n flows from first to the next one in the slab. */
static void link_run(struct flow_slab *slab, size_t first, size_t n)
{
    for (size_t i = first; i + 1 < first + n; i++)
        slab_flow(slab, i)->queue_next = slab_flow(slab, i + 1);
}

/* Takes the slab the manager made ready (its flows linked already), if
 * any, else a new one whose pages fault in as flows are carved; slab mutex
 * held. */
static bool slab_add(struct flow_spare_pool *pool)
{
    struct flow_slab *slab = pool->ready;
    pool->ready = NULL;
    pool->slab_linked = slab != NULL;
    if (!slab && !(slab = slab_new()))
        return false;
    slab->next = pool->slabs;
    pool->slabs = slab;
    pool->slab_used = 0;
    return true;
}

/* Appends the next n never-carved flows of the newest slab to out: a run
 * of consecutive flows, linked already when the slab was made ready, so
 * only its last flow is written here. */
static void slab_take_run(struct flow_spare_pool *pool, struct flow_queue *out, uint32_t n)
{
    struct flow_slab *slab = pool->slabs;
    if (!pool->slab_linked)
        link_run(slab, pool->slab_used, n);
    struct flow_queue run = {
        .head = slab_flow(slab, pool->slab_used),
        .tail = slab_flow(slab, pool->slab_used + n - 1),
        .len = n,
    };
    run.tail->queue_next = NULL;
    flow_queue_append(out, &run);
    pool->slab_used += n;
}

/* Reserves flow.memcap room for up to want flows with one atomic update;
 * returns how many fit. */
static uint32_t memuse_reserve(struct flow_spare_pool *pool, uint32_t want)
{
    uint64_t used = atomic_load_explicit(&pool->memuse, memory_order_relaxed);
    uint32_t n;
    do {
        uint64_t cap = atomic_load_explicit(&pool->memcap, memory_order_relaxed);
        uint64_t room = used < cap ? (cap - used) / FLOW_MEMORY_SIZE : 0;
        n = room < want ? (uint32_t)room : want;
        if (n == 0)
            return 0;
    } while (!atomic_compare_exchange_weak(&pool->memuse, &used, used + (uint64_t)n * FLOW_MEMORY_SIZE));
    return n;
}

/* Carves up to n flows into out under one hold of the slab mutex; fewer
 * only when no new slab can be had. */
static uint32_t slab_carve(struct flow_spare_pool *pool, struct flow_queue *out, uint32_t n)
{
    uint32_t carved = 0;
    pthread_mutex_lock(&pool->slab_lock);
    while (carved < n && ((pool->slabs && pool->slab_used < FLOW_SLAB_FLOWS) || slab_add(pool))) {
        uint32_t room = FLOW_SLAB_FLOWS - pool->slab_used;
        uint32_t take = n - carved < room ? n - carved : room;
        slab_take_run(pool, out, take);
        carved += take;
    }
    pthread_mutex_unlock(&pool->slab_lock);
    return carved;
}

uint32_t flow_spare_alloc_block(struct flow_spare_pool *pool, struct flow_queue *out, uint32_t want)
{
    uint32_t reserved = memuse_reserve(pool, want);
    if (reserved == 0)
        return 0;
    uint32_t carved = slab_carve(pool, out, reserved);
    if (carved < reserved)
        atomic_fetch_sub(&pool->memuse, (uint64_t)(reserved - carved) * FLOW_MEMORY_SIZE);
    return carved;
}

/* True when no slab is ready and flow.memcap leaves room for more flows
 * than the newest slab still holds. */
static bool slab_wanted(struct flow_spare_pool *pool)
{
    pthread_mutex_lock(&pool->slab_lock);
    uint64_t used = atomic_load_explicit(&pool->memuse, memory_order_relaxed);
    uint64_t cap = atomic_load_explicit(&pool->memcap, memory_order_relaxed);
    uint64_t room = used < cap ? (cap - used) / FLOW_MEMORY_SIZE : 0;
    uint32_t left = pool->slabs ? FLOW_SLAB_FLOWS - (uint32_t)pool->slab_used : 0;
    bool wanted = !pool->ready && room > left;
    pthread_mutex_unlock(&pool->slab_lock);
    return wanted;
}

void flow_spare_pool_prepare_slab(struct flow_spare_pool *pool)
{
    if (!slab_wanted(pool))
        return;
    struct flow_slab *slab = slab_new();
    if (!slab)
        return;
    /* Linking every flow faults the slab in and leaves the carving that
     * takes it only a run's last flow to write. */
    link_run(slab, 0, FLOW_SLAB_FLOWS);
    pthread_mutex_lock(&pool->slab_lock);
    if (!pool->ready) {
        pool->ready = slab;
        slab = NULL;
    }
    pthread_mutex_unlock(&pool->slab_lock);
    if (slab)
        munmap(slab, FLOW_SLAB_BYTES);
}

int flow_spare_pool_init(struct flow_spare_pool *pool, uint64_t memcap, uint64_t table_bytes,
                         uint32_t prealloc)
{
    pthread_mutex_init(&pool->lock, NULL);
    pthread_mutex_init(&pool->slab_lock, NULL);
    flow_queue_init(&pool->spares);
    pool->slabs = NULL;
    pool->ready = NULL;
    pool->slab_linked = false;
    pool->slab_used = 0;
    atomic_init(&pool->memcap, memcap);
    atomic_init(&pool->memuse, table_bytes);
    return flow_spare_alloc_block(pool, &pool->spares, prealloc) == prealloc ? 0 : -1;
}

void flow_spare_pool_destroy(struct flow_spare_pool *pool)
{
    struct flow_slab *slab = pool->slabs;
    while (slab) {
        struct flow_slab *next = slab->next;
        munmap(slab, FLOW_SLAB_BYTES);
        slab = next;
    }
    pool->slabs = NULL;
    if (pool->ready)
        munmap(pool->ready, FLOW_SLAB_BYTES);
    pool->ready = NULL;
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
