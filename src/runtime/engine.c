/* Opening and closing the parts of a run that do not depend on the runmode;
 * every failure is logged with what was being opened and why. */
#include "runtime/engine.h"

#include <stdio.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/defrag.h"
#include "runtime/flow-output.h"
#include "runtime/stats-thread.h"
#include "util/hash.h"
#include "util/log.h"

static struct vigil_engine_observer observer;

void vigil_engine_set_observer(const struct vigil_engine_observer *o)
{
    observer = o ? *o : (struct vigil_engine_observer){0};
}

static enum counter_merge merge_of(const char *name)
{
    if (strcmp(name, "decoder.max_pkt_size") == 0 || flow_stats_is_max(name))
        return COUNTER_MAX;
    return COUNTER_SUM;
}

static uint64_t gauge_memuse(void *arg)
{
    return flow_engine_memuse(arg);
}

static uint64_t gauge_spare(void *arg)
{
    struct flow_engine *e = arg;
    return flow_spare_pool_count(&e->spare);
}

static uint64_t gauge_active(void *arg)
{
    struct flow_engine *e = arg;
    return atomic_load_explicit(&e->active_flows, memory_order_relaxed);
}

static uint64_t gauge_tcp_active(void *arg)
{
    struct flow_engine *e = arg;
    return atomic_load_explicit(&e->active_tcp_sessions, memory_order_relaxed);
}

static uint64_t gauge_pressure(void *arg)
{
    struct flow_engine *e = arg;
    return flow_engine_memuse(e) * 100 / flow_engine_memcap(e);
}

static uint64_t gauge_pressure_max(void *arg)
{
    struct flow_engine *e = arg;
    return atomic_load_explicit(&e->pressure_max, memory_order_relaxed);
}

static uint64_t gauge_eve_dropped(void *arg)
{
    return eve_writer_dropped(arg);
}

static void register_gauges(struct vigil_engine *ve)
{
    struct counter_registry *r = &ve->counters;
    struct flow_engine *e = &ve->flows;
    counter_gauge_register(r, "flow.memuse", gauge_memuse, e);
    counter_gauge_register(r, "flow.spare", gauge_spare, e);
    counter_gauge_register(r, "flow.active", gauge_active, e);
    counter_gauge_register(r, "tcp.active_sessions", gauge_tcp_active, e);
    counter_gauge_register(r, "memcap.pressure", gauge_pressure, e);
    counter_gauge_register(r, "memcap.pressure_max", gauge_pressure_max, e);
}

static int open_stats_log(struct vigil_engine *ve, const char *log_dir)
{
    const struct vigil_config *cfg = ve->cfg;
    if (!cfg->stats.enabled || !cfg->stats_log.enabled)
        return 0;
    struct stats_log_options opt = {
        .totals = cfg->stats_log.totals,
        .threads = cfg->stats_log.threads,
        .null_values = cfg->stats_log.null_values,
    };
    char err[512];
    ve->stats_log = stats_log_open(log_dir, cfg->stats_log.filename, &opt, err, sizeof(err));
    if (!ve->stats_log) {
        log_error("stats: cannot open output file %s", err);
        return -1;
    }
    return 0;
}

static int open_eve(struct vigil_engine *ve, const char *log_dir)
{
    const struct vigil_config *cfg = ve->cfg;
    if (!cfg->eve.enabled)
        return 0;
    char err[512];
    enum eve_filetype type = EVE_FILETYPE_REGULAR;
    eve_filetype_parse(cfg->eve.filetype, &type);
    ve->eve = eve_writer_open_type(log_dir, cfg->eve.filename, type, 0, err, sizeof(err));
    if (!ve->eve) {
        log_error("eve-log: cannot open output file %s", err);
        return -1;
    }
    snprintf(ve->eve_path, sizeof(ve->eve_path), "%s", eve_writer_path(ve->eve));
    ve->flow_eve = cfg->eve.log_flow ? ve->eve : NULL;
    /* stats.log only: the EVE stats schema has no place for it. */
    counter_gauge_register(&ve->counters, "eve.dropped", gauge_eve_dropped, ve->eve);
    return 0;
}

int vigil_engine_open(struct vigil_engine *ve, const struct vigil_config *cfg, const char *log_dir)
{
    memset(ve, 0, sizeof(*ve));
    ve->cfg = cfg;
    ve->hash_seed = hash_random_seed();
    char err[512];
    if (flow_engine_init(&ve->flows, cfg, ve->hash_seed, flow_logger_log, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return -1;
    }
    flow_engine_set_end_flush(&ve->flows, flow_logger_flush);
    counter_registry_init(&ve->counters);
    register_gauges(ve);
    if (open_eve(ve, log_dir) != 0 || open_stats_log(ve, log_dir) != 0) {
        vigil_engine_close(ve);
        return -1;
    }
    if (observer.opened)
        observer.opened(observer.arg, ve);
    return 0;
}

void vigil_engine_register_counters(struct vigil_engine *ve, const char *thread_name,
                                    struct counter_set **decode, struct counter_set **defrag,
                                    struct counter_set **flow)
{
    struct counter_registry *r = &ve->counters;
    if (decode)
        *decode = counter_set_register_merged(
            r, thread_name, (const struct counter_field *)decode_stats_fields,
            decode_stats_field_count, sizeof(struct decode_stats), merge_of);
    if (defrag)
        *defrag = counter_set_register_merged(
            r, thread_name, (const struct counter_field *)defrag_stats_fields,
            defrag_stats_field_count, sizeof(struct defrag_stats), merge_of);
    if (flow)
        *flow = counter_set_register_merged(
            r, thread_name, (const struct counter_field *)flow_stats_fields,
            flow_stats_field_count, sizeof(struct flow_stats), merge_of);
}

void vigil_engine_publish_flow(struct counter_set *set, struct flow_stats *stats)
{
    flow_stats_derive(stats);
    counter_set_publish(set, stats);
}

int vigil_engine_start_stats(struct vigil_engine *ve)
{
    counter_registry_mark_complete(&ve->counters);
    const struct vigil_config *cfg = ve->cfg;
    struct eve_writer *eve = cfg->eve.log_stats ? ve->eve : NULL;
    if (!cfg->stats.enabled || (!eve && !ve->stats_log))
        return 0;
    struct stats_thread_config sc = {
        .registry = &ve->counters,
        .interval = cfg->stats.interval,
        .stats_log = ve->stats_log,
        .eve = eve,
        .eve_options = {
            .totals = cfg->eve.stats_totals,
            .threads = cfg->eve.stats_threads,
            .deltas = cfg->eve.stats_deltas,
        },
    };
    char err[512];
    ve->stats_thread = stats_thread_start(&sc, err, sizeof(err));
    if (!ve->stats_thread) {
        log_error("stats: %s", err);
        return -1;
    }
    return 0;
}

void vigil_engine_stop_stats(struct vigil_engine *ve)
{
    if (!ve->stats_thread)
        return;
    char err[512];
    if (!stats_thread_stop(ve->stats_thread, err, sizeof(err)))
        log_warning("stats: %s", err);
    ve->stats_thread = NULL;
}

bool vigil_engine_close(struct vigil_engine *ve)
{
    bool ok = true;
    if (observer.closing)
        observer.closing(observer.arg, ve);
    vigil_engine_stop_stats(ve);
    if (ve->stats_log) {
        char err[512];
        if (!stats_log_close(ve->stats_log, err, sizeof(err)))
            log_warning("stats: %s", err);
        ve->stats_log = NULL;
    }
    if (ve->eve) {
        char err[512];
        ve->eve_records = eve_writer_records(ve->eve);
        if (!eve_writer_close(ve->eve, err, sizeof(err))) {
            log_error("eve-log: %s", err);
            ok = false;
        }
        ve->eve = ve->flow_eve = NULL;
    }
    counter_registry_destroy(&ve->counters);
    flow_engine_destroy(&ve->flows);
    return ok;
}
