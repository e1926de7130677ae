/* The generator's common machinery: flow storage, interleaving the default
 * mix's open flows, and writing each packet with increasing time stamps. */
#include "pcapgen-gen.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void fill_payload_pool(uint8_t *pool, struct pcapgen_rand *r)
{
    static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 \r\n";
    for (size_t i = 0; i < PCAPGEN_PAYLOAD_POOL_LEN; i++)
        pool[i] = (uint8_t)alphabet[pcapgen_rand_below(r, sizeof(alphabet) - 1)];
}

int pcapgen_gen_init(struct pcapgen_gen *g, const struct pcapgen_gen_config *c, struct pcapgen_pcap *pcap)
{
    memset(g, 0, sizeof(*g));
    g->mix_count = c->mix_flows;
    g->scripted_cap = c->scripted_flows;
    g->concurrency = c->concurrency;
    g->mix = c->mix;
    g->pcap = pcap;
    size_t total = (size_t)c->mix_flows + c->scripted_flows;
    g->flows = malloc((total ? total : 1) * sizeof(*g->flows));
    g->active = malloc((c->concurrency ? c->concurrency : 1) * sizeof(*g->active));
    if (!g->flows || !g->active) {
        fputs("vigil-pcapgen: out of memory\n", stderr);
        return -1;
    }
    g->rand.state = c->seed;
    fill_payload_pool(g->payload_pool, &g->rand);
    g->now_us = c->start_time * 1000000;
    return 0;
}

void pcapgen_gen_free(struct pcapgen_gen *g)
{
    free(g->flows);
    free(g->active);
}

void pcapgen_gen_emit(struct pcapgen_gen *g, struct pcapgen_flow *f, uint64_t ts_us)
{
    if (ts_us <= g->now_us && g->frames)
        ts_us = g->now_us + 1;
    g->now_us = ts_us;
    uint8_t *frame = pcapgen_pcap_reserve(g->pcap, PCAPGEN_MAX_FRAME);
    size_t len = pcapgen_flow_next_frame(f, ts_us, g->payload_pool, &g->rand, frame);
    pcapgen_pcap_commit(g->pcap, ts_us, len);
    g->frames++;
    g->bytes += len;
}

static void open_flow(struct pcapgen_gen *g, uint32_t slot)
{
    uint32_t index = g->next_flow++;
    pcapgen_flow_init(&g->flows[index], index, &g->mix, &g->rand);
    g->active[slot] = index;
}

void pcapgen_gen_fill(struct pcapgen_gen *g, uint32_t open_limit)
{
    if (open_limit > g->mix_count)
        open_limit = g->mix_count;
    while (g->active_count < g->concurrency && g->next_flow < open_limit)
        open_flow(g, g->active_count++);
}

void pcapgen_gen_mix_packet(struct pcapgen_gen *g, uint32_t open_limit)
{
    uint32_t slot = pcapgen_rand_below(&g->rand, g->active_count);
    struct pcapgen_flow *f = &g->flows[g->active[slot]];
    pcapgen_gen_emit(g, f, g->now_us + 1 + pcapgen_rand_below(&g->rand, PCAPGEN_MAX_GAP_US));
    if (!pcapgen_flow_done(f))
        return;
    if (g->next_flow < open_limit && g->next_flow < g->mix_count)
        open_flow(g, slot);
    else
        g->active[slot] = g->active[--g->active_count];
}

struct pcapgen_flow *pcapgen_gen_add_scripted(struct pcapgen_gen *g)
{
    if (g->scripted_count >= g->scripted_cap)
        return NULL;
    return &g->flows[g->mix_count + g->scripted_count++];
}

uint32_t pcapgen_gen_record_count(const struct pcapgen_gen *g)
{
    return g->next_flow + g->scripted_count;
}

const struct pcapgen_flow *pcapgen_gen_record(const struct pcapgen_gen *g, uint32_t i)
{
    return i < g->next_flow ? &g->flows[i] : &g->flows[g->mix_count + (i - g->next_flow)];
}
