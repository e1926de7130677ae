/* RX#01 of autofp: takes each frame of the source into a pool packet,
 * decodes it (defrag and tunnel layers too), and hands it to the worker its
 * flow hash picks; a sole worker gets the frames undecoded. Offline it
 * waits for free packets rather than drop. */
#include <string.h>

#include "runtime/autofp-internal.h"
#include "runtime/packet-path.h"

/* Every this many frames all pending bursts go out, so a worker that gets
 * few packets does not hold the offline clock back for long. */
#define AUTOFP_FLUSH_FRAMES 64u
/* Counters go to the stats thread every this many frames. */
#define AUTOFP_PUBLISH_FRAMES 4096u

static void flush_worker(struct autofp_run *run, struct autofp_worker *w)
{
    unsigned done = 0;
    while (done < w->pending_count) {
        done += spsc_ring_enqueue_burst(&w->ring, (void *const *)w->pending + done,
                                        w->pending_count - done);
        if (done < w->pending_count)
            idle_wait(1);
    }
    w->pending_count = 0;
    (void)run;
}

static void flush_all(struct autofp_run *run)
{
    for (unsigned i = 0; i < run->worker_count; i++)
        flush_worker(run, &run->workers[i]);
    atomic_store_explicit(&run->rx_flushed_us, run->rx_now_us, memory_order_release);
    run->frames_since_flush = 0;
}

/* One more poll for what only the workers can give back (a packet, a large
 * buffer); before the first, whatever is pending goes to them, since they
 * return things only once they have them. */
static void wait_on_workers(struct autofp_run *run, unsigned *polls)
{
    if (*polls == 0) {
        flush_all(run);
        run->pool_waits++;
    }
    idle_wait(++*polls);
}

/* A free packet whose buffer holds len bytes: a frame bigger than the
 * packets' own buffers borrows one of the pool's large ones. */
static struct packet *get_packet_for(struct autofp_run *run, uint32_t len)
{
    unsigned polls = 0;
    struct packet *p;
    while ((p = packet_pool_get(run->pool)) == NULL)
        wait_on_workers(run, &polls);
    while (len > p->buffer_size && !packet_pool_attach_large(run->pool, p))
        wait_on_workers(run, &polls);
    return p;
}

static void dispatch(struct autofp_run *run, struct packet *p)
{
    unsigned n = run->worker_count;
    unsigned target = 0;
    if (n > 1)
        target = flow_packet_hash(&run->engine.flows, p) ? p->flow_hash % n
                                                         : (unsigned)(p->pcap_cnt % n);
    struct autofp_worker *w = &run->workers[target];
    w->pending[w->pending_count++] = p;
    if (w->pending_count == AUTOFP_BURST)
        flush_worker(run, w);
}

/* The inner packet gets its own copy of the outer frame, so it lives on
 * after the outer packet has gone to its worker. */
static struct packet *tunnel_inner_packet(struct autofp_run *run, const struct packet *outer)
{
    struct packet *inner = get_packet_for(run, outer->len);
    memcpy(inner->buffer, outer->data, outer->len);
    struct packet shadow = *outer;
    shadow.data = inner->buffer;
    if (outer->l3)
        shadow.l3 = inner->buffer + (outer->l3 - outer->data);
    decode_tunnel_inner(&run->decode, &shadow, inner);
    return inner;
}

static struct packet *reassembled_packet(struct autofp_run *run, const struct packet *whole)
{
    struct packet *r = get_packet_for(run, whole->len);
    memcpy(r->buffer, whole->data, whole->len);
    r->data = r->buffer;
    r->len = whole->len;
    r->wire_len = whole->wire_len;
    r->ts_us = whole->ts_us;
    r->linktype = whole->linktype;
    r->pcap_cnt = whole->pcap_cnt;
    r->iface = whole->iface;
    r->flags = whole->flags;
    r->recursion_level = whole->recursion_level;
    r->tunnel = whole->tunnel;
    decode_packet(&run->decode, r);
    return r;
}

static void handle_decoded(struct autofp_run *run, struct packet *p)
{
    struct packet *next = NULL;
    if (p->flags & PKT_IS_FRAGMENT) {
        struct packet *whole = defrag_submit(run->defrag, &run->decode, p);
        if (whole) {
            next = reassembled_packet(run, whole);
            defrag_release(run->defrag, whole);
        }
    } else if (p->tunnel_type != PACKET_TUNNEL_NONE && !(p->flags & PKT_INVALID) &&
               p->recursion_level < PACKET_MAX_RECURSION) {
        next = tunnel_inner_packet(run, p);
    }
    /* After this the worker owns p: nothing of it is read again here. */
    dispatch(run, p);
    if (next)
        handle_decoded(run, next);
}

/* Waits until every worker has handled everything handed out so far. */
static void wait_for_workers(struct autofp_run *run)
{
    uint64_t flushed = atomic_load_explicit(&run->rx_flushed_us, memory_order_relaxed);
    for (unsigned i = 0; i < run->worker_count; i++) {
        unsigned polls = 0;
        while (atomic_load_explicit(&run->workers[i].caught_up_us, memory_order_acquire) < flushed)
            idle_wait(++polls);
    }
}

/* Once per second of packet time, before the packet that crosses it is
 * handed on, the manager runs its pass with every earlier packet counted:
 * the rhythm of the single runmode's housekeeping. */
static void advance_time(struct autofp_run *run, uint64_t ts_us)
{
    if (run->next_pass_us == 0) {
        run->next_pass_us = ts_us + PACKET_PATH_HOUSEKEEPING_US;
    } else if (ts_us >= run->next_pass_us) {
        flush_all(run);
        wait_for_workers(run);
        autofp_request_pass(run, ts_us);
        if (run->defrag)
            defrag_timeout(run->defrag, ts_us);
        run->next_pass_us = ts_us + PACKET_PATH_HOUSEKEEPING_US;
    }
    run->rx_now_us = ts_us;
}

/* A frame in the source's own buffer is used where it is (zero copy) and
 * released when the packet comes back; any other is copied. */
static void take_frame(struct packet *p, const struct packet *frame)
{
    if (frame->frame) {
        p->data = frame->data;
        p->len = frame->len;
        p->frame = frame->frame;
        return;
    }
    uint32_t len = frame->len <= p->buffer_size ? frame->len : p->buffer_size;
    memcpy(p->buffer, frame->data, len);
    p->data = p->buffer;
    p->len = len;
}

void autofp_rx_frame(struct autofp_run *run, const struct packet *frame)
{
    /* A frame the source keeps (zero copy) needs no buffer of its own. */
    struct packet *p = get_packet_for(run, frame->frame ? 0 : frame->len);
    take_frame(p, frame);
    p->wire_len = frame->wire_len;
    p->ts_us = frame->ts_us;
    p->linktype = frame->linktype;
    p->pcap_cnt = frame->pcap_cnt;
    p->iface = frame->iface;
    /* A decoding worker clears these when it gives the packet back: its
     * cache holds their line, which this thread then need not pull back. */
    if (!run->worker_decodes)
        packet_clear_decode_marks(p);
    if (p->ts_us > run->rx_now_us)
        advance_time(run, p->ts_us);
    if (run->worker_decodes) {
        dispatch(run, p);
    } else {
        decode_packet(&run->decode, p);
        handle_decoded(run, p);
    }
    if (++run->frames_since_flush >= AUTOFP_FLUSH_FRAMES)
        flush_all(run);
    if (frame->pcap_cnt % AUTOFP_PUBLISH_FRAMES == 0)
        autofp_rx_publish(run);
}

void autofp_rx_idle(struct autofp_run *run, uint64_t now_us)
{
    if (run->frames_since_flush > 0) {
        flush_all(run);
        autofp_rx_publish(run);
    }
    /* Frames of packets the workers are done with go back to the port,
     * which has none left to receive into otherwise. */
    packet_pool_reclaim(run->pool);
    if (now_us > run->rx_now_us)
        advance_time(run, now_us);
}

void autofp_rx_publish(struct autofp_run *run)
{
    if (run->worker_decodes)
        return;
    counter_set_publish(run->decode_counters, &run->decode.stats);
    counter_set_publish(run->defrag_counters, defrag_get_stats(run->defrag));
}

void *autofp_rx_main(void *arg)
{
    struct autofp_run *run = arg;
    const struct autofp_source *src = run->source;
    pthread_setname_np(pthread_self(), "RX#01");
    cpu_affinity_pin_self(CPU_AFFINITY_RECEIVE, 0, "RX#01");
    if (src->thread_start)
        src->thread_start(src->arg);
    run->replay_result = src->capture(run, src->arg, &run->capture);
    flush_all(run);
    autofp_rx_publish(run);
    atomic_store_explicit(&run->rx_done, true, memory_order_release);
    /* Every packet is back once the workers are done: their frames go back
     * to the source from this thread, which owns them. */
    for (unsigned i = 0; i < run->worker_count; i++) {
        unsigned polls = 0;
        while (atomic_load_explicit(&run->workers[i].finished, memory_order_acquire) == false)
            idle_wait(++polls);
    }
    packet_pool_reclaim(run->pool);
    if (src->thread_stop)
        src->thread_stop(src->arg);
    return NULL;
}
