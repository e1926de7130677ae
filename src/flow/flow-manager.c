/* The manager's side of the table: timing out idle flows row by row with
 * trylock (a busy row is simply visited next pass), ending emergency mode,
 * and emptying the table at shutdown. */
#include "flow/flow-engine.h"
#include "util/log.h"

static void timeout_row(struct flow_worker *w, struct flow_bucket *b, uint64_t now_us,
                        bool emergency)
{
    struct flow_engine *e = w->engine;
    struct flow **link = &b->head;
    while (*link) {
        struct flow *f = *link;
        if (atomic_load(&f->use_count) == 0 && flow_timed_out(&e->timeouts, f, now_us, emergency)) {
            flow_bucket_unlink(link, f);
            f->end_reason = FLOW_END_TIMEOUT;
            flow_queue_push(&w->ended, f);
            continue;
        }
        link = &f->hash_next;
    }
}

static void maybe_end_emergency(struct flow_worker *w)
{
    struct flow_engine *e = w->engine;
    if (!atomic_load(&e->emergency))
        return;
    uint64_t spares = flow_spare_pool_count(&e->spare) + w->spare.len;
    if (spares * 100 >= (uint64_t)e->prealloc * e->emergency_recovery) {
        atomic_store(&e->emergency, false);
        log_notice("flow engine leaving emergency mode: %llu spare flows",
                   (unsigned long long)spares);
    }
}

void flow_manager_timeout_rows(struct flow_worker *w, uint32_t first, uint32_t last, uint64_t now_us)
{
    struct flow_engine *e = w->engine;
    bool emergency = atomic_load(&e->emergency);
    for (uint32_t row = first; row < last && row < e->table.size; row++) {
        struct flow_bucket *b = &e->table.buckets[row];
        if (!b->head || !spinlock_trylock(&b->lock))
            continue;
        timeout_row(w, b, now_us, emergency);
        spinlock_unlock(&b->lock);
    }
    flow_worker_flush_ended(w, now_us);
    maybe_end_emergency(w);
}

void flow_engine_shutdown_flows(struct flow_worker *w, uint64_t now_us)
{
    struct flow_engine *e = w->engine;
    for (uint32_t row = 0; row < e->table.size; row++) {
        struct flow_bucket *b = &e->table.buckets[row];
        spinlock_lock(&b->lock);
        struct flow *f;
        while ((f = b->head) != NULL) {
            flow_bucket_unlink(&b->head, f);
            f->end_reason = FLOW_END_SHUTDOWN;
            flow_queue_push(&w->ended, f);
        }
        spinlock_unlock(&b->lock);
        if (w->ended.len >= FLOW_SPARE_BLOCK_SIZE)
            flow_worker_flush_ended(w, now_us);
    }
    flow_worker_flush_ended(w, now_us);
}
