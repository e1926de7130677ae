/* RX bursts of 32 with the next frame's data prefetched; frames point into
 * their mbufs (zero copy) unless the PMD chained a large frame over several. */
#include "capture/dpdk-rx.h"

#include <string.h>
#include <time.h>

#include <pcap/dlt.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

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

unsigned dpdk_rx_poll(struct dpdk_rx_queue *q, bool keep_frames, capture_packet_fn on_frame,
                      void *ctx)
{
    struct rte_mbuf *mbufs[DPDK_RX_BURST];
    uint16_t n = rte_eth_rx_burst(q->port->port_id, q->queue, mbufs, DPDK_RX_BURST);
    if (n == 0)
        return 0;
    uint64_t clock_us = q->port->packet_time ? 0 : dpdk_rx_clock_us();
    struct rte_mbuf *done[DPDK_RX_BURST];
    unsigned done_count = 0;
    rte_prefetch0(rte_pktmbuf_mtod(mbufs[0], void *));
    for (uint16_t i = 0; i < n; i++) {
        if (i + 1 < n)
            rte_prefetch0(rte_pktmbuf_mtod(mbufs[i + 1], void *));
        struct packet frame;
        memset(&frame, 0, offsetof(struct packet, flags));
        frame.flags = 0;
        frame.recursion_level = 0;
        bool in_place = fill_frame(q, mbufs[i], &frame);
        if (!dpdk_port_mbuf_time_us(q->port, mbufs[i], &frame.ts_us))
            frame.ts_us = clock_us ? clock_us : dpdk_rx_clock_us();
        if (keep_frames && in_place)
            frame.frame = mbufs[i];
        else
            done[done_count++] = mbufs[i];
        on_frame(ctx, &frame);
    }
    if (done_count > 0)
        rte_pktmbuf_free_bulk(done, done_count);
    return n;
}
