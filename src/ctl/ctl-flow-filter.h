/* The flow-list filter: which live flows a client asked for, parsed from
 * the command's arguments with a reason for every bad one. */
#ifndef VIGIL_CTL_CTL_FLOW_FILTER_H
#define VIGIL_CTL_CTL_FLOW_FILTER_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"

#define CTL_FLOW_LIST_DEFAULT 100
#define CTL_FLOW_LIST_MAX 10000

struct ctl_flow_filter {
    bool has_src, has_dst, has_sp, has_dp, has_proto;
    union vigil_addr src, dst;   /* as the flow key holds them */
    uint8_t src_version, dst_version;
    uint16_t sp, dp;
    uint8_t proto;
    size_t limit;                /* 1..CTL_FLOW_LIST_MAX */
};

/* Parses args (an object, or NULL for no filter). Returns false with the
 * reason in err. */
bool ctl_flow_filter_parse(json_t *args, struct ctl_flow_filter *filter, char *err,
                           size_t errlen);

/* True when the flow's key matches (src/dest as in its EVE record). */
bool ctl_flow_filter_match(const struct ctl_flow_filter *filter, const struct flow_key *key);

#endif
