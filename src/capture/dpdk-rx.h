/* Receiving from one RX queue of a DPDK port: bursts of mbufs turned into
 * frames that point at the mbuf data, with the time the engine runs on. */
#ifndef VIGIL_CAPTURE_DPDK_RX_H
#define VIGIL_CAPTURE_DPDK_RX_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/dpdk-port.h"
#include "decode/packet.h"

#define DPDK_RX_BURST 32u

struct dpdk_rx_queue {
    struct dpdk_port *port;
    uint16_t queue;
    uint8_t iface;            /* index of the port among the run's ports */
    uint64_t frames;          /* received so far: the frames' pcap_cnt */
    uint64_t bytes;
    struct packet burst[DPDK_RX_BURST];    /* the frames of the burst being handed on */
    /* Frames that arrive chained over several mbufs are copied here whole:
     * the decoder wants contiguous bytes. */
    uint8_t scratch[65536];
};

/* Gets n received frames in arrival order; the frames live until the
 * handler returns. */
typedef void (*dpdk_rx_burst_fn)(void *ctx, struct packet **frames, unsigned n);

void dpdk_rx_queue_init(struct dpdk_rx_queue *q, struct dpdk_port *port, uint16_t queue,
                        uint8_t iface);

/* Receives one burst and hands its frames to on_burst in order, in one call
 * (two or more when a frame had to be copied out of chained mbufs: the copy
 * ends its call, so the scratch buffer is never reused while in use). Frames
 * read the clock at most once per burst. With keep_frames the handler owns
 * every frame whose `frame` member is set (a one-segment mbuf: it frees it
 * when done with the data); all other mbufs are freed here in one bulk call
 * after the burst. Returns how many frames came. */
unsigned dpdk_rx_poll(struct dpdk_rx_queue *q, bool keep_frames, dpdk_rx_burst_fn on_burst,
                      void *ctx);

/* Wall-clock time in microseconds since the epoch (live ports' time). */
uint64_t dpdk_rx_clock_us(void);

#endif
