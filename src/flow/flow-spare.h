/* The global pool of spare flows, handed out and taken back in blocks
 * under one mutex, and the flow.memcap accounting of the slabs behind it. */
#ifndef VIGIL_FLOW_FLOW_SPARE_H
#define VIGIL_FLOW_FLOW_SPARE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "flow/flow-queue.h"
#include "flow/flow-slab.h"

#define FLOW_SPARE_BLOCK_SIZE 100

struct flow_spare_pool {
    pthread_mutex_t lock;
    struct flow_queue spares;
    struct flow_slabs slabs;       /* where flows are carved from */
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

/* Appends up to want zeroed flows to out, as many as flow.memcap allows,
 * with one memuse update and one hold of the slab mutex; returns how many. */
uint32_t flow_spare_alloc_block(struct flow_spare_pool *pool, struct flow_queue *out, uint32_t want);

/* Gives flows (reset, in no other list) back to their slabs: flow.memuse
 * drops by them, and a slab whose flows are all back is unmapped. */
void flow_spare_free_block(struct flow_spare_pool *pool, struct flow_queue *flows);

/* Maps and faults in the next slab ahead of need, unless one is ready or
 * the present slabs hold all the flows flow.memcap still allows: a manager
 * calls it between passes, so the page faults of a growing table are not
 * paid inside the pass that the packet threads wait on. */
void flow_spare_pool_prepare_slab(struct flow_spare_pool *pool);

/* Clears a flow for reuse; it must have no users and be out of every list. */
void flow_reset(struct flow *f);

#endif
