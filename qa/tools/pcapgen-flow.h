/* One generated flow: its endpoints, the script of packets it will send (drawn
 * when the flow is created) and the counters the reference file reports. */
#ifndef VIGIL_QA_PCAPGEN_FLOW_H
#define VIGIL_QA_PCAPGEN_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pcapgen-frame.h"
#include "pcapgen-rand.h"

#define PCAPGEN_MAX_STEPS 32
/* Flow i gets a unique (client host, server host) pair from i, which caps N. */
#define PCAPGEN_MAX_FLOWS (1u << 29)
/* Payloads are windows into one shared pool of printable bytes. */
#define PCAPGEN_PAYLOAD_POOL_LEN 4096

/* Shares in percent; what is neither TCP nor UDP is ICMP echo. */
struct pcapgen_mix {
    uint32_t tcp_percent;
    uint32_t udp_percent;
    uint32_t ipv6_percent;
    uint32_t vlan_percent;
    uint32_t tcp_rst_percent;    /* TCP flows ending in RST instead of FIN */
    uint32_t udp_oneway_percent; /* UDP flows whose request gets no answer */
};

enum pcapgen_direction { PCAPGEN_TO_SERVER = 0, PCAPGEN_TO_CLIENT = 1 };

/* What one scripted packet is; or'ed with PCAPGEN_STEP_FROM_SERVER for the
 * server's packets. */
enum pcapgen_step_kind {
    PCAPGEN_STEP_SYN,
    PCAPGEN_STEP_SYNACK,
    PCAPGEN_STEP_ACK,
    PCAPGEN_STEP_DATA,
    PCAPGEN_STEP_FIN,
    PCAPGEN_STEP_RST,
    PCAPGEN_STEP_UDP,
    PCAPGEN_STEP_ECHO_REQUEST,
    PCAPGEN_STEP_ECHO_REPLY,
};

#define PCAPGEN_STEP_FROM_SERVER 0x80

struct pcapgen_flow {
    struct pcapgen_endpoint client; /* sends the first packet */
    struct pcapgen_endpoint server;
    uint8_t family;   /* 4 or 6 */
    uint8_t proto;    /* 6, 17, 1 or 58 */
    uint16_t vlan_id; /* 0: untagged */
    uint32_t tcp_next_seq[2]; /* per direction */
    uint16_t ip_id[2];
    uint16_t icmp_id, icmp_seq;
    uint8_t step_count, next_step;
    uint8_t steps[PCAPGEN_MAX_STEPS];
    uint8_t tcp_flags[2];
    uint32_t pkts[2];
    uint64_t bytes[2];
    uint64_t first_us, last_us;
    const char *label; /* reference "phase" field (scenario modes), NULL: none */
};

/* Draws flow number `index` (0-based, < PCAPGEN_MAX_FLOWS). */
void pcapgen_flow_init(struct pcapgen_flow *f, uint32_t index, const struct pcapgen_mix *mix,
                       struct pcapgen_rand *r);

/* A flow with the given endpoints and no packets yet, for scripted scenarios;
 * the caller adds its packets with pcapgen_flow_add_step. */
void pcapgen_flow_init_scripted(struct pcapgen_flow *f, uint8_t family, uint8_t proto,
                                const struct pcapgen_endpoint *client,
                                const struct pcapgen_endpoint *server, struct pcapgen_rand *r);

/* Appends one packet (at most PCAPGEN_MAX_STEPS in all). */
void pcapgen_flow_add_step(struct pcapgen_flow *f, enum pcapgen_step_kind kind, bool from_server);

/* Kind and sender of the flow's next packet. */
static inline enum pcapgen_step_kind pcapgen_flow_next_kind(const struct pcapgen_flow *f, bool *from_server)
{
    uint8_t step = f->steps[f->next_step];
    *from_server = step & PCAPGEN_STEP_FROM_SERVER;
    return (enum pcapgen_step_kind)(step & (uint8_t)~PCAPGEN_STEP_FROM_SERVER);
}

/* Forgets the counters (packets, bytes, flags, times) but not the script or
 * the sequence numbers: the engine's flow ended and the next packet starts a new one. */
void pcapgen_flow_restart_counters(struct pcapgen_flow *f);

/* Builds the flow's next packet into out (PCAPGEN_MAX_FRAME bytes), counts it
 * and returns the frame length. Only call while !pcapgen_flow_done(f). */
size_t pcapgen_flow_next_frame(struct pcapgen_flow *f, uint64_t ts_us, const uint8_t *payload_pool,
                               struct pcapgen_rand *r, uint8_t *out);

static inline bool pcapgen_flow_done(const struct pcapgen_flow *f)
{
    return f->next_step >= f->step_count;
}

#endif
