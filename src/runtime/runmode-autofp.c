/* Setting up and tearing down an autofp run in order: outputs and flow
 * engine, recycler, workers, manager, capture; then capture ends, workers
 * drain, the manager stops, every remaining flow is ended once, the
 * recycler logs the last of them, and the outputs close. */
#include "runtime/runmode-autofp.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/autofp-internal.h"
#include "runtime/packet-path.h"
#include "runtime/summary.h"
#include "util/cpu-affinity.h"
#include "util/log.h"

/* auto leaves RX#01 a CPU of its own: a worker more than the CPUs left
 * only takes turns with it (qa/bench on 2 CPUs: autofp with 2 workers
 * took 1.56 x the time of autofp with 1). */
unsigned runmode_flow_workers(const char *setting)
{
    if (!setting || strcmp(setting, "auto") == 0) {
        unsigned cpus = cpu_affinity_usable_count();
        return cpus > 1 ? cpus - 1 : 1;
    }
    char *end;
    unsigned long n = strtoul(setting, &end, 10);
    return (*end == '\0' && n > 0 && n <= 1024) ? (unsigned)n : 0;
}

static int start_loggers(struct autofp_run *run)
{
    struct eve_writer *eve = run->engine.flow_eve;
    if (!flow_logger_init(&run->manager_logger, eve) ||
        !flow_logger_init(&run->recycler_logger, eve))
        return -1;
    for (unsigned i = 0; i < run->worker_count; i++)
        if (!flow_logger_init(&run->workers[i].logger, eve))
            return -1;
    return 0;
}

static void set_iface_names(struct autofp_run *run)
{
    const struct autofp_source *src = run->source;
    flow_logger_set_ifaces(&run->manager_logger, src->iface_names, src->iface_count);
    flow_logger_set_ifaces(&run->recycler_logger, src->iface_names, src->iface_count);
    for (unsigned i = 0; i < run->worker_count; i++)
        flow_logger_set_ifaces(&run->workers[i].logger, src->iface_names, src->iface_count);
}

static void publish_recycler(void *arg, const struct flow_stats *stats)
{
    counter_set_publish(arg, stats);
}

/* The decoder and defrag counters belong to the thread that decodes. */
static void register_counters(struct autofp_run *run)
{
    struct vigil_engine *ve = &run->engine;
    if (!run->worker_decodes)
        vigil_engine_register_counters(ve, "RX#01", &run->decode_counters,
                                       &run->defrag_counters, NULL);
    for (unsigned i = 0; i < run->worker_count; i++) {
        struct packet_path *pp = &run->workers[i].path;
        char name[16];
        snprintf(name, sizeof(name), "W#%02u", i + 1);
        if (run->worker_decodes)
            vigil_engine_register_counters(ve, name, &pp->decode_counters, &pp->defrag_counters,
                                           &pp->flow_counters);
        else
            vigil_engine_register_counters(ve, name, NULL, NULL, &pp->flow_counters);
    }
    vigil_engine_register_counters(ve, "FM#01", NULL, NULL, &run->manager_counters);
    vigil_engine_register_counters(ve, "FR#01", NULL, NULL, &run->recycler_counters);
    if (run->source->register_counters)
        run->source->register_counters(run->source->arg, ve);
    run->recycler.publish = publish_recycler;
    run->recycler.publish_arg = run->recycler_counters;
}

static int init_rx_decode(struct autofp_run *run)
{
    struct decode_config dc;
    packet_path_decode_config(&dc, run->cfg);
    decode_ctx_init(&run->decode, &dc);
    char err[512];
    run->defrag = packet_path_defrag_create(run->cfg, run->engine.hash_seed, err, sizeof(err));
    if (!run->defrag) {
        log_error("%s", err);
        return -1;
    }
    return 0;
}

/* A decoding worker gets a whole packet path; the manager times its flows
 * out, so its own housekeeping only hands on ended flows and fragments.
 * Any other worker needs only the flow part. Returns -1 on failure. */
static int init_worker_path(struct autofp_run *run, struct autofp_worker *w)
{
    if (!run->worker_decodes) {
        flow_worker_init(&w->path.flow, &run->engine.flows, &w->logger);
        return 0;
    }
    char err[512];
    if (packet_path_init(&w->path, &run->engine.flows, run->cfg, run->engine.hash_seed,
                         &w->logger, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return -1;
    }
    w->path.flow_timeouts_elsewhere = true;
    return 0;
}

static int out_of_memory(const struct autofp_run *run)
{
    log_error("autofp: cannot allocate %u flow workers with max-pending-packets %u: out of memory",
              run->worker_count, run->cfg->max_pending_packets);
    return -1;
}

/* Returns -1 once the reason is logged. */
static int create_parts(struct autofp_run *run)
{
    const struct vigil_config *cfg = run->cfg;
    pthread_mutex_init(&run->manager_lock, NULL);
    pthread_cond_init(&run->manager_wake, NULL);
    pthread_cond_init(&run->manager_done, NULL);
    run->workers = calloc(run->worker_count, sizeof(*run->workers));
    /* Rings hold every packet of the pool, so a burst always fits. */
    run->pool = packet_pool_create(cfg->max_pending_packets, AUTOFP_PACKET_BUFFER,
                                   run->worker_count);
    if (!run->workers || !run->pool ||
        !packet_pool_add_large_buffers(run->pool, AUTOFP_LARGE_BUFFERS, AUTOFP_LARGE_BUFFER) ||
        start_loggers(run) != 0)
        return out_of_memory(run);
    if (run->source->release_frames)
        packet_pool_set_frame_release(run->pool, run->source->release_frames);
    set_iface_names(run);
    for (unsigned i = 0; i < run->worker_count; i++) {
        struct autofp_worker *w = &run->workers[i];
        w->run = run;
        w->index = i;
        if (spsc_ring_init(&w->ring, cfg->max_pending_packets) != 0)
            return out_of_memory(run);
        if (init_worker_path(run, w) != 0)
            return -1;
    }
    flow_worker_init(&run->manager, &run->engine.flows, &run->manager_logger);
    if (!run->worker_decodes && init_rx_decode(run) != 0)
        return -1;
    register_counters(run);
    return 0;
}

static void destroy_parts(struct autofp_run *run)
{
    if (run->workers) {
        for (unsigned i = 0; i < run->worker_count; i++) {
            packet_path_destroy(&run->workers[i].path);
            flow_logger_free(&run->workers[i].logger);
            spsc_ring_destroy(&run->workers[i].ring);
        }
    }
    flow_worker_release(&run->manager);
    flow_logger_free(&run->manager_logger);
    flow_logger_free(&run->recycler_logger);
    if (run->defrag)
        defrag_destroy(run->defrag);
    pthread_cond_destroy(&run->manager_done);
    pthread_cond_destroy(&run->manager_wake);
    pthread_mutex_destroy(&run->manager_lock);
    if (run->pool)
        packet_pool_destroy(run->pool);
    free(run->workers);
}

static int start_threads(struct autofp_run *run)
{
    if (vigil_engine_start_stats(&run->engine) != 0)
        return -1;
    if (flow_recycler_start(&run->recycler, &run->engine.flows, &run->recycler_logger) != 0)
        return -1;
    for (unsigned i = 0; i < run->worker_count; i++)
        if (pthread_create(&run->workers[i].thread, NULL, autofp_worker_main, &run->workers[i]))
            return -1;
    if (pthread_create(&run->manager_thread, NULL, autofp_manager_main, run) != 0 ||
        pthread_create(&run->rx_thread, NULL, autofp_rx_main, run) != 0)
        return -1;
    return 0;
}

static void stop_manager(struct autofp_run *run)
{
    pthread_mutex_lock(&run->manager_lock);
    run->manager_stop = true;
    pthread_cond_signal(&run->manager_wake);
    pthread_mutex_unlock(&run->manager_lock);
    pthread_join(run->manager_thread, NULL);
}

/* The flows left at the end are ended and logged by this thread and the
 * finished workers' flow parts, sharing the table a chunk of rows at a time. */
static void shutdown_flows(struct autofp_run *run)
{
    struct flow_worker *enders[FLOW_SHUTDOWN_MAX_THREADS] = { &run->manager };
    unsigned n = 1;
    for (; n < FLOW_SHUTDOWN_MAX_THREADS && n <= run->worker_count; n++)
        enders[n] = &run->workers[n - 1].path.flow;
    flow_engine_shutdown_flows_parallel(enders, n, run->rx_now_us);
    vigil_engine_publish_flow(run->manager_counters, &run->manager.stats);
    for (unsigned i = 0; i + 1 < n; i++)
        packet_path_publish(&run->workers[i].path);
}

/* The shutdown order of the file comment, once the capture thread is done. */
static void drain_and_finish(struct autofp_run *run)
{
    pthread_join(run->rx_thread, NULL);
    for (unsigned i = 0; i < run->worker_count; i++)
        pthread_join(run->workers[i].thread, NULL);
    stop_manager(run);
    shutdown_flows(run);
    flow_recycler_stop(&run->recycler);
    vigil_engine_publish_flow(run->recycler_counters, &run->recycler.stats);
}

static void sum_flow_stats(struct autofp_run *run, struct flow_stats *sum)
{
    memset(sum, 0, sizeof(*sum));
    for (unsigned i = 0; i < run->worker_count; i++)
        flow_stats_add(sum, &run->workers[i].path.flow.stats);
    flow_stats_add(sum, &run->manager.stats);
    flow_stats_add(sum, &run->recycler.stats);
}

static int finish_run(struct autofp_run *run, const struct timespec *t0)
{
    struct flow_stats flows;
    sum_flow_stats(run, &flows);
    struct packet_path *decoder = run->worker_decodes ? &run->workers[0].path : NULL;
    struct defrag_stats defrag = *defrag_get_stats(decoder ? decoder->defrag : run->defrag);
    struct decode_stats decode = decoder ? decoder->decode.stats : run->decode.stats;
    struct run_summary s = {
        .capture = &run->capture,
        .decode = &decode,
        .defrag = &defrag,
        .flow = &flows,
        .capture_waits = run->pool_waits,
        .live = run->source->live,
        .eve_path = run->engine.eve ? run->engine.eve_path : NULL,
    };
    destroy_parts(run);
    bool written = vigil_engine_close(&run->engine);
    s.eve_records = run->engine.eve_records;
    s.seconds = runmode_elapsed_since(t0);
    summary_print(stderr, &s);
    return (run->replay_result == 0 && written) ? 0 : 2;
}

int runmode_autofp(const struct vigil_config *cfg, const struct autofp_source *src,
                   unsigned workers)
{
    struct autofp_run *run = calloc(1, sizeof(*run));
    if (!run)
        return 1;
    run->cfg = cfg;
    run->source = src;
    run->worker_count = workers;
    run->worker_decodes = workers == 1;
    if (vigil_engine_open(&run->engine, cfg, src->log_dir) != 0) {
        free(run);
        return 1;
    }
    if (create_parts(run) != 0) {
        destroy_parts(run);
        vigil_engine_close(&run->engine);
        free(run);
        return 1;
    }
    log_info("autofp: %s, %u flow workers", src->description, workers);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    if (start_threads(run) != 0) {
        /* Threads already running share run: leave without tearing down. */
        log_error("autofp: cannot start threads: out of resources");
        exit(2);
    }
    drain_and_finish(run);
    int code = finish_run(run, &t0);
    free(run);
    return code;
}

static void replay_frame(void *ctx, struct packet *frame)
{
    autofp_rx_frame(ctx, frame);
}

static int replay_offline(struct autofp_run *run, void *arg, struct pcap_file_stats *stats)
{
    const struct offline_run *offline = arg;
    struct pcap_file_options opts = {
        .show_progress = offline->show_progress,
        .stop = offline->stop,
    };
    return pcap_file_replay(offline->input, &opts, replay_frame, run, stats);
}

int runmode_autofp_offline(const struct vigil_config *cfg, const struct offline_run *offline,
                           unsigned workers)
{
    struct autofp_source src = {
        .log_dir = offline->log_dir,
        .description = "1 capture thread",
        .capture = replay_offline,
        .arg = (void *)offline,
    };
    return runmode_autofp(cfg, &src, workers);
}

const char *runmode_offline_name(const char *runmode)
{
    return strcmp(runmode, "autofp") == 0 ? "autofp" : "single";
}

int runmode_offline(const struct vigil_config *cfg, const struct offline_run *run,
                    const char *runmode, unsigned workers)
{
    if (strcmp(runmode_offline_name(runmode), "autofp") == 0)
        return runmode_autofp_offline(cfg, run, workers);
    return runmode_single_offline(cfg, run);
}
