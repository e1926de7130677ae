/* Reads one capture file twice, through pcap_file_replay and through a plain
 * libpcap loop, into digests that must match (unit tests and fuzz_pcap_file). */
#ifndef VIGIL_QA_PCAP_COMPARE_H
#define VIGIL_QA_PCAP_COMPARE_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "capture/pcap-file.h"

struct pcap_digest {
    uint64_t records;      /* every record read, supported link type or not */
    uint64_t unsupported;
    uint64_t hash;         /* FNV-1a over time, lengths and bytes, in order */
    bool failed;           /* the file could not be opened, or ended in an error */
};

static void pcap_digest_bytes(struct pcap_digest *d, const void *bytes, size_t n)
{
    const uint8_t *b = bytes;
    for (size_t i = 0; i < n; i++)
        d->hash = (d->hash ^ b[i]) * 1099511628211ULL;
}

static void pcap_digest_record(struct pcap_digest *d, uint64_t ts_us, uint32_t caplen,
                               uint32_t wire_len, const uint8_t *data)
{
    pcap_digest_bytes(d, &ts_us, sizeof(ts_us));
    pcap_digest_bytes(d, &caplen, sizeof(caplen));
    pcap_digest_bytes(d, &wire_len, sizeof(wire_len));
    pcap_digest_bytes(d, data, caplen);
}

static void pcap_digest_init(struct pcap_digest *d)
{
    memset(d, 0, sizeof(*d));
    d->hash = 14695981039346656037ULL;
}

static void pcap_digest_on_packet(void *ctx, struct packet *p)
{
    pcap_digest_record(ctx, p->ts_us, p->len, p->wire_len, p->data);
}

static void pcap_digest_with_vigil(const char *file, struct pcap_digest *d)
{
    pcap_digest_init(d);
    struct pcap_file_options opts = { 0 };
    struct pcap_file_stats stats = { 0 };
    d->failed = pcap_file_replay(file, &opts, pcap_digest_on_packet, d, &stats) != 0;
    d->records = stats.packets;
    d->unsupported = stats.unsupported;
}

/* The reference: libpcap alone, as pcap-file.c read every file before. */
static void pcap_digest_with_libpcap(const char *file, struct pcap_digest *d)
{
    pcap_digest_init(d);
    char errbuf[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(file, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!pc) {
        d->failed = true;
        return;
    }
    bool supported = pcap_file_linktype_supported(pcap_datalink(pc));
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc;
    while ((rc = pcap_next_ex(pc, &hdr, &data)) == 1) {
        d->records++;
        if (!supported) {
            d->unsupported++;
            continue;
        }
        uint64_t ts_us = (uint64_t)hdr->ts.tv_sec * 1000000u + (uint64_t)hdr->ts.tv_usec;
        pcap_digest_record(d, ts_us, hdr->caplen, hdr->len, data);
    }
    d->failed = rc == PCAP_ERROR;
    pcap_close(pc);
}

static bool pcap_digests_equal(const struct pcap_digest *a, const struct pcap_digest *b)
{
    return a->records == b->records && a->unsupported == b->unsupported && a->hash == b->hash &&
           a->failed == b->failed;
}

#endif
