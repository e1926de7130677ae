/* The config loader's YAML tree: allocation, lookup and the override rule
 * (later keys win, maps merge) shared by include: files and --set. */
#include "runtime/config-node.h"

#include <stdlib.h>
#include <string.h>

const char *config_files_intern(struct config_files *files, const char *name)
{
    for (size_t i = 0; i < files->count; i++)
        if (strcmp(files->names[i], name) == 0)
            return files->names[i];
    if (files->count == files->capacity) {
        size_t capacity = files->capacity ? files->capacity * 2 : 4;
        char **names = realloc(files->names, capacity * sizeof(*names));
        if (names == NULL)
            return NULL;
        files->names = names;
        files->capacity = capacity;
    }
    char *copy = strdup(name);
    if (copy == NULL)
        return NULL;
    files->names[files->count++] = copy;
    return copy;
}

void config_files_free(struct config_files *files)
{
    for (size_t i = 0; i < files->count; i++)
        free(files->names[i]);
    free(files->names);
    *files = (struct config_files){0};
}

struct config_node *config_node_new(enum config_node_kind kind, const char *file,
                                    unsigned line)
{
    struct config_node *node = calloc(1, sizeof(*node));
    if (node == NULL)
        return NULL;
    node->kind = kind;
    node->file = file;
    node->line = line;
    return node;
}

void config_node_free(struct config_node *node)
{
    if (node == NULL)
        return;
    for (size_t i = 0; i < node->count; i++) {
        free(node->entries[i].key);
        config_node_free(node->entries[i].value);
    }
    free(node->entries);
    free(node->text);
    free(node);
}

int config_node_append(struct config_node *node, char *key, unsigned line,
                       struct config_node *value)
{
    if (node->count == node->capacity) {
        size_t capacity = node->capacity ? node->capacity * 2 : 8;
        struct config_entry *entries =
            realloc(node->entries, capacity * sizeof(*entries));
        if (entries == NULL) {
            free(key);
            config_node_free(value);
            return -1;
        }
        node->entries = entries;
        node->capacity = capacity;
    }
    node->entries[node->count++] =
        (struct config_entry){.key = key, .line = line, .value = value};
    return 0;
}

struct config_entry *config_node_find(const struct config_node *map, const char *key)
{
    if (map->kind != CONFIG_NODE_MAP)
        return NULL;
    for (size_t i = 0; i < map->count; i++)
        if (strcmp(map->entries[i].key, key) == 0)
            return &map->entries[i];
    return NULL;
}

int config_node_put(struct config_node *map, char *key, unsigned line,
                    struct config_node *value)
{
    struct config_entry *old = config_node_find(map, key);
    if (old == NULL)
        return config_node_append(map, key, line, value);
    free(key);
    if (old->value->kind == CONFIG_NODE_MAP && value->kind == CONFIG_NODE_MAP)
        return config_node_merge(old->value, value);
    config_node_free(old->value);
    old->value = value;
    old->line = line;
    return 0;
}

int config_node_merge(struct config_node *dst, struct config_node *src)
{
    int rc = 0;
    for (size_t i = 0; i < src->count; i++) {
        struct config_entry *entry = &src->entries[i];
        if (rc == 0)
            rc = config_node_put(dst, entry->key, entry->line, entry->value);
        else {
            free(entry->key);
            config_node_free(entry->value);
        }
    }
    src->count = 0;
    config_node_free(src);
    return rc;
}
