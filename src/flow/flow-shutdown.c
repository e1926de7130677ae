/* End of input: every flow still in the table is ended and logged once,
 * the table cut into slices that threads empty and log side by side. */
#include <pthread.h>
#include <unistd.h>

#include "flow/flow-engine.h"

struct shutdown_slice {
    struct flow_worker *worker;
    uint32_t first, last;       /* rows [first, last) */
    uint64_t now_us;
    bool emergency;
    pthread_t thread;
    bool threaded;
};

/* Each slice logs its flows on its own thread with its own logger: handing
 * them to the recycler would only move them to another core to be read
 * cold there. */
static void shutdown_rows(const struct shutdown_slice *s)
{
    struct flow_worker *w = s->worker;
    struct flow_engine *e = w->engine;
    for (uint32_t row = s->first; row < s->last; row++) {
        struct flow_bucket *b = &e->table.buckets[row];
        flow_bucket_lock(&e->table, b);
        struct flow *f;
        while ((f = b->head) != NULL) {
            flow_bucket_unlink(b, &b->head, f);
            /* Whatever pass would have found it idle past its timeout says
             * so, whichever runmode ran and however its passes fell. */
            f->end_reason = flow_timed_out(&e->timeouts, f, s->now_us, s->emergency)
                                ? FLOW_END_TIMEOUT
                                : FLOW_END_SHUTDOWN;
            flow_queue_push(&w->ended, f);
        }
        flow_bucket_unlock(&e->table, b);
        if (w->ended.len >= FLOW_SPARE_BLOCK_SIZE)
            flow_worker_log_ended(w, s->now_us);
    }
    flow_worker_log_ended(w, s->now_us);
}

static void *shutdown_thread(void *arg)
{
    pthread_setname_np(pthread_self(), "FS");
    shutdown_rows(arg);
    return NULL;
}

void flow_engine_shutdown_flows_parallel(struct flow_worker *const *workers, unsigned n,
                                         uint64_t now_us)
{
    struct flow_engine *e = workers[0]->engine;
    /* More slices than CPUs would only take turns. */
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    if (cpus > 0 && (long)n > cpus)
        n = (unsigned)cpus;
    if (n > FLOW_SHUTDOWN_MAX_SLICES)
        n = FLOW_SHUTDOWN_MAX_SLICES;
    struct shutdown_slice slices[FLOW_SHUTDOWN_MAX_SLICES];
    bool emergency = atomic_load(&e->emergency);
    uint32_t size = e->table.size;
    for (unsigned i = 0; i < n; i++) {
        slices[i] = (struct shutdown_slice){
            .worker = workers[i],
            .first = (uint32_t)((uint64_t)size * i / n),
            .last = (uint32_t)((uint64_t)size * (i + 1) / n),
            .now_us = now_us,
            .emergency = emergency,
        };
    }
    /* A slice whose thread cannot start is emptied here instead. */
    for (unsigned i = 1; i < n; i++)
        slices[i].threaded =
            pthread_create(&slices[i].thread, NULL, shutdown_thread, &slices[i]) == 0;
    shutdown_rows(&slices[0]);
    for (unsigned i = 1; i < n; i++) {
        if (slices[i].threaded)
            pthread_join(slices[i].thread, NULL);
        else
            shutdown_rows(&slices[i]);
    }
}

void flow_engine_shutdown_flows(struct flow_worker *w, uint64_t now_us)
{
    flow_engine_shutdown_flows_parallel(&w, 1, now_us);
}
