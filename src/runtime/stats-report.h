/* One stats report: sample the counter registry and write the sample to
 * stats.log and/or an EVE stats record; used by the stats thread and, at
 * exit, directly by single-threaded runs. */
#ifndef VIGIL_RUNTIME_STATS_REPORT_H
#define VIGIL_RUNTIME_STATS_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/eve-stats.h"
#include "output/eve-writer.h"
#include "output/stats-log.h"
#include "runtime/counters.h"

struct stats_thread_config {
    struct counter_registry *registry;    /* borrowed */
    uint32_t interval;                    /* seconds between reports: stats.interval */
    struct stats_log *stats_log;          /* borrowed; NULL: no stats.log */
    struct eve_writer *eve;               /* borrowed; NULL: no EVE stats records */
    struct eve_stats_options eve_options; /* vigil_config.eve.stats_{totals,threads,deltas} */
    /* Clocks, NULL for the system's: uptime in seconds (default: since
     * stats_reporter_new, monotonic), wall time in microseconds since the
     * epoch (default: CLOCK_REALTIME) for the EVE timestamp and the stats.log
     * Date. Offline runs may pass packet-time clocks. Called from the stats
     * thread. */
    uint64_t (*uptime)(void *arg);
    uint64_t (*wall_us)(void *arg);
    void *clock_arg;
};

struct stats_reporter;

/* Copies cfg. Returns NULL when out of memory. */
struct stats_reporter *stats_reporter_new(const struct stats_thread_config *cfg);
void stats_reporter_free(struct stats_reporter *r);

/* Samples the registry and writes every configured output (the EVE record
 * is flushed at once). Returns false with the first error ("<path>: <reason>"
 * or what ran out) in err when any output failed; the others are still
 * written. One caller at a time per reporter. */
bool stats_write_now(struct stats_reporter *r, char *err, size_t errlen);

/* The sample of the last stats_write_now, e.g. for a counters dump. */
const struct stats_sample *stats_reporter_sample(const struct stats_reporter *r);

#endif
