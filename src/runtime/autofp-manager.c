/* FM#01 of autofp. Offline it runs a pass whenever the capture thread asks:
 * once per second of packet time, after every worker has handled all
 * earlier packets, so flows time out at the same packet times as in the
 * single runmode and the results do not depend on the runmode. */
#include <sched.h>
#include <time.h>

#include "runtime/autofp-internal.h"
#include "runtime/packet-path.h"

void autofp_idle_wait(unsigned empty_polls)
{
    if (empty_polls < 64) {
        sched_yield();
        return;
    }
    struct timespec pause = { .tv_sec = 0, .tv_nsec = 50 * 1000 };
    nanosleep(&pause, NULL);
}

static void manager_pass(struct autofp_run *run, uint64_t now_us)
{
    struct flow_worker *m = &run->manager;
    uint32_t size = m->engine->table.size;
    uint32_t slice = (size + PACKET_PATH_SLICES - 1) / PACKET_PATH_SLICES;
    uint32_t rows = flow_manager_rows_for_pressure(m->engine, slice);
    /* Flows the workers ended during the last second are spares again
     * before the pass looks at the pool, as in the single runmode. */
    flow_recycler_wait_idle(&run->recycler);
    run->manager_row = flow_manager_pass(m, run->manager_row, rows, now_us,
                                         PACKET_PATH_RECOVERY_PASSES);
    flow_recycler_wait_idle(&run->recycler);
    vigil_engine_publish_flow(run->manager_counters, &m->stats);
}

void *autofp_manager_main(void *arg)
{
    struct autofp_run *run = arg;
    pthread_setname_np(pthread_self(), "FM#01");
    pthread_mutex_lock(&run->manager_lock);
    for (;;) {
        while (!run->manager_stop && run->pass_done == run->pass_requested)
            pthread_cond_wait(&run->manager_wake, &run->manager_lock);
        if (run->pass_done == run->pass_requested)
            break;
        uint64_t now_us = run->pass_now_us;
        uint64_t request = run->pass_requested;
        pthread_mutex_unlock(&run->manager_lock);
        manager_pass(run, now_us);
        pthread_mutex_lock(&run->manager_lock);
        run->pass_done = request;
        pthread_cond_broadcast(&run->manager_done);
    }
    pthread_mutex_unlock(&run->manager_lock);
    return NULL;
}

void autofp_request_pass(struct autofp_run *run, uint64_t now_us)
{
    pthread_mutex_lock(&run->manager_lock);
    run->pass_now_us = now_us;
    uint64_t request = ++run->pass_requested;
    pthread_cond_signal(&run->manager_wake);
    while (run->pass_done != request)
        pthread_cond_wait(&run->manager_done, &run->manager_lock);
    pthread_mutex_unlock(&run->manager_lock);
}
