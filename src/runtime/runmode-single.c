/* The single runmode for offline replay: sets up the flow engine, one packet
 * path and the EVE writer, replays, then logs every remaining flow once
 * (reason shutdown) before closing the output. */
#include "runtime/runmode-single.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/pcap-file.h"
#include "output/eve-flow.h"
#include "output/eve-writer.h"
#include "output/json-builder.h"
#include "runtime/packet-path.h"
#include "runtime/summary.h"
#include "util/hash.h"
#include "util/log.h"

struct single_run {
    struct flow_engine engine;
    struct packet_path path;
    struct eve_writer *eve;
    struct json_builder jb;
    bool log_flows;
};

static void log_ended_flow(void *ctx, const struct flow *f, uint64_t now_us)
{
    struct single_run *r = ctx;
    if (r->log_flows)
        eve_flow_log(r->eve, &r->jb, f, now_us);
}

static void on_packet(void *ctx, struct packet *p)
{
    struct single_run *r = ctx;
    packet_path_process(&r->path, p);
}

static int open_outputs(struct single_run *r, const struct vigil_config *cfg, const char *log_dir)
{
    if (!cfg->eve.enabled)
        return 0;
    char err[512];
    r->eve = eve_writer_open(log_dir, cfg->eve.filename, 0, err, sizeof(err));
    if (!r->eve) {
        log_error("eve-log: cannot open output file %s", err);
        return -1;
    }
    r->log_flows = cfg->eve.log_flow;
    if (!jb_init(&r->jb, 4096)) {
        log_error("eve-log: out of memory for the record buffer");
        return -1;
    }
    return 0;
}

static int start(struct single_run *r, const struct vigil_config *cfg, const char *log_dir)
{
    char err[512];
    uint32_t seed = hash_random_seed();
    if (flow_engine_init(&r->engine, cfg, seed, log_ended_flow, r, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return -1;
    }
    if (packet_path_init(&r->path, &r->engine, cfg, seed, err, sizeof(err)) != 0) {
        log_error("%s", err);
        flow_engine_destroy(&r->engine);
        return -1;
    }
    if (open_outputs(r, cfg, log_dir) != 0) {
        packet_path_destroy(&r->path);
        flow_engine_destroy(&r->engine);
        return -1;
    }
    return 0;
}

static double elapsed_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Ends the run: every flow logged once, output closed. Returns false if
 * the EVE file could not be written completely. */
static bool finish(struct single_run *r, struct run_summary *s)
{
    flow_engine_shutdown_flows(&r->path.flow, r->path.now_us);
    bool ok = true;
    if (r->eve) {
        char err[512];
        s->eve_records = eve_writer_records(r->eve);
        if (!eve_writer_close(r->eve, err, sizeof(err))) {
            log_error("eve-log: %s", err);
            ok = false;
        }
        jb_free(&r->jb);
    }
    return ok;
}

int runmode_single_offline(const struct vigil_config *cfg, const struct offline_run *run)
{
    struct single_run *r = calloc(1, sizeof(*r));
    if (!r || start(r, cfg, run->log_dir) != 0) {
        free(r);
        return 1;
    }
    char eve_path[4096];
    snprintf(eve_path, sizeof(eve_path), "%s/%s", run->log_dir, cfg->eve.filename);

    struct pcap_file_options opts = { .show_progress = run->show_progress, .stop = run->stop };
    struct pcap_file_stats cap = { 0 };
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int replay = pcap_file_replay(run->input, &opts, on_packet, r, &cap);

    struct run_summary s = {
        .capture = &cap,
        .decode = &r->path.decode.stats,
        .defrag = defrag_get_stats(r->path.defrag),
        .flow = &r->path.flow.stats,
        .eve_path = r->eve ? eve_path : NULL,
    };
    bool written = finish(r, &s);
    s.seconds = elapsed_since(&t0);
    summary_print(stderr, &s);

    packet_path_destroy(&r->path);
    flow_engine_destroy(&r->engine);
    free(r);
    return (replay == 0 && written) ? 0 : 2;
}
