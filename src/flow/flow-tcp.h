/* TCP connection state per flow, enough for the flow's state (new,
 * established, closed), its per-state timeout and EVE's tcp.state. */
#ifndef VIGIL_FLOW_FLOW_TCP_H
#define VIGIL_FLOW_FLOW_TCP_H

#include <stdbool.h>

#include "decode/packet.h"
#include "flow/flow.h"

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_ACK 0x10
#define TCP_FLAG_URG 0x20
#define TCP_FLAG_ECE 0x40
#define TCP_FLAG_CWR 0x80

struct flow_tcp_counters {
    uint64_t sessions;   /* tcp.sessions: connections seen starting */
    uint64_t syn;        /* tcp.syn */
    uint64_t synack;     /* tcp.synack */
    uint64_t rst;        /* tcp.rst */
};

/* Advances f's TCP state with p (to_server: p travels like the first packet)
 * and sets f->state from it. */
void flow_tcp_update(struct flow *f, const struct packet *p, bool to_server,
                     struct flow_tcp_counters *counters);

/* A pure SYN toward the server on a flow that has finished: Suricata starts
 * a new session (and so a new flow) for it. */
bool flow_tcp_is_port_reuse(const struct flow *f, const struct packet *p, bool to_server);

const char *flow_tcp_state_name(enum tcp_state state);

#endif
