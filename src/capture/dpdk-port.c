/* Port set-up for live capture: the name looked up among probed ports, the
 * auto sizes worked out and logged, symmetric RSS, offloads, mempool, start. */
#include "capture/dpdk-port.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_dev.h>
#include <rte_devargs.h>
#include <rte_ethdev.h>
#include <rte_kvargs.h>
#include <rte_mbuf.h>
#include <rte_mbuf_dyn.h>

#include "util/log.h"
#include "util/toeplitz.h"

#define DEFAULT_RX_DESCRIPTORS 1024u
#define DEFAULT_TX_DESCRIPTORS 1024u
/* Mbufs a capture thread holds between two RX bursts. */
#define RX_BURST_MBUFS 32u
#define MEMPOOL_CACHE_MAX 512u
#define LINK_WAIT_MS 2000u

/* The ports that exist, for the message when a name matches none. */
static void list_ports(char *out, size_t size)
{
    size_t used = 0;
    uint16_t pid;
    out[0] = '\0';
    RTE_ETH_FOREACH_DEV(pid) {
        char name[RTE_ETH_NAME_MAX_LEN];
        if (rte_eth_dev_get_name_by_port(pid, name) != 0)
            continue;
        int n = snprintf(out + used, size - used, "%s%s", used ? ", " : "", name);
        if (n < 0 || (size_t)n >= size - used)
            break;
        used += (size_t)n;
    }
    if (used == 0)
        snprintf(out, size, "none");
}

static int find_port(struct dpdk_port *port, const char *name)
{
    if (rte_eth_dev_get_port_by_name(name, &port->port_id) == 0)
        return 0;
    char ports[512];
    list_ports(ports, sizeof(ports));
    log_error("dpdk: interface %s: no such DPDK port (ports probed: %s). A PCI device must be "
              "bound to vfio-pci (dpdk-devbind.py) and not excluded by eal-params; a virtual "
              "one needs its eal-params vdev, e.g. vdev: \"net_pcap0,rx_pcap=file.pcap\"",
              name, ports);
    return -1;
}

static uint16_t pick_queues(const struct dpdk_port *port, const struct vigil_dpdk_iface *iface,
                            const struct rte_eth_dev_info *info, uint16_t auto_queues)
{
    if (!iface->threads.is_auto) {
        if (iface->threads.value > info->max_rx_queues) {
            log_error("dpdk: interface %s: threads: %llu, but the port has at most %u RX "
                      "queues", port->name, (unsigned long long)iface->threads.value,
                      info->max_rx_queues);
            return 0;
        }
        return (uint16_t)iface->threads.value;
    }
    return auto_queues < info->max_rx_queues ? auto_queues : info->max_rx_queues;
}

static uint32_t round_up_pow2_minus_1(uint64_t n)
{
    uint64_t p = 1;
    while (p - 1 < n)
        p <<= 1;
    return p - 1 > UINT32_MAX ? UINT32_MAX : (uint32_t)(p - 1);
}

/* A divisor of the pool size where one exists, so the caches can hold the
 * pool whole; DPDK also wants the cache at most two thirds of the pool. A
 * prime pool (8191 and many other 2^n - 1) gets the largest cache allowed. */
static uint32_t auto_cache_size(uint32_t pool_size)
{
    uint32_t limit = pool_size * 2u / 3u;
    uint32_t largest = MEMPOOL_CACHE_MAX < limit ? MEMPOOL_CACHE_MAX : limit;
    for (uint32_t c = largest; c > 1; c--)
        if (pool_size % c == 0 && c * 4 >= largest)
            return c;
    return largest;
}

static int size_mempool(struct dpdk_port *port, const struct vigil_dpdk_iface *iface,
                        uint32_t in_flight)
{
    uint64_t rings = (uint64_t)port->queues * port->rx_descriptors;
    uint64_t needed = rings + in_flight + (uint64_t)port->queues * RX_BURST_MBUFS;
    if (iface->mempool_size.is_auto) {
        port->mempool_size = round_up_pow2_minus_1(2 * rings + in_flight);
    } else if (iface->mempool_size.value < needed) {
        log_error("dpdk: interface %s: mempool-size %llu is too small: the RX rings hold "
                  "%llu mbufs (%u queues x %u rx-descriptors) and the engine up to %u more "
                  "(max-pending-packets), so at least %llu are needed (or mempool-size: auto)",
                  port->name, (unsigned long long)iface->mempool_size.value,
                  (unsigned long long)rings, port->queues, port->rx_descriptors, in_flight,
                  (unsigned long long)needed);
        return -1;
    } else {
        port->mempool_size = (uint32_t)iface->mempool_size.value;
    }
    port->mempool_cache_size = iface->mempool_cache_size.is_auto
                                   ? auto_cache_size(port->mempool_size)
                                   : (uint32_t)iface->mempool_cache_size.value;
    return 0;
}

static int size_descriptors(struct dpdk_port *port, const struct vigil_dpdk_iface *iface)
{
    uint16_t rx = iface->rx_descriptors.is_auto ? DEFAULT_RX_DESCRIPTORS
                                                : (uint16_t)iface->rx_descriptors.value;
    uint16_t tx = iface->tx_descriptors.is_auto ? DEFAULT_TX_DESCRIPTORS
                                                : (uint16_t)iface->tx_descriptors.value;
    int rc = rte_eth_dev_adjust_nb_rx_tx_desc(port->port_id, &rx, &tx);
    if (rc != 0) {
        log_error("dpdk: interface %s: cannot fit the descriptor counts to the port: %s",
                  port->name, rte_strerror(-rc));
        return -1;
    }
    port->rx_descriptors = rx;
    port->tx_descriptors = tx;
    return 0;
}

/* RSS with the symmetric key, so both directions of a flow reach one
 * queue; auto hashes on addresses only, which keeps fragments with their
 * flow. Functions the PMD lacks are dropped with a warning. */
static void setup_rss(struct dpdk_port *port, const struct vigil_dpdk_iface *iface,
                      const struct rte_eth_dev_info *info, struct rte_eth_conf *conf)
{
    if (port->queues < 2)
        return;
    if (info->flow_type_rss_offloads == 0) {
        log_warning("dpdk: interface %s: the %s PMD has no RSS: which of the %u queues sees "
                    "a packet is up to the driver (net_af_packet: the kernel's flow fanout, "
                    "symmetric)", port->name, port->driver, port->queues);
        return;
    }
    uint64_t wanted = iface->rss_hash_functions.is_auto ? RTE_ETH_RSS_IP
                                                        : iface->rss_hash_functions.value;
    uint64_t hf = wanted & info->flow_type_rss_offloads;
    if (hf != wanted)
        log_warning("dpdk: interface %s: rss-hash-functions 0x%llx masked to 0x%llx, what the "
                    "%s PMD supports", port->name, (unsigned long long)wanted,
                    (unsigned long long)hf, port->driver);
    static uint8_t key[52];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = TOEPLITZ_SYMMETRIC_KEY[i % 2];
    conf->rxmode.mq_mode = RTE_ETH_MQ_RX_RSS;
    conf->rx_adv_conf.rss_conf.rss_key = key;
    conf->rx_adv_conf.rss_conf.rss_key_len =
        info->hash_key_size ? info->hash_key_size : TOEPLITZ_KEY_LEN;
    conf->rx_adv_conf.rss_conf.rss_hf = hf;
    port->rss_hf = hf;
}

/* net_pcap with infinite_rx=1 loops over its file from mbufs it loaded at
 * start and stamps nothing: packet time would run backwards at each loop. */
static bool pcap_loops(const struct rte_eth_dev_info *info)
{
    const struct rte_devargs *da = info->device ? rte_dev_devargs(info->device) : NULL;
    if (!da || !da->args)
        return false;
    struct rte_kvargs *kv = rte_kvargs_parse(da->args, NULL);
    if (!kv)
        return false;
    const char *value = rte_kvargs_get(kv, "infinite_rx");
    bool loops = value && atoi(value) > 0;
    rte_kvargs_free(kv);
    return loops;
}

static void setup_offloads(struct dpdk_port *port, const struct vigil_dpdk_iface *iface,
                           const struct rte_eth_dev_info *info, struct rte_eth_conf *conf)
{
    if (iface->checksum_checks && iface->checksum_checks_offload &&
        (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_CHECKSUM) == RTE_ETH_RX_OFFLOAD_CHECKSUM)
        conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_CHECKSUM;
    /* Frames longer than an mbuf arrive chained rather than dropped; the
     * capture reads chains whole. */
    if (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_SCATTER)
        conf->rxmode.offloads |= RTE_ETH_RX_OFFLOAD_SCATTER;
    /* net_pcap replaying a file once stamps every mbuf with its pcap
     * record's time without being asked (a NIC's stamps would count its own
     * clock, not the epoch). */
    if (strcmp(port->driver, "net_pcap") == 0 && !pcap_loops(info) &&
        rte_mbuf_dyn_rx_timestamp_register(&port->timestamp_offset,
                                           &port->timestamp_flag) == 0)
        port->packet_time = port->queues == 1;
}

static int check_mtu(const struct dpdk_port *port, const struct vigil_dpdk_iface *iface,
                     const struct rte_eth_dev_info *info, struct rte_eth_conf *conf)
{
    if (iface->mtu < info->min_mtu || iface->mtu > info->max_mtu) {
        log_error("dpdk: interface %s: mtu %u is outside what the port takes (%u..%u)",
                  port->name, iface->mtu, info->min_mtu, info->max_mtu);
        return -1;
    }
    conf->rxmode.mtu = iface->mtu;
    return 0;
}

/* The NUMA socket of the port, where its mbufs belong; SOCKET_ID_ANY (-1,
 * which rx_queue_setup takes as unsigned) when the PMD does not say. */
static int port_socket(const struct dpdk_port *port)
{
    return rte_eth_dev_socket_id(port->port_id);
}

static int create_mempool(struct dpdk_port *port)
{
    char name[RTE_MEMPOOL_NAMESIZE];
    snprintf(name, sizeof(name), "vigil_mp_%u", port->port_id);
    /* Room for a full frame of the MTU with two VLAN tags, at least DPDK's default. */
    uint32_t frame = port->mtu_frame_room;
    uint32_t room = RTE_PKTMBUF_HEADROOM + (frame > RTE_MBUF_DEFAULT_DATAROOM
                                                ? frame : RTE_MBUF_DEFAULT_DATAROOM);
    port->mempool = rte_pktmbuf_pool_create(name, port->mempool_size, port->mempool_cache_size,
                                            0, (uint16_t)room, port_socket(port));
    if (port->mempool)
        return 0;
    log_error("dpdk: interface %s: cannot create a mempool of %u mbufs (cache %u): %s; "
              "lower mempool-size or give the EAL more memory (eal-params m, hugepages)",
              port->name, port->mempool_size, port->mempool_cache_size,
              rte_strerror(rte_errno));
    return -1;
}

static int setup_queues(struct dpdk_port *port, const struct rte_eth_conf *conf)
{
    int rc = rte_eth_dev_configure(port->port_id, port->queues, 0, conf);
    if (rc != 0) {
        log_error("dpdk: interface %s: cannot configure %u RX queues: %s", port->name,
                  port->queues, rte_strerror(-rc));
        return -1;
    }
    port->configured = true;
    if (create_mempool(port) != 0)
        return -1;
    for (uint16_t q = 0; q < port->queues; q++) {
        rc = rte_eth_rx_queue_setup(port->port_id, q, port->rx_descriptors,
                                    (unsigned)port_socket(port), NULL,
                                    port->mempool);
        if (rc != 0) {
            log_error("dpdk: interface %s: cannot set up RX queue %u with %u descriptors: %s",
                      port->name, q, port->rx_descriptors, rte_strerror(-rc));
            return -1;
        }
    }
    return 0;
}

static void log_port(const struct dpdk_port *port)
{
    log_notice("dpdk: interface %s (%s, port %u): %u RX queue%s, %u descriptors each, "
               "mempool %u mbufs (cache %u), RSS %s%s", port->name, port->driver,
               port->port_id, port->queues, port->queues == 1 ? "" : "s",
               port->rx_descriptors, port->mempool_size, port->mempool_cache_size,
               port->rss_hf ? "symmetric" : "off",
               port->packet_time ? ", packet time from the PMD's stamps" : "");
}

int dpdk_port_open(struct dpdk_port *port, const struct vigil_dpdk_iface *iface,
                   uint32_t in_flight, uint16_t auto_queues)
{
    memset(port, 0, sizeof(*port));
    snprintf(port->name, sizeof(port->name), "%s", iface->name);
    if (find_port(port, iface->name) != 0)
        return -1;
    struct rte_eth_dev_info info;
    int rc = rte_eth_dev_info_get(port->port_id, &info);
    if (rc != 0) {
        log_error("dpdk: interface %s: cannot read the port's capabilities: %s", port->name,
                  rte_strerror(-rc));
        return -1;
    }
    snprintf(port->driver, sizeof(port->driver), "%s", info.driver_name);
    port->promisc = iface->promisc;
    port->multicast = iface->multicast;
    port->queues = pick_queues(port, iface, &info, auto_queues);
    port->mtu_frame_room = iface->mtu + RTE_ETHER_HDR_LEN + 2 * RTE_VLAN_HLEN +
                           RTE_ETHER_CRC_LEN;
    struct rte_eth_conf conf;
    memset(&conf, 0, sizeof(conf));
    if (port->queues == 0 || size_descriptors(port, iface) != 0 ||
        size_mempool(port, iface, in_flight) != 0 || check_mtu(port, iface, &info, &conf) != 0)
        return -1;
    setup_rss(port, iface, &info, &conf);
    setup_offloads(port, iface, &info, &conf);
    if (setup_queues(port, &conf) != 0)
        return -1;
    log_port(port);
    return 0;
}

/* Promiscuous and all-multicast are best effort: virtual ports often lack them. */
static void set_receive_modes(const struct dpdk_port *port)
{
    int rc = port->promisc ? rte_eth_promiscuous_enable(port->port_id)
                           : rte_eth_promiscuous_disable(port->port_id);
    if (rc != 0 && rc != -ENOTSUP)
        log_warning("dpdk: interface %s: cannot %s promiscuous mode: %s", port->name,
                    port->promisc ? "enable" : "disable", rte_strerror(-rc));
    rc = port->multicast ? rte_eth_allmulticast_enable(port->port_id)
                         : rte_eth_allmulticast_disable(port->port_id);
    if (rc != 0 && rc != -ENOTSUP)
        log_warning("dpdk: interface %s: cannot %s all-multicast: %s", port->name,
                    port->multicast ? "enable" : "disable", rte_strerror(-rc));
}

static bool read_link(const struct dpdk_port *port, struct rte_eth_link *link)
{
    memset(link, 0, sizeof(*link));
    return rte_eth_link_get_nowait(port->port_id, link) == 0 &&
           link->link_status == RTE_ETH_LINK_UP;
}

int dpdk_port_start(struct dpdk_port *port)
{
    int rc = rte_eth_dev_start(port->port_id);
    if (rc != 0) {
        log_error("dpdk: interface %s: cannot start the port: %s", port->name,
                  rte_strerror(-rc));
        return -1;
    }
    port->started = true;
    set_receive_modes(port);
    struct rte_eth_link link;
    for (unsigned waited = 0; !read_link(port, &link) && waited < LINK_WAIT_MS; waited += 100)
        usleep(100 * 1000);
    port->link_up = link.link_status == RTE_ETH_LINK_UP;
    if (port->link_up)
        log_info("dpdk: interface %s: link up, %u Mbps", port->name, link.link_speed);
    else
        log_warning("dpdk: interface %s: link down; capturing anyway, the link is checked "
                    "again about once a second", port->name);
    return 0;
}

void dpdk_port_check_link(struct dpdk_port *port)
{
    struct rte_eth_link link;
    bool up = read_link(port, &link);
    if (up == port->link_up)
        return;
    port->link_up = up;
    if (up)
        log_notice("dpdk: interface %s: link up, %u Mbps", port->name, link.link_speed);
    else
        log_warning("dpdk: interface %s: link down", port->name);
}

void dpdk_port_close(struct dpdk_port *port)
{
    if (port->started) {
        int rc = rte_eth_dev_stop(port->port_id);
        if (rc != 0)
            log_warning("dpdk: interface %s: stopping the port: %s", port->name,
                        rte_strerror(-rc));
        port->started = false;
    }
    if (port->configured) {
        rte_eth_dev_close(port->port_id);
        port->configured = false;
    }
    rte_mempool_free(port->mempool);
    port->mempool = NULL;
}

/* The stats thread and the control socket both read counters; ethdev does
 * not promise that is safe at once, and some PMDs update state as they
 * answer (net_pcap's missed-packet rollover), so one read at a time. */
static pthread_mutex_t stats_lock = PTHREAD_MUTEX_INITIALIZER;

int dpdk_port_read_stats(const struct dpdk_port *port, struct dpdk_port_stats *out)
{
    struct rte_eth_stats st;
    memset(out, 0, sizeof(*out));
    pthread_mutex_lock(&stats_lock);
    int rc = rte_eth_stats_get(port->port_id, &st);
    pthread_mutex_unlock(&stats_lock);
    if (rc != 0)
        return -1;
    out->ipackets = st.ipackets;
    out->ibytes = st.ibytes;
    out->imissed = st.imissed;
    out->ierrors = st.ierrors;
    out->rx_nombuf = st.rx_nombuf;
    for (unsigned q = 0; q < DPDK_PORT_QUEUE_STATS && q < port->queues; q++)
        out->queue_packets[q] = st.q_ipackets[q];
    return 0;
}

void dpdk_port_print_stats(FILE *out, const struct dpdk_port *port)
{
    struct dpdk_port_stats st;
    if (dpdk_port_read_stats(port, &st) != 0) {
        fprintf(out, "  port %s: no counters from the %s PMD\n", port->name, port->driver);
        return;
    }
    fprintf(out, "  port %s (%s)\n", port->name, port->driver);
    fprintf(out, "    packets           %llu\n", (unsigned long long)st.ipackets);
    fprintf(out, "    bytes             %llu (average %llu per packet)\n",
            (unsigned long long)st.ibytes,
            (unsigned long long)(st.ipackets ? st.ibytes / st.ipackets : 0));
    fprintf(out, "    drops             %llu (missed %llu, no mbuf %llu)\n",
            (unsigned long long)(st.imissed + st.rx_nombuf), (unsigned long long)st.imissed,
            (unsigned long long)st.rx_nombuf);
    fprintf(out, "    errors            %llu\n", (unsigned long long)st.ierrors);
    for (unsigned q = 0; q < DPDK_PORT_QUEUE_STATS && q < port->queues; q++)
        fprintf(out, "    queue %-2u packets  %llu\n", q,
                (unsigned long long)st.queue_packets[q]);
}

bool dpdk_port_mbuf_time_us(const struct dpdk_port *port, const struct rte_mbuf *m,
                            uint64_t *us)
{
    if (!port->packet_time || !(m->ol_flags & port->timestamp_flag))
        return false;
    *us = *RTE_MBUF_DYNFIELD(m, port->timestamp_offset, const rte_mbuf_timestamp_t *);
    return true;
}

void dpdk_port_free_mbufs(void **mbufs, unsigned n)
{
    rte_pktmbuf_free_bulk((struct rte_mbuf **)mbufs, n);
}
