/* pcap-loop: the ceiling of offline mode, a bare libpcap read loop over a file
 * that touches each packet's first bytes; prints packets, seconds and pps. */
#include <inttypes.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <time.h>

static double elapsed_seconds(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fputs("usage: pcap-loop FILE.pcap\n", stderr);
        return 2;
    }
    char errbuf[PCAP_ERRBUF_SIZE];
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    pcap_t *pcap = pcap_open_offline(argv[1], errbuf);
    if (!pcap) {
        fprintf(stderr, "pcap-loop: %s\n", errbuf);
        return 1;
    }
    struct pcap_pkthdr *hdr;
    const u_char *data;
    uint64_t packets = 0, bytes = 0, touched = 0;
    int rc;
    while ((rc = pcap_next_ex(pcap, &hdr, &data)) == 1) {
        packets++;
        bytes += hdr->caplen;
        /* Read the Ethernet type and the first IP byte, as a decoder must. */
        if (hdr->caplen >= 15)
            touched += (uint64_t)data[12] + data[13] + data[14];
    }
    if (rc == -1)
        fprintf(stderr, "pcap-loop: %s\n", pcap_geterr(pcap));
    pcap_close(pcap);
    double secs = elapsed_seconds(&start);
    /* touched is printed so the compiler must keep the reads. */
    printf("packets %" PRIu64 " bytes %" PRIu64 " seconds %.6f pps %.0f check %" PRIu64 "\n", packets, bytes,
           secs, secs > 0 ? (double)packets / secs : 0.0, touched);
    return rc == -1 ? 1 : 0;
}
