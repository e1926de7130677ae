/* iface-list and iface-stat on a live DPDK run: the control socket's
 * interface provider, answering from the started ports' rte_eth_stats. */
#include <string.h>

#include "ctl/ctl-iface.h"
#include "runtime/dpdk-live.h"

static const char *const queue_counter_names[] = {
    "q0_ipackets",  "q1_ipackets",  "q2_ipackets",  "q3_ipackets",
    "q4_ipackets",  "q5_ipackets",  "q6_ipackets",  "q7_ipackets",
    "q8_ipackets",  "q9_ipackets",  "q10_ipackets", "q11_ipackets",
    "q12_ipackets", "q13_ipackets", "q14_ipackets", "q15_ipackets",
};

#define PORT_COUNTERS 5

_Static_assert(sizeof(queue_counter_names) / sizeof(queue_counter_names[0]) ==
                   DPDK_PORT_QUEUE_STATS, "one name per per-queue counter DPDK keeps");
_Static_assert(PORT_COUNTERS + DPDK_PORT_QUEUE_STATS <= CTL_IFACE_EXTRA_MAX,
               "the breakdown fits struct ctl_iface_stats");

static size_t list_ports(void *arg, const char **names, size_t max)
{
    const struct dpdk_live *live = arg;
    for (size_t i = 0; i < live->port_count && i < max; i++)
        names[i] = live->ports[i].name;
    return live->port_count;
}

static const struct dpdk_port *find_port(const struct dpdk_live *live, const char *name)
{
    for (size_t i = 0; i < live->port_count; i++)
        if (strcmp(live->ports[i].name, name) == 0)
            return &live->ports[i];
    return NULL;
}

static void add_extra(struct ctl_iface_stats *out, const char *name, uint64_t value)
{
    out->extra[out->extra_count].name = name;
    out->extra[out->extra_count].value = value;
    out->extra_count++;
}

/* invalid-checksums stays 0: no decoder validates checksums, and the PMD's
 * checksum offload flags are not counted. bypassed stays 0: no bypass. A PMD
 * without counters answers zeros and no breakdown. */
static bool port_stats(void *arg, const char *name, struct ctl_iface_stats *out)
{
    const struct dpdk_port *port = find_port(arg, name);
    if (port == NULL)
        return false;
    struct dpdk_port_stats st;
    if (dpdk_port_read_stats(port, &st) != 0)
        return true;
    out->pkts = st.ipackets;
    out->drop = st.imissed + st.rx_nombuf;
    out->extra_group = "dpdk";
    add_extra(out, "ipackets", st.ipackets);
    add_extra(out, "ibytes", st.ibytes);
    add_extra(out, "imissed", st.imissed);
    add_extra(out, "ierrors", st.ierrors);
    add_extra(out, "rx_nombuf", st.rx_nombuf);
    for (unsigned q = 0; q < port->queues && q < DPDK_PORT_QUEUE_STATS; q++)
        add_extra(out, queue_counter_names[q], st.queue_packets[q]);
    return true;
}

void dpdk_live_serve_ifaces(struct dpdk_live *live)
{
    struct ctl_iface_provider provider = {list_ports, port_stats, live};
    ctl_iface_set_provider(&provider);
}

void dpdk_live_stop_serving_ifaces(void)
{
    ctl_iface_set_provider(NULL);
}
