/* conf-get: a value of the loaded configuration by dotted path into the
 * YAML tree (sequence items by index), a scalar as its text, a section as
 * JSON. */
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl-command.h"
#include "runtime/config-node.h"
#include "runtime/config.h"

static json_t *node_to_json(const struct config_node *node)
{
    switch (node->kind) {
    case CONFIG_NODE_SCALAR:
        return node->is_null ? json_null() : json_string(node->text);
    case CONFIG_NODE_MAP: {
        json_t *object = json_object();
        for (size_t i = 0; i < node->count; i++)
            json_object_set_new(object, node->entries[i].key,
                                node_to_json(node->entries[i].value));
        return object;
    }
    case CONFIG_NODE_SEQ: {
        json_t *array = json_array();
        for (size_t i = 0; i < node->count; i++)
            json_array_append_new(array, node_to_json(node->entries[i].value));
        return array;
    }
    }
    return json_null();
}

static const struct config_node *child(const struct config_node *node, const char *key)
{
    if (node->kind == CONFIG_NODE_MAP) {
        const struct config_entry *entry = config_node_find(node, key);
        return entry ? entry->value : NULL;
    }
    if (node->kind != CONFIG_NODE_SEQ || key[0] < '0' || key[0] > '9')
        return NULL;
    char *end;
    unsigned long index = strtoul(key, &end, 10);
    return *end == '\0' && index < node->count ? node->entries[index].value : NULL;
}

/* The node at a dotted path, or NULL. */
static const struct config_node *lookup(const struct config_node *root, const char *path)
{
    char *copy = strdup(path);
    if (copy == NULL)
        return NULL;
    const struct config_node *node = root;
    char *save = NULL;
    for (char *key = strtok_r(copy, ".", &save); node != NULL && key != NULL;
         key = strtok_r(NULL, ".", &save))
        node = child(node, key);
    free(copy);
    return node;
}

bool ctl_cmd_conf_get(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    json_t *variable = json_object_get(args, "variable");
    if (!json_is_string(variable))
        return ctl_reply_error(reply, "variable is not a string");
    const char *path = json_string_value(variable);
    const struct config_node *node =
        ctx->cfg && ctx->cfg->tree && path[0] != '\0' ? lookup(ctx->cfg->tree, path) : NULL;
    if (node == NULL)
        return ctl_reply_error(reply, "Unable to get value");
    return ctl_reply_ok(reply, node_to_json(node));
}
