/* outputs: Suricata's list of one-key output maps; eve-log is typed (file,
 * event types, stats options), every other output kind is left alone. */
#include <stddef.h>
#include <string.h>

#include "output/eve-sink.h"
#include "runtime/config-apply.h"

#define EVE(member) offsetof(struct vigil_config, eve.member)

#define IGNORED(key) {key, CONFIG_FIELD_IGNORED, 0, 0, 0}

/* The IGNORED keys are Suricata eve-log settings Vigil accepts and does not use. */
static const struct config_field eve_fields[] = {
    {"enabled", CONFIG_FIELD_BOOL, EVE(enabled), 0, 0},
    {"filetype", CONFIG_FIELD_STRING, EVE(filetype), 0, 0},
    {"filename", CONFIG_FIELD_STRING, EVE(filename), 0, 0},
    IGNORED("append"),        IGNORED("prefix"),          IGNORED("identity"),
    IGNORED("facility"),      IGNORED("level"),           IGNORED("redis"),
    IGNORED("pcap-file"),     IGNORED("community-id"),    IGNORED("community-id-seed"),
    IGNORED("xff"),           IGNORED("threaded"),        IGNORED("rotate-interval"),
    IGNORED("ethernet"),      IGNORED("metadata"),        IGNORED("filemode"),
    IGNORED("buffer-size"),   {NULL, CONFIG_FIELD_IGNORED, 0, 0, 0},
};

#define STATS_LOG(member) offsetof(struct vigil_config, stats_log.member)

static const struct config_field stats_log_fields[] = {
    {"enabled", CONFIG_FIELD_BOOL, STATS_LOG(enabled), 0, 0},
    {"filename", CONFIG_FIELD_STRING, STATS_LOG(filename), 0, 0},
    {"totals", CONFIG_FIELD_BOOL, STATS_LOG(totals), 0, 0},
    {"threads", CONFIG_FIELD_BOOL, STATS_LOG(threads), 0, 0},
    {"null-values", CONFIG_FIELD_BOOL, STATS_LOG(null_values), 0, 0},
    IGNORED("append"),
    {NULL, CONFIG_FIELD_IGNORED, 0, 0, 0},
};

static const struct config_field stats_type_fields[] = {
    {"totals", CONFIG_FIELD_BOOL, EVE(stats_totals), 0, 0},
    {"threads", CONFIG_FIELD_BOOL, EVE(stats_threads), 0, 0},
    {"deltas", CONFIG_FIELD_BOOL, EVE(stats_deltas), 0, 0},
    IGNORED("null-values"),
    {NULL, CONFIG_FIELD_IGNORED, 0, 0, 0},
};

/* One types: entry, "- flow" or "- stats: {totals: yes}". */
static int apply_type(struct config_walk *walk, const struct config_node *item,
                      struct vigil_config *cfg)
{
    const char *name;
    const struct config_node *options = NULL;
    if (item->kind == CONFIG_NODE_SCALAR && !item->is_null) {
        name = item->text;
    } else if (item->kind == CONFIG_NODE_MAP && item->count == 1) {
        name = item->entries[0].key;
        options = item->entries[0].value;
    } else {
        return config_walk_fail(walk, item,
                                "expected an event type such as \"- flow\" or \"- stats:\"");
    }
    int rc = 0;
    size_t mark = config_path_push(&walk->path, name);
    if (strcmp(name, "flow") == 0)
        cfg->eve.log_flow = true;
    else if (strcmp(name, "alert") == 0)
        cfg->eve.log_alert = true;
    else if (strcmp(name, "stats") == 0) {
        cfg->eve.log_stats = true;
        if (options != NULL)
            rc = config_walk_fields(walk, options, cfg, stats_type_fields, NULL);
    }
    config_path_pop(&walk->path, mark);
    return rc;
}

static int apply_types(struct config_walk *walk, const struct config_node *types,
                       struct vigil_config *cfg)
{
    cfg->eve.log_flow = cfg->eve.log_stats = cfg->eve.log_alert = false;
    if (types->kind == CONFIG_NODE_SCALAR && types->is_null)
        return 0;
    if (types->kind != CONFIG_NODE_SEQ)
        return config_walk_fail(walk, types, "expected a list of event types");
    for (size_t i = 0; i < types->count; i++) {
        size_t mark = config_path_push_index(&walk->path, i);
        int rc = apply_type(walk, types->entries[i].value, cfg);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int apply_eve(struct config_walk *walk, const struct config_node *node,
                     struct vigil_config *cfg)
{
    static const char *const handled_apart[] = {"types", NULL};
    if (config_walk_fields(walk, node, cfg, eve_fields, handled_apart) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const struct config_entry *entry = &node->entries[i];
        size_t mark = config_path_push(&walk->path, entry->key);
        int rc = 0;
        if (strcmp(entry->key, "types") == 0)
            rc = apply_types(walk, entry->value, cfg);
        else if (strcmp(entry->key, "filetype") == 0 &&
                 !eve_filetype_parse(cfg->eve.filetype, &(enum eve_filetype){0}))
            rc = config_walk_fail(walk, entry->value,
                                  "\"%s\" is not supported (regular, unix_stream or unix_dgram)",
                                  cfg->eve.filetype);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int config_apply_outputs(struct config_walk *walk, const struct config_node *node,
                         struct vigil_config *cfg)
{
    if (node->kind == CONFIG_NODE_SCALAR && node->is_null)
        return 0;
    if (node->kind != CONFIG_NODE_SEQ)
        return config_walk_fail(walk, node, "expected a list of outputs (- eve-log: ...)");
    bool seen_eve = false;
    for (size_t i = 0; i < node->count; i++) {
        const struct config_node *item = node->entries[i].value;
        size_t mark = config_path_push_index(&walk->path, i);
        int rc = 0;
        if (item->kind != CONFIG_NODE_MAP || item->count != 1) {
            rc = config_walk_fail(walk, item,
                                  "expected a one-key mapping such as \"- eve-log:\"");
        } else if (strcmp(item->entries[0].key, "eve-log") == 0) {
            config_path_push(&walk->path, "eve-log");
            rc = seen_eve ? config_walk_fail(walk, item, "only one eve-log output is supported")
                          : apply_eve(walk, item->entries[0].value, cfg);
            seen_eve = true;
        } else if (strcmp(item->entries[0].key, "stats") == 0) {
            config_path_push(&walk->path, "stats");
            rc = config_walk_fields(walk, item->entries[0].value, cfg, stats_log_fields, NULL);
        }
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}
