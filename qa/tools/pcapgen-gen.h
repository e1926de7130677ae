/* The generator's state shared by its modes: the flow array, the open flows
 * of the default mix, packet time and the pcap being written. */
#ifndef VIGIL_QA_PCAPGEN_GEN_H
#define VIGIL_QA_PCAPGEN_GEN_H

#include <stdint.h>

#include "pcapgen-flow.h"
#include "pcapgen-pcap.h"
#include "pcapgen-rand.h"

/* Gaps between consecutive packets of the default mix: 1..20 us, 10 us on average. */
#define PCAPGEN_MAX_GAP_US 20

struct pcapgen_gen {
    struct pcapgen_flow *flows;  /* mix flows [0, mix_count), then scripted ones */
    uint32_t mix_count;          /* mix flows to generate in all */
    uint32_t scripted_cap, scripted_count;
    uint32_t *active;            /* indexes of mix flows with packets left */
    uint32_t active_count, concurrency;
    uint32_t next_flow;          /* next mix flow index to open */
    struct pcapgen_mix mix;
    struct pcapgen_rand rand;
    uint8_t payload_pool[PCAPGEN_PAYLOAD_POOL_LEN];
    uint64_t now_us;             /* time of the latest packet written */
    uint64_t frames, bytes;
    struct pcapgen_pcap *pcap;
};

struct pcapgen_gen_config {
    uint64_t seed;
    uint64_t start_time;         /* seconds */
    uint32_t mix_flows;
    uint32_t concurrency;
    uint32_t scripted_flows;     /* room for scripted flows and split records */
    struct pcapgen_mix mix;
};

/* Returns 0, or -1 (message on stderr) when out of memory. */
int pcapgen_gen_init(struct pcapgen_gen *g, const struct pcapgen_gen_config *c, struct pcapgen_pcap *pcap);
void pcapgen_gen_free(struct pcapgen_gen *g);

/* Writes f's next packet at ts_us (moved past the previous packet if needed,
 * so time always increases). */
void pcapgen_gen_emit(struct pcapgen_gen *g, struct pcapgen_flow *f, uint64_t ts_us);

/* Opens mix flows into free slots while fewer than `concurrency` are open
 * and next_flow < open_limit. */
void pcapgen_gen_fill(struct pcapgen_gen *g, uint32_t open_limit);

/* One packet of a random open mix flow, 1..20 us after the previous packet;
 * a finished flow's slot goes to the next flow while next_flow < open_limit. */
void pcapgen_gen_mix_packet(struct pcapgen_gen *g, uint32_t open_limit);

/* A new scripted flow record; NULL when the room given at init is used up. */
struct pcapgen_flow *pcapgen_gen_add_scripted(struct pcapgen_gen *g);

/* Every flow record made so far (mix flows opened, then scripted ones) in order. */
uint32_t pcapgen_gen_record_count(const struct pcapgen_gen *g);
const struct pcapgen_flow *pcapgen_gen_record(const struct pcapgen_gen *g, uint32_t i);

#endif
