/* autofp on DPDK ports: RX#01 polls every queue of every port and hands
 * the frames, still in their mbufs, to the flow workers by flow hash. */
#include <stdint.h>

#include "capture/dpdk-eal.h"
#include "runtime/autofp-source.h"
#include "runtime/dpdk-live.h"
#include "util/idle-wait.h"

/* Idle RX re-checks links at most this often. */
#define LINK_CHECK_US 1000000u

/* The next frame's data is fetched while this one is decoded. */
static void on_burst(void *ctx, struct packet **frames, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (i + 1 < n)
            __builtin_prefetch(frames[i + 1]->data);
        autofp_rx_frame(ctx, frames[i]);
    }
}

static void check_links(struct dpdk_live *live, uint64_t *next_check_us)
{
    uint64_t now = dpdk_rx_clock_us();
    if (now < *next_check_us)
        return;
    for (size_t i = 0; i < live->port_count; i++)
        dpdk_port_check_link(&live->ports[i]);
    *next_check_us = now + LINK_CHECK_US;
}

static int capture(struct autofp_run *run, void *arg, struct pcap_file_stats *stats)
{
    struct dpdk_live *live = arg;
    unsigned empty_polls = 0;
    uint64_t next_link_check = 0;
    while (!dpdk_live_stopping(live)) {
        unsigned got = 0;
        for (size_t i = 0; i < live->queue_count; i++)
            got += dpdk_rx_poll(live->queues[i], true, on_burst, run);
        if (got > 0) {
            empty_polls = 0;
            continue;
        }
        autofp_rx_idle(run, live->packet_time ? 0 : dpdk_rx_clock_us());
        check_links(live, &next_link_check);
        idle_wait(++empty_polls);
    }
    for (size_t i = 0; i < live->queue_count; i++) {
        stats->packets += live->queues[i]->frames;
        stats->bytes += live->queues[i]->bytes;
    }
    return 0;
}

static void thread_start(void *arg)
{
    (void)arg;
    dpdk_thread_register();
}

static void thread_stop(void *arg)
{
    (void)arg;
    dpdk_thread_unregister();
}

int dpdk_live_run_autofp(struct dpdk_live *live, unsigned flow_workers)
{
    struct autofp_source src = {
        .log_dir = live->run->log_dir,
        .description = "1 capture thread polling every DPDK RX queue",
        .capture = capture,
        .arg = live,
        .release_frames = dpdk_port_free_mbufs,
        .thread_start = thread_start,
        .thread_stop = thread_stop,
        .register_counters = dpdk_live_register_counters,
        .live = true,
        .iface_names = live->iface_names,
        .iface_count = (unsigned)live->port_count,
    };
    return runmode_autofp(live->cfg, &src, flow_workers);
}
