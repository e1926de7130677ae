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

_Static_assert(sizeof(struct defrag_stats) % sizeof(uint64_t) == 0,
               "defrag_stats holds only uint64_t counters");

void defrag_stats_add(struct defrag_stats *sum, const struct defrag_stats *part)
{
    uint64_t *to = (uint64_t *)sum;
    const uint64_t *from = (const uint64_t *)part;
    for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
        to[i] += from[i];
}
