/* The single runmode for offline replay: one thread reads, decodes, tracks
 * flows and logs them; at the end every remaining flow is logged once. */
#include "runtime/runmode-single.h"

#include <stdlib.h>
#include <time.h>

#include "capture/pcap-file.h"
#include "runtime/engine.h"
#include "runtime/flow-output.h"
#include "runtime/packet-path.h"
#include "runtime/summary.h"
#include "util/cpu-affinity.h"
#include "util/log.h"

struct single_run {
    struct vigil_engine engine;
    struct flow_logger logger;
    struct packet_path path;
};

static void on_packet(void *ctx, struct packet *p)
{
    struct single_run *r = ctx;
    packet_path_process(&r->path, p);
}

static int start(struct single_run *r, const struct vigil_config *cfg, const char *log_dir)
{
    char err[512];
    if (vigil_engine_open(&r->engine, cfg, log_dir) != 0)
        return -1;
    flow_engine_set_single_threaded(&r->engine.flows);
    if (!flow_logger_init(&r->logger, r->engine.flow_eve)) {
        log_error("eve-log: out of memory for the record buffer");
        vigil_engine_close(&r->engine);
        return -1;
    }
    if (packet_path_init(&r->path, &r->engine.flows, cfg, r->engine.hash_seed, &r->logger, err,
                         sizeof(err)) != 0) {
        log_error("%s", err);
        flow_logger_free(&r->logger);
        vigil_engine_close(&r->engine);
        return -1;
    }
    struct packet_path *pp = &r->path;
    vigil_engine_register_counters(&r->engine, "W#01", &pp->decode_counters,
                                   &pp->defrag_counters, &pp->flow_counters);
    if (vigil_engine_start_stats(&r->engine) != 0) {
        packet_path_destroy(pp);
        flow_logger_free(&r->logger);
        vigil_engine_close(&r->engine);
        return -1;
    }
    return 0;
}

double runmode_elapsed_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

int runmode_single_offline(const struct vigil_config *cfg, const struct offline_run *run)
{
    /* This thread is the run's only worker. */
    cpu_affinity_pin_self(CPU_AFFINITY_WORKER, 0, "W#01");
    struct single_run *r = calloc(1, sizeof(*r));
    if (!r || start(r, cfg, run->log_dir) != 0) {
        free(r);
        return 1;
    }
    struct pcap_file_options opts = { .show_progress = run->show_progress, .stop = run->stop };
    struct pcap_file_stats cap = { 0 };
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int replay = pcap_file_replay(run->input, &opts, on_packet, r, &cap);

    flow_engine_shutdown_flows(&r->path.flow, r->path.now_us);
    packet_path_publish(&r->path);
    struct defrag_stats defrag = *defrag_get_stats(r->path.defrag);
    struct run_summary s = {
        .capture = &cap,
        .decode = &r->path.decode.stats,
        .defrag = &defrag,
        .flow = &r->path.flow.stats,
        .eve_path = r->engine.eve ? r->engine.eve_path : NULL,
    };
    packet_path_destroy(&r->path);
    flow_logger_free(&r->logger);
    bool written = vigil_engine_close(&r->engine);
    s.eve_records = r->engine.eve_records;
    s.seconds = runmode_elapsed_since(&t0);
    summary_print(stderr, &s);
    free(r);
    return (replay == 0 && written) ? 0 : 2;
}
