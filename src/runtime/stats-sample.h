/* One reading of every registered counter: totals merged over threads, the
 * per-thread values and the gauges, under stable names for the stats outputs. */
#ifndef VIGIL_RUNTIME_STATS_SAMPLE_H
#define VIGIL_RUNTIME_STATS_SAMPLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/counters.h"

struct stats_set_map {
    size_t thread;   /* index into thread_names */
    size_t *slots;   /* field i of the set -> index into names */
};

/* Read-only for the outputs: names, totals, threads. A name keeps its index
 * from the sample that first saw it, so outputs may key state (deltas) on it.
 * Order: set counters in registration order (set by set, field by field),
 * then gauges in registration order; a name seen again keeps its place. */
struct stats_sample {
    uint64_t uptime;                 /* seconds, as given to stats_sample_collect */
    size_t name_count;
    const char **names;              /* borrowed from the field tables and gauges */
    bool *is_gauge;
    uint64_t *totals;                /* merged over threads; a gauge read once */
    size_t thread_count;
    char (*thread_names)[16];        /* in first registration order */
    uint64_t *thread_values;         /* [thread][name], stride name_count */
    bool *thread_has;                /* same layout: the thread reports that name */

    /* Bookkeeping of what the registry held at the last collect. */
    size_t name_cap, thread_cap, matrix_cap;
    size_t known_sets, known_gauges;
    struct stats_set_map set_maps[COUNTER_MAX_SETS];
    size_t gauge_slots[COUNTER_MAX_GAUGES];
    void *scratch;
    size_t scratch_size;
};

void stats_sample_init(struct stats_sample *s);
void stats_sample_free(struct stats_sample *s);

/* Reads every set's snapshot and every gauge of r into s. Returns false when
 * out of memory (s then holds no values: name_count may have grown, totals
 * are stale); a later call retries. */
bool stats_sample_collect(struct stats_sample *s, struct counter_registry *r, uint64_t uptime);

/* Index of a name, or -1. Linear; for tests and occasional look-ups. */
long stats_sample_find(const struct stats_sample *s, const char *name);

static inline uint64_t stats_sample_thread_value(const struct stats_sample *s, size_t thread,
                                                 size_t name)
{
    return s->thread_values[thread * s->name_count + name];
}

static inline bool stats_sample_thread_has(const struct stats_sample *s, size_t thread,
                                           size_t name)
{
    return s->thread_has[thread * s->name_count + name];
}

#endif
