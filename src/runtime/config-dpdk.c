/* dpdk: Suricata's eal-params turned into EAL arguments, and the interfaces
 * list, each port completed from "interface: default" and Suricata's defaults. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "runtime/config-apply.h"

#define IFACE(member) offsetof(struct vigil_dpdk_iface, member)
#define DEFAULT_IFACE "default"

static const struct vigil_dpdk_iface builtin_iface = {
    .threads = {.is_auto = true},
    .promisc = true,
    .multicast = true,
    .checksum_checks = true,
    .checksum_checks_offload = true,
    .mtu = 1500,
    .rss_hash_functions = {.is_auto = true},
    .mempool_size = {.is_auto = true},
    .mempool_cache_size = {.is_auto = true},
    .rx_descriptors = {.is_auto = true},
    .tx_descriptors = {.is_auto = true},
    .copy_mode = VIGIL_DPDK_COPY_NONE,
};

/* copy-iface only matters to tap and ips, which are refused anyway. */
static const struct config_field iface_fields[] = {
    {"promisc", CONFIG_FIELD_BOOL, IFACE(promisc), 0, 0},
    {"multicast", CONFIG_FIELD_BOOL, IFACE(multicast), 0, 0},
    {"checksum-checks", CONFIG_FIELD_BOOL, IFACE(checksum_checks), 0, 0},
    {"checksum-checks-offload", CONFIG_FIELD_BOOL, IFACE(checksum_checks_offload), 0, 0},
    {"mtu", CONFIG_FIELD_U32, IFACE(mtu), 64, 9216},
    {"copy-iface", CONFIG_FIELD_IGNORED, 0, 0, 0},
    {NULL, CONFIG_FIELD_IGNORED, 0, 0, 0},
};

/* Descriptor counts are uint16_t in rte_eth_rx/tx_queue_setup; 512 is
 * RTE_MEMPOOL_CACHE_MAX_SIZE, and a cache of 0 turns the cache off. */
static const struct {
    const char *key;
    size_t offset;
    uint32_t min, max;
} auto_counts[] = {
    {"threads", IFACE(threads), 1, 256},
    {"mempool-size", IFACE(mempool_size), 1, UINT32_MAX},
    {"mempool-cache-size", IFACE(mempool_cache_size), 0, 512},
    {"rx-descriptors", IFACE(rx_descriptors), 1, 65535},
    {"tx-descriptors", IFACE(tx_descriptors), 1, 65535},
};

static const char *const iface_keys_apart[] = {
    "interface",      "threads",        "mempool-size", "mempool-cache-size",
    "rx-descriptors", "tx-descriptors", "rss-hash-functions", "copy-mode", NULL,
};

static bool is_auto(const struct config_node *node)
{
    return node->kind == CONFIG_NODE_SCALAR && strcmp(node->text, "auto") == 0;
}

static bool all_digits(const char *text)
{
    return text[0] != '\0' && strspn(text, "0123456789") == strlen(text);
}

static int apply_auto_count(struct config_walk *walk, const struct config_node *node,
                            uint32_t min, uint32_t max, struct vigil_dpdk_auto *out)
{
    if (is_auto(node)) {
        *out = (struct vigil_dpdk_auto){.is_auto = true};
        return 0;
    }
    if (node->kind == CONFIG_NODE_SCALAR && !node->is_null && !all_digits(node->text))
        return config_walk_fail(walk, node, "\"%s\" is not auto or a number (%u..%u)",
                                node->text, min, max);
    uint32_t value = 0;
    if (config_get_u32(walk, node, min, max, &value) != 0)
        return -1;
    if (!node->is_null)
        *out = (struct vigil_dpdk_auto){.value = value};
    return 0;
}

/* "0x" and 1 to 16 hex digits: the rte_eth RSS flags as Suricata writes them. */
static bool parse_hex_u64(const char *text, uint64_t *out)
{
    if (text[0] != '0' || (text[1] != 'x' && text[1] != 'X'))
        return false;
    const char *digits = text + 2;
    size_t len = strspn(digits, "0123456789abcdefABCDEF");
    if (len == 0 || len > 16 || digits[len] != '\0')
        return false;
    *out = strtoull(digits, NULL, 16);
    return true;
}

static int apply_rss(struct config_walk *walk, const struct config_node *node,
                     struct vigil_dpdk_auto *out)
{
    if (is_auto(node)) {
        *out = (struct vigil_dpdk_auto){.is_auto = true};
        return 0;
    }
    if (node->kind == CONFIG_NODE_SCALAR && node->is_null)
        return 0;
    uint64_t flags;
    if (node->kind != CONFIG_NODE_SCALAR || !parse_hex_u64(node->text, &flags))
        return config_walk_fail(walk, node,
                                "\"%s\" is not auto or a hex number such as 0x3c",
                                config_node_describe(node));
    *out = (struct vigil_dpdk_auto){.value = flags};
    return 0;
}

static int apply_copy_mode(struct config_walk *walk, const struct config_node *node,
                           enum vigil_dpdk_copy_mode *out)
{
    char *mode = NULL;
    if (config_get_string(walk, node, &mode) != 0)
        return -1;
    if (mode == NULL)
        return 0;
    int rc = 0;
    if (strcmp(mode, "none") == 0)
        *out = VIGIL_DPDK_COPY_NONE;
    else if (strcmp(mode, "tap") == 0 || strcmp(mode, "ips") == 0)
        rc = config_walk_fail(walk, node, "%s is not supported yet (IDS only; issue 4)", mode);
    else
        rc = config_walk_fail(walk, node, "\"%s\" is not a copy mode (none, tap or ips)", mode);
    free(mode);
    return rc;
}

/* The keys config_walk_fields leaves to this file. */
static int apply_iface_key(struct config_walk *walk, const struct config_entry *entry,
                           struct vigil_dpdk_iface *iface)
{
    for (size_t i = 0; i < sizeof(auto_counts) / sizeof(auto_counts[0]); i++)
        if (strcmp(entry->key, auto_counts[i].key) == 0)
            return apply_auto_count(
                walk, entry->value, auto_counts[i].min, auto_counts[i].max,
                (struct vigil_dpdk_auto *)((char *)iface + auto_counts[i].offset));
    if (strcmp(entry->key, "rss-hash-functions") == 0)
        return apply_rss(walk, entry->value, &iface->rss_hash_functions);
    if (strcmp(entry->key, "copy-mode") == 0)
        return apply_copy_mode(walk, entry->value, &iface->copy_mode);
    return 0;
}

static int apply_iface_keys(struct config_walk *walk, const struct config_node *item,
                            struct vigil_dpdk_iface *iface)
{
    if (config_walk_fields(walk, item, iface, iface_fields, iface_keys_apart) != 0)
        return -1;
    for (size_t i = 0; i < item->count; i++) {
        size_t mark = config_path_push(&walk->path, item->entries[i].key);
        int rc = apply_iface_key(walk, &item->entries[i], iface);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* An entry's interface: value, once check_entry has accepted it. */
static const char *entry_name(const struct config_node *item)
{
    return config_node_find(item, "interface")->value->text;
}

static int check_name(struct config_walk *walk, const struct config_node *list, size_t index)
{
    const struct config_node *name = config_node_find(list->entries[index].value,
                                                      "interface")->value;
    if (name->kind != CONFIG_NODE_SCALAR || name->is_null || name->text[0] == '\0')
        return config_walk_fail(walk, name, "expected a PCI address such as 0000:3b:00.0, "
                                            "a vdev name such as net_pcap0, or default");
    for (size_t i = 0; i < index; i++) {
        if (strcmp(entry_name(list->entries[i].value), name->text) == 0)
            return config_walk_fail(walk, name, "\"%s\" is already listed as "
                                    "dpdk.interfaces.%zu", name->text, i);
    }
    return 0;
}

/* A mapping with a unique interface: name; counts the ports (not default). */
static int check_entry(struct config_walk *walk, const struct config_node *list,
                       size_t index, size_t *ports)
{
    const struct config_node *item = list->entries[index].value;
    if (config_expect_map(walk, item) != 0)
        return -1;
    if (config_node_find(item, "interface") == NULL)
        return config_walk_fail(walk, item, "entry has no interface: key");
    size_t mark = config_path_push(&walk->path, "interface");
    int rc = check_name(walk, list, index);
    config_path_pop(&walk->path, mark);
    if (rc == 0 && strcmp(entry_name(item), DEFAULT_IFACE) != 0)
        (*ports)++;
    return rc;
}

static int apply_fallback(struct config_walk *walk, const struct config_node *list,
                          struct vigil_dpdk_iface *fallback)
{
    for (size_t i = 0; i < list->count; i++) {
        const struct config_node *item = list->entries[i].value;
        if (strcmp(entry_name(item), DEFAULT_IFACE) != 0)
            continue;
        size_t mark = config_path_push_index(&walk->path, i);
        int rc = apply_iface_keys(walk, item, fallback);
        config_path_pop(&walk->path, mark);
        return rc;
    }
    return 0;
}

static int apply_port(struct config_walk *walk, const struct config_node *item,
                      const struct vigil_dpdk_iface *fallback, struct vigil_dpdk_config *dpdk)
{
    struct vigil_dpdk_iface *iface = &dpdk->ifaces[dpdk->iface_count];
    *iface = *fallback;
    iface->name = strdup(entry_name(item));
    if (iface->name == NULL)
        return config_walk_fail(walk, item, "out of memory");
    dpdk->iface_count++;
    return apply_iface_keys(walk, item, iface);
}

static int apply_interfaces(struct config_walk *walk, const struct config_node *list,
                            struct vigil_dpdk_config *dpdk)
{
    if (list->kind == CONFIG_NODE_SCALAR && list->is_null)
        return 0;
    if (list->kind != CONFIG_NODE_SEQ)
        return config_walk_fail(walk, list, "expected a list of interfaces (- interface: NAME)");
    size_t ports = 0;
    for (size_t i = 0; i < list->count; i++) {
        size_t mark = config_path_push_index(&walk->path, i);
        int rc = check_entry(walk, list, i, &ports);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    struct vigil_dpdk_iface fallback = builtin_iface;
    if (apply_fallback(walk, list, &fallback) != 0)
        return -1;
    if (ports > 0 && (dpdk->ifaces = calloc(ports, sizeof(*dpdk->ifaces))) == NULL)
        return config_walk_fail(walk, list, "out of memory");
    for (size_t i = 0; i < list->count; i++) {
        const struct config_node *item = list->entries[i].value;
        if (strcmp(entry_name(item), DEFAULT_IFACE) == 0)
            continue;
        size_t mark = config_path_push_index(&walk->path, i);
        int rc = apply_port(walk, item, &fallback, dpdk);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

/* Takes arg (NULL meaning it could not be made); -1 when out of memory. */
static int push_arg(struct vigil_dpdk_config *dpdk, char *arg)
{
    char **args = arg == NULL ? NULL
                              : realloc(dpdk->eal_args,
                                        (dpdk->eal_arg_count + 1) * sizeof(*args));
    if (args == NULL) {
        free(arg);
        return -1;
    }
    dpdk->eal_args = args;
    args[dpdk->eal_arg_count++] = arg;
    return 0;
}

/* YAML 1.1's boolean words: a bare flag or no option at all. */
static bool eal_flag(const char *text, bool *on)
{
    static const char *const words[][2] = {{"true", "false"}, {"yes", "no"}, {"on", "off"}};
    for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
        for (int w = 0; w < 2; w++) {
            if (strcasecmp(text, words[i][w]) == 0) {
                *on = w == 0;
                return true;
            }
        }
    }
    return false;
}

/* One letter: "-k" "VALUE"; longer: "--key=VALUE"; a flag: "-k" or "--key". */
static int add_option(struct config_walk *walk, const char *key,
                      const struct config_node *value, struct vigil_dpdk_config *dpdk)
{
    if (value->kind != CONFIG_NODE_SCALAR)
        return config_walk_fail(walk, value, "expected a value, true, false or a list of values");
    if (value->is_null)
        return 0;
    if (value->text[0] == '\0')
        return config_walk_fail(walk, value, "must not be empty");
    bool on = true;
    bool flag = eal_flag(value->text, &on);
    bool letter = key[1] == '\0';
    if (!on)
        return 0;
    char *option = NULL;
    int n = flag || letter ? asprintf(&option, "%s%s", letter ? "-" : "--", key)
                           : asprintf(&option, "--%s=%s", key, value->text);
    int rc = push_arg(dpdk, n < 0 ? NULL : option);
    if (rc == 0 && letter && !flag)
        rc = push_arg(dpdk, strdup(value->text));
    return rc == 0 ? 0 : config_walk_fail(walk, value, "out of memory");
}

static int apply_eal_param(struct config_walk *walk, const struct config_entry *entry,
                           struct vigil_dpdk_config *dpdk)
{
    if (entry->key[0] == '\0' || entry->key[0] == '-')
        return config_walk_fail(walk, entry->value,
                                "EAL options are written without dashes, e.g. no-huge: true");
    if (entry->value->kind != CONFIG_NODE_SEQ)
        return add_option(walk, entry->key, entry->value, dpdk);
    for (size_t i = 0; i < entry->value->count; i++) {
        size_t mark = config_path_push_index(&walk->path, i);
        int rc = add_option(walk, entry->key, entry->value->entries[i].value, dpdk);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int apply_eal(struct config_walk *walk, const struct config_node *map,
                     struct vigil_dpdk_config *dpdk)
{
    if (config_expect_map(walk, map) != 0)
        return -1;
    for (size_t i = 0; i < map->count; i++) {
        size_t mark = config_path_push(&walk->path, map->entries[i].key);
        int rc = apply_eal_param(walk, &map->entries[i], dpdk);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

int config_apply_dpdk(struct config_walk *walk, const struct config_node *node,
                      struct vigil_config *cfg)
{
    static const struct config_field no_typed_fields[] = {{NULL, CONFIG_FIELD_IGNORED, 0, 0, 0}};
    static const char *const sections[] = {"eal-params", "interfaces", NULL};
    if (config_walk_fields(walk, node, cfg, no_typed_fields, sections) != 0)
        return -1;
    for (size_t i = 0; i < node->count; i++) {
        const struct config_entry *entry = &node->entries[i];
        size_t mark = config_path_push(&walk->path, entry->key);
        int rc = strcmp(entry->key, "eal-params") == 0
                     ? apply_eal(walk, entry->value, &cfg->dpdk)
                     : apply_interfaces(walk, entry->value, &cfg->dpdk);
        config_path_pop(&walk->path, mark);
        if (rc != 0)
            return -1;
    }
    return 0;
}

void config_dpdk_free(struct vigil_dpdk_config *dpdk)
{
    for (size_t i = 0; i < dpdk->eal_arg_count; i++)
        free(dpdk->eal_args[i]);
    free(dpdk->eal_args);
    for (size_t i = 0; i < dpdk->iface_count; i++)
        free(dpdk->ifaces[i].name);
    free(dpdk->ifaces);
    *dpdk = (struct vigil_dpdk_config){0};
}
