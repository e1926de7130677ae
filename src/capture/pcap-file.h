/* Offline capture: replays a pcap/pcapng file, or every file of a directory
 * in name order as one continuous capture, opened by libpcap. */
#ifndef VIGIL_CAPTURE_PCAP_FILE_H
#define VIGIL_CAPTURE_PCAP_FILE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"

/* Called for every frame; the packet and its data are valid only during the call. */
typedef void (*capture_packet_fn)(void *ctx, struct packet *p);

struct pcap_file_stats {
    uint64_t packets;            /* frames read */
    uint64_t bytes;              /* captured bytes read */
    uint64_t unsupported;        /* frames of a link type Vigil cannot decode */
    uint32_t files;              /* files opened */
    uint32_t failed_files;       /* files that could not be opened or were cut short */
};

struct pcap_file_options {
    bool show_progress;          /* bytes read / size and packets/s on stderr */
    /* Set by a signal handler: stop reading. A lock-free atomic, which is
     * safe in a handler and read by the capture thread without a race. */
    const atomic_int *stop;
};

/* Replays path (file or directory). Returns 0 when every file was read to
 * its end, -1 when one could not be opened or was truncated or corrupt (the
 * error names it; the frames read before it were still delivered). */
int pcap_file_replay(const char *path, const struct pcap_file_options *opts,
                     capture_packet_fn on_packet, void *ctx, struct pcap_file_stats *stats);

/* True for link types the decoder handles. */
bool pcap_file_linktype_supported(int dlt);

#endif
