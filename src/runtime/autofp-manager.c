/* FM#01 of autofp: every few milliseconds times out a slice of the flow
 * table at the offline clock (the slowest worker's packet time), more of it
 * under memcap pressure and all of it in emergency mode; keeps the spare
 * pool near flow.prealloc and ends emergency mode once it has recovered. */
#include <errno.h>
#include <sched.h>
#include <time.h>

#include "runtime/autofp-internal.h"

#define MANAGER_INTERVAL_MS 10u
#define MANAGER_RECOVERY_PASSES 3u

void autofp_idle_wait(unsigned empty_polls)
{
    if (empty_polls < 64) {
        sched_yield();
        return;
    }
    struct timespec pause = { .tv_sec = 0, .tv_nsec = 50 * 1000 };
    nanosleep(&pause, NULL);
}

uint64_t autofp_slowest_worker_us(struct autofp_run *run)
{
    uint64_t slowest = UINT64_MAX;
    for (unsigned i = 0; i < run->worker_count; i++) {
        uint64_t t = atomic_load_explicit(&run->workers[i].caught_up_us, memory_order_acquire);
        if (t < slowest)
            slowest = t;
    }
    return slowest == UINT64_MAX ? 0 : slowest;
}

/* Rows per pass: a sixteenth of the table, growing with memcap pressure to
 * the whole table at 90 % and in emergency mode. */
static uint32_t rows_per_pass(struct flow_engine *e)
{
    uint32_t size = e->table.size;
    if (atomic_load(&e->emergency))
        return size;
    uint64_t pressure = flow_engine_memuse(e) * 100 / e->spare.memcap;
    if (pressure >= 90)
        return size;
    uint64_t rows = (uint64_t)size / 16 + (uint64_t)size * pressure / 100;
    return rows > size ? size : (uint32_t)rows;
}

/* Tops the global spare pool up toward flow.prealloc, a block at a time. */
static void refill_spares(struct flow_engine *e)
{
    if (flow_spare_pool_count(&e->spare) >= e->prealloc)
        return;
    struct flow_queue block;
    flow_queue_init(&block);
    struct flow *f;
    while (block.len < FLOW_SPARE_BLOCK_SIZE && (f = flow_spare_alloc(&e->spare)) != NULL)
        flow_queue_push(&block, f);
    flow_spare_pool_return(&e->spare, &block);
}

static void manager_pass(struct autofp_run *run)
{
    struct flow_worker *m = &run->manager;
    struct flow_engine *e = m->engine;
    uint64_t now_us = autofp_slowest_worker_us(run);
    uint32_t rows = rows_per_pass(e);
    uint32_t first = rows == e->table.size ? 0 : run->manager_row;
    uint32_t last = first + rows;
    flow_manager_timeout_rows(m, first, last > e->table.size ? e->table.size : last, now_us);
    run->manager_row = last >= e->table.size ? 0 : last;
    refill_spares(e);
    flow_manager_check_recovery(m, MANAGER_RECOVERY_PASSES);
}

/* Sleeps one interval or until told to stop; returns false to stop. */
static bool manager_sleep(struct autofp_run *run)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_nsec += (long)MANAGER_INTERVAL_MS * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&run->manager_lock);
    int rc = 0;
    while (!run->manager_stop && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&run->manager_wake, &run->manager_lock, &until);
    bool go_on = !run->manager_stop;
    pthread_mutex_unlock(&run->manager_lock);
    return go_on;
}

void *autofp_manager_main(void *arg)
{
    struct autofp_run *run = arg;
    pthread_setname_np(pthread_self(), "FM#01");
    while (manager_sleep(run))
        manager_pass(run);
    return NULL;
}
