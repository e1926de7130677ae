/* What the DPDK runmodes share: the started ports, their RX queues and the
 * capture counters they publish (capture.kernel_packets and the like). */
#ifndef VIGIL_RUNTIME_DPDK_LIVE_H
#define VIGIL_RUNTIME_DPDK_LIVE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "capture/dpdk-port.h"
#include "capture/dpdk-rx.h"
#include "runtime/config.h"
#include "runtime/engine.h"
#include "runtime/runmode-dpdk.h"

struct dpdk_live {
    const struct vigil_config *cfg;
    const struct live_run *run;
    struct dpdk_port *ports;
    size_t port_count;
    const char **iface_names;          /* port names, for EVE in_iface */
    struct dpdk_rx_queue **queues;     /* every (port, queue), ports in order */
    size_t queue_count;
    /* Packet time: one queue in all, stamped by the PMD (a replay), so the
     * run times flows out on the packets' clock exactly as -r does. */
    bool packet_time;
};

static inline bool dpdk_live_stopping(const struct dpdk_live *live)
{
    return atomic_load_explicit(live->run->stop, memory_order_relaxed) != 0;
}

/* capture.kernel_packets, capture.kernel_drops and capture.errors summed
 * over the ports, read by the stats thread. */
void dpdk_live_register_counters(void *live, struct vigil_engine *engine);

/* The control socket's iface-list and iface-stat answer from live's ports
 * (names as configured, rte_eth_stats) from here until stop serving, which
 * must come before the ports close. The CS thread calls rte_eth_stats_get
 * without registering with EAL: it reads port and queue counters only, no
 * per-lcore state, as the stats thread's capture gauges do. */
void dpdk_live_serve_ifaces(struct dpdk_live *live);
void dpdk_live_stop_serving_ifaces(void);

int dpdk_live_run_autofp(struct dpdk_live *live, unsigned flow_workers);
/* One thread per queue (threads == 1: one thread polls every queue). */
int dpdk_live_run_workers(struct dpdk_live *live, unsigned threads);

#endif
