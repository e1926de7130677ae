/* Builds EVE stats records from a stats_sample: totals, per-thread objects
 * and deltas, as Suricata's eve-log stats type lays them out. */
#include "output/eve-stats.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output/eve-stats-tree.h"
#include "output/eve-time.h"

struct eve_stats {
    struct eve_stats_options opt;
    struct eve_stats_tree tree;
    size_t names_in_tree;        /* sample names already offered to the tree */
    /* The previous record's values, for deltas. */
    uint64_t *prev_totals;
    size_t prev_names;
    uint64_t *prev_threads;      /* [thread][name], stride prev_names */
    size_t prev_thread_count;
};

/* What one emission pass reads: totals (thread == SIZE_MAX) or one thread. */
struct emit_view {
    const struct eve_stats *e;
    const struct stats_sample *s;
    size_t thread;
};

static int compare_name(const void *key, const void *elem)
{
    return strcmp(key, *(const char *const *)elem);
}

bool eve_stats_name_allowed(const char *name)
{
    return bsearch(name, eve_stats_schema_names, eve_stats_schema_name_count,
                   sizeof(eve_stats_schema_names[0]), compare_name) != NULL;
}

struct eve_stats *eve_stats_new(const struct eve_stats_options *opt)
{
    struct eve_stats *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return NULL;
    e->opt = *opt;
    if (!eve_stats_tree_init(&e->tree)) {
        free(e);
        return NULL;
    }
    return e;
}

void eve_stats_free(struct eve_stats *e)
{
    if (e == NULL)
        return;
    eve_stats_tree_free(&e->tree);
    free(e->prev_totals);
    free(e->prev_threads);
    free(e);
}

static bool tree_update(struct eve_stats *e, const struct stats_sample *s)
{
    for (; e->names_in_tree < s->name_count; e->names_in_tree++) {
        const char *name = s->names[e->names_in_tree];
        if (eve_stats_name_allowed(name) &&
            !eve_stats_tree_add(&e->tree, name, (long)e->names_in_tree))
            return false;
    }
    return true;
}

static bool leaf_present(const struct emit_view *v, size_t name)
{
    return v->thread == SIZE_MAX || stats_sample_thread_has(v->s, v->thread, name);
}

static uint64_t leaf_value(const struct emit_view *v, size_t name)
{
    if (v->thread == SIZE_MAX)
        return v->s->totals[name];
    return stats_sample_thread_value(v->s, v->thread, name);
}

static uint64_t leaf_previous(const struct emit_view *v, size_t name)
{
    const struct eve_stats *e = v->e;
    if (name >= e->prev_names)
        return 0;
    if (v->thread == SIZE_MAX)
        return e->prev_totals[name];
    if (v->thread >= e->prev_thread_count)
        return 0;
    return e->prev_threads[v->thread * e->prev_names + name];
}

static bool subtree_present(const struct emit_view *v, size_t node)
{
    const struct eve_stats_node *n = &v->e->tree.nodes[node];
    if (n->name >= 0)
        return leaf_present(v, (size_t)n->name);
    for (size_t c = n->first_child; c != 0; c = v->e->tree.nodes[c].next_sibling)
        if (subtree_present(v, c))
            return true;
    return false;
}

static void emit_leaf(const struct emit_view *v, const struct eve_stats_node *n,
                      struct json_builder *jb)
{
    size_t name = (size_t)n->name;
    uint64_t value = leaf_value(v, name);
    jb_add_uint(jb, n->key, value);
    if (v->e->opt.deltas) {
        char key[EVE_STATS_KEY_MAX + sizeof("_delta")];
        snprintf(key, sizeof(key), "%s_delta", n->key);
        jb_add_int(jb, key, (int64_t)(value - leaf_previous(v, name)));
    }
}

static void emit_children(const struct emit_view *v, size_t node, struct json_builder *jb)
{
    const struct eve_stats_node *nodes = v->e->tree.nodes;
    for (size_t c = nodes[node].first_child; c != 0; c = nodes[c].next_sibling) {
        if (!subtree_present(v, c))
            continue;
        if (nodes[c].name >= 0) {
            emit_leaf(v, &nodes[c], jb);
        } else {
            jb_open_object(jb, nodes[c].key);
            emit_children(v, c, jb);
            jb_close(jb);
        }
    }
}

/* Keys go out verbatim (json-builder), so a thread name that would need
 * escaping is left out rather than written as broken JSON. */
static bool key_is_plain(const char *key)
{
    for (const unsigned char *p = (const unsigned char *)key; *p != '\0'; p++)
        if (*p < 0x20 || *p == '"' || *p == '\\' || *p >= 0x7f)
            return false;
    return key[0] != '\0';
}

static void emit_threads(const struct eve_stats *e, const struct stats_sample *s,
                         struct json_builder *jb)
{
    jb_open_object(jb, "threads");
    for (size_t t = 0; t < s->thread_count; t++) {
        struct emit_view v = {e, s, t};
        if (!key_is_plain(s->thread_names[t]) || !subtree_present(&v, 0))
            continue;
        jb_open_object(jb, s->thread_names[t]);
        emit_children(&v, 0, jb);
        jb_close(jb);
    }
    jb_close(jb);
}

static bool remember(struct eve_stats *e, const struct stats_sample *s)
{
    size_t cells = s->thread_count * s->name_count;
    uint64_t *totals = realloc(e->prev_totals, (s->name_count + 1) * sizeof(uint64_t));
    if (totals == NULL)
        return false;
    e->prev_totals = totals;
    uint64_t *threads = realloc(e->prev_threads, (cells + 1) * sizeof(uint64_t));
    if (threads == NULL)
        return false;
    e->prev_threads = threads;
    memcpy(totals, s->totals, s->name_count * sizeof(uint64_t));
    memcpy(threads, s->thread_values, cells * sizeof(uint64_t));
    e->prev_names = s->name_count;
    e->prev_thread_count = s->thread_count;
    return true;
}

bool eve_stats_build(struct eve_stats *e, const struct stats_sample *s, uint64_t ts_us,
                     struct json_builder *jb)
{
    if (!tree_update(e, s))
        return false;
    char ts[EVE_TIME_LEN];
    eve_time_format(ts, ts_us);

    jb_reset(jb);
    jb_open_object(jb, NULL);
    jb_add_ascii(jb, "timestamp", ts, sizeof(ts));
    jb_add_ascii(jb, "event_type", "stats", 5);
    jb_open_object(jb, "stats");
    jb_add_uint(jb, "uptime", s->uptime);
    if (e->opt.totals) {
        struct emit_view v = {e, s, SIZE_MAX};
        emit_children(&v, 0, jb);
    }
    if (e->opt.threads)
        emit_threads(e, s, jb);
    jb_close(jb);
    jb_close(jb);
    if (e->opt.deltas && !remember(e, s))
        return false;
    return jb_complete(jb);
}
