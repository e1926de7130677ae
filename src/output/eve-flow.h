/* The EVE "flow" record: one line per ended flow, in Suricata's field layout
 * and key order (see doc/eve.md for every field). */
#ifndef VIGIL_OUTPUT_EVE_FLOW_H
#define VIGIL_OUTPUT_EVE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"
#include "output/eve-writer.h"
#include "output/json-builder.h"

/* Resets jb and builds f's record into it. now_us is the engine time the
 * record is written at (EVE "timestamp"), as Suricata does; in_iface is the
 * capture interface's name (live capture), NULL to leave it out. */
void eve_flow_build(struct json_builder *jb, const struct flow *f, const char *in_iface,
                    uint64_t now_us);

/* Builds the record into jb (the caller's per-thread scratch) and appends it
 * to w. Returns false if the record could not be built or written. */
bool eve_flow_log(struct eve_writer *w, struct json_builder *jb, const struct flow *f,
                  const char *in_iface, uint64_t now_us);

#endif
