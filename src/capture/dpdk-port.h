/* One DPDK port for live capture: found by name, configured from its
 * dpdk.interfaces entry (queues, symmetric RSS, mempool, offloads), started. */
#ifndef VIGIL_CAPTURE_DPDK_PORT_H
#define VIGIL_CAPTURE_DPDK_PORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "runtime/config.h"

struct rte_mempool;
struct rte_mbuf;

#define DPDK_PORT_NAME_MAX 64
/* Per-queue counters DPDK keeps (RTE_ETHDEV_QUEUE_STAT_CNTRS). */
#define DPDK_PORT_QUEUE_STATS 16

struct dpdk_port {
    char name[DPDK_PORT_NAME_MAX];   /* interface: as configured */
    char driver[32];                 /* PMD, e.g. net_pcap, net_ixgbe */
    uint16_t port_id;
    uint16_t queues;                 /* RX queues, one capture thread each */
    uint16_t rx_descriptors, tx_descriptors;
    uint32_t mempool_size, mempool_cache_size;
    uint32_t mtu_frame_room;         /* bytes of the largest frame the MTU allows */
    bool promisc, multicast;
    bool link_up;
    uint64_t rss_hf;                 /* hash functions in use; 0: no RSS */
    /* The PMD stamps each mbuf with the time it was captured (net_pcap
     * replaying a file): flows then run on packet time, as with -r. */
    bool packet_time;
    int timestamp_offset;            /* mbuf dynfield of the stamp */
    uint64_t timestamp_flag;         /* ol_flags bit telling it is set */
    struct rte_mempool *mempool;
    bool configured, started;
};

struct dpdk_port_stats {
    uint64_t ipackets, ibytes, imissed, ierrors, rx_nombuf;
    uint64_t queue_packets[DPDK_PORT_QUEUE_STATS];
};

/* Finds iface->name among the probed ports and configures it: threads RX
 * queues (auto: auto_queues, the runmode's share for this port; at most
 * what the port has), RSS with the symmetric key when there is more than
 * one queue, its mempool sized for in_flight packets held by the engine on
 * top of the RX rings. Returns 0, or -1 after logging why, naming the port
 * and the DPDK error. */
int dpdk_port_open(struct dpdk_port *port, const struct vigil_dpdk_iface *iface,
                   uint32_t in_flight, uint16_t auto_queues);

/* Starts the port and waits a little for its link, logging link down. */
int dpdk_port_start(struct dpdk_port *port);

/* Logs a change of link state since the last call (live ports re-check). */
void dpdk_port_check_link(struct dpdk_port *port);

/* Stops and closes the port and frees its mempool (every mbuf back). */
void dpdk_port_close(struct dpdk_port *port);

/* Returns 0, or -1 when the PMD keeps no counters. */
int dpdk_port_read_stats(const struct dpdk_port *port, struct dpdk_port_stats *out);

/* The shutdown lines for one port: packets, bytes, average size, drops,
 * errors and packets per queue. */
void dpdk_port_print_stats(FILE *out, const struct dpdk_port *port);

/* Sets *us to the packet time of m in microseconds since the epoch
 * (packet_time ports); false when the PMD did not stamp it. */
bool dpdk_port_mbuf_time_us(const struct dpdk_port *port, const struct rte_mbuf *m,
                            uint64_t *us);

/* packet_frame_release_fn for mbufs. */
void dpdk_port_free_mbufs(void **mbufs, unsigned n);

#endif
