/* Flow memory: 2 MiB slabs on transparent huge pages, carved into flows in
 * runs; flows given back wait in their own slab for reuse, and a slab whose
 * flows are all back is unmapped. */
#ifndef VIGIL_FLOW_FLOW_SLAB_H
#define VIGIL_FLOW_FLOW_SLAB_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "flow/flow-queue.h"

/* Flows are cache-line aligned; each costs this much of flow.memcap. */
#define FLOW_ALIGN 64u
#define FLOW_MEMORY_SIZE ((sizeof(struct flow) + FLOW_ALIGN - 1) / FLOW_ALIGN * FLOW_ALIGN)

/* A slab's first line is its own header; the rest holds this many flows. */
#define FLOW_SLAB_BYTES ((size_t)2 << 20)
#define FLOW_SLAB_FLOWS ((uint32_t)((FLOW_SLAB_BYTES - FLOW_ALIGN) / FLOW_MEMORY_SIZE))

struct flow_slab;

/* Every field is under lock. */
struct flow_slabs {
    pthread_mutex_t lock;
    struct flow_slab *newest;      /* all mapped slabs, newest first */
    struct flow_slab *partial;     /* slabs holding flows given back */
    /* A slab already faulted in, its flows linked in slab order, taken when
     * the newest is used up. */
    struct flow_slab *ready;
    bool newest_linked;            /* the newest slab was the ready one */
    uint32_t count;                /* slabs mapped, ready one aside */
    uint64_t given_back;           /* flows waiting in partial slabs */
};

void flow_slabs_init(struct flow_slabs *s);
/* Unmaps every slab: every flow carved from them is gone. */
void flow_slabs_destroy(struct flow_slabs *s);

/* Appends up to n zeroed flows to out, flows given back first, then runs
 * of never-used ones from the newest slab; fewer only when no new slab can
 * be mapped. */
uint32_t flow_slabs_carve(struct flow_slabs *s, struct flow_queue *out, uint32_t n);

/* Takes every flow of q (reset, in no other list) back to its slab. */
void flow_slabs_give_back(struct flow_slabs *s, struct flow_queue *q);

/* Maps, faults in and links the next slab ahead of need, unless one is
 * ready or the present slabs (flows given back plus never-used ones)
 * already hold the `room` flows that may still be carved. */
void flow_slabs_prepare(struct flow_slabs *s, uint64_t room);

#endif
