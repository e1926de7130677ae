/* Turning config tree scalars into typed values, and the one error format
 * every config message uses: "file:line: dotted.key: reason". */
#ifndef VIGIL_RUNTIME_CONFIG_VALUE_H
#define VIGIL_RUNTIME_CONFIG_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/config-node.h"
#include "runtime/config.h"

/* The dotted key being looked at, e.g. "outputs.0.eve-log.types". */
struct config_path {
    char text[256];
    size_t len;
};

/* Each push returns the length to give back to config_path_pop. */
size_t config_path_push(struct config_path *path, const char *key);
size_t config_path_push_index(struct config_path *path, size_t index);
void config_path_pop(struct config_path *path, size_t len);

/* line 0 means no line (--set): "file key: reason"; no key: "file:line: reason". */
void config_errorf(struct config_error *err, const char *file, unsigned line,
                   const char *key, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* Where typing happens: the key being typed and where to report failures. */
struct config_walk {
    struct config_path path;
    struct config_error *err;
};

/* Reports reason against node at the current path; always returns -1. */
int config_walk_fail(struct config_walk *walk, const struct config_node *node,
                     const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Each getter leaves *out alone for a null scalar (the key keeps its default)
 * and returns 0, or -1 with walk->err set. */
int config_get_bool(struct config_walk *walk, const struct config_node *node, bool *out);
int config_get_u32(struct config_walk *walk, const struct config_node *node,
                   uint32_t min, uint32_t max, uint32_t *out);
int config_get_size(struct config_walk *walk, const struct config_node *node,
                    uint64_t *out);
/* Replaces *out (freed) with a copy of a non-empty string. */
int config_get_string(struct config_walk *walk, const struct config_node *node,
                      char **out);

/* A mapping, or a null scalar standing for an empty one; -1 otherwise. */
int config_expect_map(struct config_walk *walk, const struct config_node *node);

/* One key of a section Vigil implements, typed into base + offset. */
enum config_field_type {
    CONFIG_FIELD_BOOL,
    CONFIG_FIELD_U32,
    CONFIG_FIELD_SIZE,
    CONFIG_FIELD_STRING,
    CONFIG_FIELD_IGNORED, /* a Suricata key Vigil accepts and does not use */
};

struct config_field {
    const char *key;
    enum config_field_type type;
    size_t offset;
    uint32_t min, max; /* CONFIG_FIELD_U32 only */
};

/* Types every key of map (a mapping or null) listed in fields (ended by a
 * NULL key). An unlisted key is an "unknown key" error; callers wanting to
 * handle some keys themselves pass them in skip (NULL-ended, or NULL). */
int config_walk_fields(struct config_walk *walk, const struct config_node *map,
                       void *base, const struct config_field *fields,
                       const char *const *skip);

/* A scalar's text for messages ("<mapping>" for others). */
const char *config_node_describe(const struct config_node *node);

#endif
