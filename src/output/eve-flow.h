/* The EVE "flow" record: one line per ended flow, in Suricata's field layout
 * and key order (see doc/eve.md for every field). */
#ifndef VIGIL_OUTPUT_EVE_FLOW_H
#define VIGIL_OUTPUT_EVE_FLOW_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow.h"
#include "output/json-builder.h"

/* Resets jb and builds f's record into it. now_us is the engine time the
 * record is written at (EVE "timestamp"), as Suricata does; in_iface is the
 * capture interface's name (live capture), NULL to leave it out. */
void eve_flow_build(struct json_builder *jb, const struct flow *f, const char *in_iface,
                    uint64_t now_us);

#endif
