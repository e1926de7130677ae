/* pcap replay: opens each file with libpcap (pcap and pcapng alike), reads
 * plain pcap records itself (pcap-records.c), turns every record into a
 * struct packet and hands it on; reports progress and names a file cut
 * short or corrupt. */
#include "capture/pcap-file.h"

#include <dirent.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "capture/pcap-records.h"
#include "decode/decode.h"
#include "util/log.h"

bool pcap_file_linktype_supported(int dlt)
{
    switch (dlt) {
    case DECODE_LINKTYPE_NULL:
    case DECODE_LINKTYPE_ETHERNET:
    case DECODE_LINKTYPE_PPP:
    case DECODE_LINKTYPE_RAW:
    case DECODE_LINKTYPE_RAW_OPENBSD:
    case DECODE_LINKTYPE_RAW_101:
    case DECODE_LINKTYPE_LOOP:
    case DECODE_LINKTYPE_LINUX_SLL:
    case DECODE_LINKTYPE_IPV4:
    case DECODE_LINKTYPE_IPV6:
    case DECODE_LINKTYPE_LINUX_SLL2:
        return true;
    default:
        return false;
    }
}

/* One file being read: by pcap_records while it can, by libpcap after. */
struct capture_reader {
    pcap_t *pc;
    bool in_records;
    struct pcap_records records;
    struct pcap_pkthdr hdr;
    char error[PCAP_ERRBUF_SIZE];  /* set when the handover itself fails */
};

/* pcap_next_ex's contract: 1 for a record, PCAP_ERROR_BREAK at the end of
 * the file, PCAP_ERROR on an error (reader_error says which). */
static int next_record(struct capture_reader *cr, struct pcap_pkthdr **hdr, const u_char **data)
{
    if (cr->in_records) {
        switch (pcap_records_next(&cr->records, &cr->hdr, data)) {
        case PCAP_RECORDS_PACKET:
            *hdr = &cr->hdr;
            return 1;
        case PCAP_RECORDS_END:
            return PCAP_ERROR_BREAK;
        case PCAP_RECORDS_HANDOVER:
            break;
        }
        cr->in_records = false;
        off_t at = pcap_records_offset(&cr->records);
        if (fseeko(pcap_file(cr->pc), at, SEEK_SET) != 0) {
            snprintf(cr->error, sizeof(cr->error), "cannot seek to offset %lld: %s", (long long)at,
                     strerror(errno));
            return PCAP_ERROR;
        }
    }
    return pcap_next_ex(cr->pc, hdr, data);
}

static const char *reader_error(struct capture_reader *cr)
{
    return cr->error[0] ? cr->error : pcap_geterr(cr->pc);
}

static off_t reader_offset(struct capture_reader *cr)
{
    return cr->in_records ? pcap_records_offset(&cr->records) : ftello(pcap_file(cr->pc));
}

struct progress {
    bool enabled;
    off_t size;
    struct timespec started, last_shown;
    uint64_t packets_at_start;
};

static double seconds_between(const struct timespec *a, const struct timespec *b)
{
    return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void progress_show(struct progress *pr, struct capture_reader *cr, const char *file,
                          uint64_t packets)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    if (seconds_between(&pr->last_shown, &now) < 0.5)
        return;
    pr->last_shown = now;
    double elapsed = seconds_between(&pr->started, &now);
    off_t pos = reader_offset(cr);
    double pps = elapsed > 0 ? (double)(packets - pr->packets_at_start) / elapsed : 0;
    fprintf(stderr, "\r%s: %.1f / %.1f MiB (%.0f%%), %.0f packets/s   ", file,
            (double)pos / 1048576.0, (double)pr->size / 1048576.0,
            pr->size > 0 ? 100.0 * (double)pos / (double)pr->size : 100.0, pps);
}

static void progress_start(struct progress *pr, const char *file, bool enabled, uint64_t packets)
{
    struct stat st;
    pr->enabled = enabled;
    pr->size = stat(file, &st) == 0 ? st.st_size : 0;
    clock_gettime(CLOCK_MONOTONIC, &pr->started);
    pr->last_shown = pr->started;
    pr->packets_at_start = packets;
}

static void warn_unsupported(const char *file, int dlt)
{
    const char *name = pcap_datalink_val_to_name(dlt);
    log_warning("%s: link type %d (%s) is not supported; its packets are counted as invalid "
                "and skipped",
                file, dlt, name ? name : "unknown");
}

/* libpcap reads pcapng files, and a pcap file's records after a handover,
 * through stdio; a larger buffer turns a read(2) per 4 KiB into one per
 * 128 KiB. Not more: a buffer that no longer fits in L2 next to the
 * packets made the copy out of it slower than the syscalls saved (qa/bench:
 * 1 MiB cost RX#01 about 15 % more). */
#define CAPTURE_READ_BUFFER (1u << 17)

/* glibc ignores setvbuf's size unless it is given the buffer too; the
 * caller frees *buffer after pcap_close. */
static pcap_t *open_capture(const char *file, char *errbuf, char **buffer)
{
    *buffer = NULL;
    FILE *fp = fopen(file, "rb");
    if (!fp) {
        snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
        return NULL;
    }
    *buffer = malloc(CAPTURE_READ_BUFFER);
    if (*buffer)
        setvbuf(fp, *buffer, _IOFBF, CAPTURE_READ_BUFFER);
    pcap_t *pc = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    if (!pc) {
        fclose(fp);
        free(*buffer);
        *buffer = NULL;
    }
    return pc;
}

static void deliver(const struct pcap_pkthdr *hdr, const u_char *data, int dlt,
                    uint64_t pcap_cnt, capture_packet_fn on_packet, void *ctx)
{
    /* Zero copy: the packet points into the read block (or libpcap's
     * buffer), valid until the next read, and the packet path is done with
     * it by then. */
    struct packet p;
    packet_capture_init(&p);
    p.ts_us = (uint64_t)hdr->ts.tv_sec * 1000000u + (uint64_t)hdr->ts.tv_usec;
    p.data = data;
    p.len = hdr->caplen;
    p.wire_len = hdr->len;
    p.linktype = dlt;
    p.pcap_cnt = pcap_cnt;
    on_packet(ctx, &p);
}

static int replay_file(const char *file, const struct pcap_file_options *opts,
                       capture_packet_fn on_packet, void *ctx, struct pcap_file_stats *stats)
{
    stats->files++;
    struct capture_reader cr = { 0 };
    char *read_buffer;
    cr.pc = open_capture(file, cr.error, &read_buffer);
    if (!cr.pc) {
        log_error("%s: cannot read capture: %s", file, cr.error);
        stats->failed_files++;
        return -1;
    }
    int dlt = pcap_datalink(cr.pc);
    bool supported = pcap_file_linktype_supported(dlt);
    if (!supported)
        warn_unsupported(file, dlt);
    cr.in_records = pcap_records_open(&cr.records, cr.pc, supported);
    struct progress pr;
    progress_start(&pr, file, opts->show_progress, stats->packets);

    struct pcap_pkthdr *hdr;
    const u_char *data;
    int rc;
    while ((rc = next_record(&cr, &hdr, &data)) == 1) {
        stats->packets++;
        stats->bytes += hdr->caplen;
        if (!supported) {
            stats->unsupported++;
            continue;
        }
        deliver(hdr, data, dlt, stats->packets, on_packet, ctx);
        /* Every packet: a relaxed load of a line nobody writes costs nothing,
         * and pcap-interrupt or a signal then stops at the next packet. */
        if (opts->stop && atomic_load_explicit(opts->stop, memory_order_relaxed))
            break;
        if (pr.enabled && (stats->packets & 0xfff) == 0)
            progress_show(&pr, &cr, file, stats->packets);
    }
    if (pr.enabled)
        fputs("\r\033[K", stderr);
    int result = 0;
    if (rc == PCAP_ERROR) {
        log_error("%s: capture file is truncated or corrupt after %llu packets: %s", file,
                  (unsigned long long)stats->packets, reader_error(&cr));
        stats->failed_files++;
        result = -1;
    }
    pcap_records_close(&cr.records);
    pcap_close(cr.pc);
    free(read_buffer);
    return result;
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files of dir, sorted by name (byte order, not locale); -1 when
 * dir cannot be read. */
static int list_directory(const char *dir, char ***files, size_t *count)
{
    DIR *d = opendir(dir);
    if (!d)
        return -1;
    char **names = NULL;
    size_t n = 0, cap = 0;
    struct dirent *de;
    while ((de = readdir(d)) != NULL) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
        if (de->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISREG(st.st_mode))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 16;
            char **grown = realloc(names, cap * sizeof(*names));
            if (!grown)
                break;
            names = grown;
        }
        names[n++] = strdup(path);
    }
    closedir(d);
    if (n > 0)
        qsort(names, n, sizeof(*names), compare_names);
    *files = names;
    *count = n;
    return 0;
}

static int replay_directory(const char *dir, const struct pcap_file_options *opts,
                            capture_packet_fn on_packet, void *ctx, struct pcap_file_stats *stats)
{
    size_t count = 0;
    char **files = NULL;
    if (list_directory(dir, &files, &count) != 0) {
        log_error("%s: cannot list directory: %s", dir, strerror(errno));
        return -1;
    }
    int result = 0;
    for (size_t i = 0; i < count; i++) {
        if (!(opts->stop && atomic_load_explicit(opts->stop, memory_order_relaxed)) &&
            replay_file(files[i], opts, on_packet, ctx, stats) != 0)
            result = -1;
        free(files[i]);
    }
    free(files);
    if (count == 0)
        log_warning("%s: directory holds no capture files", dir);
    return result;
}

int pcap_file_replay(const char *path, const struct pcap_file_options *opts,
                     capture_packet_fn on_packet, void *ctx, struct pcap_file_stats *stats)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        return replay_directory(path, opts, on_packet, ctx, stats);
    return replay_file(path, opts, on_packet, ctx, stats);
}
