/* Typing the merged config tree into struct vigil_config: one entry point,
 * with the larger sections (outputs, flow-timeouts) in their own files. */
#ifndef VIGIL_RUNTIME_CONFIG_APPLY_H
#define VIGIL_RUNTIME_CONFIG_APPLY_H

#include "runtime/config-node.h"
#include "runtime/config-value.h"
#include "runtime/config.h"

/* Fills cfg (already holding defaults) from root; -1 with err set. */
int config_apply(struct vigil_config *cfg, const struct config_node *root,
                 struct config_error *err);

/* outputs: a list of one-key maps; only eve-log is typed. */
int config_apply_outputs(struct config_walk *walk, const struct config_node *node,
                         struct vigil_config *cfg);

/* flow-timeouts: default/tcp/udp/icmp; a protocol omitting a key inherits
 * it from default. */
int config_apply_timeouts(struct config_walk *walk, const struct config_node *node,
                          struct vigil_config *cfg);
void config_timeouts_defaults(struct flow_timeout_set timeouts[FLOW_PROTO_COUNT]);

/* decoder: teredo/vxlan/geneve enabled and port. */
int config_apply_decoder(struct config_walk *walk, const struct config_node *node,
                         struct vigil_config *cfg);

/* dpdk: eal-params as EAL arguments and the interfaces list, each entry
 * completed from "interface: default", then Suricata's defaults. */
int config_apply_dpdk(struct config_walk *walk, const struct config_node *node,
                      struct vigil_config *cfg);
void config_dpdk_free(struct vigil_dpdk_config *dpdk);

/* threading: set-cpu-affinity and the cpu-affinity sets, defaults already
 * in cfg (config_set_defaults). */
int config_apply_affinity(struct config_walk *walk, const struct config_node *threading,
                          struct vigil_config *cfg);

/* Applies one "dotted.key=value" of --set to root; -1 with err set. */
int config_set_apply(struct config_node *root, const char *set_file,
                     const char *assignment, struct config_error *err);

#endif
