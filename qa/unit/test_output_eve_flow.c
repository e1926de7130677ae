/* Unit tests for EVE flow records: exact text for a full TCP record, and
 * field values and key order (parsed with jansson) for every protocol shape,
 * and the per-thread logger that hands records to the writer in batches. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "output/eve-flow.h"
#include "runtime/flow-output.h"

#define NOW_US 1704067300000000ULL  /* 2024-01-01T00:01:40Z */

static struct flow make_flow(uint8_t proto, uint8_t ip_version)
{
    struct flow f;
    memset(&f, 0, sizeof(f));
    f.key.proto = proto;
    f.key.ip_version = ip_version;
    f.flow_id = 1234567890123ULL;
    f.start_us = 1704067200000100ULL;
    f.last_us = 1704067262500000ULL;
    f.pkts_toserver = 3;
    f.pkts_toclient = 2;
    f.bytes_toserver = 200;
    f.bytes_toclient = 150;
    return f;
}

static void set_v4(union vigil_addr *a, uint8_t b0, uint8_t b1, uint8_t b2, uint8_t b3)
{
    memset(a, 0, sizeof(*a));
    a->b[0] = b0;
    a->b[1] = b1;
    a->b[2] = b2;
    a->b[3] = b3;
}

static void set_v6(union vigil_addr *a, const char *hex32)
{
    for (int i = 0; i < 16; i++) {
        unsigned v;
        sscanf(hex32 + 2 * i, "%2x", &v);
        a->b[i] = (uint8_t)v;
    }
}

struct record {
    struct json_builder jb;
    char *text;
    json_t *json;
};

static void build(struct record *r, const struct flow *f)
{
    jb_init(&r->jb, 0);
    eve_flow_build(&r->jb, f, NULL, NOW_US);
    assert_true(jb_complete(&r->jb));
    r->text = strndup(jb_data(&r->jb), jb_len(&r->jb));
    json_error_t err;
    r->json = json_loads(r->text, 0, &err);
    if (r->json == NULL)
        fail_msg("invalid JSON %s: %s", r->text, err.text);
}

static void release(struct record *r)
{
    json_decref(r->json);
    free(r->text);
    jb_free(&r->jb);
}

static const char *str_at(json_t *obj, const char *path)
{
    json_t *v = json_object_get(obj, path);
    if (!json_is_string(v))
        fail_msg("%s is not a string", path);
    return json_string_value(v);
}

static long long int_at(json_t *obj, const char *path)
{
    json_t *v = json_object_get(obj, path);
    if (!json_is_integer(v))
        fail_msg("%s is not an integer", path);
    return json_integer_value(v);
}

/* Keys (quoted, as they appear in the text) occur in this order. */
static void assert_key_order(const char *text, const char *const *keys)
{
    const char *pos = text;
    for (; *keys; keys++) {
        char quoted[64];
        snprintf(quoted, sizeof(quoted), "\"%s\":", *keys);
        const char *at = strstr(pos, quoted);
        if (at == NULL)
            fail_msg("key %s missing or out of order in %s", *keys, text);
        pos = at + strlen(quoted);
    }
}

static void test_tcp_full_record_exact(void **state)
{
    (void)state;
    struct flow f = make_flow(6, 4);
    set_v4(&f.key.src, 10, 0, 0, 1);
    set_v4(&f.key.dst, 10, 0, 0, 2);
    f.key.sp = 1234;
    f.key.dp = 80;
    f.key.vlan_count = 3;
    f.key.vlan_id[0] = 10;
    f.key.vlan_id[1] = 20;
    f.key.vlan_id[2] = 4095;
    f.has_tunnel = true;
    set_v4(&f.tunnel.src, 192, 168, 1, 1);
    set_v4(&f.tunnel.dst, 192, 168, 1, 254);
    f.tunnel.sp = 54321;
    f.tunnel.dp = 4789;
    f.tunnel.proto = 17;
    f.tunnel.ip_version = 4;
    f.tunnel.depth = 1;
    f.emergency = true;
    f.state = FLOW_STATE_ESTABLISHED;
    f.end_reason = FLOW_END_TIMEOUT;
    f.tcp_flags_ts = 0x13;  /* SYN ACK FIN */
    f.tcp_flags_tc = 0x16;  /* SYN ACK RST */
    f.tcp_state = TCP_STATE_FIN_WAIT1;

    struct record r;
    build(&r, &f);
    const char *want =
        "{\"timestamp\":\"2024-01-01T00:01:40.000000+0000\",\"flow_id\":1234567890123,"
        "\"event_type\":\"flow\",\"vlan\":[10,20,4095],"
        "\"src_ip\":\"10.0.0.1\",\"src_port\":1234,\"dest_ip\":\"10.0.0.2\",\"dest_port\":80,"
        "\"ip_v\":4,\"proto\":\"TCP\","
        "\"tunnel\":{\"src_ip\":\"192.168.1.1\",\"src_port\":54321,\"dest_ip\":\"192.168.1.254\","
        "\"dest_port\":4789,\"proto\":\"UDP\",\"depth\":1},"
        "\"flow\":{\"pkts_toserver\":3,\"pkts_toclient\":2,\"bytes_toserver\":200,"
        "\"bytes_toclient\":150,\"start\":\"2024-01-01T00:00:00.000100+0000\","
        "\"end\":\"2024-01-01T00:01:02.500000+0000\",\"age\":62,\"emergency\":true,"
        "\"state\":\"established\",\"reason\":\"timeout\",\"alerted\":false},"
        "\"tcp\":{\"tcp_flags\":\"17\",\"tcp_flags_ts\":\"13\",\"tcp_flags_tc\":\"16\","
        "\"syn\":true,\"fin\":true,\"rst\":true,\"ack\":true,\"state\":\"fin_wait1\"}}";
    assert_string_equal(r.text, want);
    release(&r);
}

static void test_tcp_without_flags_or_state(void **state)
{
    (void)state;
    struct flow f = make_flow(6, 4);
    f.tcp_state = TCP_STATE_NONE;
    struct record r;
    build(&r, &f);
    json_t *tcp = json_object_get(r.json, "tcp");
    assert_string_equal(str_at(tcp, "tcp_flags"), "00");
    assert_int_equal(json_object_size(tcp), 3);  /* only the three flag strings */
    assert_null(json_object_get(r.json, "vlan"));
    assert_null(json_object_get(r.json, "tunnel"));
    assert_null(json_object_get(json_object_get(r.json, "flow"), "emergency"));
    release(&r);
}

static void test_all_tcp_flags_and_states(void **state)
{
    (void)state;
    static const char *const names[] = { "syn", "fin", "rst", "psh", "ack", "urg", "ecn", "cwr" };
    static const char *const states[] = {
        NULL, "syn_sent", "syn_recv", "established", "fin_wait1", "fin_wait2",
        "time_wait", "last_ack", "close_wait", "closing", "closed",
    };
    struct flow f = make_flow(6, 4);
    f.tcp_flags_ts = 0xff;
    for (int s = TCP_STATE_NONE; s <= TCP_STATE_CLOSED; s++) {
        f.tcp_state = (enum tcp_state)s;
        struct record r;
        build(&r, &f);
        json_t *tcp = json_object_get(r.json, "tcp");
        assert_string_equal(str_at(tcp, "tcp_flags"), "ff");
        assert_string_equal(str_at(tcp, "tcp_flags_tc"), "00");
        assert_key_order(r.text, (const char *const[]){ "tcp_flags", "tcp_flags_ts",
            "tcp_flags_tc", "syn", "fin", "rst", "psh", "ack", "urg", "ecn", "cwr", NULL });
        for (int i = 0; i < 8; i++)
            assert_true(json_is_true(json_object_get(tcp, names[i])));
        if (states[s])
            assert_string_equal(str_at(tcp, "state"), states[s]);
        else
            assert_null(json_object_get(tcp, "state"));
        release(&r);
    }
}

static void test_udp_flow(void **state)
{
    (void)state;
    struct flow f = make_flow(17, 4);
    set_v4(&f.key.src, 192, 0, 2, 7);
    set_v4(&f.key.dst, 255, 255, 255, 255);
    f.key.sp = 68;
    f.key.dp = 67;
    f.key.vlan_count = 1;
    f.key.vlan_id[0] = 100;
    f.state = FLOW_STATE_NEW;
    f.end_reason = FLOW_END_SHUTDOWN;
    f.alerted = true;
    struct record r;
    build(&r, &f);
    assert_key_order(r.text, (const char *const[]){ "timestamp", "flow_id", "event_type",
        "vlan", "src_ip", "src_port", "dest_ip", "dest_port", "ip_v", "proto", "flow",
        "pkts_toserver", "pkts_toclient", "bytes_toserver", "bytes_toclient", "start", "end",
        "age", "state", "reason", "alerted", NULL });
    assert_string_equal(str_at(r.json, "event_type"), "flow");
    assert_string_equal(str_at(r.json, "src_ip"), "192.0.2.7");
    assert_string_equal(str_at(r.json, "dest_ip"), "255.255.255.255");
    assert_int_equal(int_at(r.json, "src_port"), 68);
    assert_int_equal(int_at(r.json, "dest_port"), 67);
    assert_string_equal(str_at(r.json, "proto"), "UDP");
    json_t *vlan = json_object_get(r.json, "vlan");
    assert_int_equal(json_array_size(vlan), 1);
    assert_int_equal(json_integer_value(json_array_get(vlan, 0)), 100);
    json_t *fl = json_object_get(r.json, "flow");
    assert_string_equal(str_at(fl, "state"), "new");
    assert_string_equal(str_at(fl, "reason"), "shutdown");
    assert_true(json_is_true(json_object_get(fl, "alerted")));
    assert_null(json_object_get(r.json, "tcp"));
    assert_null(json_object_get(r.json, "icmp_type"));
    release(&r);
}

/* Live capture names the port right after flow_id, as Suricata does. */
static void test_in_iface_follows_flow_id(void **state)
{
    (void)state;
    struct flow f = make_flow(17, 4);
    set_v4(&f.key.src, 10, 0, 0, 1);
    set_v4(&f.key.dst, 10, 0, 0, 2);
    struct record r;
    jb_init(&r.jb, 0);
    eve_flow_build(&r.jb, &f, "net_pcap0", NOW_US);
    r.text = strndup(jb_data(&r.jb), jb_len(&r.jb));
    json_error_t err;
    r.json = json_loads(r.text, 0, &err);
    assert_non_null(r.json);
    assert_key_order(r.text, (const char *const[]){ "timestamp", "flow_id", "in_iface",
        "event_type", "src_ip", NULL });
    assert_string_equal(str_at(r.json, "in_iface"), "net_pcap0");
    release(&r);
}

static void test_icmp_echo_with_and_without_response(void **state)
{
    (void)state;
    struct flow f = make_flow(1, 4);
    set_v4(&f.key.src, 10, 1, 1, 1);
    set_v4(&f.key.dst, 8, 8, 8, 8);
    f.key.sp = 8;   /* ICMP keys carry types, never printed as ports */
    f.key.dp = 0;
    f.icmp_type = 8;
    f.icmp_code = 0;
    f.has_response_icmp = true;
    f.response_icmp_type = 0;
    f.response_icmp_code = 0;
    f.state = FLOW_STATE_ESTABLISHED;
    struct record r;
    build(&r, &f);
    assert_null(json_object_get(r.json, "src_port"));
    assert_null(json_object_get(r.json, "dest_port"));
    assert_string_equal(str_at(r.json, "proto"), "ICMP");
    assert_key_order(r.text, (const char *const[]){ "proto", "icmp_type", "icmp_code",
        "response_icmp_type", "response_icmp_code", "flow", NULL });
    assert_int_equal(int_at(r.json, "icmp_type"), 8);
    assert_int_equal(int_at(r.json, "icmp_code"), 0);
    assert_int_equal(int_at(r.json, "response_icmp_type"), 0);
    assert_int_equal(int_at(r.json, "response_icmp_code"), 0);
    release(&r);

    f.has_response_icmp = false;
    f.icmp_type = 3;
    f.icmp_code = 13;
    build(&r, &f);
    assert_int_equal(int_at(r.json, "icmp_type"), 3);
    assert_int_equal(int_at(r.json, "icmp_code"), 13);
    assert_null(json_object_get(r.json, "response_icmp_type"));
    assert_null(json_object_get(r.json, "response_icmp_code"));
    release(&r);
}

static void test_ipv6_icmp_flow(void **state)
{
    (void)state;
    struct flow f = make_flow(58, 6);
    set_v6(&f.key.src, "20010db8000000000000000000000001");
    set_v6(&f.key.dst, "fe800000000000000202b3fffe1e8329");
    f.icmp_type = 128;
    f.has_response_icmp = true;
    f.response_icmp_type = 129;
    struct record r;
    build(&r, &f);
    assert_string_equal(str_at(r.json, "src_ip"), "2001:0db8:0000:0000:0000:0000:0000:0001");
    assert_string_equal(str_at(r.json, "dest_ip"), "fe80:0000:0000:0000:0202:b3ff:fe1e:8329");
    assert_int_equal(int_at(r.json, "ip_v"), 6);
    assert_string_equal(str_at(r.json, "proto"), "IPv6-ICMP");
    assert_int_equal(int_at(r.json, "icmp_type"), 128);
    assert_int_equal(int_at(r.json, "response_icmp_type"), 129);
    assert_null(json_object_get(r.json, "src_port"));
    release(&r);
}

static void test_ipv6_tcp_in_ipv6_tunnel_without_ports(void **state)
{
    (void)state;
    struct flow f = make_flow(6, 6);
    set_v6(&f.key.src, "00000000000000000000000000000001");
    set_v6(&f.key.dst, "ffffffffffffffffffffffffffffffff");
    f.key.sp = 65535;
    f.key.dp = 0;
    f.has_tunnel = true;
    f.tunnel.ip_version = 4;
    f.tunnel.proto = 47;   /* GRE: the outer tuple has no ports */
    f.tunnel.depth = 2;
    set_v4(&f.tunnel.src, 1, 2, 3, 4);
    set_v4(&f.tunnel.dst, 5, 6, 7, 8);
    struct record r;
    build(&r, &f);
    assert_string_equal(str_at(r.json, "src_ip"), "0000:0000:0000:0000:0000:0000:0000:0001");
    assert_string_equal(str_at(r.json, "dest_ip"), "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff");
    assert_int_equal(int_at(r.json, "src_port"), 65535);
    assert_int_equal(int_at(r.json, "dest_port"), 0);
    json_t *t = json_object_get(r.json, "tunnel");
    assert_string_equal(str_at(t, "src_ip"), "1.2.3.4");
    assert_string_equal(str_at(t, "dest_ip"), "5.6.7.8");
    assert_string_equal(str_at(t, "proto"), "GRE");
    assert_int_equal(int_at(t, "depth"), 2);
    assert_null(json_object_get(t, "src_port"));
    assert_null(json_object_get(t, "dest_port"));
    release(&r);
}

static void test_sctp_and_esp(void **state)
{
    (void)state;
    struct flow f = make_flow(132, 4);
    f.key.sp = 2906;
    f.key.dp = 6303;
    struct record r;
    build(&r, &f);
    assert_string_equal(str_at(r.json, "proto"), "SCTP");
    assert_int_equal(int_at(r.json, "src_port"), 2906);
    assert_int_equal(int_at(r.json, "dest_port"), 6303);
    assert_null(json_object_get(r.json, "tcp"));
    release(&r);

    f = make_flow(50, 4);
    f.key.sp = 1;   /* whatever the key holds, ESP has no ports */
    f.key.dp = 2;
    build(&r, &f);
    assert_string_equal(str_at(r.json, "proto"), "ESP");
    assert_null(json_object_get(r.json, "src_port"));
    assert_null(json_object_get(r.json, "dest_port"));
    assert_null(json_object_get(r.json, "icmp_type"));
    release(&r);
}

static void test_protocol_names(void **state)
{
    (void)state;
    static const struct { uint8_t proto; const char *name; } cases[] = {
        { 0, "HOPOPT" }, { 2, "IGMP" }, { 4, "IP-in-IP" }, { 41, "IPv6" }, { 47, "GRE" },
        { 51, "AH" }, { 89, "OSPF" }, { 103, "PIM" }, { 112, "VRRP" }, { 136, "UDPLite" },
        { 143, "Ethernet" }, { 144, "144" }, { 200, "200" }, { 255, "255" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct flow f = make_flow(cases[i].proto, 4);
        struct record r;
        build(&r, &f);
        assert_string_equal(str_at(r.json, "proto"), cases[i].name);
        release(&r);
    }
}

static void test_age_and_extreme_counters(void **state)
{
    (void)state;
    struct flow f = make_flow(17, 4);
    f.start_us = 1000999999;   /* second 1000 */
    f.last_us = 1001000000;    /* second 1001: one microsecond later */
    struct record r;
    build(&r, &f);
    assert_int_equal(int_at(json_object_get(r.json, "flow"), "age"), 1);
    release(&r);

    f.start_us = 1000000000;
    f.last_us = 1000999999;    /* same second */
    build(&r, &f);
    assert_int_equal(int_at(json_object_get(r.json, "flow"), "age"), 0);
    release(&r);

    /* jansson cannot hold values above INT64_MAX, so check the text. */
    f.pkts_toserver = UINT64_MAX;
    f.flow_id = UINT64_MAX;
    struct json_builder jb;
    jb_init(&jb, 0);
    eve_flow_build(&jb, &f, NULL, NOW_US);
    assert_true(jb_complete(&jb));
    char *text = strndup(jb_data(&jb), jb_len(&jb));
    assert_non_null(strstr(text, "\"flow_id\":18446744073709551615,"));
    assert_non_null(strstr(text, "\"pkts_toserver\":18446744073709551615,"));
    free(text);
    jb_free(&jb);
}

/* A flow logger writing to eve.json in a directory of its own. */
struct logger_fixture {
    char dir[32];
    struct eve_writer *w;
    struct flow_logger l;
};

static void logger_open(struct logger_fixture *fx)
{
    snprintf(fx->dir, sizeof(fx->dir), "/tmp/vigil-eve-flow-XXXXXX");
    assert_non_null(mkdtemp(fx->dir));
    char err[256];
    fx->w = eve_writer_open(fx->dir, "eve.json", 0, err, sizeof(err));
    assert_non_null(fx->w);
    assert_true(flow_logger_init(&fx->l, fx->w));
}

/* After the logger is freed: closes the file, and every line must be a
 * whole JSON record, flow ids 1 to n in order. */
static void logger_close_expecting_ids(struct logger_fixture *fx, long long n)
{
    char err[256], path[64], line[4096];
    assert_true(eve_writer_close(fx->w, err, sizeof(err)));
    snprintf(path, sizeof(path), "%s/eve.json", fx->dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    long long next = 1;
    while (fgets(line, sizeof(line), fp)) {
        json_error_t jerr;
        json_t *record = json_loads(line, 0, &jerr);
        assert_non_null(record);
        assert_int_equal(int_at(record, "flow_id"), next++);
        json_decref(record);
    }
    assert_int_equal(next - 1, n);
    fclose(fp);
    unlink(path);
    rmdir(fx->dir);
}

/* A thread's records wait in its logger until the engine ends the batch,
 * then reach the file whole, in order, once. */
static void test_logger_hands_on_a_batch_at_flush(void **state)
{
    (void)state;
    struct logger_fixture fx;
    logger_open(&fx);
    struct flow f = make_flow(17, 4);
    for (uint64_t id = 1; id <= 3; id++) {
        f.flow_id = id;
        flow_logger_log(&fx.l, &f, NOW_US);
    }
    assert_int_equal(eve_writer_records(fx.w), 0);
    flow_logger_flush(&fx.l);
    assert_int_equal(eve_writer_records(fx.w), 3);
    flow_logger_flush(&fx.l);
    assert_int_equal(eve_writer_records(fx.w), 3);
    /* What is left when the logger goes is not lost. */
    f.flow_id = 4;
    flow_logger_log(&fx.l, &f, NOW_US);
    flow_logger_free(&fx.l);
    assert_int_equal(eve_writer_records(fx.w), 4);
    logger_close_expecting_ids(&fx, 4);
}

/* More records than the batch holds: the full batch goes out on its own
 * and none is cut or lost. */
static void test_logger_full_batch_goes_out_before_flush(void **state)
{
    (void)state;
    struct logger_fixture fx;
    logger_open(&fx);
    struct flow f = make_flow(6, 4);
    /* Each record is a few hundred bytes: this is several batches. */
    const int flows = (int)(3 * FLOW_LOGGER_BATCH_BYTES / 200);
    for (int id = 1; id <= flows; id++) {
        f.flow_id = (uint64_t)id;
        flow_logger_log(&fx.l, &f, NOW_US);
    }
    uint64_t before_flush = eve_writer_records(fx.w);
    assert_true(before_flush > 0 && before_flush < (uint64_t)flows);
    flow_logger_flush(&fx.l);
    assert_int_equal(eve_writer_records(fx.w), flows);
    flow_logger_free(&fx.l);
    logger_close_expecting_ids(&fx, flows);
}

/* Flow records off: the logger has nothing to write to and writes nothing. */
static void test_logger_without_writer_logs_nothing(void **state)
{
    (void)state;
    struct flow_logger l;
    assert_true(flow_logger_init(&l, NULL));
    struct flow f = make_flow(17, 4);
    flow_logger_log(&l, &f, NOW_US);
    flow_logger_flush(&l);
    flow_logger_free(&l);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tcp_full_record_exact),
        cmocka_unit_test(test_tcp_without_flags_or_state),
        cmocka_unit_test(test_all_tcp_flags_and_states),
        cmocka_unit_test(test_in_iface_follows_flow_id),
        cmocka_unit_test(test_udp_flow),
        cmocka_unit_test(test_icmp_echo_with_and_without_response),
        cmocka_unit_test(test_ipv6_icmp_flow),
        cmocka_unit_test(test_ipv6_tcp_in_ipv6_tunnel_without_ports),
        cmocka_unit_test(test_sctp_and_esp),
        cmocka_unit_test(test_protocol_names),
        cmocka_unit_test(test_age_and_extreme_counters),
        cmocka_unit_test(test_logger_hands_on_a_batch_at_flush),
        cmocka_unit_test(test_logger_full_batch_goes_out_before_flush),
        cmocka_unit_test(test_logger_without_writer_logs_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
