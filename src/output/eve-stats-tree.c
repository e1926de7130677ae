/* Builds the EVE stats key tree so names sharing a prefix land in one
 * object even when they were not registered next to each other. */
#include "output/eve-stats-tree.h"

#include <stdlib.h>
#include <string.h>

bool eve_stats_tree_init(struct eve_stats_tree *t)
{
    t->cap = 64;
    t->nodes = calloc(t->cap, sizeof(t->nodes[0]));
    if (t->nodes == NULL)
        return false;
    t->nodes[0].name = -1;
    t->count = 1;
    return true;
}

void eve_stats_tree_free(struct eve_stats_tree *t)
{
    free(t->nodes);
    memset(t, 0, sizeof(*t));
}

static size_t find_child(const struct eve_stats_tree *t, size_t parent, const char *key,
                         size_t len)
{
    for (size_t c = t->nodes[parent].first_child; c != 0; c = t->nodes[c].next_sibling)
        if (strncmp(t->nodes[c].key, key, len) == 0 && t->nodes[c].key[len] == '\0')
            return c;
    return 0;
}

/* Index of the new child, 0 when out of memory. */
static size_t add_child(struct eve_stats_tree *t, size_t parent, const char *key, size_t len,
                        long name)
{
    if (t->count == t->cap) {
        struct eve_stats_node *p = realloc(t->nodes, 2 * t->cap * sizeof(*p));
        if (p == NULL)
            return 0;
        t->nodes = p;
        t->cap *= 2;
    }
    size_t c = t->count++;
    struct eve_stats_node *n = &t->nodes[c];
    memset(n, 0, sizeof(*n));
    memcpy(n->key, key, len);
    n->name = name;
    struct eve_stats_node *par = &t->nodes[parent];
    if (par->first_child == 0)
        par->first_child = c;
    else
        t->nodes[par->last_child].next_sibling = c;
    par->last_child = c;
    return c;
}

static bool name_parts_fit(const char *name)
{
    size_t part = 0;
    for (const char *p = name;; p++) {
        if (*p == '.' || *p == '\0') {
            if (part == 0 || part >= EVE_STATS_KEY_MAX)
                return false;
            if (*p == '\0')
                return true;
            part = 0;
        } else {
            part++;
        }
    }
}

bool eve_stats_tree_add(struct eve_stats_tree *t, const char *name, long index)
{
    if (!name_parts_fit(name))
        return true;
    size_t node = 0;
    const char *part = name;
    for (;;) {
        const char *dot = strchr(part, '.');
        bool last = dot == NULL;
        size_t len = last ? strlen(part) : (size_t)(dot - part);
        size_t child = find_child(t, node, part, len);
        if (child != 0) {
            if (last || t->nodes[child].name >= 0)
                return true;  /* clash: the name is taken, or a leaf is in the way */
        } else {
            child = add_child(t, node, part, len, last ? index : -1);
            if (child == 0)
                return false;
        }
        if (last)
            return true;
        node = child;
        part = dot + 1;
    }
}
