/* The recycler: one thread that drains the queue of ended flows, logs each
 * exactly once through the engine's end callback and hands the flows back
 * to the global spare pool a block at a time. */
#include "flow/flow-recycler.h"

#include <string.h>

#include "flow/flow-engine.h"
#include "util/cpu-affinity.h"

static void recycle_batch(struct flow_recycler *r, struct flow_queue *batch, uint64_t now_us)
{
    struct flow_queue block;
    flow_queue_init(&block);
    struct flow_end_tally tally = { 0 };
    struct flow *f;
    while ((f = flow_queue_pop(batch)) != NULL) {
        flow_log_ended(r->engine, r->log_ctx, &r->stats, &tally, f, now_us);
        r->stats.recycled++;
        flow_queue_push(&block, f);
        if (block.len == FLOW_SPARE_BLOCK_SIZE) {
            flow_end_tally_settle(r->engine, &tally);
            flow_spare_pool_return(&r->engine->spare, &block);
        }
    }
    flow_log_flush(r->engine, r->log_ctx);
    flow_end_tally_settle(r->engine, &tally);
    flow_spare_pool_return(&r->engine->spare, &block);
}

static void note_queue_length(struct flow_stats *st, uint32_t len)
{
    st->recycler_queue_sum += len;
    st->recycler_queue_samples++;
    if (len > st->recycler_queue_max)
        st->recycler_queue_max = len;
}

static void *recycler_main(void *arg)
{
    struct flow_recycler *r = arg;
    pthread_setname_np(pthread_self(), "FR#01");
    cpu_affinity_pin_self(CPU_AFFINITY_MANAGEMENT, CPU_AFFINITY_SLOT_FR, "FR#01");
    pthread_mutex_lock(&r->lock);
    for (;;) {
        while (!r->queue.head && !r->stopping)
            pthread_cond_wait(&r->wake, &r->lock);
        if (!r->queue.head && r->stopping)
            break;
        struct flow_queue batch = r->queue;
        uint64_t now_us = r->now_us;
        flow_queue_init(&r->queue);
        r->busy = true;
        pthread_mutex_unlock(&r->lock);
        note_queue_length(&r->stats, batch.len);
        recycle_batch(r, &batch, now_us);
        if (r->publish) {
            flow_stats_derive(&r->stats);
            r->publish(r->publish_arg, &r->stats);
        }
        pthread_mutex_lock(&r->lock);
        r->busy = false;
        if (!r->queue.head)
            pthread_cond_broadcast(&r->idle);
    }
    pthread_mutex_unlock(&r->lock);
    return NULL;
}

int flow_recycler_start(struct flow_recycler *r, struct flow_engine *e, void *log_ctx)
{
    r->engine = e;
    r->log_ctx = log_ctx;
    flow_queue_init(&r->queue);
    r->now_us = 0;
    r->stopping = false;
    memset(&r->stats, 0, sizeof(r->stats));
    r->busy = false;
    pthread_mutex_init(&r->lock, NULL);
    pthread_cond_init(&r->wake, NULL);
    pthread_cond_init(&r->idle, NULL);
    if (pthread_create(&r->thread, NULL, recycler_main, r) != 0) {
        pthread_cond_destroy(&r->idle);
        pthread_cond_destroy(&r->wake);
        pthread_mutex_destroy(&r->lock);
        return -1;
    }
    e->recycler = r;
    return 0;
}

void flow_recycler_submit(struct flow_recycler *r, struct flow_queue *flows, uint64_t now_us)
{
    if (!flows->head)
        return;
    pthread_mutex_lock(&r->lock);
    flow_queue_append(&r->queue, flows);
    if (now_us > r->now_us)
        r->now_us = now_us;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->lock);
}

void flow_recycler_wait_idle(struct flow_recycler *r)
{
    pthread_mutex_lock(&r->lock);
    while (r->queue.head || r->busy)
        pthread_cond_wait(&r->idle, &r->lock);
    pthread_mutex_unlock(&r->lock);
}

void flow_recycler_stop(struct flow_recycler *r)
{
    pthread_mutex_lock(&r->lock);
    r->stopping = true;
    pthread_cond_signal(&r->wake);
    pthread_mutex_unlock(&r->lock);
    pthread_join(r->thread, NULL);
    r->engine->recycler = NULL;
    pthread_cond_destroy(&r->idle);
    pthread_cond_destroy(&r->wake);
    pthread_mutex_destroy(&r->lock);
}
