/* Defrag counter names: Suricata's defrag.* names as the EVE stats schema
 * lists them, each bound to its field of struct defrag_stats. */
#include <stddef.h>

#include "decode/defrag.h"

#define FIELD(name, member) { name, offsetof(struct defrag_stats, member) }

const struct defrag_stats_field defrag_stats_fields[] = {
    FIELD("defrag.ipv4.fragments", ipv4_fragments),
    FIELD("defrag.ipv4.reassembled", ipv4_reassembled),
    FIELD("defrag.ipv4.timeouts", ipv4_timeouts),
    FIELD("defrag.ipv6.fragments", ipv6_fragments),
    FIELD("defrag.ipv6.reassembled", ipv6_reassembled),
    FIELD("defrag.ipv6.timeouts", ipv6_timeouts),
    FIELD("defrag.max_trackers_reached", max_trackers_reached),
    FIELD("defrag.max_frags_reached", max_frags_reached),
    FIELD("defrag.memuse", memuse),
    FIELD("defrag.mgr.tracker_timeout", mgr_tracker_timeout),
    FIELD("defrag.wrk.tracker_timeout", wrk_tracker_timeout),
};

const size_t defrag_stats_field_count =
    sizeof(defrag_stats_fields) / sizeof(defrag_stats_fields[0]);
