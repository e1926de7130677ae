/* What every runmode shares for one run: the configuration, the hash seed,
 * the flow engine and the EVE writer, opened and closed in one place. */
#ifndef VIGIL_RUNTIME_ENGINE_H
#define VIGIL_RUNTIME_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow-engine.h"
#include "output/eve-writer.h"
#include "output/stats-log.h"
#include "runtime/config.h"
#include "runtime/counters.h"

struct vigil_engine {
    const struct vigil_config *cfg;
    uint32_t hash_seed;
    struct flow_engine flows;
    struct eve_writer *eve;        /* NULL when eve-log is off */
    struct eve_writer *flow_eve;   /* eve when flow records are on, else NULL */
    char eve_path[4096];
    unsigned long long eve_records;
    struct counter_registry counters;  /* every thread's counter sets and the gauges */
    struct stats_log *stats_log;       /* NULL when the stats output is off */
    struct stats_thread *stats_thread; /* ST: periodic and final reports */
};

/* Told about every engine that opens and closes, whichever runmode runs it:
 * the control socket attaches to the run this way. */
struct vigil_engine_observer {
    void (*opened)(void *arg, struct vigil_engine *ve);   /* before any thread starts */
    void (*closing)(void *arg, struct vigil_engine *ve);  /* threads stopped, parts still open */
    void *arg;
};

/* Sets (NULL: clears) the one observer; call before a run starts. */
void vigil_engine_set_observer(const struct vigil_engine_observer *observer);

/* Returns 0, or -1 after logging why (exit code 1: refused at start-up). */
int vigil_engine_open(struct vigil_engine *ve, const struct vigil_config *cfg, const char *log_dir);

/* Registers the counter sets of one thread: decoder, defrag and flow
 * structs may each be NULL. */
void vigil_engine_register_counters(struct vigil_engine *ve, const char *thread_name,
                                    struct counter_set **decode, struct counter_set **defrag,
                                    struct counter_set **flow);

/* Derives a thread's flow averages and publishes its flow counters. */
void vigil_engine_publish_flow(struct counter_set *set, struct flow_stats *stats);

/* Called once every thread's counters are registered: marks the registry
 * complete (dump-counters answers from then on) and starts the stats
 * thread when stats are on. Returns 0, or -1 after logging why. */
int vigil_engine_start_stats(struct vigil_engine *ve);

/* Writes the final stats report (threads have published their last
 * counters) and stops the stats thread. */
void vigil_engine_stop_stats(struct vigil_engine *ve);

/* Closes the EVE output and frees the flow engine. Returns false if the
 * EVE file could not be written completely (logged). */
bool vigil_engine_close(struct vigil_engine *ve);

#endif
