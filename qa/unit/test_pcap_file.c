/* Unit tests for pcap replay: crafted captures (byte orders, nanoseconds, cut
 * files, oversized records, other versions) read exactly as libpcap reads them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "capture/pcap-records.h"
#include "decode/decode.h"
#include "pcap_compare.h"
#include "util/log.h"

#define MAGIC_MICRO 0xa1b2c3d4u
#define MAGIC_NANO 0xa1b23c4du
#define MAGIC_PATCHED 0xa1b2cd34u
#define MAX_SNAPLEN 262144u

struct capture_spec {
    uint32_t magic;
    uint16_t major, minor;
    uint32_t snaplen, linktype;
    bool swapped;
};

static const struct capture_spec plain = { MAGIC_MICRO, 2, 4, MAX_SNAPLEN, DECODE_LINKTYPE_ETHERNET, false };

struct capture_file {
    char path[64];
    FILE *fp;
    bool swapped;
};

static void put32(struct capture_file *c, uint32_t v)
{
    if (c->swapped)
        v = __builtin_bswap32(v);
    assert_int_equal(fwrite(&v, sizeof(v), 1, c->fp), 1);
}

static void put16(struct capture_file *c, uint16_t v)
{
    if (c->swapped)
        v = __builtin_bswap16(v);
    assert_int_equal(fwrite(&v, sizeof(v), 1, c->fp), 1);
}

static void capture_create(struct capture_file *c, const struct capture_spec *s)
{
    snprintf(c->path, sizeof(c->path), "/tmp/vigil-test-pcap-XXXXXX");
    int fd = mkstemp(c->path);
    assert_true(fd >= 0);
    c->fp = fdopen(fd, "wb");
    assert_non_null(c->fp);
    c->swapped = s->swapped;
    put32(c, s->magic);
    put16(c, s->major);
    put16(c, s->minor);
    put32(c, 0);
    put32(c, 0);
    put32(c, s->snaplen);
    put32(c, s->linktype);
}

/* Bytes that differ by record and position, so a shifted read shows. */
static void capture_record(struct capture_file *c, uint32_t sec, uint32_t frac, uint32_t caplen,
                           uint32_t wire_len, uint32_t seed)
{
    put32(c, sec);
    put32(c, frac);
    put32(c, caplen);
    put32(c, wire_len);
    for (uint32_t i = 0; i < caplen; i++) {
        int byte = (int)((i * 31u + seed * 7u) & 0xff);
        assert_int_equal(fputc(byte, c->fp), byte);
    }
}

static void capture_close(struct capture_file *c)
{
    assert_int_equal(fclose(c->fp), 0);
    c->fp = NULL;
}

static void assert_same_as_libpcap(const char *path, uint64_t records, bool failed)
{
    struct pcap_digest vigil, reference;
    pcap_digest_with_vigil(path, &vigil);
    pcap_digest_with_libpcap(path, &reference);
    assert_int_equal(reference.records, records);
    assert_int_equal(reference.failed, failed);
    assert_int_equal(vigil.records, reference.records);
    assert_int_equal(vigil.unsupported, reference.unsupported);
    assert_int_equal(vigil.failed, reference.failed);
    assert_true(pcap_digests_equal(&vigil, &reference));
}

/* Opens path as pcap-file.c does and reports whether pcap_records takes it. */
struct opened {
    FILE *fp;
    pcap_t *pc;
    struct pcap_records records;
    bool taken;
};

static void open_records(struct opened *o, const char *path)
{
    char errbuf[PCAP_ERRBUF_SIZE];
    o->fp = fopen(path, "rb");
    assert_non_null(o->fp);
    o->pc = pcap_fopen_offline_with_tstamp_precision(o->fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
    assert_non_null(o->pc);
    o->taken = pcap_records_open(&o->records, o->pc,
                                 pcap_file_linktype_supported(pcap_datalink(o->pc)));
}

/* Opens path, which pcap_records must take, and reads its first record. */
static enum pcap_records_result open_and_read_first(struct opened *o, const char *path,
                                                    struct pcap_pkthdr *hdr)
{
    open_records(o, path);
    assert_true(o->taken);
    const u_char *data;
    return pcap_records_next(&o->records, hdr, &data);
}

static void close_records(struct opened *o)
{
    pcap_records_close(&o->records);
    pcap_close(o->pc);
}

static const uint32_t record_sizes[] = { 60, 1514, 14, 9000, 65535, 200000, 0, 262144, 590 };
#define RECORD_SIZES (sizeof(record_sizes) / sizeof(record_sizes[0]))

/* Records from empty to the snapshot, so every read block boundary falls
 * inside headers and data somewhere, and records longer than a block. */
static void test_plain_capture_read_in_blocks(void **state)
{
    (void)state;
    struct capture_file c;
    capture_create(&c, &plain);
    uint64_t bytes = 0;
    for (uint32_t i = 0; i < 900; i++) {
        uint32_t len = record_sizes[i % RECORD_SIZES];
        capture_record(&c, 1700000000u + i, i * 1000u, len, len + (i & 1) * 4, i);
        bytes += len;
    }
    capture_close(&c);
    assert_same_as_libpcap(c.path, 900, false);

    struct opened o;
    open_records(&o, c.path);
    assert_true(o.taken);
    struct pcap_pkthdr hdr;
    const u_char *data;
    uint64_t seen = 0, seen_bytes = 0;
    while (pcap_records_next(&o.records, &hdr, &data) == PCAP_RECORDS_PACKET) {
        assert_int_equal(hdr.caplen, record_sizes[seen % RECORD_SIZES]);
        if (hdr.caplen > 1)
            assert_int_equal(data[1], (31u + (uint32_t)seen * 7u) & 0xff);
        seen++;
        seen_bytes += hdr.caplen;
    }
    assert_int_equal(seen, 900);
    assert_int_equal(seen_bytes, bytes);
    assert_int_equal(pcap_records_next(&o.records, &hdr, &data), PCAP_RECORDS_END);
    close_records(&o);
    unlink(c.path);
}

/* Both byte orders, micro- and nanosecond magic, and fields at the edges
 * of libpcap's signed 32-bit conversion. */
static void test_byte_orders_and_nanoseconds(void **state)
{
    (void)state;
    static const uint32_t fracs[] = { 0, 999999, 999999999, 0x7fffffffu, 0x80000000u, 0xffffffffu };
    static const uint32_t secs[] = { 0, 1700000000u, 0x7fffffffu, 0x80000000u, 0xffffffffu };
    for (unsigned variant = 0; variant < 4; variant++) {
        struct capture_spec spec = plain;
        spec.magic = variant & 1 ? MAGIC_NANO : MAGIC_MICRO;
        spec.swapped = variant & 2;
        struct capture_file c;
        capture_create(&c, &spec);
        for (uint32_t i = 0; i < 30; i++)
            capture_record(&c, secs[i % 5], fracs[i % 6], 64 + i, 64 + i, i);
        capture_close(&c);
        assert_same_as_libpcap(c.path, 30, false);
        struct opened o;
        open_records(&o, c.path);
        assert_true(o.taken);
        close_records(&o);
        unlink(c.path);
    }
}

/* Cut at every byte of the last records and of the first: libpcap
 * names the cut, and every whole record before it is delivered. */
static void test_cut_files_end_as_with_libpcap(void **state)
{
    (void)state;
    struct capture_file c;
    capture_create(&c, &plain);
    for (uint32_t i = 0; i < 40; i++)
        capture_record(&c, 1700000000u, i, 100 + i, 100 + i, i);
    long full = ftell(c.fp);
    capture_close(&c);
    long record_end = 24;
    for (uint32_t kept = 0; kept < 40; kept++)
        record_end += 16 + 100 + kept;
    assert_int_equal(record_end, full);
    /* Downwards: truncate(2) only ever shortens the file. */
    for (long cut = full; cut >= 24; cut -= cut < 24 + 300 || cut > full - 600 ? 1 : 97) {
        assert_int_equal(truncate(c.path, cut), 0);
        long end = 24;
        uint64_t whole = 0;
        while (whole < 40 && end + 16 + 100 + (long)whole <= cut)
            end += 16 + 100 + (long)whole++;
        assert_same_as_libpcap(c.path, whole, cut != end);
    }
    unlink(c.path);
}

/* A record over the snapshot (libpcap truncates it) and one over libpcap's
 * ceiling (an error): both are left to libpcap from that record on. */
static void test_oversized_records_hand_over(void **state)
{
    (void)state;
    struct capture_spec spec = plain;
    spec.snaplen = 100;
    struct capture_file c;
    capture_create(&c, &spec);
    capture_record(&c, 1, 0, 60, 60, 1);
    capture_record(&c, 2, 0, 150, 150, 2);
    capture_record(&c, 3, 0, 60, 60, 3);
    capture_record(&c, 4, 0, 300000, 300000, 4);
    capture_close(&c);
    assert_same_as_libpcap(c.path, 3, true);

    struct opened o;
    struct pcap_pkthdr hdr;
    const u_char *data;
    assert_int_equal(open_and_read_first(&o, c.path, &hdr), PCAP_RECORDS_PACKET);
    assert_int_equal(hdr.caplen, 60);
    assert_int_equal(pcap_records_next(&o.records, &hdr, &data), PCAP_RECORDS_HANDOVER);
    assert_int_equal(pcap_records_offset(&o.records), 24 + 16 + 60);
    close_records(&o);
    unlink(c.path);
}

/* The patched format's record header carries 8 more bytes (interface,
 * protocol, packet type, padding). */
static void capture_patched_record(struct capture_file *c, uint32_t caplen, uint32_t seed)
{
    put32(c, 5);
    put32(c, 6);
    put32(c, caplen);
    put32(c, caplen);
    for (int k = 0; k < 8; k++)
        assert_int_equal(fputc(0, c->fp), 0);
    for (uint32_t i = 0; i < caplen; i++)
        assert_int_equal(fputc((int)(i + seed), c->fp) & 0xff, (i + seed) & 0xff);
}

static void assert_left_to_libpcap(const struct capture_spec *spec)
{
    struct capture_file c;
    capture_create(&c, spec);
    for (uint32_t i = 0; i < 5; i++) {
        if (spec->magic == MAGIC_PATCHED)
            capture_patched_record(&c, 70, i);
        else
            capture_record(&c, 5, 6, 70, 70, i);
    }
    capture_close(&c);
    struct opened o;
    open_records(&o, c.path);
    assert_false(o.taken);
    close_records(&o);
    assert_same_as_libpcap(c.path, 5, false);
    unlink(c.path);
}

/* Old versions, patched headers, undecodable link types and byte-swapped
 * SLL (whose header libpcap rewrites) are read by libpcap alone. */
static void test_other_captures_stay_with_libpcap(void **state)
{
    (void)state;
    struct capture_spec old = plain;
    old.minor = 2;
    assert_left_to_libpcap(&old);
    struct capture_spec user0 = plain;
    user0.linktype = 147;
    assert_left_to_libpcap(&user0);
    struct capture_spec sll = plain;
    sll.linktype = DECODE_LINKTYPE_LINUX_SLL;
    sll.swapped = true;
    assert_left_to_libpcap(&sll);
    struct capture_spec patched = plain;
    patched.magic = MAGIC_PATCHED;
    assert_left_to_libpcap(&patched);
}

static void test_header_only_capture_is_empty(void **state)
{
    (void)state;
    struct capture_file c;
    capture_create(&c, &plain);
    capture_close(&c);
    assert_same_as_libpcap(c.path, 0, false);
    struct opened o;
    struct pcap_pkthdr hdr;
    assert_int_equal(open_and_read_first(&o, c.path, &hdr), PCAP_RECORDS_END);
    close_records(&o);
    unlink(c.path);
}

int main(void)
{
    log_set_level(LOG_LEVEL_ERROR);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_capture_read_in_blocks),
        cmocka_unit_test(test_byte_orders_and_nanoseconds),
        cmocka_unit_test(test_cut_files_end_as_with_libpcap),
        cmocka_unit_test(test_oversized_records_hand_over),
        cmocka_unit_test(test_other_captures_stay_with_libpcap),
        cmocka_unit_test(test_header_only_capture_is_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
