/* Generated flows: unique endpoints per flow index, a TCP/UDP/ICMP script drawn
 * at creation, and per-direction packet, byte and TCP-flag counters. */
#include "pcapgen-flow.h"

#include <string.h>

#define ECHO_PAYLOAD_LEN 56 /* Linux ping's default */
#define SERVERS_PER_CLIENT 64

/* Well-known ports only; none is a tunnel port (VXLAN, Geneve, Teredo, GTP) a
 * decoder would look inside. */
static const uint16_t tcp_server_ports[] = {80, 443, 22, 25, 110, 143, 8080, 8443, 3306, 5432};
static const uint16_t udp_server_ports[] = {53, 123, 161, 514, 1812, 5060};

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

static void add_step(struct pcapgen_flow *f, uint8_t kind, bool from_server)
{
    if (f->step_count < PCAPGEN_MAX_STEPS)
        f->steps[f->step_count++] = (uint8_t)(kind | (from_server ? PCAPGEN_STEP_FROM_SERVER : 0));
}

void pcapgen_flow_add_step(struct pcapgen_flow *f, enum pcapgen_step_kind kind, bool from_server)
{
    add_step(f, (uint8_t)kind, from_server);
}

static void plan_tcp(struct pcapgen_flow *f, const struct pcapgen_mix *mix, struct pcapgen_rand *r)
{
    add_step(f, PCAPGEN_STEP_SYN, false);
    add_step(f, PCAPGEN_STEP_SYNACK, true);
    add_step(f, PCAPGEN_STEP_ACK, false);
    uint32_t rounds = 1 + pcapgen_rand_below(r, 4);
    for (uint32_t i = 0; i < rounds; i++) {
        add_step(f, PCAPGEN_STEP_DATA, false);
        add_step(f, PCAPGEN_STEP_DATA, true);
        if (pcapgen_rand_percent(r, 50))
            add_step(f, PCAPGEN_STEP_DATA, true);
        add_step(f, PCAPGEN_STEP_ACK, false);
    }
    if (pcapgen_rand_percent(r, mix->tcp_rst_percent)) {
        add_step(f, PCAPGEN_STEP_RST, pcapgen_rand_percent(r, 50));
        return;
    }
    add_step(f, PCAPGEN_STEP_FIN, false);
    add_step(f, PCAPGEN_STEP_FIN, true);
    add_step(f, PCAPGEN_STEP_ACK, false);
}

static void plan_udp(struct pcapgen_flow *f, const struct pcapgen_mix *mix, struct pcapgen_rand *r)
{
    if (pcapgen_rand_percent(r, mix->udp_oneway_percent)) {
        add_step(f, PCAPGEN_STEP_UDP, false);
        return;
    }
    uint32_t exchanges = 1 + pcapgen_rand_below(r, 3);
    for (uint32_t i = 0; i < exchanges; i++) {
        add_step(f, PCAPGEN_STEP_UDP, false);
        add_step(f, PCAPGEN_STEP_UDP, true);
    }
}

static void plan_icmp(struct pcapgen_flow *f, struct pcapgen_rand *r)
{
    uint32_t pings = 1 + pcapgen_rand_below(r, 4);
    for (uint32_t i = 0; i < pings; i++) {
        add_step(f, PCAPGEN_STEP_ECHO_REQUEST, false);
        add_step(f, PCAPGEN_STEP_ECHO_REPLY, true);
    }
}

static void put_host_id(uint8_t *b, uint32_t id)
{
    b[0] = (uint8_t)(id >> 24);
    b[1] = (uint8_t)(id >> 16);
    b[2] = (uint8_t)(id >> 8);
    b[3] = (uint8_t)id;
}

/* Client host index/64 and server host index%64: no two flows share an address
 * pair, so every flow key is unique even for ICMP, whose key has no ports. */
static void set_addresses(struct pcapgen_flow *f, uint32_t index)
{
    uint32_t client_host = index / SERVERS_PER_CLIENT + 1;
    uint32_t server_host = index % SERVERS_PER_CLIENT + 1;
    static const uint8_t client_mac[2] = {0x02, 0x00}, server_mac[2] = {0x02, 0x53};
    memcpy(f->client.mac, client_mac, 2);
    put_host_id(f->client.mac + 2, client_host);
    memcpy(f->server.mac, server_mac, 2);
    put_host_id(f->server.mac + 2, server_host);

    memset(f->client.addr, 0, sizeof(f->client.addr));
    memset(f->server.addr, 0, sizeof(f->server.addr));
    if (f->family == 4) {
        put_host_id(f->client.addr, client_host);
        f->client.addr[0] = 10;             /* 10.x.y.z */
        put_host_id(f->server.addr, server_host);
        f->server.addr[0] = 172;            /* 172.16.0.s */
        f->server.addr[1] = 16;
        return;
    }
    static const uint8_t client_net[6] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x0c};
    static const uint8_t server_net[6] = {0x20, 0x01, 0x0d, 0xb8, 0x00, 0x05};
    memcpy(f->client.addr, client_net, 6);  /* 2001:db8:c::/48 */
    put_host_id(f->client.addr + 12, client_host);
    memcpy(f->server.addr, server_net, 6);  /* 2001:db8:5::/48 */
    put_host_id(f->server.addr + 12, server_host);
}

static uint8_t draw_proto(const struct pcapgen_mix *mix, uint8_t family, struct pcapgen_rand *r)
{
    uint32_t pick = pcapgen_rand_below(r, 100);
    if (pick < mix->tcp_percent)
        return 6;
    if (pick < mix->tcp_percent + mix->udp_percent)
        return 17;
    return family == 4 ? 1 : 58;
}

static void draw_sequence_state(struct pcapgen_flow *f, struct pcapgen_rand *r)
{
    f->tcp_next_seq[0] = (uint32_t)pcapgen_rand_next(r);
    f->tcp_next_seq[1] = (uint32_t)pcapgen_rand_next(r);
    f->ip_id[0] = (uint16_t)pcapgen_rand_next(r);
    f->ip_id[1] = (uint16_t)pcapgen_rand_next(r);
}

void pcapgen_flow_init(struct pcapgen_flow *f, uint32_t index, const struct pcapgen_mix *mix,
                       struct pcapgen_rand *r)
{
    memset(f, 0, sizeof(*f));
    f->family = pcapgen_rand_percent(r, mix->ipv6_percent) ? 6 : 4;
    f->proto = draw_proto(mix, f->family, r);
    if (pcapgen_rand_percent(r, mix->vlan_percent))
        f->vlan_id = (uint16_t)(2 + pcapgen_rand_below(r, 4093));
    set_addresses(f, index);
    draw_sequence_state(f, r);

    if (f->proto == 6 || f->proto == 17) {
        f->client.port = (uint16_t)(32768 + pcapgen_rand_below(r, 61000 - 32768));
        f->server.port = f->proto == 6
            ? tcp_server_ports[pcapgen_rand_below(r, ARRAY_LEN(tcp_server_ports))]
            : udp_server_ports[pcapgen_rand_below(r, ARRAY_LEN(udp_server_ports))];
    }
    if (f->proto == 6)
        plan_tcp(f, mix, r);
    else if (f->proto == 17)
        plan_udp(f, mix, r);
    else {
        f->icmp_id = (uint16_t)pcapgen_rand_next(r);
        plan_icmp(f, r);
    }
}

void pcapgen_flow_init_scripted(struct pcapgen_flow *f, uint8_t family, uint8_t proto,
                                const struct pcapgen_endpoint *client,
                                const struct pcapgen_endpoint *server, struct pcapgen_rand *r)
{
    memset(f, 0, sizeof(*f));
    f->family = family;
    f->proto = proto;
    f->client = *client;
    f->server = *server;
    draw_sequence_state(f, r);
    f->icmp_id = (uint16_t)pcapgen_rand_next(r);
}

void pcapgen_flow_restart_counters(struct pcapgen_flow *f)
{
    memset(f->tcp_flags, 0, sizeof(f->tcp_flags));
    memset(f->pkts, 0, sizeof(f->pkts));
    memset(f->bytes, 0, sizeof(f->bytes));
    f->first_us = f->last_us = 0;
}

static uint16_t draw_payload_len(uint8_t kind, bool from_server, struct pcapgen_rand *r)
{
    if (kind == PCAPGEN_STEP_DATA)
        return from_server ? (uint16_t)(100 + pcapgen_rand_below(r, PCAPGEN_MAX_PAYLOAD - 100))
                           : (uint16_t)(40 + pcapgen_rand_below(r, 560));
    if (kind == PCAPGEN_STEP_UDP)
        return from_server ? (uint16_t)(40 + pcapgen_rand_below(r, 400))
                           : (uint16_t)(20 + pcapgen_rand_below(r, 80));
    return 0;
}

/* Sequence numbers follow the byte stream so a stream engine accepts every segment. */
static void fill_tcp(struct pcapgen_flow *f, struct pcapgen_packet *p, uint8_t kind, int dir)
{
    static const uint8_t flags_of[] = {
        [PCAPGEN_STEP_SYN] = PCAPGEN_TCP_SYN,
        [PCAPGEN_STEP_SYNACK] = PCAPGEN_TCP_SYN | PCAPGEN_TCP_ACK,
        [PCAPGEN_STEP_ACK] = PCAPGEN_TCP_ACK,
        [PCAPGEN_STEP_DATA] = PCAPGEN_TCP_PSH | PCAPGEN_TCP_ACK,
        [PCAPGEN_STEP_FIN] = PCAPGEN_TCP_FIN | PCAPGEN_TCP_ACK,
        [PCAPGEN_STEP_RST] = PCAPGEN_TCP_RST | PCAPGEN_TCP_ACK,
    };
    p->tcp_flags = flags_of[kind];
    p->tcp_mss_option = kind == PCAPGEN_STEP_SYN || kind == PCAPGEN_STEP_SYNACK;
    p->seq = f->tcp_next_seq[dir];
    p->ack = kind == PCAPGEN_STEP_SYN ? 0 : f->tcp_next_seq[!dir];
    uint32_t consumed = p->payload_len;
    if (kind == PCAPGEN_STEP_SYN || kind == PCAPGEN_STEP_SYNACK || kind == PCAPGEN_STEP_FIN)
        consumed += 1;
    f->tcp_next_seq[dir] += consumed;
}

static void fill_icmp(struct pcapgen_flow *f, struct pcapgen_packet *p, uint8_t kind,
                      const uint8_t *payload_pool)
{
    bool request = kind == PCAPGEN_STEP_ECHO_REQUEST;
    if (request)
        f->icmp_seq++;
    if (f->family == 4)
        p->icmp_type = request ? 8 : 0;
    else
        p->icmp_type = request ? 128 : 129;
    p->icmp_id = f->icmp_id;
    p->icmp_seq = f->icmp_seq;
    /* A reply echoes its request's data. */
    p->payload = payload_pool + (uint32_t)(f->icmp_id + f->icmp_seq) % (PCAPGEN_PAYLOAD_POOL_LEN - ECHO_PAYLOAD_LEN);
    p->payload_len = ECHO_PAYLOAD_LEN;
}

static void count_packet(struct pcapgen_flow *f, int dir, size_t len, uint8_t tcp_flags, uint64_t ts_us)
{
    if (f->pkts[0] + f->pkts[1] == 0)
        f->first_us = ts_us;
    f->last_us = ts_us;
    f->pkts[dir]++;
    f->bytes[dir] += len;
    f->tcp_flags[dir] |= tcp_flags;
}

size_t pcapgen_flow_next_frame(struct pcapgen_flow *f, uint64_t ts_us, const uint8_t *payload_pool,
                               struct pcapgen_rand *r, uint8_t *out)
{
    uint8_t step = f->steps[f->next_step++];
    uint8_t kind = step & (uint8_t)~PCAPGEN_STEP_FROM_SERVER;
    bool from_server = step & PCAPGEN_STEP_FROM_SERVER;
    int dir = from_server ? PCAPGEN_TO_CLIENT : PCAPGEN_TO_SERVER;
    struct pcapgen_packet p = {
        .src = from_server ? &f->server : &f->client,
        .dst = from_server ? &f->client : &f->server,
        .family = f->family,
        .proto = f->proto,
        .vlan_id = f->vlan_id,
        .ip_id = f->ip_id[dir]++,
        .ttl = from_server ? 57 : 64,
    };
    p.payload_len = draw_payload_len(kind, from_server, r);
    p.payload = payload_pool + pcapgen_rand_below(r, PCAPGEN_PAYLOAD_POOL_LEN - p.payload_len);
    if (f->proto == 6)
        fill_tcp(f, &p, kind, dir);
    else if (f->proto == 1 || f->proto == 58)
        fill_icmp(f, &p, kind, payload_pool);

    size_t len = pcapgen_frame_build(&p, out);
    count_packet(f, dir, len, p.tcp_flags, ts_us);
    return len;
}
