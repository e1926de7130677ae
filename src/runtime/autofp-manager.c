/* FM#01 of autofp. Offline it runs a pass whenever the capture thread asks:
 * once per second of packet time, after every worker has handled all
 * earlier packets, so flows time out at the same packet times as in the
 * single runmode and the results do not depend on the runmode. */
#include "runtime/autofp-internal.h"
#include "runtime/packet-path.h"

static void manager_pass(struct autofp_run *run, uint64_t now_us)
{
    struct flow_worker *m = &run->manager;
    /* Flows the workers ended during the last second are spares again
     * before the pass looks at the pool, as in the single runmode. */
    flow_recycler_wait_idle(&run->recycler);
    run->manager_row = packet_path_timeout_slice(m, run->manager_row, now_us);
    flow_recycler_wait_idle(&run->recycler);
    vigil_engine_publish_flow(run->manager_counters, &m->stats);
}

void *autofp_manager_main(void *arg)
{
    struct autofp_run *run = arg;
    pthread_setname_np(pthread_self(), "FM#01");
    cpu_affinity_pin_self(CPU_AFFINITY_MANAGEMENT, CPU_AFFINITY_SLOT_FM, "FM#01");
    pthread_mutex_lock(&run->manager_lock);
    for (;;) {
        /* Between passes, while the packet threads run: the next pass's
         * refill of the spare pool then carves from memory already there. */
        pthread_mutex_unlock(&run->manager_lock);
        flow_spare_pool_prepare_slab(&run->engine.flows.spare);
        pthread_mutex_lock(&run->manager_lock);
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
