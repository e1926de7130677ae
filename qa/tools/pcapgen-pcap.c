/* Classic pcap writer for the generator: native byte order (the magic tells
 * readers which), records appended to a 4 MiB buffer written out when full. */
#include "pcapgen-pcap.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define BUFFER_LEN (4u << 20)
#define RECORD_HDR_LEN 16
#define LINKTYPE_ETHERNET 1
#define SNAPLEN 65535

static void flush_buffer(struct pcapgen_pcap *w)
{
    if (w->used && fwrite(w->buffer, 1, w->used, w->file) != w->used)
        w->failed = 1;
    w->used = 0;
}

int pcapgen_pcap_open(struct pcapgen_pcap *w, const char *path)
{
    memset(w, 0, sizeof(*w));
    w->buffer = malloc(BUFFER_LEN);
    if (!w->buffer)
        return -1;
    w->file = fopen(path, "wb");
    if (!w->file) {
        int saved = errno;
        free(w->buffer);
        errno = saved;
        return -1;
    }
    const struct {
        uint32_t magic;
        uint16_t version_major, version_minor;
        int32_t thiszone;
        uint32_t sigfigs, snaplen, linktype;
    } header = {0xa1b2c3d4, 2, 4, 0, 0, SNAPLEN, LINKTYPE_ETHERNET};
    memcpy(w->buffer, &header, sizeof(header));
    w->used = sizeof(header);
    return 0;
}

uint8_t *pcapgen_pcap_reserve(struct pcapgen_pcap *w, size_t max_frame)
{
    if (w->used + RECORD_HDR_LEN + max_frame > BUFFER_LEN)
        flush_buffer(w);
    return w->buffer + w->used + RECORD_HDR_LEN;
}

void pcapgen_pcap_commit(struct pcapgen_pcap *w, uint64_t ts_us, size_t frame_len)
{
    const uint32_t record[4] = {
        (uint32_t)(ts_us / 1000000),
        (uint32_t)(ts_us % 1000000),
        (uint32_t)frame_len,
        (uint32_t)frame_len,
    };
    memcpy(w->buffer + w->used, record, RECORD_HDR_LEN);
    w->used += RECORD_HDR_LEN + frame_len;
}

int pcapgen_pcap_close(struct pcapgen_pcap *w)
{
    flush_buffer(w);
    if (fclose(w->file) != 0)
        w->failed = 1;
    free(w->buffer);
    w->buffer = NULL;
    w->file = NULL;
    return w->failed ? -1 : 0;
}
