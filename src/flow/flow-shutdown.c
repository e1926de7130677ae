/* End of input: every flow still in the table is ended and logged once,
 * by threads that take the table in chunks of rows until none is left. */
#include <pthread.h>

#include "flow/flow-engine.h"
#include "util/cpu-affinity.h"

/* Rows a thread takes at a time: small enough that the threads finish
 * together (fixed halves left one logging alone for a tenth of the
 * shutdown), large enough that taking one is rare. */
#define SHUTDOWN_CHUNK_ROWS 1024u

struct shutdown_shared {
    atomic_uint_fast64_t next_row;   /* 64-bit: passing a 2^32-row table cannot wrap */
    uint64_t now_us;
    bool emergency;
};

/* One thread's part of the walk. */
struct shutdown_walker {
    struct shutdown_shared *shared;
    struct flow_worker *worker;
    pthread_t thread;
    bool threaded;
};

static void shutdown_row(struct flow_worker *w, struct flow_bucket *b,
                         const struct shutdown_shared *sh)
{
    struct flow_engine *e = w->engine;
    flow_bucket_lock(&e->table, b);
    struct flow *next;
    for (struct flow *f = flow_bucket_take_chain(b); f != NULL; f = next) {
        next = f->hash_next;
        f->hash_next = NULL;
        /* Whatever pass would have found it idle past its timeout says
         * so, whichever runmode ran and however its passes fell. */
        f->end_reason = flow_timed_out(&e->timeouts, f, sh->now_us, sh->emergency)
                            ? FLOW_END_TIMEOUT
                            : FLOW_END_SHUTDOWN;
        flow_queue_push(&w->ended, f);
    }
    flow_bucket_unlock(&e->table, b);
}

/* Each thread logs the flows it ends with its own logger: handing them to
 * the recycler would only move them to another core to be read cold there. */
static void shutdown_rows(const struct shutdown_walker *s)
{
    struct flow_worker *w = s->worker;
    struct shutdown_shared *sh = s->shared;
    uint32_t size = w->engine->table.size;
    for (;;) {
        uint64_t first = atomic_fetch_add(&sh->next_row, SHUTDOWN_CHUNK_ROWS);
        if (first >= size)
            break;
        uint32_t last = size - first < SHUTDOWN_CHUNK_ROWS ? size : (uint32_t)first + SHUTDOWN_CHUNK_ROWS;
        for (uint32_t row = (uint32_t)first; row < last; row++) {
            shutdown_row(w, &w->engine->table.buckets[row], sh);
            if (w->ended.len >= FLOW_SPARE_BLOCK_SIZE)
                flow_worker_log_ended(w, sh->now_us);
        }
    }
    flow_worker_log_ended(w, sh->now_us);
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
    /* More threads than the CPUs this one may use would only take turns. */
    unsigned cpus = cpu_affinity_usable_count();
    if (n > cpus)
        n = cpus;
    if (n > FLOW_SHUTDOWN_MAX_THREADS)
        n = FLOW_SHUTDOWN_MAX_THREADS;
    struct shutdown_shared shared = {
        .now_us = now_us,
        .emergency = atomic_load(&e->emergency),
    };
    atomic_init(&shared.next_row, 0);
    struct shutdown_walker walkers[FLOW_SHUTDOWN_MAX_THREADS];
    for (unsigned i = 0; i < n; i++)
        walkers[i] = (struct shutdown_walker){ .shared = &shared, .worker = workers[i] };
    /* A thread that cannot start leaves its share to the others. */
    for (unsigned i = 1; i < n; i++)
        walkers[i].threaded =
            pthread_create(&walkers[i].thread, NULL, shutdown_thread, &walkers[i]) == 0;
    shutdown_rows(&walkers[0]);
    for (unsigned i = 1; i < n; i++)
        if (walkers[i].threaded)
            pthread_join(walkers[i].thread, NULL);
}

void flow_engine_shutdown_flows(struct flow_worker *w, uint64_t now_us)
{
    flow_engine_shutdown_flows_parallel(&w, 1, now_us);
}
