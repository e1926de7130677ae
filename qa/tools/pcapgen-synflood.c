/* The SYN flood scenario, in phases the reference names: "before" (mix flows
 * opened before the flood), "flood" (one spoofed SYN each) mixed with
 * "during" flows, a drain, "tick" flows across a quiet minute, then "after". */
#include "pcapgen-synflood.h"

#include <string.h>

#define FLOOD_PERCENT 90 /* share of the flood's packets that are SYNs */

static void set_v4(struct pcapgen_endpoint *e, uint32_t addr, uint16_t port)
{
    memset(e, 0, sizeof(*e));
    e->mac[0] = 0x02;
    e->mac[1] = 0x66;
    for (int i = 0; i < 4; i++) {
        e->addr[i] = (uint8_t)(addr >> (24 - 8 * i));
        e->mac[2 + i] = e->addr[i];
    }
    e->port = port;
}

/* A one-packet scripted flow from client to server at ts_us. */
static void one_packet_flow(struct pcapgen_gen *g, uint8_t proto, uint32_t client, uint16_t client_port,
                            uint32_t server, uint16_t server_port, const char *label, uint64_t ts_us)
{
    struct pcapgen_endpoint c, s;
    set_v4(&c, client, client_port);
    set_v4(&s, server, server_port);
    struct pcapgen_flow *f = pcapgen_gen_add_scripted(g);
    pcapgen_flow_init_scripted(f, 4, proto, &c, &s, &g->rand);
    pcapgen_flow_add_step(f, proto == 6 ? PCAPGEN_STEP_SYN : PCAPGEN_STEP_UDP, false);
    f->label = label;
    pcapgen_gen_emit(g, f, ts_us);
}

static void label_mix(struct pcapgen_gen *g, uint32_t first, uint32_t last, const char *label)
{
    for (uint32_t i = first; i < last; i++)
        g->flows[i].label = label;
}

static void send_syn(struct pcapgen_gen *g, uint32_t i)
{
    uint16_t port = (uint16_t)(1024 + pcapgen_rand_below(&g->rand, 65536 - 1024));
    uint64_t ts = g->now_us + 1 + pcapgen_rand_below(&g->rand, PCAPGEN_MAX_GAP_US);
    /* 100.64.0.0/10 sources, victim 172.16.1.1:80 (the mix uses 172.16.0.0/24). */
    one_packet_flow(g, 6, 0x64400000u + i, port, 0xac100101u, 80, "flood", ts);
}

void pcapgen_synflood_generate(struct pcapgen_gen *g, uint32_t syns)
{
    uint32_t before_limit = g->mix_count / 3, during_limit = 2 * (g->mix_count / 3);

    pcapgen_gen_fill(g, before_limit);
    while (g->active_count && g->next_flow < before_limit)
        pcapgen_gen_mix_packet(g, before_limit);
    uint32_t first_during = g->next_flow;

    for (uint32_t sent = 0; sent < syns;) {
        if (!g->active_count || pcapgen_rand_percent(&g->rand, FLOOD_PERCENT)) {
            send_syn(g, sent++);
            continue;
        }
        pcapgen_gen_mix_packet(g, during_limit);
    }
    /* Drain: no mix flow may span the quiet minute, or its idle gap would end it. */
    while (g->active_count)
        pcapgen_gen_mix_packet(g, 0);
    uint32_t first_after = g->next_flow;

    /* Ticks: 198.18.0.0/15 (benchmarking addresses) to one DNS server. */
    for (uint32_t t = 0; t < PCAPGEN_FLOOD_TICKS; t++)
        one_packet_flow(g, 17, 0xc6120000u + t, (uint16_t)(40000 + t % 20000), 0xc6130001u, 53, "tick",
                        g->now_us + PCAPGEN_FLOOD_TICK_US);

    pcapgen_gen_fill(g, g->mix_count);
    while (g->active_count)
        pcapgen_gen_mix_packet(g, g->mix_count);

    label_mix(g, 0, first_during, "before");
    label_mix(g, first_during, first_after, "during");
    label_mix(g, first_after, g->next_flow, "after");
}
