/* flow-timeouts: per-protocol new/established/closed/bypassed timeouts and
 * their emergency variants, Suricata's defaults, inheritance from default. */
#include <stdint.h>
#include <string.h>

#include "runtime/config-apply.h"

enum timeout_kind {
    TIMEOUT_NEW,
    TIMEOUT_ESTABLISHED,
    TIMEOUT_CLOSED,
    TIMEOUT_BYPASSED,
    TIMEOUT_EMERGENCY_NEW,
    TIMEOUT_EMERGENCY_ESTABLISHED,
    TIMEOUT_EMERGENCY_CLOSED,
    TIMEOUT_EMERGENCY_BYPASSED,
    TIMEOUT_KIND_COUNT
};

#define INHERIT (-1)

static const char *const kind_keys[TIMEOUT_KIND_COUNT] = {
    "new",           "established",           "closed",           "bypassed",
    "emergency-new", "emergency-established", "emergency-closed", "emergency-bypassed",
};

static const char *const proto_keys[FLOW_PROTO_COUNT] = {"default", "tcp", "udp", "icmp"};

/* Suricata's shipped flow-timeouts; udp and icmp leave closed to default. */
static const int64_t builtin[FLOW_PROTO_COUNT][TIMEOUT_KIND_COUNT] = {
    [FLOW_PROTO_DEFAULT] = {30, 300, 0, 100, 10, 100, 0, 50},
    [FLOW_PROTO_TCP] = {60, 600, 60, 100, 5, 100, 10, 50},
    [FLOW_PROTO_UDP] = {30, 300, INHERIT, 100, 10, 100, INHERIT, 50},
    [FLOW_PROTO_ICMP] = {30, 300, INHERIT, 100, 10, 100, INHERIT, 50},
};

static void resolve(int64_t table[FLOW_PROTO_COUNT][TIMEOUT_KIND_COUNT],
                    struct flow_timeout_set timeouts[FLOW_PROTO_COUNT])
{
    for (int p = 0; p < FLOW_PROTO_COUNT; p++) {
        uint32_t v[TIMEOUT_KIND_COUNT];
        for (int k = 0; k < TIMEOUT_KIND_COUNT; k++)
            v[k] = (uint32_t)(table[p][k] == INHERIT ? table[FLOW_PROTO_DEFAULT][k]
                                                      : table[p][k]);
        timeouts[p] = (struct flow_timeout_set){
            .new_timeout = v[TIMEOUT_NEW],
            .established_timeout = v[TIMEOUT_ESTABLISHED],
            .closed_timeout = v[TIMEOUT_CLOSED],
            .bypassed_timeout = v[TIMEOUT_BYPASSED],
            .emergency_new = v[TIMEOUT_EMERGENCY_NEW],
            .emergency_established = v[TIMEOUT_EMERGENCY_ESTABLISHED],
            .emergency_closed = v[TIMEOUT_EMERGENCY_CLOSED],
            .emergency_bypassed = v[TIMEOUT_EMERGENCY_BYPASSED],
        };
    }
}

void config_timeouts_defaults(struct flow_timeout_set timeouts[FLOW_PROTO_COUNT])
{
    int64_t table[FLOW_PROTO_COUNT][TIMEOUT_KIND_COUNT];
    memcpy(table, builtin, sizeof(table));
    resolve(table, timeouts);
}

static int find_key(const char *const *keys, int count, const char *key)
{
    for (int i = 0; i < count; i++)
        if (strcmp(keys[i], key) == 0)
            return i;
    return -1;
}

static int unknown_key(struct config_walk *walk, const struct config_entry *entry)
{
    size_t mark = config_path_push(&walk->path, entry->key);
    config_errorf(walk->err, entry->value->file, entry->line, walk->path.text,
                  "unknown key");
    config_path_pop(&walk->path, mark);
    return -1;
}

static int apply_proto(struct config_walk *walk, const struct config_node *node,
                       int64_t row[TIMEOUT_KIND_COUNT])
{
    if (config_expect_map(walk, node) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const struct config_entry *entry = &node->entries[i];
        int kind = find_key(kind_keys, TIMEOUT_KIND_COUNT, entry->key);
        if (kind < 0)
            return unknown_key(walk, entry);
        size_t mark = config_path_push(&walk->path, entry->key);
        uint32_t seconds = 0;
        int rc = config_get_u32(walk, entry->value, 0, UINT32_MAX, &seconds);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
        if (!entry->value->is_null)
            row[kind] = seconds;
    }
    return 0;
}

int config_apply_timeouts(struct config_walk *walk, const struct config_node *node,
                          struct vigil_config *cfg)
{
    int64_t table[FLOW_PROTO_COUNT][TIMEOUT_KIND_COUNT];
    memcpy(table, builtin, sizeof(table));
    if (config_expect_map(walk, node) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const struct config_entry *entry = &node->entries[i];
        int proto = find_key(proto_keys, FLOW_PROTO_COUNT, entry->key);
        if (proto < 0 && strcmp(entry->key, "sctp") == 0)
            continue; /* Suricata's, Vigil does not track SCTP flows apart */
        if (proto < 0)
            return unknown_key(walk, entry);
        /* A protocol written in the config starts from default, key by key;
         * default itself starts from the built-in values. */
        for (int k = 0; proto != FLOW_PROTO_DEFAULT && k < TIMEOUT_KIND_COUNT; k++)
            table[proto][k] = INHERIT;
        size_t mark = config_path_push(&walk->path, entry->key);
        int rc = apply_proto(walk, entry->value, table[proto]);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    resolve(table, cfg->timeouts);
    return 0;
}
