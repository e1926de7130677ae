/* --set dotted.key=value: walks (or creates) the path in the config tree and
 * puts the value there, as if it had been the last line of vigil.yaml. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/config-apply.h"

struct set_op {
    const char *file;  /* "--set", where messages say the value came from */
    const char *key;   /* the whole dotted key, for messages */
    struct config_error *err;
};

static int set_fail(const struct set_op *op, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static int set_fail(const struct set_op *op, const char *fmt, ...)
{
    char reason[sizeof(op->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    config_errorf(op->err, op->file, 0, op->key, "%s", reason);
    return -1;
}

static int parse_index(const char *part, size_t *index)
{
    if (part[0] < '0' || part[0] > '9' || strlen(part) > 9)
        return -1;
    for (const char *c = part; *c != '\0'; c++)
        if (*c < '0' || *c > '9')
            return -1;
    *index = (size_t)strtoul(part, NULL, 10);
    return 0;
}

/* The child of node named part, created as an empty mapping when missing. */
static struct config_node *step(const struct set_op *op, struct config_node *node,
                                const char *part)
{
    struct config_node *fresh = config_node_new(CONFIG_NODE_MAP, op->file, 0);
    char *key = strdup(part);
    if (fresh == NULL || key == NULL) {
        config_node_free(fresh);
        free(key);
        set_fail(op, "out of memory");
        return NULL;
    }
    if (node->kind == CONFIG_NODE_SEQ) {
        free(key);
        size_t index;
        if (parse_index(part, &index) != 0 || index > node->count) {
            config_node_free(fresh);
            set_fail(op, "\"%s\" is not an index of the list", part);
            return NULL;
        }
        struct config_node *item = index < node->count ? node->entries[index].value : NULL;
        if (item != NULL && item->kind == CONFIG_NODE_SCALAR && !item->is_null) {
            config_node_free(fresh);
            set_fail(op, "list item %s holds a single value, it has no keys", part);
            return NULL;
        }
        if (item != NULL && item->kind == CONFIG_NODE_SCALAR) {
            config_node_free(item);
            node->entries[index].value = fresh;
            return fresh;
        }
        if (item != NULL) {
            config_node_free(fresh);
            return item;
        }
        if (config_node_append(node, NULL, 0, fresh) != 0) {
            set_fail(op, "out of memory");
            return NULL;
        }
        return fresh;
    }
    struct config_entry *entry = config_node_find(node, part);
    if (entry != NULL && entry->value->kind != CONFIG_NODE_SCALAR) {
        config_node_free(fresh);
        free(key);
        return entry->value;
    }
    if (entry != NULL && !entry->value->is_null) {
        config_node_free(fresh);
        free(key);
        set_fail(op, "%s holds a single value, it has no keys", part);
        return NULL;
    }
    if (config_node_put(node, key, 0, fresh) != 0) {
        set_fail(op, "out of memory");
        return NULL;
    }
    return config_node_find(node, part)->value;
}

static int put_value(const struct set_op *op, struct config_node *node, const char *part,
                     const char *value)
{
    struct config_node *scalar = config_node_new(CONFIG_NODE_SCALAR, op->file, 0);
    if (scalar == NULL || (scalar->text = strdup(value)) == NULL) {
        config_node_free(scalar);
        return set_fail(op, "out of memory");
    }
    scalar->is_null = value[0] == '\0';
    size_t index;
    if (node->kind == CONFIG_NODE_SEQ) {
        if (parse_index(part, &index) != 0 || index > node->count) {
            config_node_free(scalar);
            return set_fail(op, "\"%s\" is not an index of the list", part);
        }
        if (index == node->count)
            return config_node_append(node, NULL, 0, scalar) == 0
                       ? 0 : set_fail(op, "out of memory");
        config_node_free(node->entries[index].value);
        node->entries[index].value = scalar;
        return 0;
    }
    char *key = strdup(part);
    if (key == NULL) {
        config_node_free(scalar);
        return set_fail(op, "out of memory");
    }
    return config_node_put(node, key, 0, scalar) == 0 ? 0 : set_fail(op, "out of memory");
}

/* Splits key in place at dots and walks all but the last part. */
static int apply_path(const struct set_op *op, struct config_node *root, char *key,
                      const char *value)
{
    struct config_node *node = root;
    char *part = key;
    for (char *dot = strchr(part, '.'); dot != NULL; dot = strchr(part, '.')) {
        *dot = '\0';
        node = step(op, node, part);
        if (node == NULL)
            return -1;
        part = dot + 1;
    }
    return put_value(op, node, part, value);
}

static bool valid_key(const char *key)
{
    size_t len = strlen(key);
    return len > 0 && key[0] != '.' && key[len - 1] != '.' && strstr(key, "..") == NULL;
}

int config_set_apply(struct config_node *root, const char *set_file,
                     const char *assignment, struct config_error *err)
{
    const char *equals = strchr(assignment, '=');
    struct set_op op = {.file = set_file, .key = assignment, .err = err};
    if (equals == NULL)
        return set_fail(&op, "expected key=value");
    char *key = strndup(assignment, (size_t)(equals - assignment));
    char *shown = strndup(assignment, (size_t)(equals - assignment));
    int rc;
    op.key = shown;
    if (key == NULL || shown == NULL)
        rc = set_fail(&op, "out of memory");
    else if (!valid_key(key))
        rc = set_fail(&op, "expected a dotted key such as flow.memcap");
    else if (strcmp(key, "include") == 0 || strncmp(key, "include.", 8) == 0)
        rc = set_fail(&op, "include files cannot be added with --set");
    else
        rc = apply_path(&op, root, key, equals + 1);
    free(key);
    free(shown);
    return rc;
}
