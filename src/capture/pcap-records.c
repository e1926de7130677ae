/* Classic pcap records parsed in place from large pread(2) blocks; every
 * record that is not plain goes back to libpcap, so results never differ. */
#include "capture/pcap-records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "decode/decode.h"

/* Bytes asked of each read: 128 KiB, the size the stdio buffer had for
 * the same reason (fits in L2 next to the packets; qa/bench). */
#define PCAP_RECORDS_READ_BLOCK (1u << 17)
#define PCAP_FILE_HEADER_BYTES 24u
#define PCAP_RECORD_HEADER_BYTES 16u
/* libpcap's ceiling for the link types the decoder handles. */
#define PCAP_RECORDS_MAX_SNAPSHOT 262144u

#define PCAP_MAGIC_MICRO 0xa1b2c3d4u
#define PCAP_MAGIC_NANO 0xa1b23c4du

static uint32_t read_u32(const unsigned char *b, bool swapped)
{
    uint32_t v;
    memcpy(&v, b, sizeof(v));
    return swapped ? __builtin_bswap32(v) : v;
}

/* Magic from the file itself: libpcap says whether it swaps, not whether
 * the file counts nanoseconds or is one of the patched variants. */
static bool read_magic(int fd, uint32_t *magic)
{
    unsigned char b[4];
    if (pread(fd, b, sizeof(b), 0) != (ssize_t)sizeof(b))
        return false;
    memcpy(magic, b, sizeof(b));
    return true;
}

static bool classify_magic(uint32_t magic, bool *swapped, bool *nanoseconds)
{
    uint32_t swapped_magic = __builtin_bswap32(magic);
    *swapped = swapped_magic == PCAP_MAGIC_MICRO || swapped_magic == PCAP_MAGIC_NANO;
    *nanoseconds = magic == PCAP_MAGIC_NANO || swapped_magic == PCAP_MAGIC_NANO;
    return *swapped || magic == PCAP_MAGIC_MICRO || magic == PCAP_MAGIC_NANO;
}

/* libpcap rewrites the pseudo-header of byte-swapped SLL captures (CAN
 * ids), so those stay with it. */
static bool swap_rewrites_data(int dlt)
{
    return dlt == DECODE_LINKTYPE_LINUX_SLL || dlt == DECODE_LINKTYPE_LINUX_SLL2;
}

bool pcap_records_open(struct pcap_records *r, pcap_t *pc, bool linktype_supported)
{
    memset(r, 0, sizeof(*r));
    r->fd = fileno(pcap_file(pc));
    uint32_t magic;
    int snapshot = pcap_snapshot(pc);
    if (!linktype_supported || !read_magic(r->fd, &magic) ||
        !classify_magic(magic, &r->swapped, &r->nanoseconds) ||
        r->swapped != (pcap_is_swapped(pc) == 1) || pcap_major_version(pc) != 2 ||
        pcap_minor_version(pc) != 4 || snapshot <= 0 ||
        (uint32_t)snapshot > PCAP_RECORDS_MAX_SNAPSHOT ||
        (r->swapped && swap_rewrites_data(pcap_datalink(pc))))
        return false;
    r->snapshot = (uint32_t)snapshot;
    r->capacity = PCAP_RECORDS_READ_BLOCK + PCAP_RECORD_HEADER_BYTES + r->snapshot;
    r->buffer = malloc(r->capacity);
    r->read_offset = PCAP_FILE_HEADER_BYTES;
    return r->buffer != NULL;
}

enum fill_result { FILL_OK, FILL_END, FILL_FAILED };

/* Makes need bytes available from start. A read error is left for libpcap
 * to meet and name when it reads the same bytes. */
static enum fill_result fill(struct pcap_records *r, size_t need)
{
    while (r->end - r->start < need) {
        if (r->capacity - r->start < need) {
            memmove(r->buffer, r->buffer + r->start, r->end - r->start);
            r->end -= r->start;
            r->start = 0;
        }
        size_t room = r->capacity - r->end;
        ssize_t got = pread(r->fd, r->buffer + r->end,
                            room < PCAP_RECORDS_READ_BLOCK ? room : PCAP_RECORDS_READ_BLOCK,
                            r->read_offset);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return got == 0 ? FILL_END : FILL_FAILED;
        r->end += (size_t)got;
        r->read_offset += got;
    }
    return FILL_OK;
}

/* libpcap's conversion (1.10.3, checked by qa/unit/test_pcap_file): it
 * reads both time fields as signed 32-bit, and its byte swap makes them
 * unsigned; a nanosecond fraction is divided in that same type. */
static void record_header(const struct pcap_records *r, const unsigned char *b,
                          struct pcap_pkthdr *hdr)
{
    uint32_t sec = read_u32(b, r->swapped), frac = read_u32(b + 4, r->swapped);
    if (r->swapped) {
        hdr->ts.tv_sec = sec;
        hdr->ts.tv_usec = r->nanoseconds ? frac / 1000 : frac;
    } else {
        hdr->ts.tv_sec = (int32_t)sec;
        hdr->ts.tv_usec = r->nanoseconds ? (int32_t)frac / 1000 : (int32_t)frac;
    }
    hdr->caplen = read_u32(b + 8, r->swapped);
    hdr->len = read_u32(b + 12, r->swapped);
}

enum pcap_records_result pcap_records_next(struct pcap_records *r, struct pcap_pkthdr *hdr,
                                           const u_char **data)
{
    enum fill_result got = fill(r, PCAP_RECORD_HEADER_BYTES);
    if (got != FILL_OK)
        return got == FILL_END && r->end == r->start ? PCAP_RECORDS_END : PCAP_RECORDS_HANDOVER;
    record_header(r, r->buffer + r->start, hdr);
    if (hdr->caplen > r->snapshot || fill(r, PCAP_RECORD_HEADER_BYTES + hdr->caplen) != FILL_OK)
        return PCAP_RECORDS_HANDOVER;
    *data = r->buffer + r->start + PCAP_RECORD_HEADER_BYTES;
    r->start += PCAP_RECORD_HEADER_BYTES + hdr->caplen;
    return PCAP_RECORDS_PACKET;
}

off_t pcap_records_offset(const struct pcap_records *r)
{
    return r->read_offset - (off_t)(r->end - r->start);
}

void pcap_records_close(struct pcap_records *r)
{
    free(r->buffer);
    r->buffer = NULL;
}
