/* The key tree of EVE stats: dotted counter names split at the dots, each
 * prefix one object, siblings in the order their first name was added. */
#ifndef VIGIL_OUTPUT_EVE_STATS_TREE_H
#define VIGIL_OUTPUT_EVE_STATS_TREE_H

#include <stdbool.h>
#include <stddef.h>

#define EVE_STATS_KEY_MAX 64

struct eve_stats_node {
    char key[EVE_STATS_KEY_MAX];
    long name;            /* leaf: index of the counter name; -1: an object */
    size_t first_child;   /* 0: none (node 0 is the root, never a child) */
    size_t last_child;
    size_t next_sibling;
};

struct eve_stats_tree {
    struct eve_stats_node *nodes;  /* nodes[0] is the root */
    size_t count, cap;
};

bool eve_stats_tree_init(struct eve_stats_tree *t);
void eve_stats_tree_free(struct eve_stats_tree *t);

/* Adds the dotted name as a leaf carrying index. A name whose path clashes
 * with an existing leaf or object, or with an empty or over-long part, is
 * skipped (returns true). Returns false only when out of memory. */
bool eve_stats_tree_add(struct eve_stats_tree *t, const char *name, long index);

#endif
