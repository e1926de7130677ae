/* Builds EVE flow records from a struct flow: header (time, id, tuple,
 * protocol), optional tunnel, the flow object and, for TCP, the tcp object. */
#include "output/eve-flow.h"

#include <string.h>

#include "flow/flow-tcp.h"
#include "output/eve-addr.h"
#include "output/eve-proto.h"
#include "output/eve-time.h"

#define PROTO_ICMP 1
#define PROTO_TCP 6
#define PROTO_UDP 17
#define PROTO_ICMPV6 58
#define PROTO_SCTP 132

static const char *const flow_state_names[] = {
    [FLOW_STATE_NEW] = "new",
    [FLOW_STATE_ESTABLISHED] = "established",
    [FLOW_STATE_CLOSED] = "closed",
};

static const char *const end_reason_names[] = {
    [FLOW_END_TIMEOUT] = "timeout",
    [FLOW_END_FORCED] = "forced",
    [FLOW_END_SHUTDOWN] = "shutdown",
};


/* TCP header flag bits in Suricata's EVE order. */
static const struct {
    uint8_t bit;
    const char *name;
} tcp_flag_names[] = {
    { 0x02, "syn" }, { 0x01, "fin" }, { 0x04, "rst" }, { 0x08, "psh" },
    { 0x10, "ack" }, { 0x20, "urg" }, { 0x40, "ecn" }, { 0x80, "cwr" },
};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Out-of-range enum values (a bug elsewhere) still give a valid record. */
static const char *enum_name(const char *const *names, size_t count, unsigned v)
{
    return v < count && names[v] ? names[v] : "unknown";
}

static bool proto_has_ports(uint8_t proto)
{
    return proto == PROTO_TCP || proto == PROTO_UDP || proto == PROTO_SCTP;
}

static void add_addr(struct json_builder *jb, const char *key,
                     const union vigil_addr *a, uint8_t ip_version)
{
    char text[EVE_ADDR_MAX];
    jb_add_ascii(jb, key, text, eve_addr_format(text, a, ip_version));
}

static void add_time(struct json_builder *jb, const char *key, uint64_t ts_us)
{
    char text[EVE_TIME_LEN];
    jb_add_ascii(jb, key, text, eve_time_format(text, ts_us));
}

static void add_proto(struct json_builder *jb, const char *key, uint8_t proto)
{
    char numbuf[4];
    const char *name = eve_proto_name(proto, numbuf);
    jb_add_ascii(jb, key, name, strlen(name));
}

static void add_hex_byte(struct json_builder *jb, const char *key, uint8_t v)
{
    static const char hex[] = "0123456789abcdef";
    char text[2] = { hex[v >> 4], hex[v & 0xf] };
    jb_add_ascii(jb, key, text, sizeof(text));
}

static void add_header(struct json_builder *jb, const struct flow *f, const char *in_iface,
                       uint64_t now_us)
{
    const struct flow_key *k = &f->key;

    add_time(jb, "timestamp", now_us);
    jb_add_uint(jb, "flow_id", f->flow_id);
    if (in_iface)
        jb_add_string(jb, "in_iface", in_iface);
    jb_add_ascii(jb, "event_type", "flow", 4);
    if (k->vlan_count > 0) {
        jb_open_array(jb, "vlan");
        for (unsigned i = 0; i < k->vlan_count && i < PACKET_MAX_VLANS; i++)
            jb_append_uint(jb, k->vlan_id[i]);
        jb_close(jb);
    }
    add_addr(jb, "src_ip", &k->src, k->ip_version);
    if (proto_has_ports(k->proto))
        jb_add_uint(jb, "src_port", k->sp);
    add_addr(jb, "dest_ip", &k->dst, k->ip_version);
    if (proto_has_ports(k->proto))
        jb_add_uint(jb, "dest_port", k->dp);
    jb_add_uint(jb, "ip_v", k->ip_version);
    add_proto(jb, "proto", k->proto);
    if (k->proto == PROTO_ICMP || k->proto == PROTO_ICMPV6) {
        jb_add_uint(jb, "icmp_type", f->icmp_type);
        jb_add_uint(jb, "icmp_code", f->icmp_code);
        if (f->has_response_icmp) {
            jb_add_uint(jb, "response_icmp_type", f->response_icmp_type);
            jb_add_uint(jb, "response_icmp_code", f->response_icmp_code);
        }
    }
}

static void add_tunnel(struct json_builder *jb, const struct packet_tunnel_info *t)
{
    jb_open_object(jb, "tunnel");
    add_addr(jb, "src_ip", &t->src, t->ip_version);
    if (proto_has_ports(t->proto))
        jb_add_uint(jb, "src_port", t->sp);
    add_addr(jb, "dest_ip", &t->dst, t->ip_version);
    if (proto_has_ports(t->proto))
        jb_add_uint(jb, "dest_port", t->dp);
    add_proto(jb, "proto", t->proto);
    jb_add_uint(jb, "depth", t->depth);
    jb_close(jb);
}

static void add_flow_object(struct json_builder *jb, const struct flow *f)
{
    jb_open_object(jb, "flow");
    jb_add_uint(jb, "pkts_toserver", f->pkts_toserver);
    jb_add_uint(jb, "pkts_toclient", f->pkts_toclient);
    jb_add_uint(jb, "bytes_toserver", f->bytes_toserver);
    jb_add_uint(jb, "bytes_toclient", f->bytes_toclient);
    add_time(jb, "start", f->start_us);
    add_time(jb, "end", f->last_us);
    uint64_t start_s = f->start_us / 1000000, end_s = f->last_us / 1000000;
    jb_add_uint(jb, "age", end_s > start_s ? end_s - start_s : 0);
    if (f->emergency)
        jb_add_bool(jb, "emergency", true);
    jb_add_string(jb, "state", enum_name(flow_state_names, ARRAY_LEN(flow_state_names),
                                         f->state));
    jb_add_string(jb, "reason", enum_name(end_reason_names, ARRAY_LEN(end_reason_names),
                                          f->end_reason));
    jb_add_bool(jb, "alerted", f->alerted);
    jb_close(jb);
}

static void add_tcp_object(struct json_builder *jb, const struct flow *f)
{
    uint8_t flags = f->tcp_flags_ts | f->tcp_flags_tc;

    jb_open_object(jb, "tcp");
    add_hex_byte(jb, "tcp_flags", flags);
    add_hex_byte(jb, "tcp_flags_ts", f->tcp_flags_ts);
    add_hex_byte(jb, "tcp_flags_tc", f->tcp_flags_tc);
    for (size_t i = 0; i < ARRAY_LEN(tcp_flag_names); i++) {
        if (flags & tcp_flag_names[i].bit)
            jb_add_bool(jb, tcp_flag_names[i].name, true);
    }
    if (f->tcp_state != TCP_STATE_NONE)
        jb_add_string(jb, "state", flow_tcp_state_name(f->tcp_state));
    jb_close(jb);
}

void eve_flow_build(struct json_builder *jb, const struct flow *f, const char *in_iface,
                    uint64_t now_us)
{
    jb_reset(jb);
    jb_open_object(jb, NULL);
    add_header(jb, f, in_iface, now_us);
    if (f->has_tunnel)
        add_tunnel(jb, &f->tunnel);
    add_flow_object(jb, f);
    if (f->key.proto == PROTO_TCP)
        add_tcp_object(jb, f);
    jb_close(jb);
}
