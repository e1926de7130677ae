/* Flow counters of one thread, Suricata's names in flow_stats_fields[];
 * written only by the owning thread, summed by whoever reports them. */
#ifndef VIGIL_FLOW_FLOW_STATS_H
#define VIGIL_FLOW_FLOW_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flow-tcp.h"

struct flow_stats {
    uint64_t total, tcp, udp, icmpv4, icmpv6, sctp, other;
    uint64_t tcp_reuse;
    uint64_t get_used, get_used_eval, get_used_eval_busy, get_used_eval_reject, get_used_failed;
    uint64_t memcap_refused;          /* flow.memcap: no flow could be had */
    uint64_t emerg_mode_entered, emerg_mode_over;
    uint64_t emergency_refused;       /* non-SYN TCP refused a flow in emergency mode */
    uint64_t spare_sync, spare_sync_got, spare_sync_empty, spare_sync_incomplete;
    uint64_t wrk_flows_evicted;       /* timed-out flows a lookup unlinked on its way */
    uint64_t mgr_passes, mgr_full_hash_pass, mgr_rows_checked, mgr_rows_skipped, mgr_rows_maxlen;
    uint64_t mgr_flows_checked, mgr_flows_notimeout, mgr_flows_timeout, mgr_flows_evicted;
    uint64_t recycled, recycler_queue_sum, recycler_queue_samples, recycler_queue_max;
    /* Averages the owning thread derives before publishing (flow_stats_derive). */
    uint64_t spare_sync_avg, recycler_queue_avg, mgr_rows_per_sec;
    uint64_t flows_timeout;           /* ended by timeout */
    uint64_t flows_forced;            /* reused by force (emergency) */
    uint64_t flows_shutdown;
    uint64_t end_state_new, end_state_established, end_state_closed;
    uint64_t end_tcp_state[TCP_STATE_CLOSED + 1];
    uint64_t icmp_error_attached, icmp_error_unmatched;
    struct flow_tcp_counters tcp_counters;
};

struct flow_stats_field {
    const char *name;
    size_t offset;
};
extern const struct flow_stats_field flow_stats_fields[];
extern const size_t flow_stats_field_count;

void flow_stats_add(struct flow_stats *sum, const struct flow_stats *part);
/* Fills the averages from their sums; called before publishing. A pass
 * covers one second (of packet time offline), so rows per pass is rows
 * per second. */
void flow_stats_derive(struct flow_stats *st);

/* Counters that combine across threads by maximum rather than sum. */
bool flow_stats_is_max(const char *name);

#endif
