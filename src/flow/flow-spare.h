/* The global pool of spare flows, handed out and taken back in blocks
 * under one mutex, and the memcap-bounded allocation behind it. */
#ifndef VIGIL_FLOW_FLOW_SPARE_H
#define VIGIL_FLOW_FLOW_SPARE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "flow/flow-queue.h"

#define FLOW_SPARE_BLOCK_SIZE 100

/* Flows are cache-line aligned; each costs this much of flow.memcap. */
#define FLOW_ALIGN 64u
#define FLOW_MEMORY_SIZE ((sizeof(struct flow) + FLOW_ALIGN - 1) / FLOW_ALIGN * FLOW_ALIGN)

/* Flows are carved from slabs of this size; a slab's first line is its own. */
#define FLOW_SLAB_BYTES ((size_t)2 << 20)
#define FLOW_SLAB_FLOWS ((uint32_t)((FLOW_SLAB_BYTES - FLOW_ALIGN) / FLOW_MEMORY_SIZE))

struct flow_slab;

struct flow_spare_pool {
    pthread_mutex_t lock;
    struct flow_queue spares;
    pthread_mutex_t slab_lock;     /* carving new flows out of slabs */
    struct flow_slab *slabs;       /* newest first; freed at destroy */
    size_t slab_used;              /* flows carved from the newest slab */
    /* A slab already faulted in, its flows linked in slab order, taken by
     * the next carve that needs a slab. */
    struct flow_slab *ready;
    bool slab_linked;              /* the newest slab was the ready one */
    /* flow.memcap; atomic because the control socket's memcap-set changes it live. */
    atomic_uint_fast64_t memcap;
    atomic_uint_fast64_t memuse;   /* flows plus the hash table, as flow.memuse */
};

/* Preallocates `prealloc` flows; fails (returns -1) if that exceeds memcap. */
int flow_spare_pool_init(struct flow_spare_pool *pool, uint64_t memcap, uint64_t table_bytes,
                         uint32_t prealloc);
void flow_spare_pool_destroy(struct flow_spare_pool *pool);

/* Moves up to one block of spares into out; returns how many. */
uint32_t flow_spare_pool_get_block(struct flow_spare_pool *pool, struct flow_queue *out);
/* Takes back a whole queue of reset flows. */
void flow_spare_pool_return(struct flow_spare_pool *pool, struct flow_queue *flows);
uint32_t flow_spare_pool_count(struct flow_spare_pool *pool);

/* Appends up to want fresh zeroed flows to out, as many as flow.memcap
 * allows, with one memuse update and one hold of the slab mutex; returns
 * how many. Flows are never freed alone: they go back to the spares, and
 * their memory with the pool. */
uint32_t flow_spare_alloc_block(struct flow_spare_pool *pool, struct flow_queue *out, uint32_t want);

/* Allocates and faults in the next slab ahead of need, unless one is
 * ready or flow.memcap allows no more flows: a manager calls it between
 * passes, so the page faults of a growing table are not paid inside the
 * pass that the packet threads wait on. */
void flow_spare_pool_prepare_slab(struct flow_spare_pool *pool);

/* Clears a flow for reuse; it must have no users and be out of every list. */
void flow_reset(struct flow *f);

#endif
