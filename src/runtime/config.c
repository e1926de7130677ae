/* The configuration's public face: defaults, loading a file or buffer plus
 * --set overrides into a fresh struct that replaces cfg only on success. */
#include "runtime/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "runtime/config-apply.h"
#include "runtime/config-node.h"
#include "runtime/config-yaml.h"

#define SET_FILE "--set"

/* Start-up cannot go on without a few bytes for the default strings. */
static char *default_string(const char *text)
{
    char *copy = strdup(text);
    if (copy == NULL) {
        fputs("vigil: out of memory while setting configuration defaults\n", stderr);
        abort();
    }
    return copy;
}

void config_set_defaults(struct vigil_config *cfg)
{
    *cfg = (struct vigil_config){
        .default_log_dir = default_string("."),
        .default_rundir = default_string("/var/run/vigil"),
        .runmode = default_string("autofp"),
        .max_pending_packets = 1024,
        .eve = {
            .filetype = default_string("regular"),
            .filename = default_string("eve.json"),
            .stats_totals = true,
        },
        .stats_log = {
            .filename = default_string("stats.log"),
            .totals = true,
        },
        .flow = {
            .memcap = 128u << 20,
            .hash_size = 65536,
            .prealloc = 10000,
            .emergency_recovery = 30,
            .managers = 1,
            .recyclers = 1,
        },
        .vlan_use_for_tracking = true,
        .decoder = {
            .vxlan_enabled = true, .vxlan_port = 4789,
            .geneve_enabled = true, .geneve_port = 6081,
            .teredo_enabled = true, .teredo_port = 3544,
        },
        .defrag = {
            .memcap = 32u << 20,
            .hash_size = 65536,
            .trackers = 65535,
            .max_frags = 65535,
            .timeout = 60,
            .prealloc = true,
        },
        .stats = {.enabled = true, .interval = 8},
        .threading = {.flow_workers = default_string("auto")},
        .unix_command = {.filename = default_string("vigil-command.socket")},
    };
    config_timeouts_defaults(cfg->timeouts);
    cpu_set_t online;
    cpu_affinity_online(&online);
    cpu_affinity_defaults(&cfg->threading.affinity, &online);
}

static void free_vars(struct config_var *vars, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        free(vars[i].name);
        free(vars[i].value);
    }
    free(vars);
}

void config_free(struct vigil_config *cfg)
{
    if (cfg == NULL)
        return;
    free(cfg->source_file);
    free(cfg->default_log_dir);
    free(cfg->default_rundir);
    free(cfg->unix_command.filename);
    config_node_free(cfg->tree);
    if (cfg->tree_files != NULL) {
        config_files_free(cfg->tree_files);
        free(cfg->tree_files);
    }
    free(cfg->runmode);
    free_vars(cfg->address_groups, cfg->address_group_count);
    free_vars(cfg->port_groups, cfg->port_group_count);
    free(cfg->eve.filetype);
    free(cfg->eve.filename);
    free(cfg->stats_log.filename);
    free(cfg->threading.flow_workers);
    config_dpdk_free(&cfg->dpdk);
    memset(cfg, 0, sizeof(*cfg));
}

/* What to read: a file, a buffer, or nothing (defaults only). */
struct config_source {
    const char *name;
    const char *data;
    size_t len;
    bool in_memory;
};

static int read_tree(struct config_loader *loader, const struct config_source *src,
                     struct config_node **root)
{
    if (src->in_memory)
        return config_yaml_load_buffer(loader, src->name, src->data, src->len, root);
    if (src->name != NULL)
        return config_yaml_load_file(loader, src->name, root);
    *root = config_node_new(CONFIG_NODE_MAP, SET_FILE, 0);
    if (*root != NULL)
        return 0;
    snprintf(loader->err->message, sizeof(loader->err->message), "out of memory");
    return -1;
}

/* Hands the tree and the file names it points at over to cfg. */
static int keep_tree(struct vigil_config *cfg, struct config_node *root,
                     struct config_files *files, struct config_error *err)
{
    cfg->tree_files = malloc(sizeof(*cfg->tree_files));
    if (cfg->tree_files == NULL) {
        snprintf(err->message, sizeof(err->message), "out of memory");
        return -1;
    }
    *cfg->tree_files = *files;
    cfg->tree = root;
    return 0;
}

static int build(struct vigil_config *out, const struct config_source *src,
                 char *const *sets, size_t set_count, struct config_error *err)
{
    struct config_loader loader = {.err = err};
    struct config_node *root = NULL;
    int rc = read_tree(&loader, src, &root);
    for (size_t i = 0; rc == 0 && i < set_count; i++)
        rc = config_set_apply(root, SET_FILE, sets[i], err);
    config_set_defaults(out);
    if (rc == 0 && src->name != NULL && (out->source_file = strdup(src->name)) == NULL) {
        snprintf(err->message, sizeof(err->message), "out of memory");
        rc = -1;
    }
    if (rc == 0)
        rc = config_apply(out, root, err);
    if (rc == 0)
        rc = keep_tree(out, root, &loader.files, err);
    if (rc != 0) {
        config_free(out);
        config_node_free(root);
        config_files_free(&loader.files);
    }
    return rc;
}

static int load(struct vigil_config *cfg, const struct config_source *src,
                char *const *sets, size_t set_count, struct config_error *err)
{
    struct config_error scratch;
    struct vigil_config fresh;
    if (err == NULL)
        err = &scratch;
    err->message[0] = '\0';
    if (build(&fresh, src, sets, set_count, err) != 0)
        return -1;
    *cfg = fresh;
    return 0;
}

int config_load(struct vigil_config *cfg, const char *path, char *const *sets,
                size_t set_count, struct config_error *err)
{
    struct config_source src = {.name = path};
    return load(cfg, &src, sets, set_count, err);
}

int config_load_buffer(struct vigil_config *cfg, const char *name, const char *data,
                       size_t len, struct config_error *err)
{
    struct config_source src = {.name = name, .data = data, .len = len, .in_memory = true};
    return load(cfg, &src, NULL, 0, err);
}
