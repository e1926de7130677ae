/* Where ended flows go: one logger per thread that ends flows, each with
 * its own JSON buffer, all writing to the run's shared EVE writer. */
#ifndef VIGIL_RUNTIME_FLOW_OUTPUT_H
#define VIGIL_RUNTIME_FLOW_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"
#include "output/eve-writer.h"
#include "output/json-builder.h"

struct flow_logger {
    struct eve_writer *eve;   /* NULL: flow records are off */
    struct json_builder jb;
    /* Live capture: EVE in_iface of a flow is iface_names[flow->iface]. */
    const char *const *iface_names;
    unsigned iface_count;
};

/* Returns false when out of memory for the record buffer. */
bool flow_logger_init(struct flow_logger *l, struct eve_writer *eve);
void flow_logger_free(struct flow_logger *l);

/* Live capture: flows of packet iface i are logged with in_iface names[i]. */
void flow_logger_set_ifaces(struct flow_logger *l, const char *const *names, unsigned count);

/* A flow_end_fn: log_ctx is a struct flow_logger. */
void flow_logger_log(void *log_ctx, const struct flow *f, uint64_t now_us);

#endif
