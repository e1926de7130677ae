/* Micro-benchmark: ns per EVE flow record built with Vigil's JSON builder
 * versus jansson's object API plus json_dumpb. Usage: eve-flow-bench [N]. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/eve-addr.h"
#include "output/eve-flow.h"
#include "output/eve-proto.h"
#include "output/eve-time.h"

#define VARIANTS 4

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* TCP with VLAN, UDP, ICMP with reply, IPv6 TCP: the common shapes. */
static void make_flows(struct flow *flows)
{
    memset(flows, 0, sizeof(*flows) * VARIANTS);
    for (int i = 0; i < VARIANTS; i++) {
        struct flow *f = &flows[i];
        f->flow_id = 1500000000000000ULL + (uint64_t)i * 7919;
        f->start_us = 1704067200123456ULL;
        f->last_us = f->start_us + 61500000;
        f->pkts_toserver = 12;
        f->pkts_toclient = 10;
        f->bytes_toserver = 1834;
        f->bytes_toclient = 15230;
        f->state = FLOW_STATE_ESTABLISHED;
        f->key.ip_version = 4;
        for (int b = 0; b < 4; b++) {
            f->key.src.b[b] = (uint8_t)(10 + b);
            f->key.dst.b[b] = (uint8_t)(192 + b);
        }
        f->key.sp = 49152;
        f->key.dp = 443;
    }
    flows[0].key.proto = 6;
    flows[0].key.vlan_count = 1;
    flows[0].key.vlan_id[0] = 100;
    flows[0].tcp_flags_ts = 0x1b;
    flows[0].tcp_flags_tc = 0x1b;
    flows[0].tcp_state = TCP_STATE_CLOSED;
    flows[1].key.proto = 17;
    flows[2].key.proto = 1;
    flows[2].icmp_type = 8;
    flows[2].has_response_icmp = true;
    flows[3].key.proto = 6;
    flows[3].key.ip_version = 6;
    for (int b = 0; b < 16; b++) {
        flows[3].key.src.b[b] = (uint8_t)(0x20 + b);
        flows[3].key.dst.b[b] = (uint8_t)(0xfe - b);
    }
    flows[3].tcp_flags_ts = 0x02;
    flows[3].tcp_state = TCP_STATE_SYN_SENT;
}

static void set_time(json_t *obj, const char *key, uint64_t ts_us)
{
    char text[EVE_TIME_LEN];
    json_object_set_new(obj, key, json_stringn(text, eve_time_format(text, ts_us)));
}

static void set_addr(json_t *obj, const char *key, const union vigil_addr *a, uint8_t v)
{
    char text[EVE_ADDR_MAX];
    json_object_set_new(obj, key, json_stringn(text, eve_addr_format(text, a, v)));
}

static void set_hex(json_t *obj, const char *key, uint8_t v)
{
    char text[3];
    snprintf(text, sizeof(text), "%02x", v);
    json_object_set_new(obj, key, json_string(text));
}

/* The same record through jansson, field for field. */
static json_t *jansson_flow(const struct flow *f, uint64_t now_us)
{
    static const char *const states[] = { "new", "established", "closed" };
    static const char *const tcp_states[] = { NULL, "syn_sent", "syn_recv", "established",
        "fin_wait1", "fin_wait2", "time_wait", "last_ack", "close_wait", "closing", "closed" };
    static const char *const flag_names[] = { "fin", "syn", "rst", "psh", "ack", "urg", "ecn", "cwr" };
    const struct flow_key *k = &f->key;
    bool ports = k->proto == 6 || k->proto == 17 || k->proto == 132;
    char numbuf[4];

    json_t *js = json_object();
    set_time(js, "timestamp", now_us);
    json_object_set_new(js, "flow_id", json_integer((json_int_t)f->flow_id));
    json_object_set_new(js, "event_type", json_string("flow"));
    if (k->vlan_count) {
        json_t *vlan = json_array();
        for (int i = 0; i < k->vlan_count; i++)
            json_array_append_new(vlan, json_integer(k->vlan_id[i]));
        json_object_set_new(js, "vlan", vlan);
    }
    set_addr(js, "src_ip", &k->src, k->ip_version);
    if (ports)
        json_object_set_new(js, "src_port", json_integer(k->sp));
    set_addr(js, "dest_ip", &k->dst, k->ip_version);
    if (ports)
        json_object_set_new(js, "dest_port", json_integer(k->dp));
    json_object_set_new(js, "ip_v", json_integer(k->ip_version));
    json_object_set_new(js, "proto", json_string(eve_proto_name(k->proto, numbuf)));
    if (k->proto == 1 || k->proto == 58) {
        json_object_set_new(js, "icmp_type", json_integer(f->icmp_type));
        json_object_set_new(js, "icmp_code", json_integer(f->icmp_code));
        if (f->has_response_icmp) {
            json_object_set_new(js, "response_icmp_type", json_integer(f->response_icmp_type));
            json_object_set_new(js, "response_icmp_code", json_integer(f->response_icmp_code));
        }
    }
    json_t *fl = json_object();
    json_object_set_new(fl, "pkts_toserver", json_integer((json_int_t)f->pkts_toserver));
    json_object_set_new(fl, "pkts_toclient", json_integer((json_int_t)f->pkts_toclient));
    json_object_set_new(fl, "bytes_toserver", json_integer((json_int_t)f->bytes_toserver));
    json_object_set_new(fl, "bytes_toclient", json_integer((json_int_t)f->bytes_toclient));
    set_time(fl, "start", f->start_us);
    set_time(fl, "end", f->last_us);
    json_object_set_new(fl, "age", json_integer((json_int_t)(f->last_us / 1000000 - f->start_us / 1000000)));
    json_object_set_new(fl, "state", json_string(states[f->state]));
    json_object_set_new(fl, "reason", json_string("timeout"));
    json_object_set_new(fl, "alerted", json_boolean(f->alerted));
    json_object_set_new(js, "flow", fl);
    if (k->proto == 6) {
        json_t *tcp = json_object();
        uint8_t flags = f->tcp_flags_ts | f->tcp_flags_tc;
        set_hex(tcp, "tcp_flags", flags);
        set_hex(tcp, "tcp_flags_ts", f->tcp_flags_ts);
        set_hex(tcp, "tcp_flags_tc", f->tcp_flags_tc);
        for (int b = 0; b < 8; b++) {
            if (flags & (1u << b))
                json_object_set_new(tcp, flag_names[b], json_true());
        }
        if (tcp_states[f->tcp_state])
            json_object_set_new(tcp, "state", json_string(tcp_states[f->tcp_state]));
        json_object_set_new(js, "tcp", tcp);
    }
    return js;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? atol(argv[1]) : 1000000;
    if (n <= 0) {
        fprintf(stderr, "usage: %s [records]\n", argv[0]);
        return 2;
    }
    struct flow flows[VARIANTS];
    make_flows(flows);
    uint64_t now_us = 1704067300000000ULL;
    size_t sink = 0;

    struct json_builder jb;
    jb_init(&jb, 4096);
    uint64_t t0 = now_ns();
    for (long i = 0; i < n; i++) {
        eve_flow_build(&jb, &flows[i % VARIANTS], NULL, now_us + (uint64_t)i);
        sink += jb_len(&jb);
    }
    uint64_t t1 = now_ns();
    jb_free(&jb);

    char out[4096];
    long jn = n / 10 > 0 ? n / 10 : 1;  /* jansson is far slower: fewer rounds */
    uint64_t t2 = now_ns();
    for (long i = 0; i < jn; i++) {
        json_t *js = jansson_flow(&flows[i % VARIANTS], now_us + (uint64_t)i);
        sink += json_dumpb(js, out, sizeof(out), JSON_COMPACT | JSON_PRESERVE_ORDER);
        json_decref(js);
    }
    uint64_t t3 = now_ns();

    double ns_builder = (double)(t1 - t0) / (double)n;
    double ns_jansson = (double)(t3 - t2) / (double)jn;
    printf("records: builder %ld, jansson %ld (output bytes %zu)\n", n, jn, sink);
    printf("json-builder:         %8.1f ns/record\n", ns_builder);
    printf("jansson + json_dumpb: %8.1f ns/record\n", ns_jansson);
    printf("speed-up:             %8.1fx\n", ns_jansson / ns_builder);
    return 0;
}
