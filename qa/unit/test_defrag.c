/* Unit tests for IP defragmentation: ordering, the BSD overlap policy, every
 * limit (size, max-frags, trackers, memcap, output pool), timeouts, IPv6
 * extension chains and malformed input read only within its length. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "decode/defrag.h"
#include "test_defrag_frames.h"

#define SEC 1000000ull

static struct defrag_ctx *make_ctx_prealloc(uint32_t trackers, uint32_t max_frags, bool prealloc)
{
    struct defrag_config cfg;
    defrag_config_set_defaults(&cfg);
    cfg.hash_size = 64;
    cfg.trackers = trackers;
    cfg.max_frags = max_frags;
    cfg.memcap = 4ull * 1024 * 1024;
    cfg.hash_seed = 0x1234;
    cfg.prealloc = prealloc;
    struct defrag_ctx *ctx = defrag_create(&cfg);
    assert_non_null(ctx);
    return ctx;
}

static struct defrag_ctx *make_ctx(uint32_t trackers, uint32_t max_frags)
{
    return make_ctx_prealloc(trackers, max_frags, true);
}

/* Submits and frees the frame at once: defrag must keep no pointer into it. */
static struct packet *submit(struct defrag_ctx *ctx, struct decode_ctx *dctx, struct tf *f)
{
    struct packet *r = defrag_submit(ctx, dctx, &f->p);
    tf_free(f);
    return r;
}

static void fill(uint8_t *b, uint32_t n, uint8_t seed)
{
    for (uint32_t i = 0; i < n; i++)
        b[i] = (uint8_t)(seed + i * 7);
}

static uint16_t rd16(const uint8_t *b)
{
    return (uint16_t)(b[0] << 8 | b[1]);
}

static uint16_t sum16(const uint8_t *b, uint32_t n)
{
    uint32_t s = 0;
    for (uint32_t i = 0; i + 1 < n; i += 2)
        s += rd16(b + i);
    while (s >> 16)
        s = (s & 0xffff) + (s >> 16);
    return (uint16_t)s;
}

/* A reassembled IPv4 frame: Ethernet kept, header unfragmented and valid. */
static void check_ipv4_frame(const struct packet *r, const uint8_t *payload, uint32_t plen)
{
    assert_non_null(r);
    assert_int_equal(r->len, 14 + 20 + plen);
    assert_int_equal(r->wire_len, r->len);
    assert_int_equal(r->flags, PKT_IS_REASSEMBLED);
    assert_int_equal(r->linktype, DECODE_LINKTYPE_ETHERNET);
    assert_memory_equal(r->data, tf_eth, 14);
    const uint8_t *ip = r->data + 14;
    assert_int_equal(rd16(ip + 2), 20 + plen);
    assert_int_equal(rd16(ip + 6) & 0x3fff, 0);
    assert_int_equal(sum16(ip, 20), 0xffff);
    assert_memory_equal(ip + 20, payload, plen);
}

static void test_in_order(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t data[48];
    fill(data, sizeof(data), 1);
    struct tf f;
    tf_ipv4(&f, 7, 17, 0, 1, data, 16);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 7, 17, 16, 1, data + 16, 16);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 7, 17, 32, 0, data + 32, 16);
    f.p.ts_us = 5 * SEC;
    f.p.pcap_cnt = 3;
    struct packet *r = submit(ctx, NULL, &f);
    check_ipv4_frame(r, data, sizeof(data));
    assert_int_equal(r->ts_us, 5 * SEC);
    assert_int_equal(r->pcap_cnt, 3);
    assert_int_equal(r->data[14 + 9], 17);
    const struct defrag_stats *st = defrag_get_stats(ctx);
    assert_int_equal(st->ipv4_fragments, 3);
    assert_int_equal(st->ipv4_reassembled, 1);
    assert_int_equal(st->ipv4_frag_overlap, 0);
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

static void test_out_of_order(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t data[40];
    fill(data, sizeof(data), 9);
    struct tf f;
    tf_ipv4(&f, 8, 6, 32, 0, data + 32, 8);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 8, 6, 16, 1, data + 16, 16);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 8, 6, 0, 1, data, 16);
    struct packet *r = submit(ctx, NULL, &f);
    check_ipv4_frame(r, data, sizeof(data));
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

static void test_duplicate_costs_nothing(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t data[24];
    fill(data, sizeof(data), 3);
    struct tf f;
    tf_ipv4(&f, 9, 17, 0, 1, data, 16);
    assert_null(submit(ctx, NULL, &f));
    uint64_t memuse = defrag_get_stats(ctx)->memuse;
    tf_ipv4(&f, 9, 17, 0, 1, data, 16);
    assert_null(submit(ctx, NULL, &f));
    assert_int_equal(defrag_get_stats(ctx)->memuse, memuse);
    assert_int_equal(defrag_get_stats(ctx)->ipv4_frag_overlap, 1);
    tf_ipv4(&f, 9, 17, 16, 0, data + 16, 8);
    struct packet *r = submit(ctx, NULL, &f);
    check_ipv4_frame(r, data, sizeof(data));
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

/* Sends two overlapping fragments A then B, then the tail, and returns the
 * 32-byte reassembled payload. */
static void overlap_case(uint32_t a_off, uint32_t a_len, uint32_t b_off, uint32_t b_len,
                         uint8_t out[32], uint64_t *events)
{
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t a[32], b[32], c[8];
    memset(a, 'A', sizeof(a));
    memset(b, 'B', sizeof(b));
    memset(c, 'C', sizeof(c));
    struct tf f;
    tf_ipv4(&f, 10, 17, a_off, 1, a, a_len);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 10, 17, b_off, 1, b, b_len);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 10, 17, 24, 0, c, 8);
    struct packet *r = submit(ctx, NULL, &f);
    assert_non_null(r);
    assert_int_equal(r->len, 14 + 20 + 32);
    memcpy(out, r->data + 34, 32);
    *events = defrag_get_stats(ctx)->ipv4_frag_overlap;
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

static void test_overlap_later_start_keeps_old(void **state)
{
    (void)state;
    uint8_t out[32];
    uint64_t ev;
    overlap_case(0, 16, 8, 16, out, &ev);
    assert_int_equal(ev, 1);
    assert_memory_equal(out, "AAAAAAAAAAAAAAAABBBBBBBBCCCCCCCC", 32);
}

static void test_overlap_earlier_start_wins(void **state)
{
    (void)state;
    uint8_t out[32];
    uint64_t ev;
    overlap_case(8, 16, 0, 16, out, &ev);
    assert_int_equal(ev, 1);
    assert_memory_equal(out, "BBBBBBBBBBBBBBBBAAAAAAAACCCCCCCC", 32);
}

static void test_overlap_same_start_first_wins(void **state)
{
    (void)state;
    uint8_t out[32];
    uint64_t ev;
    overlap_case(0, 8, 0, 24, out, &ev);
    assert_int_equal(ev, 1);
    assert_memory_equal(out, "AAAAAAAABBBBBBBBBBBBBBBBCCCCCCCC", 32);
}

static void test_overlap_raises_decoder_event(void **state)
{
    (void)state;
    struct decode_config dcfg;
    decode_config_set_defaults(&dcfg);
    struct decode_ctx dctx;
    decode_ctx_init(&dctx, &dcfg);
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t d[16] = { 0 };
    struct tf f;
    tf_ipv4(&f, 11, 17, 0, 1, d, 16);
    assert_null(submit(ctx, &dctx, &f));
    tf_ipv4(&f, 11, 17, 8, 1, d, 16);
    assert_null(defrag_submit(ctx, &dctx, &f.p));
    assert_int_equal(f.p.event_count, 1);
    assert_int_equal(f.p.events[0], DECODE_EV_IPV4_FRAG_OVERLAP);
    assert_int_equal(dctx.stats.events[DECODE_EV_IPV4_FRAG_OVERLAP], 1);
    tf_free(&f);
    defrag_destroy(ctx);
}

static void test_ipv4_too_large(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t d[64] = { 0 };
    struct tf f;
    tf_ipv4(&f, 12, 17, 65504, 0, d, 8);   /* 65512 + 20: fits */
    assert_null(submit(ctx, NULL, &f));
    assert_int_equal(defrag_get_stats(ctx)->ipv4_frag_too_large, 0);
    tf_ipv4(&f, 13, 17, 65528, 0, d, 8);        /* 65536 + 20 */
    assert_null(submit(ctx, NULL, &f));
    assert_int_equal(defrag_get_stats(ctx)->ipv4_frag_too_large, 1);
    defrag_destroy(ctx);
}

static void test_ipv6_too_large(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t d[64] = { 0 };
    struct tf f;
    tf_ipv6(&f, NULL, 0, 0, 5, 17, 65528, 0, d, 8);  /* payload 65536 */
    assert_null(submit(ctx, NULL, &f));
    assert_int_equal(defrag_get_stats(ctx)->ipv6_frag_too_large, 1);
    assert_int_equal(defrag_get_stats(ctx)->ipv6_fragments, 1);
    defrag_destroy(ctx);
}

static void test_max_frags(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 3);
    uint8_t d[8] = { 0 };
    struct tf f;
    for (uint32_t i = 0; i < 4; i++) {
        tf_ipv4(&f, 14, 17, i * 16, 1, d, 8);   /* holes: never completes */
        assert_null(submit(ctx, NULL, &f));
    }
    assert_int_equal(defrag_get_stats(ctx)->max_frags_reached, 1);
    defrag_destroy(ctx);
}

/* prealloc: yes links every tracker at start, no hands them out as they
 * are first needed: either way exactly `trackers` datagrams are followed,
 * and a reclaimed tracker serves the next one. */
static void check_tracker_exhaustion_and_reclaim(bool prealloc)
{
    struct defrag_ctx *ctx = make_ctx_prealloc(2, 64, prealloc);
    uint8_t d[8] = { 0 };
    struct tf f;
    for (uint16_t id = 1; id <= 3; id++) {
        tf_ipv4(&f, id, 17, 0, 1, d, 8);
        assert_null(submit(ctx, NULL, &f));
    }
    const struct defrag_stats *st = defrag_get_stats(ctx);
    assert_int_equal(st->max_trackers_reached, 1);
    tf_ipv4(&f, 4, 17, 0, 1, d, 8);
    f.p.ts_us += 61 * SEC;       /* the oldest tracker is stale by now */
    assert_null(submit(ctx, NULL, &f));
    assert_int_equal(st->max_trackers_reached, 1);
    assert_int_equal(st->wrk_tracker_timeout, 1);
    assert_int_equal(st->ipv4_timeouts, 1);
    /* The reclaimed tracker follows datagram 4 to the end. */
    tf_ipv4(&f, 4, 17, 8, 0, d, 8);
    f.p.ts_us += 61 * SEC;
    struct packet *whole = submit(ctx, NULL, &f);
    assert_non_null(whole);
    assert_int_equal(st->ipv4_reassembled, 1);
    defrag_release(ctx, whole);
    defrag_destroy(ctx);
}

static void test_tracker_exhaustion_and_reclaim(void **state)
{
    (void)state;
    check_tracker_exhaustion_and_reclaim(true);
}

static void test_tracker_exhaustion_and_reclaim_without_prealloc(void **state)
{
    (void)state;
    check_tracker_exhaustion_and_reclaim(false);
}

static void test_timeout_expiry(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    const struct defrag_stats *st = defrag_get_stats(ctx);
    uint64_t empty = st->memuse;
    uint8_t d[16] = { 0 };
    struct tf f;
    tf_ipv4(&f, 15, 17, 0, 1, d, 16);
    assert_null(submit(ctx, NULL, &f));
    assert_true(st->memuse > empty);
    defrag_timeout(ctx, 1 * SEC + 60 * SEC);    /* idle exactly the timeout: kept */
    assert_int_equal(st->mgr_tracker_timeout, 0);
    defrag_timeout(ctx, 1 * SEC + 61 * SEC);
    assert_int_equal(st->mgr_tracker_timeout, 1);
    assert_int_equal(st->ipv4_timeouts, 1);
    assert_int_equal(st->memuse, empty);
    tf_ipv4(&f, 15, 17, 16, 0, d, 8);
    f.p.ts_us = 62 * SEC;
    assert_null(submit(ctx, NULL, &f));         /* its first half is gone */
    defrag_destroy(ctx);
}

static void test_stale_tracker_same_key_restarts(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t old[16], data[24];
    memset(old, 'X', sizeof(old));
    fill(data, sizeof(data), 5);
    struct tf f;
    tf_ipv4(&f, 16, 17, 0, 1, old, 16);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 16, 17, 0, 1, data, 16);
    f.p.ts_us = 100 * SEC;
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 16, 17, 16, 0, data + 16, 8);
    f.p.ts_us = 100 * SEC;
    struct packet *r = submit(ctx, NULL, &f);
    check_ipv4_frame(r, data, sizeof(data));
    assert_int_equal(defrag_get_stats(ctx)->wrk_tracker_timeout, 1);
    assert_int_equal(defrag_get_stats(ctx)->ipv4_frag_overlap, 0);
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

static void test_vlans_kept_apart(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t d[16] = { 0 };
    struct tf f;
    tf_ipv4(&f, 17, 17, 0, 1, d, 16);
    f.p.vlan_count = 1;
    f.p.vlan_id[0] = 100;
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 17, 17, 16, 0, d, 8);
    f.p.vlan_count = 1;
    f.p.vlan_id[0] = 200;
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 17, 17, 16, 0, d, 8);
    f.p.vlan_count = 1;
    f.p.vlan_id[0] = 100;
    struct packet *r = submit(ctx, NULL, &f);
    assert_non_null(r);
    assert_int_equal(r->vlan_count, 1);
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

static void test_ipv6_ext_headers_before_fragment(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    /* Hop-by-hop (8 bytes, PadN) -> Destination options (8 bytes) -> Fragment. */
    const uint8_t ext[16] = { 60, 0, 1, 4, 0, 0, 0, 0, 44, 0, 1, 4, 0, 0, 0, 0 };
    uint8_t data[40];
    fill(data, sizeof(data), 11);
    struct tf f;
    tf_ipv6(&f, ext, 16, 0, 0xa1bc6572, 6, 16, 0, data + 16, 24);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv6(&f, ext, 16, 0, 0xa1bc6572, 6, 0, 1, data, 16);
    struct packet *r = submit(ctx, NULL, &f);
    assert_non_null(r);
    assert_int_equal(r->len, 40 + 16 + 40);
    assert_int_equal(r->linktype, DECODE_LINKTYPE_IPV6);
    assert_int_equal(rd16(r->data + 4), 16 + 40);
    assert_int_equal(r->data[6], 0);          /* hop-by-hop still first */
    assert_int_equal(r->data[40], 60);
    assert_int_equal(r->data[48], 6);         /* dest opts now names TCP */
    assert_memory_equal(r->data + 56, data, 40);
    assert_int_equal(defrag_get_stats(ctx)->ipv6_reassembled, 1);
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

static void test_ipv6_bad_length_event(void **state)
{
    (void)state;
    struct decode_config dcfg;
    decode_config_set_defaults(&dcfg);
    struct decode_ctx dctx;
    decode_ctx_init(&dctx, &dcfg);
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t d[12] = { 0 };
    struct tf f;
    tf_ipv6(&f, NULL, 0, 0, 1, 17, 0, 1, d, 12);   /* M set, not a multiple of 8 */
    assert_null(submit(ctx, &dctx, &f));
    assert_int_equal(dctx.stats.events[DECODE_EV_IPV6_FRAG_INVALID_LENGTH], 1);
    assert_int_equal(defrag_get_stats(ctx)->invalid_fragments, 1);
    defrag_destroy(ctx);
}

/* The frames of exception-policy-defrag-01.pcap: an ICMP echo request of
 * 976 + 432 bytes, which Suricata logs as one 1442-byte packet. */
static void test_exception_policy_defrag_01(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t icmp[1408];
    fill(icmp, sizeof(icmp), 0);
    icmp[0] = 8;
    icmp[1] = 0;
    struct tf f;
    tf_ipv4(&f, 0xb5d0, 1, 0, 1, icmp, 976);
    assert_int_equal(f.p.len, 1010);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 0xb5d0, 1, 976, 0, icmp + 976, 432);
    assert_int_equal(f.p.len, 466);
    struct packet *r = submit(ctx, NULL, &f);
    assert_non_null(r);
    assert_int_equal(r->len, 1442);
    check_ipv4_frame(r, icmp, sizeof(icmp));
    assert_int_equal(r->data[14 + 9], 1);
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

/* The shape of bug-6887-defrag-ipv6-tcp.pcap: raw IPv6, 464 + 464 + 92. */
static void test_bug_6887_ipv6_tcp(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t seg[1020];
    fill(seg, sizeof(seg), 2);
    struct tf f;
    tf_ipv6(&f, NULL, 0, 0, 0xa1bc6572, 6, 0, 1, seg, 464);
    assert_int_equal(f.p.len, 512);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv6(&f, NULL, 0, 0, 0xa1bc6572, 6, 464, 1, seg + 464, 464);
    assert_null(submit(ctx, NULL, &f));
    tf_ipv6(&f, NULL, 0, 0, 0xa1bc6572, 6, 928, 0, seg + 928, 92);
    assert_int_equal(f.p.len, 140);
    struct packet *r = submit(ctx, NULL, &f);
    assert_non_null(r);
    assert_int_equal(r->len, 1060);
    assert_int_equal(r->data[6], 6);
    assert_int_equal(rd16(r->data + 4), 1020);
    assert_memory_equal(r->data + 40, seg, sizeof(seg));
    defrag_release(ctx, r);
    defrag_destroy(ctx);
}

/* Cuts a valid fragment short at every length and corrupts its header
 * fields: every variant is refused, and ASan checks nothing is read past. */
static void test_truncated_and_garbage(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t d[16] = { 0 };
    const uint8_t ext[8] = { 44, 0, 1, 4, 0, 0, 0, 0 };
    for (int v6 = 0; v6 <= 1; v6++) {
        struct tf full;
        if (v6)
            tf_ipv6(&full, ext, 8, 60, 1, 17, 0, 1, d, 16);
        else
            tf_ipv4(&full, 1, 17, 0, 1, d, 16);
        uint32_t l3_full = full.p.l3_len;
        for (uint32_t cut = 0; cut < l3_full; cut++) {
            struct tf f;
            tf_finish(&f, full.buf, full.p.l2_len + cut, full.p.l2_len, v6 ? 6 : 4,
                      full.p.linktype);
            assert_null(submit(ctx, NULL, &f));
        }
        tf_free(&full);
    }
    assert_int_equal(defrag_get_stats(ctx)->invalid_fragments, 36 + 72);
    assert_int_equal(defrag_get_stats(ctx)->ipv4_fragments, 0);
    /* Header lengths pointing past the data. */
    struct tf f;
    tf_ipv4(&f, 2, 17, 0, 1, d, 16);
    f.buf[14] = 0x4f;
    assert_null(submit(ctx, NULL, &f));
    tf_ipv6(&f, ext, 8, 60, 1, 17, 0, 1, d, 16);
    f.buf[41] = 200;
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 3, 17, 0, 1, d, 16);
    f.p.l2_len = DEFRAG_MAX_L2_LEN + 1;
    assert_null(submit(ctx, NULL, &f));
    tf_ipv4(&f, 3, 17, 0, 1, d, 16);
    f.p.ip_version = 6;
    assert_null(submit(ctx, NULL, &f));
    assert_int_equal(defrag_get_stats(ctx)->invalid_fragments, 36 + 72 + 4);
    srand(7);
    for (int i = 0; i < 2000; i++) {
        uint8_t junk[96];
        uint32_t n = (uint32_t)(rand() % (int)sizeof(junk));
        for (uint32_t j = 0; j < n; j++)
            junk[j] = (uint8_t)rand();
        if (n > 0)
            junk[0] = (uint8_t)((i & 1 ? 0x60 : 0x45) | (junk[0] & 0x0f));
        tf_finish(&f, junk, n, 0, i & 1 ? 6 : 4, DECODE_LINKTYPE_RAW);
        struct packet *r = submit(ctx, NULL, &f);
        if (r != NULL)
            defrag_release(ctx, r);
    }
    defrag_destroy(ctx);
}

static void test_output_pool_and_release(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(64, 256);
    uint8_t d[16] = { 0 };
    struct packet *held[DEFRAG_OUTPUT_POOL_SIZE];
    struct tf f;
    for (uint16_t id = 0; id <= DEFRAG_OUTPUT_POOL_SIZE; id++) {
        tf_ipv4(&f, id, 17, 0, 1, d, 8);
        assert_null(submit(ctx, NULL, &f));
        tf_ipv4(&f, id, 17, 8, 0, d, 8);
        struct packet *r = submit(ctx, NULL, &f);
        if (id < DEFRAG_OUTPUT_POOL_SIZE) {
            assert_non_null(r);
            held[id] = r;
        } else {
            assert_null(r);
        }
    }
    assert_int_equal(defrag_get_stats(ctx)->memcap_exceeded, 1);
    defrag_release(ctx, held[3]);
    tf_ipv4(&f, 500, 17, 0, 0, d, 8);
    struct packet *r = submit(ctx, NULL, &f);
    assert_ptr_equal(r, held[3]);
    for (size_t i = 0; i < DEFRAG_OUTPUT_POOL_SIZE; i++)
        defrag_release(ctx, held[i]);
    defrag_destroy(ctx);
}

/* Four trackers and max_frags entries; the caller sets the memcap, which
 * decides the data chunks. */
static struct defrag_config small_config(uint32_t max_frags)
{
    struct defrag_config cfg;
    defrag_config_set_defaults(&cfg);
    cfg.hash_size = 16;
    cfg.trackers = 4;
    cfg.max_frags = max_frags;
    return cfg;
}

/* Fragment entries and data chunks are handed out fresh until all have
 * been used, then from what reassembled datagrams gave back: with room for
 * three fragments and five chunks (the three payloads, and the first
 * fragment's link and IP headers), exactly what one datagram takes, every
 * datagram after the first is built from reused ones, byte for byte. */
static void test_pool_reuses_entries_and_chunks(void **state)
{
    (void)state;
    struct defrag_config cfg = small_config(3);
    cfg.memcap = defrag_fixed_memory(&cfg) + 5 * 260;   /* five chunks */
    struct defrag_ctx *ctx = defrag_create(&cfg);
    assert_non_null(ctx);
    for (uint16_t id = 1; id <= 4; id++) {
        uint8_t data[48];
        fill(data, sizeof(data), (uint8_t)id);
        struct tf f;
        tf_ipv4(&f, id, 17, 16, 1, data + 16, 16);
        assert_null(submit(ctx, NULL, &f));
        tf_ipv4(&f, id, 17, 32, 0, data + 32, 16);
        assert_null(submit(ctx, NULL, &f));
        tf_ipv4(&f, id, 17, 0, 1, data, 16);
        struct packet *r = submit(ctx, NULL, &f);
        check_ipv4_frame(r, data, sizeof(data));
        defrag_release(ctx, r);
    }
    const struct defrag_stats *st = defrag_get_stats(ctx);
    assert_int_equal(st->ipv4_reassembled, 4);
    assert_int_equal(st->max_frags_reached, 0);
    assert_int_equal(st->memcap_exceeded, 0);
    defrag_destroy(ctx);
}

static void test_memcap_bounds_data(void **state)
{
    (void)state;
    struct defrag_config cfg = small_config(16);
    cfg.memcap = defrag_fixed_memory(&cfg) - 1;
    assert_null(defrag_create(&cfg));
    cfg.memcap = defrag_fixed_memory(&cfg) + 4 * 260;   /* four data chunks */
    struct defrag_ctx *ctx = defrag_create(&cfg);
    assert_non_null(ctx);
    uint8_t d[1024] = { 0 };
    struct tf f;
    tf_ipv4(&f, 1, 17, 0, 1, d, 1024);
    assert_null(submit(ctx, NULL, &f));
    const struct defrag_stats *st = defrag_get_stats(ctx);
    assert_int_equal(st->memcap_exceeded, 1);
    assert_true(st->memuse <= cfg.memcap);
    tf_ipv4(&f, 2, 17, 0, 0, d, 256);
    assert_non_null(submit(ctx, NULL, &f));
    defrag_destroy(ctx);
}

static void test_stats_names(void **state)
{
    (void)state;
    struct defrag_ctx *ctx = make_ctx(16, 64);
    uint8_t d[8] = { 0 };
    struct tf f;
    tf_ipv6(&f, NULL, 0, 0, 1, 17, 0, 1, d, 8);
    assert_null(submit(ctx, NULL, &f));
    const struct defrag_stats *st = defrag_get_stats(ctx);
    bool found = false;
    for (size_t i = 0; i < defrag_stats_field_count; i++) {
        const struct defrag_stats_field *fl = &defrag_stats_fields[i];
        assert_true(strncmp(fl->name, "defrag.", 7) == 0);
        assert_true(fl->offset + sizeof(uint64_t) <= sizeof(*st));
        if (strcmp(fl->name, "defrag.ipv6.fragments") == 0) {
            uint64_t v;
            memcpy(&v, (const uint8_t *)st + fl->offset, sizeof(v));
            assert_int_equal(v, 1);
            found = true;
        }
    }
    assert_true(found);
    assert_int_equal(defrag_stats_field_count, 11);
    defrag_destroy(ctx);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_in_order),
        cmocka_unit_test(test_out_of_order),
        cmocka_unit_test(test_duplicate_costs_nothing),
        cmocka_unit_test(test_overlap_later_start_keeps_old),
        cmocka_unit_test(test_overlap_earlier_start_wins),
        cmocka_unit_test(test_overlap_same_start_first_wins),
        cmocka_unit_test(test_overlap_raises_decoder_event),
        cmocka_unit_test(test_ipv4_too_large),
        cmocka_unit_test(test_ipv6_too_large),
        cmocka_unit_test(test_max_frags),
        cmocka_unit_test(test_tracker_exhaustion_and_reclaim),
        cmocka_unit_test(test_tracker_exhaustion_and_reclaim_without_prealloc),
        cmocka_unit_test(test_timeout_expiry),
        cmocka_unit_test(test_stale_tracker_same_key_restarts),
        cmocka_unit_test(test_vlans_kept_apart),
        cmocka_unit_test(test_ipv6_ext_headers_before_fragment),
        cmocka_unit_test(test_ipv6_bad_length_event),
        cmocka_unit_test(test_exception_policy_defrag_01),
        cmocka_unit_test(test_bug_6887_ipv6_tcp),
        cmocka_unit_test(test_truncated_and_garbage),
        cmocka_unit_test(test_output_pool_and_release),
        cmocka_unit_test(test_pool_reuses_entries_and_chunks),
        cmocka_unit_test(test_memcap_bounds_data),
        cmocka_unit_test(test_stats_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
