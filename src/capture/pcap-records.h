/* Classic pcap records read straight from the file in large blocks, for
 * the files where that gives exactly what libpcap would give. */
#ifndef VIGIL_CAPTURE_PCAP_RECORDS_H
#define VIGIL_CAPTURE_PCAP_RECORDS_H

#include <pcap/pcap.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* libpcap reads a record with two fread calls and copies it out of the
 * stdio buffer; here a record is parsed where read(2) left it. libpcap
 * still opens the file (header checks, link type) and takes over at the
 * first record that is not plain (see pcap_records_next). */
struct pcap_records {
    int fd;
    bool swapped;              /* file written in the other byte order */
    bool nanoseconds;          /* timestamps in ns, delivered in us as libpcap does */
    uint32_t snapshot;         /* libpcap's snapshot length for the file */
    unsigned char *buffer;
    size_t capacity, start, end;  /* unread bytes are buffer[start, end) */
    off_t read_offset;         /* file offset of buffer[end] */
};

enum pcap_records_result {
    PCAP_RECORDS_PACKET,       /* hdr and data describe the next record */
    PCAP_RECORDS_END,          /* the file ended cleanly after a record */
    PCAP_RECORDS_HANDOVER,     /* libpcap must read on from pcap_records_offset */
};

/* True when the file behind pc (nothing read past the file header) is a
 * classic pcap this reader handles exactly as libpcap does:
 * version 2.4, micro- or nanosecond magic, a supported link type and a
 * snapshot libpcap accepts. Else libpcap reads it alone. */
bool pcap_records_open(struct pcap_records *r, pcap_t *pc, bool linktype_supported);

/* The next record. Its data stays valid until the next call. Anything
 * libpcap would treat specially (a record longer than the snapshot, a cut
 * or unreadable record) is left to it: HANDOVER, with the offset of that
 * record in pcap_records_offset. */
enum pcap_records_result pcap_records_next(struct pcap_records *r, struct pcap_pkthdr *hdr,
                                           const u_char **data);

/* File offset of the next unread record. */
off_t pcap_records_offset(const struct pcap_records *r);

void pcap_records_close(struct pcap_records *r);

#endif
