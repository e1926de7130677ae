/* Counters across threads: each thread counts into its own plain structs
 * (no atomics on the hot path) and publishes a copy now and then under a
 * per-set mutex; the stats thread reads the copies and sums them. */
#ifndef VIGIL_RUNTIME_COUNTERS_H
#define VIGIL_RUNTIME_COUNTERS_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One uint64_t counter inside a stats struct, by its Suricata name
 * ("decoder.ipv4", "flow.mgr.flows_timeout"...). */
struct counter_field {
    const char *name;
    size_t offset;
};

/* How a counter combines across threads. */
enum counter_merge {
    COUNTER_SUM = 0,  /* totals add up (packets, flows...) */
    COUNTER_MAX,      /* the largest wins (max_pkt_size, queue_max...) */
};

/* One thread's published copy of one stats struct. */
struct counter_set {
    char thread_name[16];               /* "RX#01", "W#02", "FM#01"... */
    const struct counter_field *fields;
    size_t field_count;
    enum counter_merge (*merge_of)(const char *name);  /* NULL: all COUNTER_SUM */
    size_t struct_size;
    pthread_mutex_t lock;
    void *snapshot;                     /* struct_size bytes, the last published copy */
};

/* A value the stats thread reads on its own (flow.memuse, flow.spare...). */
struct counter_gauge {
    const char *name;
    uint64_t (*read)(void *arg);
    void *arg;
};

#define COUNTER_MAX_SETS 256
#define COUNTER_MAX_GAUGES 64

struct counter_registry {
    pthread_mutex_t lock;               /* guards registration */
    struct counter_set *sets[COUNTER_MAX_SETS];
    size_t set_count;
    struct counter_gauge gauges[COUNTER_MAX_GAUGES];
    size_t gauge_count;
    /* Every thread of the run has registered: readers on other threads
     * (the control socket) see the whole set or wait. */
    atomic_bool complete;
};

void counter_registry_init(struct counter_registry *r);
void counter_registry_destroy(struct counter_registry *r);

/* Called once the run's last set and gauge are registered. */
void counter_registry_mark_complete(struct counter_registry *r);
bool counter_registry_is_complete(const struct counter_registry *r);

/* Creates a set for one thread's stats struct and registers it; the
 * registry frees it. Returns NULL when out of memory or slots. */
struct counter_set *counter_set_register(struct counter_registry *r, const char *thread_name,
                                         const struct counter_field *fields, size_t field_count,
                                         size_t struct_size);

/* Called by the owning thread: copies its live struct into the snapshot. */
void counter_set_publish(struct counter_set *s, const void *live);

int counter_gauge_register(struct counter_registry *r, const char *name,
                           uint64_t (*read)(void *arg), void *arg);

/* Additions for the stats side (stats-sample.c). */

/* counter_set_register with a merge rule (NULL: all COUNTER_SUM). */
struct counter_set *counter_set_register_merged(struct counter_registry *r,
                                                const char *thread_name,
                                                const struct counter_field *fields,
                                                size_t field_count, size_t struct_size,
                                                enum counter_merge (*merge_of)(const char *name));

/* Called by the stats side: copies the last published snapshot into out
 * (struct_size bytes) under the set's mutex. */
void counter_set_read(struct counter_set *s, void *out);

/* How the named counter of s combines across threads. */
enum counter_merge counter_set_merge_of(const struct counter_set *s, const char *name);

/* Copies the registered set pointers (COUNTER_MAX_SETS room) and gauges
 * (COUNTER_MAX_GAUGES room) under the registry lock; returns the gauge
 * count. Sets live until counter_registry_destroy, so the pointers stay
 * valid after the lock is dropped. */
size_t counter_registry_list(struct counter_registry *r, struct counter_set **sets,
                             size_t *set_count, struct counter_gauge *gauges);

#endif
