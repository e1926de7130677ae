/* The workers runmode on DPDK ports: each thread owns RX queues and does
 * everything for their packets (decode, flow, output); FM#01 times flows
 * out on the clock and FR#01 logs them. One flow table for all. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/dpdk-eal.h"
#include "flow/flow-recycler.h"
#include "runtime/dpdk-live.h"
#include "util/cpu-affinity.h"
#include "util/idle-wait.h"
#include "runtime/flow-output.h"
#include "runtime/packet-path.h"
#include "runtime/runmode-single.h"
#include "runtime/summary.h"
#include "util/log.h"
#include "util/stop-wait.h"

struct live_workers;

struct live_worker {
    struct live_workers *set;
    unsigned index;
    pthread_t thread;
    struct dpdk_rx_queue **queues;
    unsigned queue_count;
    struct packet_path path;
    struct flow_logger logger;
    uint64_t next_idle_tick_us;
};

struct live_workers {
    struct dpdk_live *live;
    struct vigil_engine engine;
    struct live_worker *workers;
    unsigned count;
    /* FM#01 (clock) and the shutdown walk. */
    pthread_t manager_thread;
    struct flow_worker manager;
    struct flow_logger manager_logger;
    struct counter_set *manager_counters;
    uint32_t manager_row;
    struct stop_wait workers_done;
    /* FR#01 (clock). */
    struct flow_recycler recycler;
    struct flow_logger recycler_logger;
    struct counter_set *recycler_counters;
};

static void on_burst(void *ctx, struct packet **frames, unsigned n)
{
    struct live_worker *w = ctx;
    packet_path_process_burst(&w->path, frames, n);
}

/* A thread with an idle port still publishes its counters once a second;
 * on the clock it also hands on the flows it ended and times out its
 * fragments (on packet time no time passes without packets). */
static void tick_idle(struct live_worker *w)
{
    uint64_t now = dpdk_rx_clock_us();
    if (now < w->next_idle_tick_us)
        return;
    if (w->set->live->packet_time) {
        packet_path_publish(&w->path);
        dpdk_port_check_link(w->queues[0]->port);
    }
    else
        packet_path_housekeeping(&w->path, now);
    w->next_idle_tick_us = now + PACKET_PATH_HOUSEKEEPING_US;
}

static void *worker_main(void *arg)
{
    struct live_worker *w = arg;
    char name[16];
    snprintf(name, sizeof(name), "W#%02u", w->index + 1);
    pthread_setname_np(pthread_self(), name);
    cpu_affinity_pin_self(CPU_AFFINITY_WORKER, w->index, name);
    dpdk_thread_register();
    unsigned empty_polls = 0;
    while (!dpdk_live_stopping(w->set->live)) {
        unsigned got = 0;
        for (unsigned i = 0; i < w->queue_count; i++)
            got += dpdk_rx_poll(w->queues[i], false, on_burst, w);
        if (got > 0) {
            empty_polls = 0;
            continue;
        }
        tick_idle(w);
        idle_wait(++empty_polls);
    }
    flow_worker_flush_ended(&w->path.flow, w->path.now_us);
    packet_path_publish(&w->path);
    dpdk_thread_unregister();
    return NULL;
}

static void manager_pass(struct live_workers *set, uint64_t now_us)
{
    struct flow_worker *m = &set->manager;
    set->manager_row = packet_path_timeout_slice(m, set->manager_row, now_us);
    vigil_engine_publish_flow(set->manager_counters, &m->stats);
    for (size_t i = 0; i < set->live->port_count; i++)
        dpdk_port_check_link(&set->live->ports[i]);
}

/* Passes once per second of clock until the workers are done. */
static void *manager_main(void *arg)
{
    struct live_workers *set = arg;
    pthread_setname_np(pthread_self(), "FM#01");
    cpu_affinity_pin_self(CPU_AFFINITY_MANAGEMENT, CPU_AFFINITY_SLOT_FM, "FM#01");
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);
    for (;;) {
        next.tv_sec += PACKET_PATH_HOUSEKEEPING_US / 1000000u;
        if (stop_wait_until(&set->workers_done, &next))
            break;
        manager_pass(set, dpdk_rx_clock_us());
    }
    return NULL;
}

static void publish_recycler(void *arg, const struct flow_stats *stats)
{
    counter_set_publish(arg, stats);
}

/* Spreads the queues: one each, or all of them on one thread (single). */
static int assign_queues(struct live_workers *set, unsigned threads)
{
    struct dpdk_live *live = set->live;
    set->count = threads == 1 ? 1 : (unsigned)live->queue_count;
    set->workers = calloc(set->count, sizeof(*set->workers));
    if (!set->workers)
        return -1;
    for (unsigned i = 0; i < set->count; i++) {
        struct live_worker *w = &set->workers[i];
        w->set = set;
        w->index = i;
        w->queues = threads == 1 ? live->queues : &live->queues[i];
        w->queue_count = threads == 1 ? (unsigned)live->queue_count : 1;
    }
    return 0;
}

static int init_logger(struct flow_logger *l, struct live_workers *set)
{
    if (!flow_logger_init(l, set->engine.flow_eve))
        return -1;
    flow_logger_set_ifaces(l, set->live->iface_names, (unsigned)set->live->port_count);
    return 0;
}

static int out_of_memory(const struct live_workers *set)
{
    log_error("workers: cannot allocate %u capture threads: out of memory", set->count);
    return -1;
}

/* Returns -1 once the reason is logged. */
static int create_workers(struct live_workers *set)
{
    char err[512];
    const struct vigil_config *cfg = set->live->cfg;
    for (unsigned i = 0; i < set->count; i++) {
        struct live_worker *w = &set->workers[i];
        if (init_logger(&w->logger, set) != 0)
            return out_of_memory(set);
        if (packet_path_init(&w->path, &set->engine.flows, cfg, set->engine.hash_seed,
                             &w->logger, err, sizeof(err)) != 0) {
            log_error("%s", err);
            return -1;
        }
        w->path.flow_timeouts_elsewhere = !set->live->packet_time;
        char name[16];
        snprintf(name, sizeof(name), "W#%02u", i + 1);
        vigil_engine_register_counters(&set->engine, name, &w->path.decode_counters,
                                       &w->path.defrag_counters, &w->path.flow_counters);
    }
    return 0;
}

/* Returns -1 once the reason is logged. */
static int create_parts(struct live_workers *set)
{
    if (create_workers(set) != 0)
        return -1;
    if (init_logger(&set->manager_logger, set) != 0 || init_logger(&set->recycler_logger, set) != 0)
        return out_of_memory(set);
    flow_worker_init(&set->manager, &set->engine.flows, &set->manager_logger);
    struct vigil_engine *ve = &set->engine;
    vigil_engine_register_counters(ve, "FM#01", NULL, NULL, &set->manager_counters);
    vigil_engine_register_counters(ve, "FR#01", NULL, NULL, &set->recycler_counters);
    set->recycler.publish = publish_recycler;
    set->recycler.publish_arg = set->recycler_counters;
    dpdk_live_register_counters(set->live, ve);
    return 0;
}

static void destroy_parts(struct live_workers *set)
{
    for (unsigned i = 0; set->workers && i < set->count; i++) {
        packet_path_destroy(&set->workers[i].path);
        flow_logger_free(&set->workers[i].logger);
    }
    flow_worker_release(&set->manager);
    flow_logger_free(&set->manager_logger);
    flow_logger_free(&set->recycler_logger);
    free(set->workers);
}

/* Packet time: the worker times flows out itself, as the single runmode. */
static int start_threads(struct live_workers *set)
{
    if (vigil_engine_start_stats(&set->engine) != 0)
        return -1;
    if (!set->live->packet_time &&
        (flow_recycler_start(&set->recycler, &set->engine.flows, &set->recycler_logger) != 0 ||
         pthread_create(&set->manager_thread, NULL, manager_main, set) != 0))
        return -1;
    for (unsigned i = 0; i < set->count; i++)
        if (pthread_create(&set->workers[i].thread, NULL, worker_main, &set->workers[i]) != 0)
            return -1;
    return 0;
}

static uint64_t end_time(struct live_workers *set)
{
    if (!set->live->packet_time)
        return dpdk_rx_clock_us();
    uint64_t latest = 0;
    for (unsigned i = 0; i < set->count; i++)
        if (set->workers[i].path.now_us > latest)
            latest = set->workers[i].path.now_us;
    return latest;
}

/* Capture stops, workers finish, the manager stops, the recycler logs what
 * it holds and stops, then every flow left is ended once and logged by this
 * thread and the finished workers' flow parts, sharing the table a chunk
 * of rows at a time: handing the whole table to FR#01 at exit took longer
 * than logging it on this thread (each flow's lines moving between cores, a
 * wake-up per block). */
static void drain_and_finish(struct live_workers *set)
{
    for (unsigned i = 0; i < set->count; i++)
        pthread_join(set->workers[i].thread, NULL);
    stop_wait_stop(&set->workers_done);
    if (!set->live->packet_time) {
        pthread_join(set->manager_thread, NULL);
        flow_recycler_stop(&set->recycler);
        vigil_engine_publish_flow(set->recycler_counters, &set->recycler.stats);
    }
    struct flow_worker *enders[FLOW_SHUTDOWN_MAX_THREADS] = { &set->manager };
    unsigned n = 1;
    for (; n < FLOW_SHUTDOWN_MAX_THREADS && n <= set->count; n++)
        enders[n] = &set->workers[n - 1].path.flow;
    flow_engine_shutdown_flows_parallel(enders, n, end_time(set));
    vigil_engine_publish_flow(set->manager_counters, &set->manager.stats);
    for (unsigned i = 0; i + 1 < n; i++)
        packet_path_publish(&set->workers[i].path);
}

static void summarise(struct live_workers *set, struct run_summary *s,
                      struct pcap_file_stats *cap, struct decode_stats *decode,
                      struct defrag_stats *defrag, struct flow_stats *flows)
{
    flow_stats_add(flows, &set->manager.stats);
    flow_stats_add(flows, &set->recycler.stats);
    for (unsigned i = 0; i < set->count; i++) {
        struct live_worker *w = &set->workers[i];
        decode_stats_add(decode, &w->path.decode.stats);
        defrag_stats_add(defrag, defrag_get_stats(w->path.defrag));
        flow_stats_add(flows, &w->path.flow.stats);
    }
    for (size_t i = 0; i < set->live->queue_count; i++) {
        cap->packets += set->live->queues[i]->frames;
        cap->bytes += set->live->queues[i]->bytes;
    }
    s->capture = cap;
    s->decode = decode;
    s->defrag = defrag;
    s->flow = flows;
    s->live = true;
    s->eve_path = set->engine.eve ? set->engine.eve_path : NULL;
}

static int finish(struct live_workers *set, const struct timespec *t0)
{
    struct pcap_file_stats cap = { 0 };
    struct decode_stats decode = { 0 };
    struct defrag_stats defrag = { 0 };
    struct flow_stats flows = { 0 };
    struct run_summary s = { 0 };
    summarise(set, &s, &cap, &decode, &defrag, &flows);
    destroy_parts(set);
    bool written = vigil_engine_close(&set->engine);
    s.eve_records = set->engine.eve_records;
    s.seconds = runmode_elapsed_since(t0);
    summary_print(stderr, &s);
    return written ? 0 : 2;
}

static void free_set(struct live_workers *set)
{
    stop_wait_destroy(&set->workers_done);
    free(set);
}

int dpdk_live_run_workers(struct dpdk_live *live, unsigned threads)
{
    struct live_workers *set = calloc(1, sizeof(*set));
    if (!set)
        return 1;
    set->live = live;
    stop_wait_init(&set->workers_done);
    if (vigil_engine_open(&set->engine, live->cfg, live->run->log_dir) != 0) {
        free_set(set);
        return 1;
    }
    int setup = assign_queues(set, threads) != 0 ? out_of_memory(set) : create_parts(set);
    if (setup != 0) {
        destroy_parts(set);
        vigil_engine_close(&set->engine);
        free_set(set);
        return 1;
    }
    /* One thread on packet time has the table to itself, as -r single. */
    if (live->packet_time && set->count == 1)
        flow_engine_set_single_threaded(&set->engine.flows);
    log_info("workers: %u thread%s on %zu DPDK RX queue%s, flows timed out on %s", set->count,
             set->count == 1 ? "" : "s", live->queue_count, live->queue_count == 1 ? "" : "s",
             live->packet_time ? "packet time" : "the clock");
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (start_threads(set) != 0) {
        log_error("workers: cannot start threads: out of resources");
        exit(2);
    }
    drain_and_finish(set);
    int code = finish(set, &t0);
    free_set(set);
    return code;
}
