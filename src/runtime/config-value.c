/* Typed reads of config scalars (booleans, counts, sizes, strings) with
 * range checks, and the shared "file:line: key: reason" message format. */
#include "runtime/config-value.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

size_t config_path_push(struct config_path *path, const char *key)
{
    size_t old = path->len;
    size_t room = sizeof(path->text) - path->len;
    int n = snprintf(path->text + path->len, room, "%s%s", path->len ? "." : "", key);
    if (n > 0)
        path->len += (size_t)n < room ? (size_t)n : room - 1;
    return old;
}

size_t config_path_push_index(struct config_path *path, size_t index)
{
    char digits[24];
    snprintf(digits, sizeof(digits), "%zu", index);
    return config_path_push(path, digits);
}

void config_path_pop(struct config_path *path, size_t len)
{
    path->len = len;
    path->text[len] = '\0';
}

void config_errorf(struct config_error *err, const char *file, unsigned line,
                   const char *key, const char *fmt, ...)
{
    char *out = err->message;
    size_t size = sizeof(err->message);
    bool has_key = key != NULL && key[0] != '\0';
    int n;
    if (line > 0 && has_key)
        n = snprintf(out, size, "%s:%u: %s: ", file, line, key);
    else if (line > 0)
        n = snprintf(out, size, "%s:%u: ", file, line);
    else if (has_key)
        n = snprintf(out, size, "%s %s: ", file, key);
    else
        n = snprintf(out, size, "%s: ", file);
    size_t used = n < 0 ? 0 : (size_t)n < size ? (size_t)n : size - 1;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(out + used, size - used, fmt, ap);
    va_end(ap);
}

int config_walk_fail(struct config_walk *walk, const struct config_node *node,
                     const char *fmt, ...)
{
    char reason[sizeof(walk->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    config_errorf(walk->err, node->file, node->line, walk->path.text, "%s", reason);
    return -1;
}

const char *config_node_describe(const struct config_node *node)
{
    if (node->kind == CONFIG_NODE_MAP)
        return "<mapping>";
    if (node->kind == CONFIG_NODE_SEQ)
        return "<list>";
    return node->text;
}

static int expect_scalar(struct config_walk *walk, const struct config_node *node)
{
    if (node->kind == CONFIG_NODE_SCALAR)
        return 0;
    return config_walk_fail(walk, node, "expected a single value, not a %s",
                            node->kind == CONFIG_NODE_MAP ? "mapping" : "list");
}

int config_get_bool(struct config_walk *walk, const struct config_node *node, bool *out)
{
    static const char *const truthy[] = {"yes", "true", "on", "1"};
    static const char *const falsy[] = {"no", "false", "off", "0"};
    if (expect_scalar(walk, node) != 0)
        return -1;
    if (node->is_null)
        return 0;
    for (size_t i = 0; i < sizeof(truthy) / sizeof(truthy[0]); i++) {
        if (strcasecmp(node->text, truthy[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(node->text, falsy[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return config_walk_fail(walk, node, "\"%s\" is not a boolean (yes/no)", node->text);
}

int config_get_u32(struct config_walk *walk, const struct config_node *node,
                   uint32_t min, uint32_t max, uint32_t *out)
{
    if (expect_scalar(walk, node) != 0)
        return -1;
    if (node->is_null)
        return 0;
    const char *text = node->text;
    if (text[0] == '-' && text[1] >= '0' && text[1] <= '9')
        return config_walk_fail(walk, node, "%s must not be negative", text);
    uint64_t value = 0;
    size_t i = 0;
    for (; text[i] >= '0' && text[i] <= '9'; i++) {
        value = value * 10 + (uint64_t)(text[i] - '0');
        if (value > UINT32_MAX)
            return config_walk_fail(walk, node, "%s is out of range (%u..%u)", text,
                                    min, max);
    }
    if (i == 0 || text[i] != '\0')
        return config_walk_fail(walk, node, "\"%s\" is not a number", text);
    if (value < min || value > max)
        return config_walk_fail(walk, node, "%s is out of range (%u..%u)", text, min, max);
    *out = (uint32_t)value;
    return 0;
}

/* 0: parsed, -1: not a size, -2: does not fit in 64 bits. */
static int parse_size(const char *text, uint64_t *bytes)
{
    static const struct {
        const char *unit;
        unsigned shift;
    } units[] = {
        {"", 0},    {"b", 0},    {"k", 10},  {"kb", 10}, {"kib", 10}, {"m", 20},
        {"mb", 20}, {"mib", 20}, {"g", 30},  {"gb", 30}, {"gib", 30},
    };
    uint64_t value = 0;
    size_t i = 0;
    bool too_big = false;
    for (; text[i] >= '0' && text[i] <= '9'; i++) {
        if (value > (UINT64_MAX - 9) / 10)
            too_big = true;
        else
            value = value * 10 + (uint64_t)(text[i] - '0');
    }
    if (i == 0)
        return -1;
    const char *unit = text + i;
    while (*unit == ' ')
        unit++;
    for (size_t u = 0; u < sizeof(units) / sizeof(units[0]); u++) {
        if (strcasecmp(unit, units[u].unit) != 0)
            continue;
        if (unit != text + i && units[u].unit[0] == '\0')
            return -1;
        if (too_big || value > (UINT64_MAX >> units[u].shift))
            return -2;
        *bytes = value << units[u].shift;
        return 0;
    }
    return -1;
}

int config_parse_size(const char *text, uint64_t *bytes)
{
    uint64_t value;
    if (text == NULL || parse_size(text, &value) != 0)
        return -1;
    *bytes = value;
    return 0;
}

int config_get_size(struct config_walk *walk, const struct config_node *node,
                    uint64_t *out)
{
    if (expect_scalar(walk, node) != 0)
        return -1;
    if (node->is_null)
        return 0;
    uint64_t value;
    int rc = parse_size(node->text, &value);
    if (rc == -2)
        return config_walk_fail(walk, node, "\"%s\" is too large", node->text);
    if (rc != 0)
        return config_walk_fail(walk, node, "\"%s\" is not a size", node->text);
    if (value == 0)
        return config_walk_fail(walk, node, "size must be greater than 0");
    *out = value;
    return 0;
}

int config_get_string(struct config_walk *walk, const struct config_node *node,
                      char **out)
{
    if (expect_scalar(walk, node) != 0)
        return -1;
    if (node->is_null)
        return 0;
    if (node->text[0] == '\0')
        return config_walk_fail(walk, node, "must not be empty");
    char *copy = strdup(node->text);
    if (copy == NULL)
        return config_walk_fail(walk, node, "out of memory");
    free(*out);
    *out = copy;
    return 0;
}

int config_expect_map(struct config_walk *walk, const struct config_node *node)
{
    if (node->kind == CONFIG_NODE_MAP || (node->kind == CONFIG_NODE_SCALAR && node->is_null))
        return 0;
    if (node->kind == CONFIG_NODE_SEQ)
        return config_walk_fail(walk, node, "expected a mapping, not a list");
    return config_walk_fail(walk, node, "expected a mapping, not \"%s\"", node->text);
}

static bool listed(const char *const *keys, const char *key)
{
    for (; keys != NULL && *keys != NULL; keys++)
        if (strcmp(*keys, key) == 0)
            return true;
    return false;
}

static int type_field(struct config_walk *walk, const struct config_node *value,
                      void *base, const struct config_field *field)
{
    char *target = (char *)base + field->offset;
    switch (field->type) {
    case CONFIG_FIELD_BOOL:
        return config_get_bool(walk, value, (bool *)target);
    case CONFIG_FIELD_U32:
        return config_get_u32(walk, value, field->min, field->max, (uint32_t *)target);
    case CONFIG_FIELD_SIZE:
        return config_get_size(walk, value, (uint64_t *)target);
    case CONFIG_FIELD_STRING:
        return config_get_string(walk, value, (char **)target);
    case CONFIG_FIELD_IGNORED:
        return 0;
    }
    return 0;
}

int config_walk_fields(struct config_walk *walk, const struct config_node *map,
                       void *base, const struct config_field *fields,
                       const char *const *skip)
{
    if (config_expect_map(walk, map) != 0)
        return -1;
    for (size_t i = 0; i < map->count; i++) {
        const struct config_entry *entry = &map->entries[i];
        const struct config_field *field = fields;
        while (field->key != NULL && strcmp(field->key, entry->key) != 0)
            field++;
        if (field->key == NULL && listed(skip, entry->key))
            continue;
        size_t mark = config_path_push(&walk->path, entry->key);
        int rc;
        if (field->key == NULL) {
            config_errorf(walk->err, entry->value->file, entry->line, walk->path.text,
                          "unknown key");
            rc = -1;
        } else {
            rc = type_field(walk, entry->value, base, field);
        }
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}
