/* RX bursts of 32 handed on whole; frames point into their mbufs (zero
 * copy) unless the PMD chained a large frame over several. */
#include "capture/dpdk-rx.h"

#include <time.h>

#include <pcap/dlt.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

void dpdk_rx_queue_init(struct dpdk_rx_queue *q, struct dpdk_port *port, uint16_t queue,
                        uint8_t iface)
{
    q->port = port;
    q->queue = queue;
    q->iface = iface;
    q->frames = 0;
    q->bytes = 0;
}

uint64_t dpdk_rx_clock_us(void)
{
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return (uint64_t)now.tv_sec * 1000000u + (uint64_t)now.tv_nsec / 1000u;
}

/* Fills frame from m; returns true when frame->data points into m itself. */
static bool fill_frame(struct dpdk_rx_queue *q, struct rte_mbuf *m, struct packet *frame)
{
    uint32_t len = rte_pktmbuf_pkt_len(m);
    if (len > sizeof(q->scratch))
        len = sizeof(q->scratch);
    const uint8_t *data = rte_pktmbuf_read(m, 0, len, q->scratch);
    frame->data = data;
    frame->len = data ? len : 0;
    frame->wire_len = rte_pktmbuf_pkt_len(m);
    frame->linktype = DLT_EN10MB;
    frame->pcap_cnt = ++q->frames;
    frame->iface = q->iface;
    q->bytes += frame->wire_len;
    return data == rte_pktmbuf_mtod(m, const uint8_t *);
}

/* The packet time of m, or the clock read once for the whole burst. */
static uint64_t frame_time_us(const struct dpdk_rx_queue *q, const struct rte_mbuf *m,
                              uint64_t *burst_clock_us)
{
    uint64_t us;
    if (dpdk_port_mbuf_time_us(q->port, m, &us))
        return us;
    if (*burst_clock_us == 0)
        *burst_clock_us = dpdk_rx_clock_us();
    return *burst_clock_us;
}

/* How many frames ahead of the one being filled its packet data is
 * prefetched: the mbuf header must have arrived to find the data. */
#define DPDK_RX_DATA_AHEAD 4u

/* Every mbuf header of the burst is asked for at once, so their misses
 * overlap; the data follows DPDK_RX_DATA_AHEAD frames ahead. */
static void prefetch_burst_headers(struct rte_mbuf **mbufs, uint16_t n)
{
    for (uint16_t i = 0; i < n; i++)
        rte_prefetch0(mbufs[i]);
    for (uint16_t i = 0; i < n && i < DPDK_RX_DATA_AHEAD; i++)
        rte_prefetch0(rte_pktmbuf_mtod(mbufs[i], const void *));
}

unsigned dpdk_rx_poll(struct dpdk_rx_queue *q, bool keep_frames, dpdk_rx_burst_fn on_burst,
                      void *ctx)
{
    struct rte_mbuf *mbufs[DPDK_RX_BURST];
    uint16_t n = rte_eth_rx_burst(q->port->port_id, q->queue, mbufs, DPDK_RX_BURST);
    if (n == 0)
        return 0;
    prefetch_burst_headers(mbufs, n);
    uint64_t burst_clock_us = 0;
    struct packet *ready[DPDK_RX_BURST];
    struct rte_mbuf *done[DPDK_RX_BURST];
    unsigned done_count = 0, first = 0;
    for (uint16_t i = 0; i < n; i++) {
        if (i + DPDK_RX_DATA_AHEAD < n)
            rte_prefetch0(rte_pktmbuf_mtod(mbufs[i + DPDK_RX_DATA_AHEAD], const void *));
        struct packet *frame = &q->burst[i];
        packet_capture_init(frame);
        bool in_place = fill_frame(q, mbufs[i], frame);
        frame->ts_us = frame_time_us(q, mbufs[i], &burst_clock_us);
        if (keep_frames && in_place)
            frame->frame = mbufs[i];
        else
            done[done_count++] = mbufs[i];
        ready[i] = frame;
        if (!in_place) {
            on_burst(ctx, &ready[first], i + 1u - first);
            first = i + 1u;
        }
    }
    if (first < n)
        on_burst(ctx, &ready[first], n - first);
    if (done_count > 0)
        rte_pktmbuf_free_bulk(done, done_count);
    return n;
}
