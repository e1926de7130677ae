/* W#NN of autofp: takes bursts of packets from its ring, accounts each to
 * its flow (decoding them first when it is the only worker), and returns
 * the packets to the capture thread's pool. */
#include <assert.h>
#include <stddef.h>
#include <stdio.h>

#include "runtime/autofp-internal.h"
#include "util/prefetch.h"

/* Counters go to the stats thread every this many bursts. */
#define WORKER_PUBLISH_BURSTS 64u

/* A decoding worker's burst: its packets were filled on the capture
 * thread's core, and the lines decoding writes have mostly left this core's
 * cache since it last used them (1024 packets and their frames in turn).
 * Touched one at a time, each would wait its own transfer; asked for all at
 * once, the waits overlap. Bench pcap, autofp(1): 3 to 9 % less time over
 * four batches of 9 to 15 alternated runs; the frame's second line holds
 * the TCP header after IPv6 or options. Asking for the decoded lines when
 * the capture decodes gained nothing (autofp(2), 11 runs). */
static void prefetch_for_decoding(const struct packet *p)
{
    /* Decoding clears and fills flags up to events: lines 1 to 3 of the
     * packet (line 0 is the capture's, and pool packets start on a line). */
    static_assert(offsetof(struct packet, flags) >= 64 &&
                      offsetof(struct packet, events) <= 4 * 64,
                  "decoder fields moved: update the lines prefetched");
    __builtin_prefetch(p->data);
    __builtin_prefetch(p->data + 64);
    const char *lines = (const char *)p;
    for (unsigned line = 1; line <= 3; line++)
        prefetch_for_write(lines + line * 64);
}

static void handle_burst(struct autofp_worker *w, struct packet **burst, unsigned n)
{
    bool decoding = w->run->worker_decodes;
    uint64_t latest = atomic_load_explicit(&w->caught_up_us, memory_order_relaxed);
    for (unsigned i = 0; i < n; i++) {
        if (burst[i]->ts_us > latest)
            latest = burst[i]->ts_us;
        if (decoding)
            prefetch_for_decoding(burst[i]);
    }
    if (decoding) {
        packet_path_process_burst(&w->path, burst, n);
        for (unsigned i = 0; i < n; i++)
            packet_clear_decode_marks(burst[i]);
    } else {
        flow_handle_burst(&w->path.flow, burst, n);
    }
    atomic_store_explicit(&w->caught_up_us, latest, memory_order_release);
    packet_pool_return_burst(w->run->pool, w->index, burst, n);
    if (++w->bursts_since_publish == WORKER_PUBLISH_BURSTS) {
        packet_path_publish(&w->path);
        w->bursts_since_publish = 0;
    }
}

/* With its ring empty the worker has handled everything the capture has
 * handed out, so it is caught up to that packet time. Returns true when the
 * capture is done too and the worker may stop. */
static bool note_idle(struct autofp_worker *w)
{
    struct autofp_run *run = w->run;
    bool done = atomic_load_explicit(&run->rx_done, memory_order_acquire);
    uint64_t flushed = atomic_load_explicit(&run->rx_flushed_us, memory_order_acquire);
    if (spsc_ring_count(&w->ring) != 0)
        return false;
    if (flushed > atomic_load_explicit(&w->caught_up_us, memory_order_relaxed))
        atomic_store_explicit(&w->caught_up_us, flushed, memory_order_release);
    /* Live on the clock the capture's time runs on without packets: a
     * decoding worker times its fragments out on it too. Offline this
     * worker has already seen that time, and nothing happens. */
    if (run->worker_decodes)
        packet_path_advance_time(&w->path, flushed);
    return done;
}

void *autofp_worker_main(void *arg)
{
    struct autofp_worker *w = arg;
    char name[16];
    snprintf(name, sizeof(name), "W#%02u", w->index + 1);
    pthread_setname_np(pthread_self(), name);
    cpu_affinity_pin_self(CPU_AFFINITY_WORKER, w->index, name);
    struct packet *burst[AUTOFP_BURST];
    unsigned idle_polls = 0;
    for (;;) {
        unsigned n = spsc_ring_dequeue_burst(&w->ring, (void **)burst, AUTOFP_BURST);
        if (n > 0) {
            handle_burst(w, burst, n);
            idle_polls = 0;
            continue;
        }
        if (note_idle(w))
            break;
        idle_wait(++idle_polls);
    }
    packet_path_publish(&w->path);
    atomic_store_explicit(&w->finished, true, memory_order_release);
    return NULL;
}
