/* The flow engine: the shared table, spare pool and timeouts, and the
 * per-thread worker state through which packets find or create flows. */
#ifndef VIGIL_FLOW_FLOW_ENGINE_H
#define VIGIL_FLOW_FLOW_ENGINE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "flow/flow-queue.h"
#include "flow/flow-spare.h"
#include "flow/flow-stats.h"
#include "flow/flow-table.h"
#include "flow/flow-timeout.h"
#include "runtime/config.h"

/* Called once for every flow that ends, before it is recycled, with the
 * logging context of the thread that ends it (its own JSON buffer). */
typedef void (*flow_end_fn)(void *log_ctx, const struct flow *f, uint64_t now_us);
/* Called after each run of flow_end_fn calls a thread makes in one go, so
 * an output may gather a run's records and hand them on together. */
typedef void (*flow_end_flush_fn)(void *log_ctx);

struct flow_recycler;

#define FLOW_ENGINE_CACHE_LINE 64

/* Read-mostly fields first; what threads write often (the spare pool's
 * locks, the shared counters) sits on cache lines of its own, so that a
 * flow created or ended on one core does not take the table pointer every
 * packet reads away from the others. A line of padding keeps the groups
 * apart however the engine is allocated (calloc gives no 64-byte
 * alignment, so alignas would not hold). */
struct flow_engine {
    struct flow_table table;
    struct flow_timeouts timeouts;
    uint32_t hash_seed;
    uint32_t prealloc;
    uint32_t emergency_recovery;   /* percent of prealloc */
    bool use_vlan;
    /* Another thread (the control socket) reads the table under bucket
     * locks, so even one worker must take them. */
    bool keep_bucket_locks;
    atomic_bool emergency;
    flow_end_fn on_end;
    flow_end_flush_fn on_end_flush;  /* NULL: the output keeps nothing back */
    /* When set, ended flows go to the recycler thread to be logged;
     * otherwise the thread that ended them logs them at once. */
    struct flow_recycler *recycler;
    uint32_t recovery_passes;      /* manager passes in a row above emergency-recovery */

    uint8_t apart_from_spare[FLOW_ENGINE_CACHE_LINE];
    struct flow_spare_pool spare;
    uint8_t apart_from_counters[FLOW_ENGINE_CACHE_LINE];
    atomic_uint_fast64_t next_flow_seq;
    atomic_uint forced_cursor;     /* where the next forced reuse starts looking */
    atomic_uint_fast64_t active_flows;        /* flow.active: created, not yet ended */
    atomic_uint_fast64_t active_tcp_sessions; /* tcp.active_sessions */
    atomic_uint_fast64_t pressure_max;        /* memcap.pressure_max, percent */
};

/* Flows a thread has ended and not yet taken off the engine's shared
 * active counts: those go down once per batch, not once per flow. */
struct flow_end_tally {
    uint64_t flows;
    uint64_t tcp_sessions;
};

struct flow_worker {
    struct flow_engine *engine;
    void *log_ctx;                 /* passed to on_end: this thread's output state */
    struct flow_queue spare;       /* private spares, refilled by blocks */
    struct flow_queue ended;       /* unlinked flows waiting to be logged */
    uint64_t last_pool_retry_us;   /* emergency: when the global pool was last tried */
    struct flow_stats stats;
};

/* Returns 0, or -1 with a message in err (size errlen). */
int flow_engine_init(struct flow_engine *e, const struct vigil_config *cfg, uint32_t hash_seed,
                     flow_end_fn on_end, char *err, size_t errlen);
void flow_engine_destroy(struct flow_engine *e);
/* Before any flow ends. */
void flow_engine_set_end_flush(struct flow_engine *e, flow_end_flush_fn on_end_flush);

void flow_worker_init(struct flow_worker *w, struct flow_engine *e, void *log_ctx);
/* Hands the worker's spares back to the pool. A worker never initialised
 * (zeroed: a set-up that failed before it) has none, so tearing down after
 * any failure may release every worker. */
void flow_worker_release(struct flow_worker *w);

/* Finds or creates p's flow and accounts p to it. Returns NULL for packets
 * that make no flow (no key, an ICMP error quoting no known flow, refused in
 * emergency). Ended flows met on the way are logged before returning. */
struct flow *flow_handle_packet(struct flow_worker *w, struct packet *p);

/* flow_handle_packet for a burst of packets, prefetching buckets and chains
 * first; a hash the capture side computed (flow_packet_hash) is reused. */
void flow_handle_burst(struct flow_worker *w, struct packet **packets, unsigned n);

/* A flow for a new conversation: private spares, then a pool block, then
 * allocation under memcap, then (emergency) an idle flow reused by force.
 * own is the bucket the caller holds locked. NULL when none can be had. */
struct flow *flow_get_new(struct flow_worker *w, const struct flow_bucket *own, uint64_t now_us);

/* Computes p's flow hash for dispatch (autofp: worker = hash % workers);
 * flow_handle_packet then reuses it. False for packets that make no flow. */
bool flow_packet_hash(const struct flow_engine *e, struct packet *p);

/* Logs and recycles every flow the worker has unlinked (or hands them to
 * the recycler). */
void flow_worker_flush_ended(struct flow_worker *w, uint64_t now_us);
/* Logs and recycles them on this thread, recycler or not. */
void flow_worker_log_ended(struct flow_worker *w, uint64_t now_us);

/* Logs f (reason already set) and resets it; counts it in st and tally.
 * For the recycler and the worker's own inline path, which settle the
 * tally after each batch. */
void flow_log_ended(struct flow_engine *e, void *log_ctx, struct flow_stats *st,
                    struct flow_end_tally *tally, struct flow *f, uint64_t now_us);
/* After a batch of flow_log_ended: the output hands on what it gathered. */
void flow_log_flush(struct flow_engine *e, void *log_ctx);
/* Takes the tally's flows off the engine's active counts and clears it. */
void flow_end_tally_settle(struct flow_engine *e, struct flow_end_tally *tally);

/* Times out idle flows in rows [first, last) at now (manager pass); rows
 * whose earliest timeout is later than now are skipped without locking. */
void flow_manager_timeout_rows(struct flow_worker *w, uint32_t first, uint32_t last, uint64_t now_us);

/* Rows for one pass: base, plus a share of the table that grows with
 * memcap pressure (the whole table at 90 % and above). */
uint32_t flow_manager_rows_for_pressure(struct flow_engine *e, uint32_t base);

/* One manager pass at now: rows [first, first + rows) (the whole table in
 * emergency mode), then the spare pool topped up toward flow.prealloc and
 * emergency mode ended once recovered for `recovery_passes` passes.
 * Returns the row the next pass starts at. */
uint32_t flow_manager_pass(struct flow_worker *w, uint32_t first, uint32_t rows, uint64_t now_us,
                           uint32_t recovery_passes);

/* Ends emergency mode once the spares have stayed above
 * flow.emergency-recovery percent of flow.prealloc for `passes` calls in a
 * row; returns true when it ended it. */
bool flow_manager_check_recovery(struct flow_worker *w, uint32_t passes);

/* End of input: ends every flow left in the table once, as `timeout` when
 * it is idle past its timeout at now (any pass would have ended it so),
 * else as `shutdown`. The same in every runmode, so reasons are
 * deterministic. */
void flow_engine_shutdown_flows(struct flow_worker *w, uint64_t now_us);

/* The same with several threads ending and logging flows, workers[i] with
 * its own logger, each taking the table's rows a chunk at a time: workers[0]
 * on the calling thread, the others on threads of their own (FS). As many
 * threads as workers, the CPUs the caller may use and
 * FLOW_SHUTDOWN_MAX_THREADS allow. No packet may reach the table meanwhile. */
#define FLOW_SHUTDOWN_MAX_THREADS 16u
void flow_engine_shutdown_flows_parallel(struct flow_worker *const *workers, unsigned n,
                                         uint64_t now_us);

uint64_t flow_engine_memuse(struct flow_engine *e);

/* flow.memcap as flow allocation reads it. */
uint64_t flow_engine_memcap(struct flow_engine *e);

/* Changes flow.memcap while workers run; false (unchanged) for 0 or a
 * value below flow.memuse. */
bool flow_engine_set_memcap(struct flow_engine *e, uint64_t memcap);

/* Keeps bucket locks even in the single runmode: call before
 * flow_engine_set_single_threaded when another thread will read the table. */
void flow_engine_keep_bucket_locks(struct flow_engine *e);

/* For runmodes where one thread alone touches the flow table: bucket locks
 * are skipped (unless flow_engine_keep_bucket_locks). Call before any packet. */
void flow_engine_set_single_threaded(struct flow_engine *e);

/* Notes the current memcap pressure in memcap.pressure_max. */
void flow_engine_note_pressure(struct flow_engine *e);

#endif
