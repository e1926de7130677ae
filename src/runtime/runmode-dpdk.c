/* Live DPDK capture from start to end: EAL, ports and queues set up, the
 * runmode run until a signal, then per-port statistics, ports closed, EAL. */
#include "runtime/runmode-dpdk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/dpdk-eal.h"
#include "runtime/dpdk-live.h"
#include "runtime/runmode-autofp.h"
#include "util/cpu-affinity.h"
#include "util/log.h"

enum { EXIT_REFUSED = 1 };

static uint64_t sum_ports(struct dpdk_live *live, int which)
{
    uint64_t sum = 0;
    for (size_t i = 0; i < live->port_count; i++) {
        struct dpdk_port_stats st;
        if (dpdk_port_read_stats(&live->ports[i], &st) != 0)
            continue;
        sum += which == 0 ? st.ipackets : which == 1 ? st.imissed + st.rx_nombuf : st.ierrors;
    }
    return sum;
}

static uint64_t gauge_kernel_packets(void *arg) { return sum_ports(arg, 0); }
static uint64_t gauge_kernel_drops(void *arg) { return sum_ports(arg, 1); }
static uint64_t gauge_errors(void *arg) { return sum_ports(arg, 2); }

void dpdk_live_register_counters(void *arg, struct vigil_engine *engine)
{
    counter_gauge_register(&engine->counters, "capture.kernel_packets", gauge_kernel_packets, arg);
    counter_gauge_register(&engine->counters, "capture.kernel_drops", gauge_kernel_drops, arg);
    counter_gauge_register(&engine->counters, "capture.errors", gauge_errors, arg);
}

static void close_ports(struct dpdk_live *live)
{
    for (size_t i = 0; i < live->port_count; i++)
        dpdk_port_close(&live->ports[i]);
}

static void free_live(struct dpdk_live *live)
{
    for (size_t i = 0; i < live->queue_count; i++)
        free(live->queues[i]);
    free(live->queues);
    free(live->iface_names);
    free(live->ports);
}

static int make_queues(struct dpdk_live *live)
{
    size_t total = 0;
    for (size_t i = 0; i < live->port_count; i++)
        total += live->ports[i].queues;
    live->queues = calloc(total, sizeof(*live->queues));
    if (!live->queues)
        return -1;
    for (size_t i = 0; i < live->port_count; i++) {
        for (uint16_t q = 0; q < live->ports[i].queues; q++) {
            struct dpdk_rx_queue *rxq = malloc(sizeof(*rxq));
            if (!rxq)
                return -1;
            dpdk_rx_queue_init(rxq, &live->ports[i], q, (uint8_t)i);
            live->queues[live->queue_count++] = rxq;
        }
    }
    live->packet_time = live->queue_count == 1 && live->ports[0].packet_time;
    return 0;
}

/* What threads: auto opens on port index of count. In workers each queue
 * gets a thread of its own, so the ports share the CPUs the EAL's lcores
 * leave Vigil's threads, the first ports one more each while CPUs are left
 * over (Suricata's rule for its DPDK workers); every port gets at least
 * one. In single and autofp one thread polls every queue: more than one
 * per port would buy nothing. */
static uint16_t auto_queue_share(bool thread_per_queue, size_t index, size_t count)
{
    if (!thread_per_queue)
        return 1;
    unsigned cpus = cpu_affinity_usable_count();
    size_t share = cpus / count + (index < cpus % count ? 1 : 0);
    return (uint16_t)(share == 0 ? 1 : share > 256 ? 256 : share);
}

static int open_ports(struct dpdk_live *live, uint32_t in_flight, bool thread_per_queue)
{
    const struct vigil_dpdk_config *dc = &live->cfg->dpdk;
    live->ports = calloc(dc->iface_count, sizeof(*live->ports));
    live->iface_names = calloc(dc->iface_count, sizeof(*live->iface_names));
    if (!live->ports || !live->iface_names) {
        log_error("dpdk: out of memory for %zu ports", dc->iface_count);
        return -1;
    }
    for (size_t i = 0; i < dc->iface_count; i++) {
        uint16_t auto_queues = auto_queue_share(thread_per_queue, i, dc->iface_count);
        if (dpdk_port_open(&live->ports[i], &dc->ifaces[i], in_flight, auto_queues) != 0)
            return -1;
        live->port_count++;
        live->iface_names[i] = live->ports[i].name;
    }
    for (size_t i = 0; i < live->port_count; i++)
        if (dpdk_port_start(&live->ports[i]) != 0)
            return -1;
    if (make_queues(live) != 0) {
        log_error("dpdk: out of memory for the RX queues");
        return -1;
    }
    return 0;
}

static int check_ifaces(const struct vigil_config *cfg)
{
    if (cfg->dpdk.iface_count == 0) {
        log_error("dpdk: %s lists no ports: --dpdk needs dpdk.interfaces with at least one "
                  "interface (see doc/dpdk.md)", cfg->source_file ? cfg->source_file
                                                                 : "the configuration");
        return -1;
    }
    if (cfg->dpdk.iface_count > 255) {
        log_error("dpdk: %zu ports: at most 255 are supported", cfg->dpdk.iface_count);
        return -1;
    }
    return 0;
}

static void print_port_stats(const struct dpdk_live *live)
{
    fprintf(stderr, "DPDK ports\n");
    for (size_t i = 0; i < live->port_count; i++)
        dpdk_port_print_stats(stderr, &live->ports[i]);
}

int runmode_dpdk(const struct vigil_config *cfg, const struct live_run *run,
                 const char *runmode)
{
    if (check_ifaces(cfg) != 0 || dpdk_eal_start(&cfg->dpdk) != 0)
        return EXIT_REFUSED;
    struct dpdk_live live = { .cfg = cfg, .run = run };
    bool autofp = strcmp(runmode, "autofp") == 0;
    bool single = strcmp(runmode, "single") == 0;
    int code;
    /* Opened once the EAL has confined this thread to its lcores' CPUs. */
    if (open_ports(&live, autofp ? cfg->max_pending_packets : 0, !autofp && !single) != 0) {
        code = EXIT_REFUSED;
    } else {
        dpdk_live_serve_ifaces(&live);
        /* Counted once the EAL has narrowed this thread, and every thread it
         * starts, to the lcores' CPUs: auto then means a worker per lcore
         * CPU beside RX#01's, not per CPU of the machine. */
        if (autofp)
            code = dpdk_live_run_autofp(&live, runmode_flow_workers(cfg->threading.flow_workers));
        else
            code = dpdk_live_run_workers(&live, single ? 1 : 0);
        dpdk_live_stop_serving_ifaces();
    }
    if (live.port_count > 0 && code != EXIT_REFUSED)
        print_port_stats(&live);
    close_ports(&live);
    free_live(&live);
    dpdk_eal_stop();
    return code;
}
