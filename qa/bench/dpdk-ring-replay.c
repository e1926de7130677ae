/* dpdk-ring-replay: Vigil's live DPDK runmode on a net_ring port whose ring
 * holds the whole pcap in mbufs before the run, as a NIC's DMA would leave it. */
#include <pcap/pcap.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_eth_ring.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_ring.h>

#include "capture/dpdk-eal.h"
#include "runtime/config.h"
#include "runtime/runmode-dpdk.h"
#include "util/log.h"

/* rte_eth_from_rings names the port net_ring_ followed by its name. */
#define RING_NAME "replay"
#define PORT_NAME "net_ring_" RING_NAME
/* The mempool takes a cache of at most two thirds of its size: the pool
 * gets POOL_SPARE mbufs beyond the packets so any file fits that rule. */
#define MEMPOOL_CACHE 256u
#define POOL_SPARE 1024u

static atomic_int stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    atomic_store(&stop_requested, 1);
}

static unsigned count_packets(const char *path, unsigned *max_caplen)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, err);
    if (pc == NULL) {
        fprintf(stderr, "dpdk-ring-replay: %s: %s\n", path, err);
        return 0;
    }
    struct pcap_pkthdr *hdr;
    const u_char *data;
    unsigned n = 0;
    while (pcap_next_ex(pc, &hdr, &data) == 1) {
        n++;
        if (hdr->caplen > *max_caplen)
            *max_caplen = hdr->caplen;
    }
    pcap_close(pc);
    return n;
}

/* Every packet of the file in an mbuf of its own, in order, in the ring. */
static int fill_ring(const char *path, struct rte_mempool *pool, struct rte_ring *ring)
{
    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline(path, err);
    if (pc == NULL)
        return -1;
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc = 0;
    while (rc == 0 && pcap_next_ex(pc, &hdr, &data) == 1) {
        struct rte_mbuf *m = rte_pktmbuf_alloc(pool);
        char *room = m ? rte_pktmbuf_append(m, (uint16_t)hdr->caplen) : NULL;
        if (room == NULL) {
            fprintf(stderr, "dpdk-ring-replay: out of mbufs or room for a %u-byte packet\n",
                    hdr->caplen);
            rte_pktmbuf_free(m);
            rc = -1;
            break;
        }
        memcpy(room, data, hdr->caplen);
        if (rte_ring_enqueue(ring, m) != 0) {
            rte_pktmbuf_free(m);
            rc = -1;
        }
    }
    pcap_close(pc);
    return rc;
}

static int make_port(const char *pcap)
{
    unsigned max_caplen = 0, packets = count_packets(pcap, &max_caplen);
    if (packets == 0)
        return -1;
    struct rte_mempool *pool = rte_pktmbuf_pool_create(
        "ring_replay", packets + POOL_SPARE, MEMPOOL_CACHE, 0,
        (uint16_t)(RTE_PKTMBUF_HEADROOM + max_caplen), (int)rte_socket_id());
    struct rte_ring *ring = rte_ring_create("ring_replay", packets, (int)rte_socket_id(),
                                            RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
    if (pool == NULL || ring == NULL) {
        fprintf(stderr, "dpdk-ring-replay: %u mbufs and their ring: %s (raise eal-params m)\n",
                packets, rte_strerror(rte_errno));
        return -1;
    }
    if (fill_ring(pcap, pool, ring) != 0)
        return -1;
    if (rte_eth_from_rings(RING_NAME, &ring, 1, &ring, 1, rte_socket_id()) < 0) {
        fprintf(stderr, "dpdk-ring-replay: %s: %s\n", PORT_NAME, rte_strerror(rte_errno));
        return -1;
    }
    fprintf(stderr, "dpdk-ring-replay: %u packets in the ring of %s\n", packets, PORT_NAME);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: dpdk-ring-replay CONFIG LOG_DIR PCAP\n"
                        "  CONFIG's dpdk: section names interface %s (no vdev needed)\n",
                PORT_NAME);
        return 1;
    }
    log_set_level(LOG_LEVEL_INFO);
    struct vigil_config cfg;
    struct config_error err;
    if (config_load(&cfg, argv[1], NULL, 0, &err) != 0) {
        fprintf(stderr, "dpdk-ring-replay: %s\n", err.message);
        return 1;
    }
    int code = 1;
    if (dpdk_eal_start(&cfg.dpdk) == 0 && make_port(argv[3]) == 0) {
        signal(SIGTERM, on_stop_signal);
        signal(SIGINT, on_stop_signal);
        struct live_run live = {.log_dir = argv[2], .stop = &stop_requested};
        code = runmode_dpdk(&cfg, &live, "workers");
    }
    config_free(&cfg);
    return code;
}
