/* A compact TCP state machine following Suricata's session states: the
 * handshake, both closing sequences and RST; no sequence validation. */
#include "flow/flow-tcp.h"

static enum tcp_state on_syn_side(enum tcp_state s, uint8_t flags, bool to_server)
{
    bool syn = flags & TCP_FLAG_SYN, ack = flags & TCP_FLAG_ACK;
    if (s == TCP_STATE_NONE && syn && !ack && to_server)
        return TCP_STATE_SYN_SENT;
    if (s == TCP_STATE_SYN_SENT && syn && ack && !to_server)
        return TCP_STATE_SYN_RECV;
    if (s == TCP_STATE_SYN_RECV && ack && !syn && to_server)
        return TCP_STATE_ESTABLISHED;
    return s;
}

static enum tcp_state on_close_side(enum tcp_state s, uint8_t flags, bool to_server)
{
    bool fin = flags & TCP_FLAG_FIN, ack = flags & TCP_FLAG_ACK;
    switch (s) {
    case TCP_STATE_ESTABLISHED:
        if (fin)
            return to_server ? TCP_STATE_FIN_WAIT1 : TCP_STATE_CLOSE_WAIT;
        return s;
    case TCP_STATE_FIN_WAIT1:
        if (to_server)
            return s;
        if (fin)
            return ack ? TCP_STATE_TIME_WAIT : TCP_STATE_CLOSING;
        return ack ? TCP_STATE_FIN_WAIT2 : s;
    case TCP_STATE_FIN_WAIT2:
        return (!to_server && fin) ? TCP_STATE_TIME_WAIT : s;
    case TCP_STATE_CLOSING:
        return (!to_server && ack) ? TCP_STATE_TIME_WAIT : s;
    case TCP_STATE_TIME_WAIT:
        return (to_server && ack && !fin) ? TCP_STATE_CLOSED : s;
    case TCP_STATE_CLOSE_WAIT:
        return (to_server && fin) ? TCP_STATE_LAST_ACK : s;
    case TCP_STATE_LAST_ACK:
        return (!to_server && ack && !fin) ? TCP_STATE_CLOSED : s;
    default:
        return s;
    }
}

static enum flow_state flow_state_for(enum tcp_state s, enum flow_state current)
{
    switch (s) {
    case TCP_STATE_ESTABLISHED:
    case TCP_STATE_FIN_WAIT1:
    case TCP_STATE_FIN_WAIT2:
    case TCP_STATE_CLOSING:
    case TCP_STATE_CLOSE_WAIT:
        return FLOW_STATE_ESTABLISHED;
    case TCP_STATE_LAST_ACK:
    case TCP_STATE_TIME_WAIT:
    case TCP_STATE_CLOSED:
        return FLOW_STATE_CLOSED;
    default:
        return current;
    }
}

static void count_flags(uint8_t flags, struct flow_tcp_counters *c)
{
    if ((flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == TCP_FLAG_SYN)
        c->syn++;
    else if ((flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == (TCP_FLAG_SYN | TCP_FLAG_ACK))
        c->synack++;
    if (flags & TCP_FLAG_RST)
        c->rst++;
}

void flow_tcp_update(struct flow *f, const struct packet *p, bool to_server,
                     struct flow_tcp_counters *counters)
{
    uint8_t flags = p->tcp_flags;
    count_flags(flags, counters);
    enum tcp_state s = f->tcp_state;
    if (s == TCP_STATE_CLOSED)
        return;
    if (flags & TCP_FLAG_RST) {
        /* Suricata closes on a RST only once a session exists. */
        if (s != TCP_STATE_NONE)
            s = TCP_STATE_CLOSED;
    } else if (s < TCP_STATE_ESTABLISHED) {
        s = on_syn_side(s, flags, to_server);
    } else {
        s = on_close_side(s, flags, to_server);
    }
    if (f->tcp_state == TCP_STATE_NONE && s != TCP_STATE_NONE)
        counters->sessions++;
    f->tcp_state = s;
    f->state = flow_state_for(s, f->state);
}

bool flow_tcp_is_port_reuse(const struct flow *f, const struct packet *p, bool to_server)
{
    if ((p->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) != TCP_FLAG_SYN)
        return false;
    if (f->tcp_state == TCP_STATE_CLOSED || f->tcp_state == TCP_STATE_TIME_WAIT ||
        f->tcp_state == TCP_STATE_LAST_ACK)
        return true;
    /* A SYN from the former server side also starts a new session once the
     * old one got past its handshake. */
    return !to_server && f->tcp_state >= TCP_STATE_ESTABLISHED;
}

const char *flow_tcp_state_name(enum tcp_state state)
{
    static const char *const names[] = {
        [TCP_STATE_NONE] = "none",
        [TCP_STATE_SYN_SENT] = "syn_sent",
        [TCP_STATE_SYN_RECV] = "syn_recv",
        [TCP_STATE_ESTABLISHED] = "established",
        [TCP_STATE_FIN_WAIT1] = "fin_wait1",
        [TCP_STATE_FIN_WAIT2] = "fin_wait2",
        [TCP_STATE_TIME_WAIT] = "time_wait",
        [TCP_STATE_LAST_ACK] = "last_ack",
        [TCP_STATE_CLOSE_WAIT] = "close_wait",
        [TCP_STATE_CLOSING] = "closing",
        [TCP_STATE_CLOSED] = "closed",
    };
    return (unsigned)state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}
