/* The YAML tree the config loader builds before typing it: scalars, maps and
 * sequences that remember the file and 1-based line they came from. */
#ifndef VIGIL_RUNTIME_CONFIG_NODE_H
#define VIGIL_RUNTIME_CONFIG_NODE_H

#include <stdbool.h>
#include <stddef.h>

enum config_node_kind {
    CONFIG_NODE_SCALAR,
    CONFIG_NODE_MAP,
    CONFIG_NODE_SEQ,
};

struct config_node;

struct config_entry {
    char *key;                 /* NULL for a sequence item */
    unsigned line;             /* line of the key (or of the item) */
    struct config_node *value;
};

struct config_node {
    enum config_node_kind kind;
    const char *file;          /* interned in a config_files list */
    unsigned line;             /* 0 for values given with --set */
    bool is_null;              /* plain empty, "~" or "null" scalar */
    char *text;                /* scalar text */
    struct config_entry *entries;
    size_t count, capacity;
};

/* Owns every file name the nodes of one load point at. */
struct config_files {
    char **names;
    size_t count, capacity;
};

/* Returns a stable copy of name owned by files, or NULL when out of memory. */
const char *config_files_intern(struct config_files *files, const char *name);
void config_files_free(struct config_files *files);

struct config_node *config_node_new(enum config_node_kind kind, const char *file,
                                    unsigned line);
void config_node_free(struct config_node *node);

/* Adds an entry; takes key and value even when it fails (out of memory). */
int config_node_append(struct config_node *node, char *key, unsigned line,
                       struct config_node *value);

struct config_entry *config_node_find(const struct config_node *map, const char *key);

/* Sets key in map the way a later YAML key overrides an earlier one: two maps
 * merge key by key, anything else is replaced. Takes key and value. */
int config_node_put(struct config_node *map, char *key, unsigned line,
                    struct config_node *value);

/* Moves every entry of src (a map) into dst with config_node_put; frees src. */
int config_node_merge(struct config_node *dst, struct config_node *src);

#endif
