/* Engine set-up and the worker's spare handling: where a new flow comes
 * from (private spares, a pool block, memcap-bounded allocation, forced
 * reuse of an idle flow) and where an ended flow goes (log, then spares). */
#include "flow/flow-engine.h"

#include <stdio.h>
#include <string.h>

#include "flow/flow-hash.h"
#include "util/hash.h"
#include "util/log.h"

int flow_engine_init(struct flow_engine *e, const struct vigil_config *cfg, uint32_t hash_seed,
                     flow_end_fn on_end, void *on_end_ctx, char *err, size_t errlen)
{
    memset(e, 0, sizeof(*e));
    e->hash_seed = hash_seed;
    e->prealloc = cfg->flow.prealloc;
    e->emergency_recovery = cfg->flow.emergency_recovery;
    e->use_vlan = cfg->vlan_use_for_tracking;
    e->on_end = on_end;
    e->on_end_ctx = on_end_ctx;
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

uint64_t flow_engine_memuse(struct flow_engine *e)
{
    return atomic_load(&e->spare.memuse);
}

void flow_worker_init(struct flow_worker *w, struct flow_engine *e)
{
    memset(w, 0, sizeof(*w));
    w->engine = e;
    flow_queue_init(&w->spare);
    flow_queue_init(&w->ended);
}

void flow_worker_release(struct flow_worker *w)
{
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
    else if (f->end_reason == FLOW_END_SHUTDOWN)
        st->flows_shutdown++;
}

/* Logs f and makes it a spare of this worker; f is out of the table. */
static void flow_worker_recycle(struct flow_worker *w, struct flow *f, uint64_t now_us)
{
    count_end(&w->stats, f);
    w->engine->on_end(w->engine->on_end_ctx, f, now_us);
    flow_reset(f);
    flow_queue_push(&w->spare, f);
    if (w->spare.len > 3 * FLOW_SPARE_BLOCK_SIZE) {
        struct flow_queue block;
        flow_queue_init(&block);
        while (block.len < FLOW_SPARE_BLOCK_SIZE)
            flow_queue_push(&block, flow_queue_pop(&w->spare));
        flow_spare_pool_return(&w->engine->spare, &block);
    }
}

void flow_worker_flush_ended(struct flow_worker *w, uint64_t now_us)
{
    struct flow *f;
    while ((f = flow_queue_pop(&w->ended)) != NULL)
        flow_worker_recycle(w, f, now_us);
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
        if (b == own || !b->head)
            continue;
        w->stats.get_used_eval++;
        if (!spinlock_trylock(&b->lock)) {
            w->stats.get_used_eval_busy++;
            continue;
        }
        struct flow **link = &b->head;
        while (*link && atomic_load(&(*link)->use_count) != 0)
            link = &(*link)->hash_next;
        struct flow *f = *link;
        if (f)
            flow_bucket_unlink(link, f);
        spinlock_unlock(&b->lock);
        if (f) {
            f->end_reason = FLOW_END_FORCED;
            count_end(&w->stats, f);
            e->on_end(e->on_end_ctx, f, now_us);
            flow_reset(f);
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

struct flow *flow_get_new(struct flow_worker *w, const struct flow_bucket *own, uint64_t now_us)
{
    struct flow *f = flow_queue_pop(&w->spare);
    if (f)
        return f;
    if (flow_spare_pool_get_block(&w->engine->spare, &w->spare) > 0)
        return flow_queue_pop(&w->spare);
    f = flow_spare_alloc(&w->engine->spare);
    if (f)
        return f;
    w->stats.memcap_refused++;
    enter_emergency(w);
    return flow_get_used(w, own, now_us);
}
