/* The manager's side of the table: timing out idle flows row by row with
 * trylock (a busy row is simply visited next pass) and ending emergency
 * mode. */
#include "flow/flow-engine.h"
#include "util/log.h"

/* Unlinks the row's timed-out idle flows to the worker's ended queue and
 * returns the earliest time a remaining flow could time out. */
static uint64_t timeout_row(struct flow_worker *w, struct flow_bucket *b, uint64_t now_us,
                            bool emergency)
{
    struct flow_engine *e = w->engine;
    struct flow_stats *st = &w->stats;
    uint64_t next = UINT64_MAX, length = 0;
    struct flow **link = &b->first[0];
    while (*link) {
        struct flow *f = *link;
        length++;
        st->mgr_flows_checked++;
        if (atomic_load(&f->use_count) == 0 && flow_timed_out(&e->timeouts, f, now_us, emergency)) {
            flow_bucket_unlink(b, link, f);
            f->end_reason = FLOW_END_TIMEOUT;
            st->mgr_flows_timeout++;
            st->mgr_flows_evicted++;
            flow_queue_push(&w->ended, f);
            continue;
        }
        st->mgr_flows_notimeout++;
        uint64_t earliest = flow_normal_timeout_at(&e->timeouts, f);
        if (earliest < next)
            next = earliest;
        link = &f->hash_next;
    }
    if (length > st->mgr_rows_maxlen)
        st->mgr_rows_maxlen = length;
    return next;
}

bool flow_manager_check_recovery(struct flow_worker *w, uint32_t passes)
{
    struct flow_engine *e = w->engine;
    if (!atomic_load(&e->emergency)) {
        e->recovery_passes = 0;
        return false;
    }
    uint64_t spares = flow_spare_pool_count(&e->spare);
    if (spares * 100 < (uint64_t)e->prealloc * e->emergency_recovery) {
        e->recovery_passes = 0;
        return false;
    }
    if (++e->recovery_passes < passes)
        return false;
    e->recovery_passes = 0;
    atomic_store(&e->emergency, false);
    w->stats.emerg_mode_over++;
    log_notice("flow engine leaving emergency mode: %llu spare flows",
               (unsigned long long)spares);
    return true;
}

void flow_manager_timeout_rows(struct flow_worker *w, uint32_t first, uint32_t last, uint64_t now_us)
{
    struct flow_engine *e = w->engine;
    bool emergency = atomic_load(&e->emergency);
    if (first == 0 && last >= e->table.size)
        w->stats.mgr_full_hash_pass++;
    for (uint32_t row = first; row < last && row < e->table.size; row++) {
        struct flow_bucket *b = &e->table.buckets[row];
        w->stats.mgr_rows_checked++;
        if (!emergency && now_us < atomic_load_explicit(&b->next_timeout_us, memory_order_relaxed)) {
            w->stats.mgr_rows_skipped++;
            continue;
        }
        if (!flow_bucket_trylock(&e->table, b))
            continue;
        atomic_store_explicit(&b->next_timeout_us, timeout_row(w, b, now_us, emergency),
                              memory_order_relaxed);
        flow_bucket_unlock(&e->table, b);
    }
    flow_worker_flush_ended(w, now_us);
    flow_engine_note_pressure(e);
}

uint32_t flow_manager_rows_for_pressure(struct flow_engine *e, uint32_t base)
{
    uint32_t size = e->table.size;
    uint64_t pressure = flow_engine_memuse(e) * 100 / flow_engine_memcap(e);
    if (pressure >= 90)
        return size;
    uint64_t rows = base + (uint64_t)size * pressure / 100;
    return rows > size ? size : (uint32_t)rows;
}

/* Carves up to one block of new flows into the global pool; returns how
 * many flow.memcap allowed. */
static uint32_t add_spare_block(struct flow_engine *e)
{
    struct flow_queue block;
    flow_queue_init(&block);
    uint32_t added = flow_spare_alloc_block(&e->spare, &block, FLOW_SPARE_BLOCK_SIZE);
    flow_spare_pool_return(&e->spare, &block);
    return added;
}

/* Gives one block of the global pool back to the slabs; returns its size. */
static uint32_t free_spare_block(struct flow_engine *e)
{
    struct flow_queue block;
    flow_queue_init(&block);
    uint32_t freed = flow_spare_pool_get_block(&e->spare, &block);
    flow_spare_free_block(&e->spare, &block);
    return freed;
}

/* Keeps the global pool at flow.prealloc in whole blocks, in one pass: tops
 * it up as far as flow.memcap allows (one block per pass left workers
 * carving flows one at a time for many passes after a burst had drained
 * it), and gives every whole block beyond it back to the slabs (after a
 * flood the flows it ended would otherwise hold flow.memuse up for good). */
static void balance_spares(struct flow_engine *e)
{
    uint32_t spares = flow_spare_pool_count(&e->spare);
    while (spares < e->prealloc) {
        uint32_t added = add_spare_block(e);
        spares += added;
        if (added < FLOW_SPARE_BLOCK_SIZE)
            return;
    }
    while (spares >= e->prealloc + FLOW_SPARE_BLOCK_SIZE) {
        uint32_t freed = free_spare_block(e);
        if (freed == 0)
            return;
        spares -= freed;
    }
}

uint32_t flow_manager_pass(struct flow_worker *w, uint32_t first, uint32_t rows, uint64_t now_us,
                           uint32_t recovery_passes)
{
    struct flow_engine *e = w->engine;
    uint32_t size = e->table.size;
    uint32_t next;
    w->stats.mgr_passes++;
    if (atomic_load(&e->emergency) || rows >= size) {
        flow_manager_timeout_rows(w, 0, size, now_us);
        next = 0;
    } else {
        uint32_t last = first + rows < size ? first + rows : size;
        flow_manager_timeout_rows(w, first, last, now_us);
        next = last >= size ? 0 : last;
    }
    balance_spares(e);
    flow_manager_check_recovery(w, recovery_passes);
    return next;
}
