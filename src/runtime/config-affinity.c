/* threading.set-cpu-affinity and threading.cpu-affinity: Suricata's CPU sets,
 * with CPU numbers checked against the online CPUs when pinning is on. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/config-apply.h"

#define ROLE_SKIPPED (-1)
#define ROLE_UNKNOWN (-2)

static const struct config_field no_typed_fields[] = {{NULL, CONFIG_FIELD_IGNORED, 0, 0, 0}};

/* Names Suricata 7 still reads and does nothing with. */
static const char *const legacy_sets[] = {
    "decode-cpu-set", "stream-cpu-set", "reject-cpu-set", "output-cpu-set", NULL,
};

static int set_role(const char *name)
{
    if (strcmp(name, "detect-cpu-set") == 0) /* Suricata's older worker-cpu-set */
        return CPU_AFFINITY_WORKER;
    for (int role = 0; role < CPU_AFFINITY_ROLE_COUNT; role++)
        if (strcmp(name, cpu_affinity_set_names[role]) == 0)
            return role;
    for (size_t i = 0; legacy_sets[i] != NULL; i++)
        if (strcmp(name, legacy_sets[i]) == 0)
            return ROLE_SKIPPED;
    return ROLE_UNKNOWN;
}

static int apply_cpu_item(struct config_walk *walk, const struct config_node *item,
                          const cpu_set_t *allowed, cpu_set_t *out)
{
    char why[256];
    if (item->kind != CONFIG_NODE_SCALAR || item->is_null)
        return config_walk_fail(walk, item,
                                "expected a CPU number, a range such as \"1-3\", or \"all\"");
    if (cpu_list_item_parse(item->text, allowed, out, why, sizeof(why)) != 0)
        return config_walk_fail(walk, item, "%s", why);
    return 0;
}

/* [ 0, "2-3" ], [ "all" ] or one item; the list replaces what was there. */
static int apply_cpu_list(struct config_walk *walk, const struct config_node *node,
                          const cpu_set_t *allowed, cpu_set_t *out)
{
    if (node->kind == CONFIG_NODE_SCALAR && node->is_null)
        return 0;
    CPU_ZERO(out);
    if (node->kind == CONFIG_NODE_SCALAR)
        return apply_cpu_item(walk, node, allowed, out);
    if (node->kind != CONFIG_NODE_SEQ || node->count == 0)
        return config_walk_fail(walk, node,
                                "expected a list of CPUs such as [ 0, \"2-3\" ] or [ \"all\" ]");
    for (size_t i = 0; i < node->count; i++) {
        size_t mark = config_path_push_index(&walk->path, i);
        int rc = apply_cpu_item(walk, node->entries[i].value, allowed, out);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* One of words (what says which, for the message); null keeps *index. */
static int apply_word(struct config_walk *walk, const struct config_node *node,
                      const char *const *words, int count, const char *what, int *index)
{
    char *word = NULL;
    if (config_get_string(walk, node, &word) != 0)
        return -1;
    if (word == NULL)
        return 0;
    int found = -1;
    for (int i = 0; i < count && found < 0; i++)
        if (strcmp(word, words[i]) == 0)
            found = i;
    free(word);
    if (found < 0)
        return config_walk_fail(walk, node, "\"%s\" is not %s", node->text, what);
    *index = found;
    return 0;
}

static int apply_mode(struct config_walk *walk, const struct config_node *node,
                      enum cpu_affinity_mode *mode)
{
    static const char *const modes[] = {
        [CPU_AFFINITY_BALANCED] = "balanced",
        [CPU_AFFINITY_EXCLUSIVE] = "exclusive",
    };
    int index = (int)*mode;
    int rc = apply_word(walk, node, modes, 2, "a mode (exclusive or balanced)", &index);
    *mode = (enum cpu_affinity_mode)index;
    return rc;
}

static int apply_prio_key(struct config_walk *walk, const struct config_entry *entry,
                          const cpu_set_t *allowed, struct cpu_affinity_set *set)
{
    if (strcmp(entry->key, "default") == 0) {
        int index = (int)set->prio;
        int rc = apply_word(walk, entry->value, cpu_affinity_prio_names, CPU_PRIO_COUNT,
                            "a priority (low, medium or high)", &index);
        set->prio = (enum cpu_affinity_prio)index;
        return rc;
    }
    for (int p = 0; p < CPU_PRIO_COUNT; p++)
        if (strcmp(entry->key, cpu_affinity_prio_names[p]) == 0)
            return apply_cpu_list(walk, entry->value, allowed, &set->prio_cpus[p]);
    return 0;
}

typedef int (*set_key_fn)(struct config_walk *walk, const struct config_entry *entry,
                          const cpu_set_t *allowed, struct cpu_affinity_set *set);

/* A mapping of only these keys, each typed by apply_key. */
static int apply_keys(struct config_walk *walk, const struct config_node *node,
                      const char *const *keys, set_key_fn apply_key,
                      const cpu_set_t *allowed, struct cpu_affinity_set *set)
{
    if (config_walk_fields(walk, node, set, no_typed_fields, keys) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        size_t mark = config_path_push(&walk->path, node->entries[i].key);
        int rc = apply_key(walk, &node->entries[i], allowed, set);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* prio: low/medium/high list the CPUs whose thread gets that priority
 * (exclusive mode); default is every other thread's. */
static int apply_prio(struct config_walk *walk, const struct config_node *node,
                      const cpu_set_t *allowed, struct cpu_affinity_set *set)
{
    static const char *const keys[] = {"low", "medium", "high", "default", NULL};
    return apply_keys(walk, node, keys, apply_prio_key, allowed, set);
}

/* threads is Suricata's worker count: checked, while Vigil counts its
 * workers with threading.flow-workers and dpdk threads. */
static int apply_set_key(struct config_walk *walk, const struct config_entry *entry,
                         const cpu_set_t *allowed, struct cpu_affinity_set *set)
{
    if (strcmp(entry->key, "cpu") == 0)
        return apply_cpu_list(walk, entry->value, allowed, &set->cpus);
    if (strcmp(entry->key, "mode") == 0)
        return apply_mode(walk, entry->value, &set->mode);
    if (strcmp(entry->key, "prio") == 0)
        return apply_prio(walk, entry->value, allowed, set);
    uint32_t threads;
    return config_get_u32(walk, entry->value, 1, 1024, &threads);
}

static int apply_set(struct config_walk *walk, const struct config_node *node,
                     const cpu_set_t *allowed, struct cpu_affinity_set *set)
{
    static const char *const keys[] = {"cpu", "mode", "prio", "threads", NULL};
    return apply_keys(walk, node, keys, apply_set_key, allowed, set);
}

static int apply_named_set(struct config_walk *walk, const struct config_entry *entry,
                           const cpu_set_t *allowed, struct cpu_affinity_config *affinity)
{
    int role = set_role(entry->key);
    if (role == ROLE_UNKNOWN) {
        config_errorf(walk->err, entry->value->file, entry->line, walk->path.text,
                      "unknown CPU set (management-cpu-set, receive-cpu-set, "
                      "worker-cpu-set or verdict-cpu-set)");
        return -1;
    }
    if (role == ROLE_SKIPPED)
        return 0;
    return apply_set(walk, entry->value, allowed, &affinity->sets[role]);
}

static int apply_sets(struct config_walk *walk, const struct config_node *list,
                      const cpu_set_t *allowed, struct cpu_affinity_config *affinity)
{
    if (list->kind == CONFIG_NODE_SCALAR && list->is_null)
        return 0;
    if (list->kind != CONFIG_NODE_SEQ)
        return config_walk_fail(walk, list, "expected a list of CPU sets "
                                            "(- worker-cpu-set: {cpu: [ 1 ]})");
    for (size_t i = 0; i < list->count; i++) {
        const struct config_node *item = list->entries[i].value;
        size_t mark = config_path_push_index(&walk->path, i);
        int rc;
        if (item->kind != CONFIG_NODE_MAP || item->count != 1) {
            rc = config_walk_fail(walk, item,
                                  "expected a one-key mapping such as \"- worker-cpu-set:\"");
        } else {
            config_path_push(&walk->path, item->entries[0].key);
            rc = apply_named_set(walk, &item->entries[0], allowed, affinity);
        }
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int config_apply_affinity(struct config_walk *walk, const struct config_node *threading,
                          struct vigil_config *cfg)
{
    struct cpu_affinity_config *affinity = &cfg->threading.affinity;
    const struct config_entry *on = config_node_find(threading, "set-cpu-affinity");
    if (on != NULL) {
        size_t mark = config_path_push(&walk->path, on->key);
        int rc = config_get_bool(walk, on->value, &affinity->enabled);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    const struct config_entry *sets = config_node_find(threading, "cpu-affinity");
    if (sets == NULL)
        return 0;
    /* Sets that are not applied may name CPUs this machine lacks. */
    cpu_set_t allowed;
    if (affinity->enabled)
        cpu_affinity_online(&allowed);
    else
        cpu_set_fill(&allowed);
    size_t mark = config_path_push(&walk->path, sets->key);
    int rc = apply_sets(walk, sets->value, &allowed, affinity);
    config_path_pop(&walk->path, mark);
    return rc;
}
