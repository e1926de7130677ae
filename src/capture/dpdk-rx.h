/* Receiving from one RX queue of a DPDK port: bursts of mbufs turned into
 * frames that point at the mbuf data, with the time the engine runs on. */
#ifndef VIGIL_CAPTURE_DPDK_RX_H
#define VIGIL_CAPTURE_DPDK_RX_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/dpdk-port.h"
#include "capture/pcap-file.h"

#define DPDK_RX_BURST 32u

struct dpdk_rx_queue {
    struct dpdk_port *port;
    uint16_t queue;
    uint8_t iface;            /* index of the port among the run's ports */
    uint64_t frames;          /* received so far: the frames' pcap_cnt */
    uint64_t bytes;
    /* Frames that arrive chained over several mbufs are copied here whole:
     * the decoder wants contiguous bytes. */
    uint8_t scratch[65536];
};

void dpdk_rx_queue_init(struct dpdk_rx_queue *q, struct dpdk_port *port, uint16_t queue,
                        uint8_t iface);

/* Receives one burst and hands each frame to on_frame in order. With
 * keep_frames the handler owns every frame whose `frame` member is set (a
 * one-segment mbuf: it frees it when done with the data); all other mbufs
 * are freed here after the burst. Returns how many frames came. */
unsigned dpdk_rx_poll(struct dpdk_rx_queue *q, bool keep_frames, capture_packet_fn on_frame,
                      void *ctx);

/* Wall-clock time in microseconds since the epoch (live ports' time). */
uint64_t dpdk_rx_clock_us(void);

#endif
