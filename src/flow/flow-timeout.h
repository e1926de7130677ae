/* Flow timeouts by protocol class and flow state (flow-timeouts in YAML),
 * normal and emergency, compared against packet time or the clock. */
#ifndef VIGIL_FLOW_FLOW_TIMEOUT_H
#define VIGIL_FLOW_FLOW_TIMEOUT_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"
#include "runtime/config.h"

struct flow_timeouts {
    /* [protocol class][flow state], microseconds */
    uint64_t normal_us[FLOW_PROTO_COUNT][3];
    uint64_t emergency_us[FLOW_PROTO_COUNT][3];
};

void flow_timeouts_from_config(struct flow_timeouts *t, const struct flow_timeout_set sets[FLOW_PROTO_COUNT]);

enum flow_proto flow_proto_class(uint8_t ip_proto);

/* When f times out in normal mode if no packet changes its state: what a
 * bucket's timeout hint is built from (flow/flow-table.h). */
static inline uint64_t flow_normal_timeout_at(const struct flow_timeouts *t, const struct flow *f)
{
    return f->last_us + t->normal_us[flow_proto_class(f->key.proto)][f->state];
}

/* True once the flow has been idle for its timeout: now >= last + timeout. */
static inline bool flow_timed_out(const struct flow_timeouts *t, const struct flow *f,
                                  uint64_t now_us, bool emergency)
{
    enum flow_proto cls = flow_proto_class(f->key.proto);
    uint64_t timeout = emergency ? t->emergency_us[cls][f->state] : t->normal_us[cls][f->state];
    return now_us >= f->last_us + timeout;
}

#endif
