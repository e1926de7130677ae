/* The timeout probes and their reference: each probe follows a script of
 * packets and idle gaps; an independent model of the flow state (new until
 * both sides spoke or, for TCP, the handshake completed; closed after FIN
 * both ways or RST) splits the reference record where a gap reaches the
 * timeout of the state the flow is in at that moment. */
#include "pcapgen-probe.h"

#include <stdio.h>
#include <string.h>

#define USEC 1000000ULL
#define BURST_GAP_US 1000      /* between packets of a probe without a gap */
#define PROBE_SPACING_US 7000  /* between the starts of two probes */
#define FIRST_PROBE_US USEC    /* after the first background flow */
#define BACKGROUND_STEP_US 20  /* between packets of one background flow */

enum probe_state { STATE_NEW, STATE_ESTABLISHED, STATE_CLOSED };
enum probe_class { CLASS_TCP, CLASS_UDP, CLASS_ICMP };

/* Seconds, [class][state]: Suricata's shipped flow-timeouts (etc/vigil.yaml);
 * udp and icmp have no closed state. */
static const uint32_t normal_timeouts[3][3] = {{60, 600, 60}, {30, 300, 0}, {30, 300, 0}};
static const uint32_t emergency_timeouts[3][3] = {{5, 100, 10}, {10, 100, 0}, {10, 100, 0}};

/* Script letters: upper case from the client, lower case from the server:
 * S syn, Y syn/ack, A ack, D data, F fin/ack, R rst/ack, U udp, Q echo
 * request, P echo reply. Digits: an idle gap around the timeout of the
 * state the script has reached, 1 new, 2 established, 3 closed. Every gap
 * is followed by a client packet, so a split record's first packet is the
 * client's again. */
struct probe_script {
    const char *name;
    uint8_t proto; /* 6, 17 or 1 (58 for IPv6) */
    const char *script;
};

static const struct probe_script scripts[] = {
    {"tcp-new", 6, "S1S"},
    {"tcp-established", 6, "SyADdA2DdAFfA"},
    {"tcp-closed", 6, "SyADdAFfA3A"},
    {"tcp-closed-rst", 6, "SyADdR3A"},
    {"udp-new", 17, "U1U"},
    {"udp-established", 17, "Uu2Uu"},
    {"udp-new-then-established", 17, "U1Uu2Uu"},
    {"icmp-new", 1, "Q1Q"},
    {"icmp-established", 1, "Qp2Qp"},
};

#define SCRIPT_COUNT (sizeof(scripts) / sizeof(scripts[0]))
#define PROBE_COUNT (SCRIPT_COUNT * 4) /* below/above x IPv4/IPv6 */
#define MAX_SPLITS_PER_PROBE 4

struct segment_model {
    bool seen[2];
    uint8_t handshake; /* 0 none, 1 SYN, 2 SYN/ACK, 3 complete */
    bool fin[2];
    bool rst;
};

struct probe {
    struct pcapgen_flow *flow;
    uint64_t gap_us[PCAPGEN_MAX_STEPS]; /* before each step; 0: a burst step */
    uint64_t next_us;
    enum probe_class cls;
    struct segment_model model;
};

static char labels[PROBE_COUNT][48];

static enum probe_state model_state(const struct segment_model *m, enum probe_class cls)
{
    if (cls != CLASS_TCP)
        return m->seen[0] && m->seen[1] ? STATE_ESTABLISHED : STATE_NEW;
    if ((m->rst && m->handshake > 0) || (m->handshake == 3 && m->fin[0] && m->fin[1]))
        return STATE_CLOSED;
    return m->handshake == 3 ? STATE_ESTABLISHED : STATE_NEW;
}

static void model_update(struct segment_model *m, enum pcapgen_step_kind kind, bool from_server)
{
    m->seen[from_server] = true;
    if (kind == PCAPGEN_STEP_SYN && !from_server && m->handshake == 0)
        m->handshake = 1;
    else if (kind == PCAPGEN_STEP_SYNACK && from_server && m->handshake == 1)
        m->handshake = 2;
    else if (kind == PCAPGEN_STEP_ACK && !from_server && m->handshake == 2)
        m->handshake = 3;
    else if (kind == PCAPGEN_STEP_FIN && m->handshake == 3)
        m->fin[from_server] = true;
    else if (kind == PCAPGEN_STEP_RST)
        m->rst = true;
}

static enum pcapgen_step_kind letter_kind(char c)
{
    switch (c | 0x20) {
    case 's': return PCAPGEN_STEP_SYN;
    case 'y': return PCAPGEN_STEP_SYNACK;
    case 'a': return PCAPGEN_STEP_ACK;
    case 'd': return PCAPGEN_STEP_DATA;
    case 'f': return PCAPGEN_STEP_FIN;
    case 'r': return PCAPGEN_STEP_RST;
    case 'u': return PCAPGEN_STEP_UDP;
    case 'q': return PCAPGEN_STEP_ECHO_REQUEST;
    default: return PCAPGEN_STEP_ECHO_REPLY;
    }
}

static enum probe_class class_of(uint8_t proto)
{
    return proto == 6 ? CLASS_TCP : proto == 17 ? CLASS_UDP : CLASS_ICMP;
}

/* The gap a script digit asks for, below (timeout - 1 s) or above (+1 s). */
static uint64_t gap_for(char digit, enum probe_class cls, bool above, bool emergency)
{
    const uint32_t(*table)[3] = emergency ? emergency_timeouts : normal_timeouts;
    uint64_t timeout = table[cls][digit - '1'];
    return above ? (timeout + 1) * USEC : (timeout - 1) * USEC;
}

static void set_endpoint(struct pcapgen_endpoint *e, uint8_t family, bool server, uint32_t n, uint16_t port)
{
    memset(e, 0, sizeof(*e));
    e->mac[0] = 0x02;
    e->mac[1] = server ? 0x70 : 0x71;
    e->mac[5] = (uint8_t)n;
    e->port = port;
    if (family == 4) {
        /* 192.168.1.n clients, 192.168.100.n servers */
        const uint8_t v4[4] = {192, 168, server ? 100 : 1, (uint8_t)(n + 1)};
        memcpy(e->addr, v4, 4);
        return;
    }
    /* 2001:db8:7::1:n clients, 2001:db8:7::100:n servers */
    const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 7, 0, 0, 0, 0, 0, 0,
                            server ? 0x01 : 0, server ? 0x00 : 0x01, 0, (uint8_t)(n + 1)};
    memcpy(e->addr, v6, 16);
}

static void probe_init(struct pcapgen_gen *g, struct probe *p, uint32_t n, bool emergency, uint64_t start_us)
{
    const struct probe_script *s = &scripts[n / 4];
    bool above = n & 1;
    uint8_t family = n & 2 ? 6 : 4;
    uint8_t proto = s->proto == 1 && family == 6 ? 58 : s->proto;
    struct pcapgen_endpoint client, server;
    uint16_t server_port = proto == 6 ? 80 : proto == 17 ? 53 : 0;
    set_endpoint(&client, family, false, n, proto == 6 || proto == 17 ? (uint16_t)(40000 + n) : 0);
    set_endpoint(&server, family, true, n, server_port);

    memset(p, 0, sizeof(*p));
    p->flow = pcapgen_gen_add_scripted(g);
    p->cls = class_of(proto);
    pcapgen_flow_init_scripted(p->flow, family, proto, &client, &server, &g->rand);
    snprintf(labels[n], sizeof(labels[n]), "%s-%s-v%u", s->name, above ? "above" : "below", family);
    p->flow->label = labels[n];
    uint64_t pending_gap = 0;
    for (const char *c = s->script; *c; c++) {
        if (*c >= '1' && *c <= '3') {
            pending_gap = gap_for(*c, p->cls, above, emergency);
            continue;
        }
        p->gap_us[p->flow->step_count] = pending_gap;
        pending_gap = 0;
        pcapgen_flow_add_step(p->flow, letter_kind(*c), *c >= 'a');
    }
    p->next_us = start_us + FIRST_PROBE_US + n * PROBE_SPACING_US;
}

/* The engine ends the flow before this packet: keep the ended part as its
 * own record and start counting afresh. */
static void split_if_idle(struct pcapgen_gen *g, struct probe *p, uint64_t ts_us, bool emergency)
{
    struct pcapgen_flow *f = p->flow;
    if (f->pkts[0] + f->pkts[1] == 0)
        return;
    const uint32_t(*table)[3] = emergency ? emergency_timeouts : normal_timeouts;
    uint64_t timeout = table[p->cls][model_state(&p->model, p->cls)] * USEC;
    if (ts_us - f->last_us < timeout)
        return;
    struct pcapgen_flow *ended = pcapgen_gen_add_scripted(g);
    if (!ended)
        return;
    *ended = *f;
    pcapgen_flow_restart_counters(f);
    memset(&p->model, 0, sizeof(p->model));
}

static void probe_step(struct pcapgen_gen *g, struct probe *p, bool emergency)
{
    uint64_t ts = p->next_us > g->now_us ? p->next_us : g->now_us + 1;
    split_if_idle(g, p, ts, emergency);
    bool from_server;
    enum pcapgen_step_kind kind = pcapgen_flow_next_kind(p->flow, &from_server);
    pcapgen_gen_emit(g, p->flow, ts);
    model_update(&p->model, kind, from_server);
    if (!pcapgen_flow_done(p->flow)) {
        uint64_t gap = p->gap_us[p->flow->next_step];
        p->next_us = g->now_us + (gap ? gap : BURST_GAP_US);
    }
}

static uint64_t longest_probe_us(bool emergency)
{
    uint64_t longest = 0;
    for (size_t i = 0; i < SCRIPT_COUNT; i++) {
        uint64_t span = 0;
        for (const char *c = scripts[i].script; *c; c++)
            span += *c >= '1' && *c <= '3' ? gap_for(*c, class_of(scripts[i].proto), true, emergency)
                                           : BURST_GAP_US;
        if (span > longest)
            longest = span;
    }
    return FIRST_PROBE_US + PROBE_COUNT * PROBE_SPACING_US + longest;
}

uint32_t pcapgen_probe_background_flows(bool emergency)
{
    return (uint32_t)(longest_probe_us(emergency) / PCAPGEN_PROBE_BACKGROUND_US + 2);
}

uint32_t pcapgen_probe_scripted(void)
{
    return PROBE_COUNT * (1 + MAX_SPLITS_PER_PROBE);
}

/* Background: one mix flow every BACKGROUND_US, its packets close together. */
struct background {
    struct pcapgen_flow *flow; /* NULL between flows */
    uint64_t next_us;
};

static void background_step(struct pcapgen_gen *g, struct background *b)
{
    if (!b->flow) {
        uint32_t index = g->next_flow++;
        b->flow = &g->flows[index];
        pcapgen_flow_init(b->flow, index, &g->mix, &g->rand);
        b->flow->label = "background";
    }
    pcapgen_gen_emit(g, b->flow, b->next_us);
    b->next_us = g->now_us + BACKGROUND_STEP_US;
    if (!pcapgen_flow_done(b->flow))
        return;
    b->flow = NULL;
    b->next_us = (g->now_us / PCAPGEN_PROBE_BACKGROUND_US + 1) * PCAPGEN_PROBE_BACKGROUND_US;
}

void pcapgen_probe_generate(struct pcapgen_gen *g, bool emergency)
{
    struct probe probes[PROBE_COUNT];
    uint64_t start_us = g->now_us;
    for (uint32_t n = 0; n < PROBE_COUNT; n++)
        probe_init(g, &probes[n], n, emergency, start_us);
    struct background bg = {NULL, start_us + 1};
    for (;;) {
        struct probe *next = NULL;
        for (uint32_t n = 0; n < PROBE_COUNT; n++)
            if (!pcapgen_flow_done(probes[n].flow) && (!next || probes[n].next_us < next->next_us))
                next = &probes[n];
        bool bg_left = bg.flow || g->next_flow < g->mix_count;
        if (!next && !bg.flow)
            return;
        if (bg_left && (!next || bg.next_us <= next->next_us))
            background_step(g, &bg);
        else
            probe_step(g, next, emergency);
    }
}
