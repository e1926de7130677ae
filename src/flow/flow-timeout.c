/* Converts the configured timeouts to microseconds once, so the per-flow
 * check is a table lookup and one compare. */
#include "flow/flow-timeout.h"

#include <netinet/in.h>

#define USEC_PER_SEC 1000000ULL

void flow_timeouts_from_config(struct flow_timeouts *t, const struct flow_timeout_set sets[FLOW_PROTO_COUNT])
{
    for (int cls = 0; cls < FLOW_PROTO_COUNT; cls++) {
        const struct flow_timeout_set *s = &sets[cls];
        t->normal_us[cls][FLOW_STATE_NEW] = s->new_timeout * USEC_PER_SEC;
        t->normal_us[cls][FLOW_STATE_ESTABLISHED] = s->established_timeout * USEC_PER_SEC;
        t->normal_us[cls][FLOW_STATE_CLOSED] = s->closed_timeout * USEC_PER_SEC;
        t->emergency_us[cls][FLOW_STATE_NEW] = s->emergency_new * USEC_PER_SEC;
        t->emergency_us[cls][FLOW_STATE_ESTABLISHED] = s->emergency_established * USEC_PER_SEC;
        t->emergency_us[cls][FLOW_STATE_CLOSED] = s->emergency_closed * USEC_PER_SEC;
    }
}

enum flow_proto flow_proto_class(uint8_t ip_proto)
{
    switch (ip_proto) {
    case IPPROTO_TCP:
        return FLOW_PROTO_TCP;
    case IPPROTO_UDP:
        return FLOW_PROTO_UDP;
    case IPPROTO_ICMP:
    case IPPROTO_ICMPV6:
        return FLOW_PROTO_ICMP;
    default:
        return FLOW_PROTO_DEFAULT;
    }
}
