/* decoder: which UDP tunnels (VXLAN, Geneve, Teredo) are decoded and on
 * which port; ports may be a number, "[4789]", {dp: ...} or $PORT_VAR. */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/config-apply.h"

#define DEC(member) offsetof(struct vigil_config, decoder.member)

static const struct {
    const char *key;
    size_t enabled, port;
} tunnels[] = {
    {"vxlan", DEC(vxlan_enabled), DEC(vxlan_port)},
    {"geneve", DEC(geneve_enabled), DEC(geneve_port)},
    {"teredo", DEC(teredo_enabled), DEC(teredo_port)},
};

static const char *port_var(const struct vigil_config *cfg, const char *name)
{
    for (size_t i = 0; i < cfg->port_group_count; i++)
        if (strcmp(cfg->port_groups[i].name, name) == 0)
            return cfg->port_groups[i].value;
    return NULL;
}

/* The first port of "4789", "[4789, 8472]" or "4789,8472"; 0 if none. */
static unsigned long first_port(const char *text)
{
    while (*text == '[' || *text == ' ')
        text++;
    if (*text < '0' || *text > '9')
        return 0;
    char *end;
    unsigned long port = strtoul(text, &end, 10);
    while (*end == ' ')
        end++;
    if (*end != '\0' && *end != ',' && *end != ']')
        return 0;
    return port <= 65535 ? port : 0;
}

static int apply_port(struct config_walk *walk, const struct config_node *node,
                      const struct vigil_config *cfg, uint16_t *port)
{
    if (node->kind == CONFIG_NODE_MAP) {
        const struct config_entry *dp = config_node_find(node, "dp");
        if (dp == NULL)
            return config_walk_fail(walk, node, "expected a port or a mapping with dp:");
        node = dp->value;
    }
    if (node->kind != CONFIG_NODE_SCALAR)
        return config_walk_fail(walk, node, "expected a port");
    if (node->is_null)
        return 0;
    const char *text = node->text;
    if (text[0] == '$') {
        text = port_var(cfg, node->text + 1);
        if (text == NULL)
            return config_walk_fail(walk, node, "%s is not a vars.port-groups variable",
                                    node->text);
    }
    unsigned long value = first_port(text);
    if (value == 0)
        return config_walk_fail(walk, node, "\"%s\" is not a port (1..65535)", text);
    *port = (uint16_t)value;
    return 0;
}

static int apply_tunnel(struct config_walk *walk, const struct config_node *node,
                        struct vigil_config *cfg, size_t enabled, size_t port)
{
    if (config_expect_map(walk, node) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const struct config_entry *entry = &node->entries[i];
        size_t mark = config_path_push(&walk->path, entry->key);
        int rc = 0;
        if (strcmp(entry->key, "enabled") == 0)
            rc = config_get_bool(walk, entry->value, (bool *)((char *)cfg + enabled));
        else if (strcmp(entry->key, "ports") == 0)
            rc = apply_port(walk, entry->value, cfg, (uint16_t *)((char *)cfg + port));
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int config_apply_decoder(struct config_walk *walk, const struct config_node *node,
                         struct vigil_config *cfg)
{
    if (config_expect_map(walk, node) != 0)
        return -1;
    for (size_t i = 0; i < sizeof(tunnels) / sizeof(tunnels[0]); i++) {
        const struct config_entry *entry = config_node_find(node, tunnels[i].key);
        if (entry == NULL)
            continue;
        size_t mark = config_path_push(&walk->path, entry->key);
        int rc = apply_tunnel(walk, entry->value, cfg, tunnels[i].enabled, tunnels[i].port);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}
