/* The top level of vigil.yaml: which sections Vigil types, their keys and
 * ranges; unknown top-level sections (other Suricata settings) are ignored. */
#include "runtime/config-apply.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#define CFG(member) offsetof(struct vigil_config, member)
#define IGNORED(key) {key, CONFIG_FIELD_IGNORED, 0, 0, 0}
#define END {NULL, CONFIG_FIELD_IGNORED, 0, 0, 0}

static const struct config_field flow_fields[] = {
    {"memcap", CONFIG_FIELD_SIZE, CFG(flow.memcap), 0, 0},
    {"hash-size", CONFIG_FIELD_U32, CFG(flow.hash_size), 1, UINT32_MAX},
    {"prealloc", CONFIG_FIELD_U32, CFG(flow.prealloc), 0, UINT32_MAX},
    {"emergency-recovery", CONFIG_FIELD_U32, CFG(flow.emergency_recovery), 1, 100},
    {"managers", CONFIG_FIELD_U32, CFG(flow.managers), 1, 1024},
    {"recyclers", CONFIG_FIELD_U32, CFG(flow.recyclers), 1, 1024},
    IGNORED("memcap-policy"),
    END,
};

static const struct config_field defrag_fields[] = {
    {"memcap", CONFIG_FIELD_SIZE, CFG(defrag.memcap), 0, 0},
    {"hash-size", CONFIG_FIELD_U32, CFG(defrag.hash_size), 1, UINT32_MAX},
    {"trackers", CONFIG_FIELD_U32, CFG(defrag.trackers), 1, UINT32_MAX},
    {"max-frags", CONFIG_FIELD_U32, CFG(defrag.max_frags), 1, UINT32_MAX},
    {"prealloc", CONFIG_FIELD_BOOL, CFG(defrag.prealloc), 0, 0},
    {"timeout", CONFIG_FIELD_U32, CFG(defrag.timeout), 1, 65535},
    IGNORED("memcap-policy"),
    IGNORED("host-config"),
    END,
};

static const struct config_field stats_fields[] = {
    {"enabled", CONFIG_FIELD_BOOL, CFG(stats.enabled), 0, 0},
    {"interval", CONFIG_FIELD_U32, CFG(stats.interval), 1, 86400},
    IGNORED("decoder-events"),
    IGNORED("decoder-events-prefix"),
    IGNORED("stream-events"),
    IGNORED("exception-policy"),
    END,
};

static const struct config_field vlan_fields[] = {
    {"use-for-tracking", CONFIG_FIELD_BOOL, CFG(vlan_use_for_tracking), 0, 0},
    END,
};

static int apply_strict(struct config_walk *walk, const struct config_node *node,
                        struct vigil_config *cfg, const struct config_field *fields)
{
    return config_walk_fields(walk, node, cfg, fields, NULL);
}

static int apply_flow(struct config_walk *walk, const struct config_node *node,
                      struct vigil_config *cfg)
{
    return apply_strict(walk, node, cfg, flow_fields);
}

static int apply_defrag(struct config_walk *walk, const struct config_node *node,
                        struct vigil_config *cfg)
{
    return apply_strict(walk, node, cfg, defrag_fields);
}

static int apply_stats(struct config_walk *walk, const struct config_node *node,
                       struct vigil_config *cfg)
{
    return apply_strict(walk, node, cfg, stats_fields);
}

static int apply_vlan(struct config_walk *walk, const struct config_node *node,
                      struct vigil_config *cfg)
{
    return apply_strict(walk, node, cfg, vlan_fields);
}

static int apply_runmode(struct config_walk *walk, const struct config_node *node,
                         struct vigil_config *cfg)
{
    static const char *const runmodes[] = {"single", "autofp", "workers"};
    char *runmode = NULL;
    if (config_get_string(walk, node, &runmode) != 0)
        return -1;
    if (runmode == NULL)
        return 0;
    for (size_t i = 0; i < sizeof(runmodes) / sizeof(runmodes[0]); i++) {
        if (strcmp(runmode, runmodes[i]) == 0) {
            free(cfg->runmode);
            cfg->runmode = runmode;
            return 0;
        }
    }
    free(runmode);
    return config_walk_fail(walk, node,
                            "\"%s\" is not a runmode (single, autofp or workers)",
                            node->text);
}

static int apply_flow_workers(struct config_walk *walk, const struct config_node *node,
                              struct vigil_config *cfg)
{
    if (node->kind == CONFIG_NODE_SCALAR && !node->is_null &&
        strcmp(node->text, "auto") != 0) {
        uint32_t workers;
        struct config_error quiet;
        struct config_walk probe = {.path = walk->path, .err = &quiet};
        if (config_get_u32(&probe, node, 1, 1024, &workers) != 0)
            return config_walk_fail(walk, node,
                                    "\"%s\" is not auto or a number of workers (1..1024)",
                                    node->text);
    }
    return config_get_string(walk, node, &cfg->threading.flow_workers);
}

/* threading: flow-workers is Vigil's, the CPU sets Suricata's; other
 * Suricata keys (detect-thread-ratio, stack-size) are ignored. */
static int apply_threading(struct config_walk *walk, const struct config_node *node,
                           struct vigil_config *cfg)
{
    if (config_expect_map(walk, node) != 0 || config_apply_affinity(walk, node, cfg) != 0)
        return -1;
    const struct config_entry *entry = config_node_find(node, "flow-workers");
    if (entry == NULL)
        return 0;
    size_t mark = config_path_push(&walk->path, entry->key);
    int rc = apply_flow_workers(walk, entry->value, cfg);
    config_path_pop(&walk->path, mark);
    return rc;
}

static int apply_var_group(struct config_walk *walk, const struct config_node *node,
                           struct config_var **vars, size_t *count)
{
    if (config_expect_map(walk, node) != 0)
        return -1;
    if (node->count == 0)
        return 0;
    *vars = calloc(node->count, sizeof(**vars));
    if (*vars == NULL)
        return config_walk_fail(walk, node, "out of memory");
    for (size_t i = 0; i < node->count; i++) {
        const struct config_entry *entry = &node->entries[i];
        size_t mark = config_path_push(&walk->path, entry->key);
        struct config_var *var = &(*vars)[*count];
        int rc = 0;
        if (entry->value->kind != CONFIG_NODE_SCALAR)
            rc = config_walk_fail(walk, entry->value, "expected a single value");
        else if ((var->name = strdup(entry->key)) == NULL ||
                 (var->value = strdup(entry->value->text)) == NULL)
            rc = config_walk_fail(walk, entry->value, "out of memory");
        if (var->name != NULL)
            (*count)++;
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* vars: address-groups and port-groups, kept as written for rules. */
static int apply_vars(struct config_walk *walk, const struct config_node *node,
                      struct vigil_config *cfg)
{
    if (config_expect_map(walk, node) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const struct config_entry *entry = &node->entries[i];
        size_t mark = config_path_push(&walk->path, entry->key);
        int rc = 0;
        if (strcmp(entry->key, "address-groups") == 0)
            rc = apply_var_group(walk, entry->value, &cfg->address_groups,
                                 &cfg->address_group_count);
        else if (strcmp(entry->key, "port-groups") == 0)
            rc = apply_var_group(walk, entry->value, &cfg->port_groups,
                                 &cfg->port_group_count);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int apply_log_dir(struct config_walk *walk, const struct config_node *node,
                         struct vigil_config *cfg)
{
    return config_get_string(walk, node, &cfg->default_log_dir);
}

static int apply_max_pending(struct config_walk *walk, const struct config_node *node,
                             struct vigil_config *cfg)
{
    return config_get_u32(walk, node, 1, 65535, &cfg->max_pending_packets);
}

static int apply_rundir(struct config_walk *walk, const struct config_node *node,
                        struct vigil_config *cfg)
{
    return config_get_string(walk, node, &cfg->default_rundir);
}

static int apply_unix_command_mode(struct config_walk *walk, const struct config_node *node,
                                   struct vigil_config *cfg)
{
    if (node->kind != CONFIG_NODE_SCALAR)
        return config_walk_fail(walk, node, "expected auto, yes or no");
    if (node->is_null)
        return 0;
    if (strcmp(node->text, "auto") == 0) {
        cfg->unix_command.enabled = VIGIL_UNIX_COMMAND_AUTO;
        return 0;
    }
    bool on;
    struct config_error quiet;
    struct config_walk probe = {.path = walk->path, .err = &quiet};
    if (config_get_bool(&probe, node, &on) != 0)
        return config_walk_fail(walk, node, "\"%s\" is not auto, yes or no", node->text);
    cfg->unix_command.enabled = on ? VIGIL_UNIX_COMMAND_YES : VIGIL_UNIX_COMMAND_NO;
    return 0;
}

/* unix-command: Suricata's keys; enabled takes auto besides a boolean. */
static int apply_unix_command(struct config_walk *walk, const struct config_node *node,
                              struct vigil_config *cfg)
{
    static const struct config_field fields[] = {
        {"filename", CONFIG_FIELD_STRING, CFG(unix_command.filename), 0, 0},
        END,
    };
    static const char *const skip[] = {"enabled", NULL};
    if (config_walk_fields(walk, node, cfg, fields, skip) != 0)
        return -1;
    const struct config_entry *entry = config_node_find(node, "enabled");
    if (entry == NULL)
        return 0;
    size_t mark = config_path_push(&walk->path, entry->key);
    int rc = apply_unix_command_mode(walk, entry->value, cfg);
    config_path_pop(&walk->path, mark);
    return rc;
}

typedef int (*section_apply_fn)(struct config_walk *walk, const struct config_node *node,
                                struct vigil_config *cfg);

/* vars comes first: decoder ports may name a port-groups variable. */
static const struct {
    const char *key;
    section_apply_fn apply;
} sections[] = {
    {"vars", apply_vars},
    {"default-log-dir", apply_log_dir},
    {"max-pending-packets", apply_max_pending},
    {"runmode", apply_runmode},
    {"outputs", config_apply_outputs},
    {"flow", apply_flow},
    {"flow-timeouts", config_apply_timeouts},
    {"vlan", apply_vlan},
    {"decoder", config_apply_decoder},
    {"defrag", apply_defrag},
    {"stats", apply_stats},
    {"threading", apply_threading},
    {"dpdk", config_apply_dpdk},
    {"default-rundir", apply_rundir},
    {"unix-command", apply_unix_command},
};

int config_apply(struct vigil_config *cfg, const struct config_node *root,
                 struct config_error *err)
{
    struct config_walk walk = {.err = err};
    for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
        const struct config_entry *entry = config_node_find(root, sections[i].key);
        if (entry == NULL)
            continue;
        size_t mark = config_path_push(&walk.path, entry->key);
        int rc = sections[i].apply(&walk, entry->value, cfg);
        config_path_pop(&walk.path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}
