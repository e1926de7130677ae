/* dpdk-rx-loop: the ceiling of live mode on a port, a bare DPDK RX loop that
 * touches each packet's first bytes, like pcap-loop for offline mode. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#define BURST 32u
#define RX_DESCRIPTORS 1024u
#define MEMPOOL_CACHE_MAX 512u
/* Empty polls in a row after the first packet that mean the port has no
 * more (net_pcap reading a file once). */
#define EMPTY_POLLS_AT_END 10000000u

static double elapsed_seconds(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static int start_port(uint16_t port, uint32_t mempool_size)
{
    uint32_t cache = mempool_size * 2u / 3u;
    if (cache > MEMPOOL_CACHE_MAX)
        cache = MEMPOOL_CACHE_MAX;
    struct rte_mempool *pool = rte_pktmbuf_pool_create("rx_loop", mempool_size, cache, 0,
                                                       RTE_MBUF_DEFAULT_BUF_SIZE,
                                                       rte_eth_dev_socket_id(port));
    if (!pool) {
        fprintf(stderr, "dpdk-rx-loop: mempool of %u mbufs: %s\n", mempool_size,
                rte_strerror(rte_errno));
        return -1;
    }
    struct rte_eth_conf conf = { 0 };
    int rc = rte_eth_dev_configure(port, 1, 0, &conf);
    if (rc == 0)
        rc = rte_eth_rx_queue_setup(port, 0, RX_DESCRIPTORS,
                                    (unsigned)rte_eth_dev_socket_id(port), NULL, pool);
    if (rc == 0)
        rc = rte_eth_dev_start(port);
    if (rc != 0)
        fprintf(stderr, "dpdk-rx-loop: port %u: %s\n", port, rte_strerror(-rc));
    return rc;
}

/* Receives until `packets` came (or the port ran dry); returns how many. */
static uint64_t receive(uint16_t port, uint64_t packets, double *seconds, uint64_t *touched)
{
    struct rte_mbuf *mbufs[BURST];
    struct timespec start;
    uint64_t got = 0;
    unsigned empty = 0;
    while (got < packets) {
        uint16_t n = rte_eth_rx_burst(port, 0, mbufs, BURST);
        if (n == 0) {
            if (got > 0 && ++empty == EMPTY_POLLS_AT_END)
                break;
            continue;
        }
        if (got == 0)
            clock_gettime(CLOCK_MONOTONIC, &start);
        empty = 0;
        for (uint16_t i = 0; i < n; i++) {
            /* Read the Ethernet type and the first IP byte, as a decoder must. */
            const uint8_t *data = rte_pktmbuf_mtod(mbufs[i], const uint8_t *);
            if (rte_pktmbuf_data_len(mbufs[i]) >= 15)
                *touched += (uint64_t)data[12] + data[13] + data[14];
        }
        rte_pktmbuf_free_bulk(mbufs, n);
        got += n;
    }
    *seconds = got > 0 ? elapsed_seconds(&start) : 0.0;
    return got;
}

int main(int argc, char **argv)
{
    if (argc < 4) {
        fputs("usage: dpdk-rx-loop PACKETS MEMPOOL_SIZE EAL-ARGS... (one port, e.g. "
              "--no-huge --no-pci --vdev net_pcap0,rx_pcap=FILE)\n", stderr);
        return 2;
    }
    uint64_t packets = strtoull(argv[1], NULL, 10);
    uint32_t mempool_size = (uint32_t)strtoul(argv[2], NULL, 10);
    argv[2] = argv[0];
    if (rte_eal_init(argc - 2, argv + 2) < 0) {
        fprintf(stderr, "dpdk-rx-loop: EAL: %s\n", rte_strerror(rte_errno));
        return 1;
    }
    int code = 1;
    uint16_t port = 0;
    if (rte_eth_dev_count_avail() == 0)
        fputs("dpdk-rx-loop: no port (give the EAL a --vdev)\n", stderr);
    else if (start_port(port, mempool_size) == 0) {
        double secs;
        uint64_t touched = 0;
        uint64_t got = receive(port, packets, &secs, &touched);
        /* touched is printed so the compiler must keep the reads. */
        printf("packets %" PRIu64 " seconds %.6f pps %.0f check %" PRIu64 "\n", got, secs,
               secs > 0 ? (double)got / secs : 0.0, touched);
        code = got >= packets ? 0 : 1;
        rte_eth_dev_stop(port);
        rte_eth_dev_close(port);
    }
    rte_eal_cleanup();
    return code;
}
