/* Unit tests of the flow room: hash symmetry and seeding, bidirectional
 * compare, timeouts by state, TCP states, and the engine's accounting. */
#include <sched.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include <netinet/in.h>

#include "flow/flow-engine.h"
#include "flow/flow-hash.h"
#include "flow/flow-tcp.h"
#include "flow/flow-timeout.h"

static struct packet make_packet(uint32_t src, uint32_t dst, uint16_t sp, uint16_t dp, uint8_t proto)
{
    struct packet p;
    memset(&p, 0, sizeof(p));
    p.flags = PKT_HAS_FLOW_KEY;
    p.ip_version = 4;
    p.src.w[0] = src;
    p.dst.w[0] = dst;
    p.sp = sp;
    p.dp = dp;
    p.proto = proto;
    p.flow_bytes = 100;
    return p;
}

static struct packet reversed(const struct packet *p)
{
    struct packet r = *p;
    r.src = p->dst;
    r.dst = p->src;
    r.sp = p->dp;
    r.dp = p->sp;
    return r;
}

static void test_hash_is_symmetric(void **state)
{
    (void)state;
    for (uint32_t i = 0; i < 1000; i++) {
        struct packet p = make_packet(0x0a000001 + i, 0xc0a80001 + i * 7, (uint16_t)(1024 + i),
                                      (uint16_t)(80 + i % 3), i % 2 ? IPPROTO_TCP : IPPROTO_UDP);
        struct packet r = reversed(&p);
        struct flow_key kp, kr;
        flow_key_from_packet(&p, true, &kp);
        flow_key_from_packet(&r, true, &kr);
        assert_int_equal(flow_key_hash(&kp, 12345), flow_key_hash(&kr, 12345));
    }
}

static void test_hash_depends_on_seed_and_fields(void **state)
{
    (void)state;
    struct packet p = make_packet(1, 2, 3, 4, IPPROTO_TCP);
    struct flow_key k;
    flow_key_from_packet(&p, true, &k);
    uint32_t h = flow_key_hash(&k, 1);
    assert_int_not_equal(h, flow_key_hash(&k, 2));
    struct flow_key other = k;
    other.proto = IPPROTO_UDP;
    assert_int_not_equal(h, flow_key_hash(&other, 1));
    other = k;
    other.vlan_count = 1;
    other.vlan_id[0] = 10;
    assert_int_not_equal(h, flow_key_hash(&other, 1));
    other = k;
    other.recursion_level = 1;
    assert_int_not_equal(h, flow_key_hash(&other, 1));
    /* Same ports on the other side is another flow, not a reverse one. */
    struct packet q = make_packet(1, 2, 4, 3, IPPROTO_TCP);
    flow_key_from_packet(&q, true, &other);
    assert_int_equal(flow_key_compare(&k, &other), FLOW_MATCH_NONE);
}

static void test_compare_both_directions(void **state)
{
    (void)state;
    struct packet p = make_packet(1, 2, 1000, 80, IPPROTO_TCP);
    struct packet r = reversed(&p);
    struct flow_key fk, kp, kr;
    flow_key_from_packet(&p, true, &fk);
    flow_key_from_packet(&p, true, &kp);
    flow_key_from_packet(&r, true, &kr);
    assert_int_equal(flow_key_compare(&fk, &kp), FLOW_MATCH_TO_SERVER);
    assert_int_equal(flow_key_compare(&fk, &kr), FLOW_MATCH_TO_CLIENT);
}

static void test_compare_respects_vlan_and_depth(void **state)
{
    (void)state;
    struct packet p = make_packet(1, 2, 1000, 80, IPPROTO_UDP);
    struct packet v = p;
    v.vlan_count = 1;
    v.vlan_id[0] = 100;
    struct flow_key kp, kv;
    flow_key_from_packet(&p, true, &kp);
    flow_key_from_packet(&v, true, &kv);
    assert_int_equal(flow_key_compare(&kp, &kv), FLOW_MATCH_NONE);
    flow_key_from_packet(&v, false, &kv); /* vlan.use-for-tracking: false */
    assert_int_equal(flow_key_compare(&kp, &kv), FLOW_MATCH_TO_SERVER);
    struct packet t = p;
    t.recursion_level = 1;
    struct flow_key kt;
    flow_key_from_packet(&t, true, &kt);
    assert_int_equal(flow_key_compare(&kp, &kt), FLOW_MATCH_NONE);
}

static void test_icmp_error_keys_on_embedded_tuple(void **state)
{
    (void)state;
    struct packet udp = make_packet(1, 2, 5000, 53, IPPROTO_UDP);
    struct packet err = make_packet(2, 1, 3, 3, IPPROTO_ICMP);
    err.flags = PKT_ICMP_ERROR;
    err.embedded.src.w[0] = 1;
    err.embedded.dst.w[0] = 2;
    err.embedded.sp = 5000;
    err.embedded.dp = 53;
    err.embedded.proto = IPPROTO_UDP;
    err.embedded.ip_version = 4;
    struct flow_key ku, ke;
    flow_key_from_packet(&udp, true, &ku);
    flow_key_from_packet(&err, true, &ke);
    assert_int_equal(flow_key_compare(&ku, &ke), FLOW_MATCH_TO_SERVER);
    assert_int_equal(flow_key_hash(&ku, 9), flow_key_hash(&ke, 9));
}

static struct vigil_config test_config(void)
{
    struct vigil_config cfg;
    config_set_defaults(&cfg);
    cfg.flow.hash_size = 64;
    cfg.flow.prealloc = 10;
    cfg.flow.memcap = 1 << 20;
    return cfg;
}

static void test_timeouts_by_state(void **state)
{
    (void)state;
    struct vigil_config cfg = test_config();
    struct flow_timeouts t;
    flow_timeouts_from_config(&t, cfg.timeouts);
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.key.proto = IPPROTO_TCP;
    f.last_us = 1000000;
    uint64_t new_us = cfg.timeouts[FLOW_PROTO_TCP].new_timeout * 1000000ULL;
    uint64_t est_us = cfg.timeouts[FLOW_PROTO_TCP].established_timeout * 1000000ULL;
    f.state = FLOW_STATE_NEW;
    assert_false(flow_timed_out(&t, &f, f.last_us + new_us - 1, false));
    assert_true(flow_timed_out(&t, &f, f.last_us + new_us, false));
    f.state = FLOW_STATE_ESTABLISHED;
    assert_false(flow_timed_out(&t, &f, f.last_us + new_us, false));
    assert_true(flow_timed_out(&t, &f, f.last_us + est_us, false));
    uint64_t emerg_us = cfg.timeouts[FLOW_PROTO_TCP].emergency_established * 1000000ULL;
    assert_true(emerg_us < est_us);
    assert_true(flow_timed_out(&t, &f, f.last_us + emerg_us, true));
    assert_int_equal(flow_proto_class(IPPROTO_SCTP), FLOW_PROTO_DEFAULT);
    assert_int_equal(flow_proto_class(IPPROTO_ICMPV6), FLOW_PROTO_ICMP);
    config_free(&cfg);
}

static void tcp_step(struct flow *f, uint8_t flags, bool to_server, struct flow_tcp_counters *c)
{
    struct packet p = make_packet(1, 2, 3, 4, IPPROTO_TCP);
    p.tcp_flags = flags;
    flow_tcp_update(f, &p, to_server, c);
}

static void test_tcp_handshake_and_close(void **state)
{
    (void)state;
    struct flow f;
    memset(&f, 0, sizeof(f));
    struct flow_tcp_counters c = { 0 };
    tcp_step(&f, TCP_FLAG_SYN, true, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_SYN_SENT);
    assert_int_equal(f.state, FLOW_STATE_NEW);
    tcp_step(&f, TCP_FLAG_SYN | TCP_FLAG_ACK, false, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_SYN_RECV);
    tcp_step(&f, TCP_FLAG_ACK, true, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_ESTABLISHED);
    assert_int_equal(f.state, FLOW_STATE_ESTABLISHED);
    tcp_step(&f, TCP_FLAG_FIN | TCP_FLAG_ACK, true, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_FIN_WAIT1);
    tcp_step(&f, TCP_FLAG_ACK, false, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_FIN_WAIT2);
    tcp_step(&f, TCP_FLAG_FIN | TCP_FLAG_ACK, false, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_TIME_WAIT);
    assert_int_equal(f.state, FLOW_STATE_CLOSED);
    tcp_step(&f, TCP_FLAG_ACK, true, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_CLOSED);
    assert_int_equal(c.sessions, 1);
    assert_int_equal(c.syn, 1);
    assert_int_equal(c.synack, 1);
    assert_string_equal(flow_tcp_state_name(TCP_STATE_FIN_WAIT1), "fin_wait1");
}

static void test_tcp_rst_and_reuse(void **state)
{
    (void)state;
    struct flow f;
    memset(&f, 0, sizeof(f));
    struct flow_tcp_counters c = { 0 };
    tcp_step(&f, TCP_FLAG_SYN, true, &c);
    tcp_step(&f, TCP_FLAG_RST | TCP_FLAG_ACK, false, &c);
    assert_int_equal(f.tcp_state, TCP_STATE_CLOSED);
    assert_int_equal(f.state, FLOW_STATE_CLOSED);
    assert_int_equal(c.rst, 1);
    struct packet syn = make_packet(1, 2, 3, 4, IPPROTO_TCP);
    syn.tcp_flags = TCP_FLAG_SYN;
    assert_true(flow_tcp_is_port_reuse(&f, &syn, true));
    syn.tcp_flags = TCP_FLAG_ACK;
    assert_false(flow_tcp_is_port_reuse(&f, &syn, true));
}

struct ended_log {
    int count;
    int flushed;     /* count when the engine last said a batch ended */
    struct flow last;
};

static void record_end(void *ctx, const struct flow *f, uint64_t now_us)
{
    (void)now_us;
    struct ended_log *log = ctx;
    log->count++;
    log->last = *f;
}

static void record_flush(void *ctx)
{
    struct ended_log *log = ctx;
    log->flushed = log->count;
}

/* A flow engine with one worker whose ended flows go to log; the test sets
 * cfg before engine_start. */
struct engine_fixture {
    struct vigil_config cfg;
    struct flow_engine e;
    struct flow_worker w;
    struct ended_log log;
};

static void engine_start(struct engine_fixture *fx)
{
    char err[256];
    assert_int_equal(flow_engine_init(&fx->e, &fx->cfg, 7, record_end, err, sizeof(err)), 0);
    flow_engine_set_end_flush(&fx->e, record_flush);
    fx->log = (struct ended_log){ 0 };
    flow_worker_init(&fx->w, &fx->e, &fx->log);
}

static void engine_stop(struct engine_fixture *fx)
{
    flow_worker_release(&fx->w);
    flow_engine_destroy(&fx->e);
    config_free(&fx->cfg);
}

/* One manager pass over the whole table at now_us. */
static void manager_pass(struct engine_fixture *fx, uint64_t now_us)
{
    flow_manager_timeout_rows(&fx->w, 0, fx->e.table.size, now_us);
}

/* p with these TCP flags at this time. */
static struct packet stamped(struct packet p, uint8_t tcp_flags, uint64_t ts_us)
{
    p.tcp_flags = tcp_flags;
    p.ts_us = ts_us;
    return p;
}

static void test_engine_counts_directions_and_logs_once(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    engine_start(&fx);
    struct packet p = make_packet(1, 2, 1000, 53, IPPROTO_UDP);
    p.ts_us = 1000000;
    struct packet r = reversed(&p);
    r.ts_us = 1500000;
    r.flow_bytes = 60;
    struct flow *f1 = flow_handle_packet(&fx.w, &p);
    struct flow *f2 = flow_handle_packet(&fx.w, &r);
    assert_non_null(f1);
    assert_ptr_equal(f1, f2);
    assert_int_equal(f1->pkts_toserver, 1);
    assert_int_equal(f1->pkts_toclient, 1);
    assert_int_equal(f1->bytes_toclient, 60);
    assert_int_equal(f1->state, FLOW_STATE_ESTABLISHED);
    assert_int_equal(fx.w.stats.udp, 1);
    /* Past the established timeout the manager ends it exactly once. */
    uint64_t later = r.ts_us + fx.cfg.timeouts[FLOW_PROTO_UDP].established_timeout * 1000000ULL;
    manager_pass(&fx, later);
    assert_int_equal(fx.log.count, 1);
    assert_int_equal(fx.log.last.end_reason, FLOW_END_TIMEOUT);
    /* An output that gathers records is told to hand them on. */
    assert_int_equal(fx.log.flushed, 1);
    flow_engine_shutdown_flows(&fx.w, later);
    assert_int_equal(fx.log.count, 1);
    engine_stop(&fx);
}

static void test_engine_memcap_forces_reuse(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    fx.cfg.flow.prealloc = 0;
    fx.cfg.flow.memcap = flow_table_bytes(fx.cfg.flow.hash_size) + 4 * FLOW_MEMORY_SIZE;
    engine_start(&fx);
    for (uint16_t i = 0; i < 10; i++) {
        struct packet p = make_packet(1, 2, (uint16_t)(1000 + i), 53, IPPROTO_UDP);
        p.ts_us = 1000000 + i;
        assert_non_null(flow_handle_packet(&fx.w, &p));
    }
    assert_true(flow_engine_memuse(&fx.e) <= fx.cfg.flow.memcap);
    assert_int_equal(fx.log.count, 6);
    assert_int_equal(fx.log.last.end_reason, FLOW_END_FORCED);
    assert_int_equal(fx.log.flushed, 6);  /* a forced record goes out at once */
    assert_int_equal(fx.w.stats.emerg_mode_entered, 1);
    flow_engine_shutdown_flows(&fx.w, 2000000);
    assert_int_equal(fx.log.count, 10);
    assert_int_equal(fx.log.flushed, 10);
    engine_stop(&fx);
}

/* n UDP flows from 1 to hosts 2..2+n-1 (one per host when spread is 0,
 * else over spread hosts), each with a port of its own, ts 1 s onwards. */
static void add_udp_flows(struct engine_fixture *fx, uint16_t n, uint32_t spread)
{
    for (uint16_t i = 0; i < n; i++) {
        uint32_t host = 2 + (spread ? i % spread : i);
        struct packet p = make_packet(1, host, (uint16_t)(1000 + i), 53, IPPROTO_UDP);
        p.ts_us = 1000000 + i;
        assert_non_null(flow_handle_packet(&fx->w, &p));
    }
}

/* Two threads share the walk over the table, a chunk of rows at a time:
 * every flow is logged exactly once, by one of them (which one takes how
 * many chunks is up to the scheduler), and the active count comes back to 0. */
static void test_engine_parallel_shutdown_logs_each_flow_once(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    engine_start(&fx);
    struct ended_log second_log = { 0 };
    struct flow_worker second;
    flow_worker_init(&second, &fx.e, &second_log);
    const uint16_t flows = 500;
    add_udp_flows(&fx, flows, 7);
    assert_int_equal(atomic_load(&fx.e.active_flows), flows);
    struct flow_worker *slices[] = { &fx.w, &second };
    flow_engine_shutdown_flows_parallel(slices, 2, 2000000);
    assert_int_equal(fx.log.count + second_log.count, flows);
    /* Each thread's records are handed on by that thread. */
    assert_int_equal(fx.log.flushed, fx.log.count);
    assert_int_equal(second_log.flushed, second_log.count);
    assert_int_equal(fx.w.stats.flows_shutdown + second.stats.flows_shutdown, flows);
    assert_int_equal(atomic_load(&fx.e.active_flows), 0);
    for (uint32_t row = 0; row < fx.e.table.size; row++)
        assert_null(fx.e.table.buckets[row].first[0]);
    flow_worker_release(&second);
    engine_stop(&fx);
}

/* On one CPU a second shutdown thread would only take turns with the
 * caller: the caller alone ends and logs every flow. */
static void test_engine_parallel_shutdown_stays_on_one_cpu(void **state)
{
    (void)state;
    cpu_set_t allowed, first;
    assert_int_equal(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
    CPU_ZERO(&first);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &allowed)) {
            CPU_SET(cpu, &first);
            break;
        }
    struct engine_fixture fx = { .cfg = test_config() };
    fx.cfg.flow.hash_size = 65536; /* 64 chunks of rows to share */
    fx.cfg.flow.memcap = 16 << 20;
    engine_start(&fx);
    struct ended_log second_log = { 0 };
    struct flow_worker second;
    flow_worker_init(&second, &fx.e, &second_log);
    const uint16_t flows = 2000;
    add_udp_flows(&fx, flows, 0);
    assert_int_equal(sched_setaffinity(0, sizeof(first), &first), 0);
    struct flow_worker *slices[] = { &fx.w, &second };
    flow_engine_shutdown_flows_parallel(slices, 2, 2000000);
    assert_int_equal(sched_setaffinity(0, sizeof(allowed), &allowed), 0);
    assert_int_equal(fx.w.stats.flows_shutdown, flows);
    assert_int_equal(second.stats.flows_shutdown, 0);
    assert_int_equal(fx.log.count, flows);
    flow_worker_release(&second);
    engine_stop(&fx);
}

static void assert_bucket_hints_match_chains(const struct flow_table *t)
{
    for (uint32_t row = 0; row < t->size; row++) {
        const struct flow_bucket *b = &t->buckets[row];
        const struct flow *f = b->first[0];
        for (unsigned i = 0; i < FLOW_BUCKET_HINTS; i++) {
            assert_ptr_equal(b->first[i], f);
            assert_int_equal(b->first_hash[i], f ? f->hash : 0);
            f = f ? f->hash_next : NULL;
        }
    }
}

/* Four rows and forty flows: long chains, flows ending in the middle of
 * them, and bursts that prefetch from the hints still find every flow. */
static void test_bucket_hints_follow_chains(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    fx.cfg.flow.hash_size = 4;
    engine_start(&fx);
    uint64_t new_us = fx.cfg.timeouts[FLOW_PROTO_UDP].new_timeout * 1000000ULL;
    struct packet packets[40], *burst[40];
    for (uint16_t i = 0; i < 40; i++) {
        packets[i] = make_packet(1, 2, (uint16_t)(1000 + i), 53, IPPROTO_UDP);
        packets[i].ts_us = i % 2 ? 1000000 : 1000000 + new_us;
        assert_non_null(flow_handle_packet(&fx.w, &packets[i]));
        assert_bucket_hints_match_chains(&fx.e.table);
    }
    /* The odd flows time out; the manager unlinks them wherever they sit. */
    manager_pass(&fx, 1000000 + new_us);
    assert_int_equal(fx.log.count, 20);
    assert_bucket_hints_match_chains(&fx.e.table);
    unsigned n = 0;
    for (uint16_t i = 0; i < 40; i += 2) {
        packets[i].ts_us = 1000000 + new_us + 1;
        flow_packet_hash(&fx.e, &packets[i]);
        burst[n++] = &packets[i];
    }
    flow_handle_burst(&fx.w, burst, n);
    assert_int_equal(fx.w.stats.total, 40);
    flow_engine_shutdown_flows(&fx.w, 1000000 + new_us + 1);
    assert_int_equal(fx.log.count, 40);
    assert_int_equal(fx.log.last.pkts_toserver, 2);
    assert_bucket_hints_match_chains(&fx.e.table);
    engine_stop(&fx);
}

/* A burst nobody hashed, as autofp's sole worker decodes it: each packet is
 * hashed once, as flow_packet_hash would, and still meets its flow (its
 * reply later in the burst too, across a chunk boundary); a packet that
 * makes no flow is passed over. */
static void test_burst_hashes_what_the_capture_did_not(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    engine_start(&fx);
    enum { FLOWS = 20, PACKETS = 2 * FLOWS + 1 };
    struct packet packets[PACKETS], *burst[PACKETS];
    for (uint16_t i = 0; i < FLOWS; i++) {
        packets[i] = make_packet(1, 2, (uint16_t)(1000 + i), 53, IPPROTO_UDP);
        packets[FLOWS + 1 + i] = reversed(&packets[i]);
    }
    packets[FLOWS] = make_packet(1, 2, 7, 7, IPPROTO_UDP);
    packets[FLOWS].flags = 0;
    for (unsigned i = 0; i < PACKETS; i++)
        burst[i] = &packets[i];
    flow_handle_burst(&fx.w, burst, PACKETS);
    assert_int_equal(fx.w.stats.total, FLOWS);
    assert_false(packets[FLOWS].flags & PKT_FLOW_HASHED);
    for (unsigned i = 0; i < PACKETS; i++) {
        if (i == FLOWS)
            continue;
        struct packet fresh = packets[i];
        fresh.flags &= ~PKT_FLOW_HASHED;
        assert_true(flow_packet_hash(&fx.e, &fresh));
        assert_true(packets[i].flags & PKT_FLOW_HASHED);
        assert_int_equal(packets[i].flow_hash, fresh.flow_hash);
    }
    for (uint32_t row = 0; row < fx.e.table.size; row++)
        for (const struct flow *f = fx.e.table.buckets[row].first[0]; f; f = f->hash_next) {
            assert_int_equal(f->pkts_toserver, 1);
            assert_int_equal(f->pkts_toclient, 1);
        }
    engine_stop(&fx);
}

/* A burst longer than flow_handle_burst's chunk of 32, over chains longer
 * than a bucket's hints: every packet still meets its own flow, once. */
static void test_burst_longer_than_a_chunk(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    fx.cfg.flow.hash_size = 4;
    engine_start(&fx);
    enum { FLOWS = 70 };
    struct packet packets[FLOWS], *burst[FLOWS];
    for (uint16_t i = 0; i < FLOWS; i++) {
        packets[i] = make_packet(1, 2, (uint16_t)(1000 + i), 53, IPPROTO_UDP);
        assert_non_null(flow_handle_packet(&fx.w, &packets[i]));
        flow_packet_hash(&fx.e, &packets[i]);
        burst[i] = &packets[i];
    }
    flow_handle_burst(&fx.w, burst, FLOWS);
    assert_int_equal(fx.w.stats.total, FLOWS);
    unsigned seen = 0;
    for (uint32_t row = 0; row < fx.e.table.size; row++)
        for (const struct flow *f = fx.e.table.buckets[row].first[0]; f; f = f->hash_next, seen++)
            assert_int_equal(f->pkts_toserver, 2);
    assert_int_equal(seen, FLOWS);
    engine_stop(&fx);
}

/* A row is due when its flows' normal timeouts in their present states
 * say so: the manager skips a UDP row until its new timeout (not the closed
 * timeout of 0 that UDP never reaches), and sees every row in emergency
 * mode, whose timeouts are shorter. */
static void test_manager_skips_rows_until_due(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    engine_start(&fx);
    assert_int_equal(fx.cfg.timeouts[FLOW_PROTO_UDP].closed_timeout, 0);
    uint64_t new_us = fx.cfg.timeouts[FLOW_PROTO_UDP].new_timeout * 1000000ULL;
    uint64_t emergency_us = fx.cfg.timeouts[FLOW_PROTO_UDP].emergency_new * 1000000ULL;
    struct packet p = make_packet(1, 2, 1000, 53, IPPROTO_UDP);
    p.ts_us = 1000000;
    assert_non_null(flow_handle_packet(&fx.w, &p));
    manager_pass(&fx, p.ts_us + new_us - 1);
    assert_int_equal(fx.w.stats.mgr_flows_checked, 0);
    atomic_store(&fx.e.emergency, true);
    manager_pass(&fx, p.ts_us + emergency_us - 1);
    assert_int_equal(fx.w.stats.mgr_flows_checked, 1);
    assert_int_equal(fx.log.count, 0);
    manager_pass(&fx, p.ts_us + emergency_us);
    assert_int_equal(fx.log.count, 1);
    atomic_store(&fx.e.emergency, false);
    engine_stop(&fx);
}

/* A TCP flow that closes times out at the closed timeout, though its row
 * was last found due only at the established one: the closing packet
 * brings the row's hint forward. */
static void test_closing_brings_row_timeout_forward(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    engine_start(&fx);
    uint64_t closed_us = fx.cfg.timeouts[FLOW_PROTO_TCP].closed_timeout * 1000000ULL;
    assert_true(closed_us < fx.cfg.timeouts[FLOW_PROTO_TCP].established_timeout * 1000000ULL);
    struct packet syn = stamped(make_packet(1, 2, 3000, 80, IPPROTO_TCP), TCP_FLAG_SYN, 1000000);
    struct packet synack = stamped(reversed(&syn), TCP_FLAG_SYN | TCP_FLAG_ACK, 1000001);
    struct packet ack = stamped(syn, TCP_FLAG_ACK, 1000002);
    struct flow *f = flow_handle_packet(&fx.w, &syn);
    flow_handle_packet(&fx.w, &synack);
    flow_handle_packet(&fx.w, &ack);
    assert_int_equal(f->state, FLOW_STATE_ESTABLISHED);
    /* Due at the new timeout its insert set, the row is walked: the flow,
     * established, stays, and the row is next due at the established one. */
    uint64_t new_us = fx.cfg.timeouts[FLOW_PROTO_TCP].new_timeout * 1000000ULL;
    manager_pass(&fx, syn.ts_us + new_us);
    assert_int_equal(fx.w.stats.mgr_flows_notimeout, 1);
    assert_int_equal(fx.log.count, 0);
    struct packet rst = stamped(reversed(&syn), TCP_FLAG_RST | TCP_FLAG_ACK, syn.ts_us + new_us + 1000000);
    flow_handle_packet(&fx.w, &rst);
    assert_int_equal(f->state, FLOW_STATE_CLOSED);
    manager_pass(&fx, rst.ts_us + closed_us - 1);
    assert_int_equal(fx.log.count, 0);
    manager_pass(&fx, rst.ts_us + closed_us);
    assert_int_equal(fx.log.count, 1);
    engine_stop(&fx);
}

/* A new SYN on the ports of a closed TCP flow the bucket's hints lead to
 * (its row not yet due) still ends that flow and starts a new one. */
static void test_port_reuse_ends_hinted_flow(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    fx.cfg.flow.hash_size = 1;
    engine_start(&fx);
    struct packet other = make_packet(5, 6, 7, 8, IPPROTO_UDP);
    other.ts_us = 1000000;
    assert_non_null(flow_handle_packet(&fx.w, &other));
    struct packet syn = stamped(make_packet(1, 2, 3000, 80, IPPROTO_TCP), TCP_FLAG_SYN, 1000000);
    struct flow *first = flow_handle_packet(&fx.w, &syn);
    struct packet rst = stamped(reversed(&syn), TCP_FLAG_RST | TCP_FLAG_ACK, 1000001);
    assert_ptr_equal(flow_handle_packet(&fx.w, &rst), first);
    assert_int_equal(first->tcp_state, TCP_STATE_CLOSED);
    struct packet new_syn = stamped(syn, TCP_FLAG_SYN, 1000002);
    assert_true(new_syn.ts_us < atomic_load(&fx.e.table.buckets[0].next_timeout_us));
    struct flow *second = flow_handle_packet(&fx.w, &new_syn);
    assert_non_null(second);
    assert_int_equal(fx.w.stats.tcp_reuse, 1);
    assert_int_equal(fx.w.stats.total, 3);
    assert_int_equal(fx.log.count, 1);
    assert_int_equal(fx.log.last.pkts_toserver + fx.log.last.pkts_toclient, 2);
    assert_int_equal(second->pkts_toserver, 1);
    assert_bucket_hints_match_chains(&fx.e.table);
    engine_stop(&fx);
}

/* Takes every flow out of the global spare pool, as busy workers would. */
static void drain_spare_pool(struct flow_engine *e, struct flow_queue *taken)
{
    while (flow_spare_pool_get_block(&e->spare, taken) > 0)
        ;
    assert_int_equal(flow_spare_pool_count(&e->spare), 0);
}

/* One manager pass tops the drained pool up to flow.prealloc in whole
 * blocks, and as far as flow.memcap allows when that is less. */
static void test_manager_refills_spares_to_prealloc(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    fx.cfg.flow.prealloc = 350;
    engine_start(&fx);
    struct flow_queue taken;
    flow_queue_init(&taken);
    drain_spare_pool(&fx.e, &taken);
    flow_manager_pass(&fx.w, 0, fx.e.table.size, 1000000, 3);
    assert_int_equal(flow_spare_pool_count(&fx.e.spare), 4 * FLOW_SPARE_BLOCK_SIZE);

    drain_spare_pool(&fx.e, &taken);
    uint64_t room = 150;
    atomic_store(&fx.e.spare.memcap, flow_engine_memuse(&fx.e) + room * FLOW_MEMORY_SIZE);
    flow_manager_pass(&fx.w, 0, fx.e.table.size, 2000000, 3);
    assert_int_equal(flow_spare_pool_count(&fx.e.spare), room);
    assert_true(flow_engine_memuse(&fx.e) <= atomic_load(&fx.e.spare.memcap));
    flow_spare_pool_return(&fx.e.spare, &taken);
    engine_stop(&fx);
}

/* After a flood the pool holds far more than flow.prealloc: one pass gives
 * every whole block beyond it back to the slabs, and flow.memuse drops. */
static void test_manager_frees_spares_beyond_prealloc(void **state)
{
    (void)state;
    struct engine_fixture fx = { .cfg = test_config() };
    fx.cfg.flow.prealloc = 200;
    engine_start(&fx);
    struct flow_queue extra;
    flow_queue_init(&extra);
    assert_int_equal(flow_spare_alloc_block(&fx.e.spare, &extra, 450), 450);
    flow_spare_pool_return(&fx.e.spare, &extra);
    uint64_t memuse = flow_engine_memuse(&fx.e);
    assert_int_equal(flow_spare_pool_count(&fx.e.spare), 650);
    flow_manager_pass(&fx.w, 0, fx.e.table.size, 1000000, 3);
    assert_int_equal(flow_spare_pool_count(&fx.e.spare), 250);
    assert_int_equal(flow_engine_memuse(&fx.e), memuse - 400 * FLOW_MEMORY_SIZE);
    engine_stop(&fx);
}

static void test_engine_refuses_prealloc_over_memcap(void **state)
{
    (void)state;
    struct vigil_config cfg = test_config();
    cfg.flow.memcap = 1000;
    struct flow_engine e;
    char err[256];
    assert_int_equal(flow_engine_init(&e, &cfg, 7, record_end, err, sizeof(err)), -1);
    assert_non_null(strstr(err, "flow.memcap"));
    config_free(&cfg);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hash_is_symmetric),
        cmocka_unit_test(test_hash_depends_on_seed_and_fields),
        cmocka_unit_test(test_compare_both_directions),
        cmocka_unit_test(test_compare_respects_vlan_and_depth),
        cmocka_unit_test(test_icmp_error_keys_on_embedded_tuple),
        cmocka_unit_test(test_timeouts_by_state),
        cmocka_unit_test(test_tcp_handshake_and_close),
        cmocka_unit_test(test_tcp_rst_and_reuse),
        cmocka_unit_test(test_engine_counts_directions_and_logs_once),
        cmocka_unit_test(test_engine_memcap_forces_reuse),
        cmocka_unit_test(test_manager_skips_rows_until_due),
        cmocka_unit_test(test_closing_brings_row_timeout_forward),
        cmocka_unit_test(test_port_reuse_ends_hinted_flow),
        cmocka_unit_test(test_engine_parallel_shutdown_logs_each_flow_once),
        cmocka_unit_test(test_engine_parallel_shutdown_stays_on_one_cpu),
        cmocka_unit_test(test_bucket_hints_follow_chains),
        cmocka_unit_test(test_burst_hashes_what_the_capture_did_not),
        cmocka_unit_test(test_burst_longer_than_a_chunk),
        cmocka_unit_test(test_manager_refills_spares_to_prealloc),
        cmocka_unit_test(test_manager_frees_spares_beyond_prealloc),
        cmocka_unit_test(test_engine_refuses_prealloc_over_memcap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
