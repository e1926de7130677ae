/* Unit tests of the packet path: handing a capture's packets on in bursts
 * (packet_path_process_burst) ends the same flows as one by one. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/in.h>
#include <pcap/dlt.h>

#include "flow/flow-hash.h"
#include "runtime/packet-path.h"
#include "test_decode_frames.h"

#define FRAME_BYTES 96u
#define FRAMES_MAX 600u
#define HASH_SEED 11u

struct frame {
    uint8_t bytes[FRAME_BYTES];
    uint32_t len;
    uint64_t ts_us;
};

/* What a logged flow says, without the pointers that differ per engine. */
struct ended {
    struct flow_key key;
    uint64_t pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient;
    uint64_t start_us, last_us, logged_us;
    uint8_t end_reason;
    bool has_tunnel;
};

struct flow_log {
    struct ended flows[FRAMES_MAX];
    unsigned count;
};

static void record_end(void *ctx, const struct flow *f, uint64_t now_us)
{
    struct flow_log *log = ctx;
    assert_true(log->count < FRAMES_MAX);
    struct ended *e = &log->flows[log->count++];
    memset(e, 0, sizeof(*e));
    e->key = f->key;
    e->pkts_toserver = f->pkts_toserver;
    e->pkts_toclient = f->pkts_toclient;
    e->bytes_toserver = f->bytes_toserver;
    e->bytes_toclient = f->bytes_toclient;
    e->start_us = f->start_us;
    e->last_us = f->last_us;
    e->logged_us = now_us;
    e->end_reason = f->end_reason;
    e->has_tunnel = f->has_tunnel;
}

/* IPv4 src -> dst carrying proto with l4len bytes of l4; returns the
 * IPv4 header's offset in b. */
static uint32_t put_ipv4(uint8_t *b, uint32_t src, uint32_t dst, uint8_t proto,
                         const uint8_t *l4, uint32_t l4len)
{
    uint32_t n = tf_ipv4_hdr(b, proto, l4len);
    tf_be32(b + 12, src);
    tf_be32(b + 16, dst);
    memcpy(b + n, l4, l4len);
    return n + l4len;
}

static uint32_t udp_bytes(uint8_t *b, uint16_t sp, uint16_t dp)
{
    static const uint8_t payload[4] = { 1, 2, 3, 4 };
    tf_be16(b, sp);
    tf_be16(b + 2, dp);
    tf_be16(b + 4, 8 + sizeof(payload));
    tf_be16(b + 6, 0);
    memcpy(b + 8, payload, sizeof(payload));
    return 8 + sizeof(payload);
}

static struct frame *add(struct frame *frames, unsigned *n, uint64_t ts_us)
{
    assert_true(*n < FRAMES_MAX);
    struct frame *f = &frames[(*n)++];
    memset(f, 0, sizeof(*f));
    f->ts_us = ts_us;
    return f;
}

static void add_udp(struct frame *frames, unsigned *n, uint64_t ts_us, uint32_t host, uint16_t sp)
{
    struct frame *f = add(frames, n, ts_us);
    uint8_t l4[16];
    uint32_t l4len = udp_bytes(l4, sp, 53);
    uint32_t at = tf_eth(f->bytes, 0x0800);
    f->len = at + put_ipv4(f->bytes + at, 0x0a000000u + host, 0x0a0000feu, IPPROTO_UDP, l4,
                           l4len);
}

/* An IPv4-in-IPv4 packet whose inner UDP flow exists only inside it. */
static void add_tunnel(struct frame *frames, unsigned *n, uint64_t ts_us, uint16_t sp)
{
    struct frame *f = add(frames, n, ts_us);
    uint8_t l4[16], inner[48];
    uint32_t l4len = udp_bytes(l4, sp, 4789);
    uint32_t inner_len = put_ipv4(inner, 0xc0a80001u, 0xc0a80002u, IPPROTO_UDP, l4, l4len);
    uint32_t at = tf_eth(f->bytes, 0x0800);
    f->len = at + put_ipv4(f->bytes + at, 0x0a000063u, 0x0a000064u, 4, inner, inner_len);
}

/* A UDP datagram in two IPv4 fragments: 16 bytes, then the last 4. */
static void add_fragments(struct frame *frames, unsigned *n, uint64_t ts_us)
{
    uint8_t datagram[24];
    uint32_t len = udp_bytes(datagram, 7000, 7001);
    memset(datagram + len, 0xab, sizeof(datagram) - len);
    tf_be16(datagram + 4, sizeof(datagram) - 4);
    static const uint16_t flags_offset[2] = { 0x2000, 0x0002 }; /* MF; offset 16 */
    static const uint32_t part[2][2] = { { 0, 16 }, { 16, 4 } };
    for (unsigned i = 0; i < 2; i++) {
        struct frame *f = add(frames, n, ts_us + i);
        uint32_t at = tf_eth(f->bytes, 0x0800);
        f->len = at + put_ipv4(f->bytes + at, 0x0a000050u, 0x0a000051u, IPPROTO_UDP,
                               datagram + part[i][0], part[i][1]);
        tf_be16(f->bytes + at + 4, 0x1234);
        tf_be16(f->bytes + at + 6, flags_offset[i]);
    }
}

/* Eight seconds of packet time: 40 UDP hosts talking in turn (the 2 s
 * timeouts end some while others go on), a tunnel and a fragmented
 * datagram now and then. */
static unsigned make_frames(struct frame *frames)
{
    unsigned n = 0;
    uint64_t ts = 1700000000000000ull;
    for (unsigned i = 0; i < 480; i++) {
        ts += 17000 + (i % 7) * 1000;
        uint32_t host = i < 240 ? i % 40 : i % 13;
        add_udp(frames, &n, ts, host + 1, (uint16_t)(2000 + host));
        if (i % 50 == 25)
            add_tunnel(frames, &n, ts, (uint16_t)(3000 + i % 3));
        if (i % 120 == 60)
            add_fragments(frames, &n, ts);
    }
    return n;
}

struct run {
    struct vigil_config cfg;
    struct flow_engine engine;
    struct packet_path path;
    struct flow_log log;
};

static void run_start(struct run *r)
{
    char err[256];
    config_set_defaults(&r->cfg);
    r->cfg.flow.hash_size = 64;
    r->cfg.flow.prealloc = 10;
    r->cfg.flow.memcap = 1 << 20;
    r->cfg.timeouts[FLOW_PROTO_UDP].new_timeout = 2;
    r->cfg.timeouts[FLOW_PROTO_UDP].established_timeout = 2;
    assert_int_equal(flow_engine_init(&r->engine, &r->cfg, HASH_SEED, record_end, err,
                                      sizeof(err)), 0);
    flow_engine_set_single_threaded(&r->engine);
    r->log.count = 0;
    assert_int_equal(packet_path_init(&r->path, &r->engine, &r->cfg, HASH_SEED, &r->log, err,
                                      sizeof(err)), 0);
}

static void run_finish(struct run *r)
{
    flow_engine_shutdown_flows(&r->path.flow, r->path.now_us);
    packet_path_destroy(&r->path);
    flow_engine_destroy(&r->engine);
    config_free(&r->cfg);
}

static void to_packet(const struct frame *f, unsigned index, struct packet *p)
{
    memset(p, 0, sizeof(*p));
    p->data = f->bytes;
    p->len = p->wire_len = f->len;
    p->linktype = DLT_EN10MB;
    p->ts_us = f->ts_us;
    p->pcap_cnt = index + 1;
}

static void replay_one_by_one(struct run *r, const struct frame *frames, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        struct packet p;
        to_packet(&frames[i], i, &p);
        packet_path_process(&r->path, &p);
    }
}

static void replay_in_bursts(struct run *r, const struct frame *frames, unsigned n,
                             unsigned burst)
{
    struct packet packets[PACKET_PATH_BURST * 2];
    struct packet *ptrs[PACKET_PATH_BURST * 2];
    assert_true(burst <= PACKET_PATH_BURST * 2);
    for (unsigned start = 0; start < n; start += burst) {
        unsigned count = n - start < burst ? n - start : burst;
        for (unsigned i = 0; i < count; i++) {
            to_packet(&frames[start + i], start + i, &packets[i]);
            ptrs[i] = &packets[i];
        }
        packet_path_process_burst(&r->path, ptrs, count);
    }
}

static unsigned count_reason(const struct flow_log *log, uint8_t reason, bool tunnel)
{
    unsigned n = 0;
    for (unsigned i = 0; i < log->count; i++)
        if (log->flows[i].end_reason == reason && (!tunnel || log->flows[i].has_tunnel))
            n++;
    return n;
}

static bool logged_port(const struct flow_log *log, uint16_t sp)
{
    for (unsigned i = 0; i < log->count; i++)
        if (log->flows[i].key.sp == sp)
            return true;
    return false;
}

static void assert_same_flows(const struct flow_log *a, const struct flow_log *b)
{
    assert_int_equal(a->count, b->count);
    for (unsigned i = 0; i < a->count; i++) {
        const struct ended *x = &a->flows[i], *y = &b->flows[i];
        assert_int_equal(flow_key_compare(&x->key, &y->key), FLOW_MATCH_TO_SERVER);
        assert_int_equal(x->pkts_toserver, y->pkts_toserver);
        assert_int_equal(x->pkts_toclient, y->pkts_toclient);
        assert_int_equal(x->bytes_toserver, y->bytes_toserver);
        assert_int_equal(x->bytes_toclient, y->bytes_toclient);
        assert_int_equal(x->start_us, y->start_us);
        assert_int_equal(x->last_us, y->last_us);
        assert_int_equal(x->logged_us, y->logged_us);
        assert_int_equal(x->end_reason, y->end_reason);
        assert_int_equal(x->has_tunnel, y->has_tunnel);
    }
}

static void check_burst_size(unsigned burst)
{
    static struct frame frames[FRAMES_MAX];
    unsigned n = make_frames(frames);
    struct run *single = calloc(1, sizeof(*single));
    struct run *bursts = calloc(1, sizeof(*bursts));
    assert_non_null(single);
    assert_non_null(bursts);
    run_start(single);
    replay_one_by_one(single, frames, n);
    struct decode_stats single_decode = single->path.decode.stats;
    struct defrag_stats single_defrag = *defrag_get_stats(single->path.defrag);
    run_finish(single);
    run_start(bursts);
    replay_in_bursts(bursts, frames, n, burst);
    struct decode_stats burst_decode = bursts->path.decode.stats;
    struct defrag_stats burst_defrag = *defrag_get_stats(bursts->path.defrag);
    run_finish(bursts);

    /* The capture exercises what bursts must keep in order. */
    assert_true(count_reason(&single->log, FLOW_END_TIMEOUT, false) > 10);
    assert_true(count_reason(&single->log, FLOW_END_SHUTDOWN, false) > 0);
    assert_true(count_reason(&single->log, FLOW_END_TIMEOUT, true) +
                    count_reason(&single->log, FLOW_END_SHUTDOWN, true) > 0);
    assert_int_equal(single_decode.ipv4_in_ipv4, 10);
    assert_int_equal(single_defrag.ipv4_reassembled, 4);
    assert_true(logged_port(&single->log, 7000));
    assert_true(memcmp(&single_decode, &burst_decode, sizeof(single_decode)) == 0);
    assert_true(memcmp(&single_defrag, &burst_defrag, sizeof(single_defrag)) == 0);
    assert_same_flows(&single->log, &bursts->log);
    free(single);
    free(bursts);
}

static void test_bursts_of_32_end_the_same_flows(void **state)
{
    (void)state;
    check_burst_size(PACKET_PATH_BURST);
}

/* Bursts longer than the staging area and of odd sizes. */
static void test_odd_and_long_bursts_end_the_same_flows(void **state)
{
    (void)state;
    check_burst_size(7);
    check_burst_size(PACKET_PATH_BURST * 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bursts_of_32_end_the_same_flows),
        cmocka_unit_test(test_odd_and_long_bursts_end_the_same_flows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
