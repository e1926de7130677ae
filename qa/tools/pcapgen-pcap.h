/* Classic pcap writer (microsecond timestamps, DLT_EN10MB) that frames are
 * built straight into: one large buffer, flushed with few big writes. */
#ifndef VIGIL_QA_PCAPGEN_PCAP_H
#define VIGIL_QA_PCAPGEN_PCAP_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct pcapgen_pcap {
    FILE *file;
    uint8_t *buffer;
    size_t used;
    int failed; /* a write failed: reported at close */
};

/* Creates path and writes the file header; returns 0 or -1 with errno set. */
int pcapgen_pcap_open(struct pcapgen_pcap *w, const char *path);

/* Room for one frame of up to max_frame bytes; valid until the next commit. */
uint8_t *pcapgen_pcap_reserve(struct pcapgen_pcap *w, size_t max_frame);

/* Records the reserved frame, now frame_len bytes long, at time ts_us. */
void pcapgen_pcap_commit(struct pcapgen_pcap *w, uint64_t ts_us, size_t frame_len);

/* Flushes and closes; returns 0, or -1 if any write failed. */
int pcapgen_pcap_close(struct pcapgen_pcap *w);

#endif
