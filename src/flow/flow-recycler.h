/* The recycler thread (FR#01): takes the flows workers and the manager have
 * ended, writes their EVE record and returns them to the spare pool in blocks. */
#ifndef VIGIL_FLOW_FLOW_RECYCLER_H
#define VIGIL_FLOW_FLOW_RECYCLER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "flow/flow-queue.h"
#include "flow/flow-stats.h"

struct flow_engine;

struct flow_recycler {
    struct flow_engine *engine;
    void *log_ctx;                /* the recycler's own output state */
    pthread_t thread;
    pthread_mutex_t lock;         /* guards queue, now_us, stopping */
    pthread_cond_t wake;
    pthread_cond_t idle;          /* signalled when the queue is drained */
    struct flow_queue queue;      /* ended flows, oldest first */
    bool busy;                    /* a batch is being logged */
    uint64_t now_us;              /* engine time of the latest submission */
    bool stopping;
    struct flow_stats stats;      /* owned by the recycler thread */
    void (*publish)(void *arg, const struct flow_stats *stats);  /* counters, may be NULL */
    void *publish_arg;
};

/* Starts the thread; ended flows of the engine go to it from now on. */
int flow_recycler_start(struct flow_recycler *r, struct flow_engine *e, void *log_ctx);

/* Moves all of flows to the recycler (O(1) under its mutex). */
void flow_recycler_submit(struct flow_recycler *r, struct flow_queue *flows, uint64_t now_us);

/* Waits until every flow submitted so far is logged and back in the spare
 * pool: offline, the capture side waits for this at each timeout pass so
 * spare counts (and so emergency mode) follow packet time, not thread speed. */
void flow_recycler_wait_idle(struct flow_recycler *r);

/* Logs everything still queued, stops the thread and detaches it from the
 * engine; later ended flows are logged by whoever ends them. */
void flow_recycler_stop(struct flow_recycler *r);

#endif
