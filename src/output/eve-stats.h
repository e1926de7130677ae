/* The EVE "stats" record: a stats_sample as nested objects (dotted names
 * split at the dots), limited to the counters the EVE schema knows. */
#ifndef VIGIL_OUTPUT_EVE_STATS_H
#define VIGIL_OUTPUT_EVE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/json-builder.h"
#include "runtime/stats-sample.h"

/* Suricata's eve-log "stats" options; vigil_config.eve.stats_*. */
struct eve_stats_options {
    bool totals;   /* merged counters directly under "stats" (default yes) */
    bool threads;  /* "threads": {"<thread>": {...}} (default no; not in the schema) */
    bool deltas;   /* "<name>_delta": change since the previous record (default no;
                    * not in the schema) */
};

/* Holds the options, the key tree of the names seen so far and, for deltas,
 * the values of the previous record. One per EVE stats output. */
struct eve_stats;

struct eve_stats *eve_stats_new(const struct eve_stats_options *opt);
void eve_stats_free(struct eve_stats *e);

/* Resets jb and builds one record for s stamped ts_us (microseconds since
 * the epoch); counters the schema does not list are left out. With deltas,
 * the values become the base of the next record's deltas. Returns false when
 * out of memory or jb failed. */
bool eve_stats_build(struct eve_stats *e, const struct stats_sample *s, uint64_t ts_us,
                     struct json_builder *jb);

/* True when the dotted name is a counter of the schema's "stats" object. */
bool eve_stats_name_allowed(const char *name);

/* Generated from the schema by qa/tools/schema-stats-names.py, sorted. */
extern const char *const eve_stats_schema_names[];
extern const size_t eve_stats_schema_name_count;

#endif
