/* Where ended flows go: one logger per thread that ends flows, each with
 * its own JSON and batch buffers, all writing to the run's shared EVE writer. */
#ifndef VIGIL_RUNTIME_FLOW_OUTPUT_H
#define VIGIL_RUNTIME_FLOW_OUTPUT_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"
#include "output/eve-writer.h"
#include "output/json-builder.h"

/* A thread's records wait here until the end of its batch of ended flows
 * (or until this fills): one writer lock per batch, not per record. Well
 * under the writer's own buffer, so a batch is never written past it. */
#define FLOW_LOGGER_BATCH_BYTES (64u * 1024u)

struct flow_logger {
    struct eve_writer *eve;   /* NULL: flow records are off */
    struct json_builder jb;
    char *batch;              /* FLOW_LOGGER_BATCH_BYTES */
    size_t batch_len;
    uint64_t batch_records;
    /* Live capture: EVE in_iface of a flow is iface_names[flow->iface]. */
    const char *const *iface_names;
    unsigned iface_count;
};

/* Returns false when out of memory for the buffers. */
bool flow_logger_init(struct flow_logger *l, struct eve_writer *eve);
void flow_logger_free(struct flow_logger *l);

/* Live capture: flows of packet iface i are logged with in_iface names[i]. */
void flow_logger_set_ifaces(struct flow_logger *l, const char *const *names, unsigned count);

/* A flow_end_fn: log_ctx is a struct flow_logger. */
void flow_logger_log(void *log_ctx, const struct flow *f, uint64_t now_us);
/* A flow_end_flush_fn: the gathered records go to the writer. */
void flow_logger_flush(void *log_ctx);

#endif
