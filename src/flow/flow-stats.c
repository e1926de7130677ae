/* Names of the flow counters as Suricata reports them, and their sum
 * across threads. */
#include "flow/flow-stats.h"

#include <stddef.h>
#include <string.h>

#define FIELD(n, f) { n, offsetof(struct flow_stats, f) }

const struct flow_stats_field flow_stats_fields[] = {
    FIELD("flow.total", total),
    FIELD("flow.tcp", tcp),
    FIELD("flow.udp", udp),
    FIELD("flow.icmpv4", icmpv4),
    FIELD("flow.icmpv6", icmpv6),
    FIELD("flow.tcp_reuse", tcp_reuse),
    FIELD("flow.get_used", get_used),
    FIELD("flow.get_used_eval", get_used_eval),
    FIELD("flow.get_used_eval_busy", get_used_eval_busy),
    FIELD("flow.get_used_eval_reject", get_used_eval_reject),
    FIELD("flow.get_used_failed", get_used_failed),
    FIELD("flow.memcap", memcap_refused),
    FIELD("flow.emerg_mode_entered", emerg_mode_entered),
    FIELD("flow.emerg_mode_over", emerg_mode_over),
    FIELD("flow.wrk.spare_sync", spare_sync),
    FIELD("flow.wrk.spare_sync_avg", spare_sync_avg),
    FIELD("flow.wrk.spare_sync_empty", spare_sync_empty),
    FIELD("flow.wrk.spare_sync_incomplete", spare_sync_incomplete),
    FIELD("flow.wrk.flows_evicted", wrk_flows_evicted),
    FIELD("flow.mgr.full_hash_pass", mgr_full_hash_pass),
    FIELD("flow.mgr.rows_per_sec", mgr_rows_per_sec),
    FIELD("flow.mgr.rows_maxlen", mgr_rows_maxlen),
    FIELD("flow.mgr.flows_checked", mgr_flows_checked),
    FIELD("flow.mgr.flows_notimeout", mgr_flows_notimeout),
    FIELD("flow.mgr.flows_timeout", mgr_flows_timeout),
    FIELD("flow.mgr.flows_evicted", mgr_flows_evicted),
    /* Vigil's own (stats.log only: the EVE schema has no place for them). */
    FIELD("flow.mgr.rows_skipped", mgr_rows_skipped),
    FIELD("flow.icmp_error.attached", icmp_error_attached),
    FIELD("flow.icmp_error.unmatched", icmp_error_unmatched),
    FIELD("flow.recycler.recycled", recycled),
    FIELD("flow.recycler.queue_avg", recycler_queue_avg),
    FIELD("flow.recycler.queue_max", recycler_queue_max),
    FIELD("flow.end.state.new", end_state_new),
    FIELD("flow.end.state.established", end_state_established),
    FIELD("flow.end.state.closed", end_state_closed),
    FIELD("flow.end.tcp_state.none", end_tcp_state[TCP_STATE_NONE]),
    FIELD("flow.end.tcp_state.syn_sent", end_tcp_state[TCP_STATE_SYN_SENT]),
    FIELD("flow.end.tcp_state.syn_recv", end_tcp_state[TCP_STATE_SYN_RECV]),
    FIELD("flow.end.tcp_state.established", end_tcp_state[TCP_STATE_ESTABLISHED]),
    FIELD("flow.end.tcp_state.fin_wait1", end_tcp_state[TCP_STATE_FIN_WAIT1]),
    FIELD("flow.end.tcp_state.fin_wait2", end_tcp_state[TCP_STATE_FIN_WAIT2]),
    FIELD("flow.end.tcp_state.time_wait", end_tcp_state[TCP_STATE_TIME_WAIT]),
    FIELD("flow.end.tcp_state.last_ack", end_tcp_state[TCP_STATE_LAST_ACK]),
    FIELD("flow.end.tcp_state.close_wait", end_tcp_state[TCP_STATE_CLOSE_WAIT]),
    FIELD("flow.end.tcp_state.closing", end_tcp_state[TCP_STATE_CLOSING]),
    FIELD("flow.end.tcp_state.closed", end_tcp_state[TCP_STATE_CLOSED]),
    FIELD("tcp.sessions", tcp_counters.sessions),
    FIELD("tcp.syn", tcp_counters.syn),
    FIELD("tcp.synack", tcp_counters.synack),
    FIELD("tcp.rst", tcp_counters.rst),
};
const size_t flow_stats_field_count = sizeof(flow_stats_fields) / sizeof(flow_stats_fields[0]);

/* Maxima merge by max; everything else adds up. */
void flow_stats_add(struct flow_stats *sum, const struct flow_stats *part)
{
    uint64_t maxlen = sum->mgr_rows_maxlen > part->mgr_rows_maxlen ? sum->mgr_rows_maxlen
                                                                   : part->mgr_rows_maxlen;
    uint64_t qmax = sum->recycler_queue_max > part->recycler_queue_max ? sum->recycler_queue_max
                                                                       : part->recycler_queue_max;
    /* Averages are not summed: the summary derives its own from the sums. */
    uint64_t *dst = (uint64_t *)sum;
    const uint64_t *src = (const uint64_t *)part;
    for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
        dst[i] += src[i];
    sum->mgr_rows_maxlen = maxlen;
    sum->recycler_queue_max = qmax;
    flow_stats_derive(sum);
}

void flow_stats_derive(struct flow_stats *st)
{
    st->spare_sync_avg = st->spare_sync ? st->spare_sync_got / st->spare_sync : 0;
    st->recycler_queue_avg =
        st->recycler_queue_samples ? st->recycler_queue_sum / st->recycler_queue_samples : 0;
    st->mgr_rows_per_sec = st->mgr_passes ? st->mgr_rows_checked / st->mgr_passes : 0;
}

bool flow_stats_is_max(const char *name)
{
    static const char *const maxima[] = {
        "flow.mgr.rows_maxlen", "flow.recycler.queue_max", "flow.wrk.spare_sync_avg",
        "flow.recycler.queue_avg", "flow.mgr.rows_per_sec",
    };
    for (size_t i = 0; i < sizeof(maxima) / sizeof(maxima[0]); i++)
        if (strcmp(name, maxima[i]) == 0)
            return true;
    return false;
}
