/* Engine set-up and the worker's spare handling: where a new flow comes
 * from (private spares, a pool block, memcap-bounded allocation, forced
 * reuse of an idle flow) and where an ended flow goes (log, then spares). */
#include "flow/flow-engine.h"

#include <stdio.h>
#include <string.h>

#include "flow/flow-hash.h"
#include "flow/flow-recycler.h"
#include "util/hash.h"
#include "util/log.h"

int flow_engine_init(struct flow_engine *e, const struct vigil_config *cfg, uint32_t hash_seed,
                     flow_end_fn on_end, char *err, size_t errlen)
{
    memset(e, 0, sizeof(*e));
    e->hash_seed = hash_seed;
    e->prealloc = cfg->flow.prealloc;
    e->emergency_recovery = cfg->flow.emergency_recovery;
    e->use_vlan = cfg->vlan_use_for_tracking;
    e->on_end = on_end;
    flow_timeouts_from_config(&e->timeouts, cfg->timeouts);
    /* Ids start at a seed-derived point so two runs do not reuse the same ids. */
    atomic_init(&e->next_flow_seq, hash_finish(hash_mix(hash_seed, 0x666c6f77)));
    uint64_t table_bytes = flow_table_bytes(cfg->flow.hash_size);
    uint64_t needed = table_bytes + (uint64_t)cfg->flow.prealloc * FLOW_MEMORY_SIZE;
    if (needed > cfg->flow.memcap) {
        snprintf(err, errlen,
                 "flow.memcap %llu bytes is too small for flow.hash-size %u and flow.prealloc %u "
                 "(need %llu bytes)",
                 (unsigned long long)cfg->flow.memcap, cfg->flow.hash_size, cfg->flow.prealloc,
                 (unsigned long long)needed);
        return -1;
    }
    if (flow_table_init(&e->table, cfg->flow.hash_size) != 0 ||
        flow_spare_pool_init(&e->spare, cfg->flow.memcap, table_bytes, cfg->flow.prealloc) != 0) {
        snprintf(err, errlen, "cannot allocate the flow table (%llu bytes)",
                 (unsigned long long)needed);
        return -1;
    }
    return 0;
}

void flow_engine_destroy(struct flow_engine *e)
{
    flow_spare_pool_destroy(&e->spare);
    flow_table_destroy(&e->table);
}

void flow_engine_set_end_flush(struct flow_engine *e, flow_end_flush_fn on_end_flush)
{
    e->on_end_flush = on_end_flush;
}

uint64_t flow_engine_memuse(struct flow_engine *e)
{
    return atomic_load(&e->spare.memuse);
}

uint64_t flow_engine_memcap(struct flow_engine *e)
{
    return atomic_load_explicit(&e->spare.memcap, memory_order_relaxed);
}

bool flow_engine_set_memcap(struct flow_engine *e, uint64_t memcap)
{
    if (memcap == 0 || memcap < flow_engine_memuse(e))
        return false;
    atomic_store_explicit(&e->spare.memcap, memcap, memory_order_relaxed);
    return true;
}

void flow_engine_keep_bucket_locks(struct flow_engine *e)
{
    e->keep_bucket_locks = true;
}

void flow_engine_set_single_threaded(struct flow_engine *e)
{
    if (!e->keep_bucket_locks)
        e->table.shared = false;
}

void flow_engine_note_pressure(struct flow_engine *e)
{
    uint64_t pressure = flow_engine_memuse(e) * 100 / flow_engine_memcap(e);
    uint64_t seen = atomic_load_explicit(&e->pressure_max, memory_order_relaxed);
    while (pressure > seen &&
           !atomic_compare_exchange_weak(&e->pressure_max, &seen, pressure))
        ;
}

void flow_worker_init(struct flow_worker *w, struct flow_engine *e, void *log_ctx)
{
    memset(w, 0, sizeof(*w));
    w->engine = e;
    w->log_ctx = log_ctx;
    flow_queue_init(&w->spare);
    flow_queue_init(&w->ended);
}

void flow_worker_release(struct flow_worker *w)
{
    if (w->engine == NULL)
        return;
    flow_spare_pool_return(&w->engine->spare, &w->spare);
}

static void count_end(struct flow_stats *st, const struct flow *f)
{
    if (f->state == FLOW_STATE_NEW)
        st->end_state_new++;
    else if (f->state == FLOW_STATE_ESTABLISHED)
        st->end_state_established++;
    else
        st->end_state_closed++;
    if (f->key.proto == 6 && (unsigned)f->tcp_state <= TCP_STATE_CLOSED)
        st->end_tcp_state[f->tcp_state]++;
    if (f->end_reason == FLOW_END_TIMEOUT)
        st->flows_timeout++;
    else if (f->end_reason == FLOW_END_FORCED)
        st->flows_forced++;
    else
        st->flows_shutdown++;
}

void flow_log_ended(struct flow_engine *e, void *log_ctx, struct flow_stats *st,
                    struct flow_end_tally *tally, struct flow *f, uint64_t now_us)
{
    if (atomic_load_explicit(&e->emergency, memory_order_relaxed))
        f->emergency = true;
    tally->flows++;
    if (f->tcp_state != TCP_STATE_NONE)
        tally->tcp_sessions++;
    count_end(st, f);
    e->on_end(log_ctx, f, now_us);
    flow_reset(f);
}

void flow_log_flush(struct flow_engine *e, void *log_ctx)
{
    if (e->on_end_flush)
        e->on_end_flush(log_ctx);
}

void flow_end_tally_settle(struct flow_engine *e, struct flow_end_tally *tally)
{
    if (tally->flows)
        atomic_fetch_sub_explicit(&e->active_flows, tally->flows, memory_order_relaxed);
    if (tally->tcp_sessions)
        atomic_fetch_sub_explicit(&e->active_tcp_sessions, tally->tcp_sessions,
                                  memory_order_relaxed);
    tally->flows = 0;
    tally->tcp_sessions = 0;
}

/* Keeps at most three blocks of private spares; the rest go back whole. */
static void flow_worker_trim_spares(struct flow_worker *w)
{
    if (w->spare.len <= 3 * FLOW_SPARE_BLOCK_SIZE)
        return;
    struct flow_queue block;
    flow_queue_init(&block);
    while (block.len < FLOW_SPARE_BLOCK_SIZE)
        flow_queue_push(&block, flow_queue_pop(&w->spare));
    flow_spare_pool_return(&w->engine->spare, &block);
}

void flow_worker_flush_ended(struct flow_worker *w, uint64_t now_us)
{
    if (w->engine->recycler)
        flow_recycler_submit(w->engine->recycler, &w->ended, now_us);
    else
        flow_worker_log_ended(w, now_us);
}

void flow_worker_log_ended(struct flow_worker *w, uint64_t now_us)
{
    struct flow_end_tally tally = { 0 };
    struct flow *f;
    while ((f = flow_queue_pop(&w->ended)) != NULL) {
        flow_log_ended(w->engine, w->log_ctx, &w->stats, &tally, f, now_us);
        flow_queue_push(&w->spare, f);
        flow_worker_trim_spares(w);
    }
    if (tally.flows)
        flow_log_flush(w->engine, w->log_ctx);
    flow_end_tally_settle(w->engine, &tally);
}

/* Unlinks the chain's last flow without users: chains grow at the head,
 * so that is the one that has been around longest. Bucket locked. */
static struct flow *take_oldest_idle(struct flow_worker *w, struct flow_bucket *b)
{
    struct flow **victim = NULL;
    for (struct flow **link = &b->first[0]; *link; link = &(*link)->hash_next) {
        w->stats.get_used_eval++;
        if (atomic_load(&(*link)->use_count) == 0)
            victim = link;
        else
            w->stats.get_used_eval_reject++;
    }
    if (!victim)
        return NULL;
    struct flow *f = *victim;
    flow_bucket_unlink(b, victim, f);
    return f;
}

/* Emergency: take an idle flow from some other bucket (trylock only, a
 * bounded walk from a moving cursor), log it as forced and reuse it. */
static struct flow *flow_get_used(struct flow_worker *w, const struct flow_bucket *own,
                                  uint64_t now_us)
{
    struct flow_engine *e = w->engine;
    w->stats.get_used++;
    for (unsigned tries = 0; tries < 1024; tries++) {
        uint32_t row = atomic_fetch_add(&e->forced_cursor, 1) % e->table.size;
        struct flow_bucket *b = &e->table.buckets[row];
        if (b == own)
            continue;
        if (!flow_bucket_trylock(&e->table, b)) {
            w->stats.get_used_eval_busy++;
            continue;
        }
        struct flow *f = take_oldest_idle(w, b);
        flow_bucket_unlock(&e->table, b);
        if (f) {
            /* Logged here, at once: the flow is reused right away. */
            f->end_reason = FLOW_END_FORCED;
            f->emergency = true;
            struct flow_end_tally tally = { 0 };
            flow_log_ended(e, w->log_ctx, &w->stats, &tally, f, now_us);
            flow_log_flush(e, w->log_ctx);
            flow_end_tally_settle(e, &tally);
            return f;
        }
    }
    w->stats.get_used_failed++;
    return NULL;
}

static void enter_emergency(struct flow_worker *w)
{
    bool was = false;
    if (atomic_compare_exchange_strong(&w->engine->emergency, &was, true)) {
        w->stats.emerg_mode_entered++;
        log_warning("flow engine entering emergency mode: no spare flows and flow.memcap "
                    "reached (%llu bytes in use)",
                    (unsigned long long)flow_engine_memuse(w->engine));
    }
}

/* In emergency mode a worker tries the global pool and the allocator at
 * most once a second (of packet time): they are known to be dry. */
static bool may_retry_pool(struct flow_worker *w, uint64_t now_us)
{
    if (!atomic_load_explicit(&w->engine->emergency, memory_order_relaxed))
        return true;
    if (now_us < w->last_pool_retry_us + 1000000u && w->last_pool_retry_us != 0)
        return false;
    w->last_pool_retry_us = now_us;
    return true;
}

struct flow *flow_get_new(struct flow_worker *w, const struct flow_bucket *own, uint64_t now_us)
{
    struct flow *f = flow_queue_pop(&w->spare);
    if (f)
        return f;
    if (may_retry_pool(w, now_us)) {
        uint32_t got = flow_spare_pool_get_block(&w->engine->spare, &w->spare);
        w->stats.spare_sync++;
        w->stats.spare_sync_got += got;
        if (got == 0)
            w->stats.spare_sync_empty++;
        else if (got < FLOW_SPARE_BLOCK_SIZE)
            w->stats.spare_sync_incomplete++;
        if (got > 0)
            return flow_queue_pop(&w->spare);
        /* The pool is dry: carve a block at once rather than one flow per
         * new conversation, each behind the pool's mutex. */
        if (flow_spare_alloc_block(&w->engine->spare, &w->spare, FLOW_SPARE_BLOCK_SIZE) > 0) {
            flow_engine_note_pressure(w->engine);
            return flow_queue_pop(&w->spare);
        }
        w->stats.memcap_refused++;
        enter_emergency(w);
    }
    return flow_get_used(w, own, now_us);
}
