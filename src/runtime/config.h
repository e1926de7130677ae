/* The typed configuration Vigil runs with: vigil.yaml (through libyaml),
 * its include: files and --set overrides, validated once at start-up. */
#ifndef VIGIL_RUNTIME_CONFIG_H
#define VIGIL_RUNTIME_CONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/cpu-affinity.h"

/* Order matches Suricata's flow-timeouts sections. */
enum flow_proto {
    FLOW_PROTO_DEFAULT = 0,
    FLOW_PROTO_TCP,
    FLOW_PROTO_UDP,
    FLOW_PROTO_ICMP,
    FLOW_PROTO_COUNT
};

struct flow_timeout_set {
    uint32_t new_timeout;            /* seconds */
    uint32_t established_timeout;
    uint32_t closed_timeout;
    uint32_t emergency_new;
    uint32_t emergency_established;
    uint32_t emergency_closed;
    uint32_t bypassed_timeout;
    uint32_t emergency_bypassed;
};

struct config_var {
    char *name;   /* e.g. HOME_NET */
    char *value;  /* e.g. [192.168.0.0/16,10.0.0.0/8] */
};

/* A key that takes auto or a number. auto is kept as such: its value depends
 * on the port and is worked out by the capture code (issue 4). */
struct vigil_dpdk_auto {
    bool is_auto;
    uint64_t value;            /* when !is_auto */
};

/* copy-mode: only IDS for now; tap and ips are refused (issue 4). */
enum vigil_dpdk_copy_mode {
    VIGIL_DPDK_COPY_NONE,
};

/* One dpdk.interfaces entry, keys it leaves out already taken from the
 * "interface: default" entry, then from Suricata's defaults. */
struct vigil_dpdk_iface {
    char *name;                            /* interface: PCI address or vdev name */
    struct vigil_dpdk_auto threads;        /* auto | 1..256 */
    bool promisc;                          /* true */
    bool multicast;                        /* true */
    bool checksum_checks;                  /* true */
    bool checksum_checks_offload;          /* true */
    uint32_t mtu;                          /* 1500 (64..9216) */
    struct vigil_dpdk_auto rss_hash_functions;  /* auto | 0x... rte_eth RSS flags */
    struct vigil_dpdk_auto mempool_size;        /* auto | 1..4294967295 mbufs */
    struct vigil_dpdk_auto mempool_cache_size;  /* auto | 0..512 (0: no cache) */
    struct vigil_dpdk_auto rx_descriptors;      /* auto | 1..65535 */
    struct vigil_dpdk_auto tx_descriptors;      /* auto | 1..65535 */
    enum vigil_dpdk_copy_mode copy_mode;        /* none */
};

/* dpdk: empty (all zero) when the section is absent. */
struct vigil_dpdk_config {
    char **eal_args;           /* eal-params as argv, without argv[0] */
    size_t eal_arg_count;
    struct vigil_dpdk_iface *ifaces;  /* in file order, "default" left out */
    size_t iface_count;
};

/* unix-command.enabled: auto is on for live capture, off for -r. */
enum vigil_unix_command_mode {
    VIGIL_UNIX_COMMAND_AUTO = 0,
    VIGIL_UNIX_COMMAND_YES,
    VIGIL_UNIX_COMMAND_NO,
};

struct config_node;
struct config_files;

struct vigil_config {
    char *source_file;             /* the main YAML file, for messages */
    char *default_log_dir;         /* default-log-dir: "." when unset */
    char *default_rundir;          /* default-rundir: /var/run/vigil, for relative sockets */
    char *runmode;                 /* runmode: single|autofp|workers (default autofp) */
    uint32_t max_pending_packets;  /* max-pending-packets: 1024 */

    struct config_var *address_groups;  /* vars.address-groups */
    size_t address_group_count;
    struct config_var *port_groups;     /* vars.port-groups */
    size_t port_group_count;

    struct {
        bool enabled;          /* outputs[eve-log].enabled */
        char *filetype;        /* regular (only one supported now) */
        char *filename;        /* eve.json, relative to the log dir */
        bool log_flow;         /* types: - flow */
        bool log_stats;        /* types: - stats */
        bool log_alert;        /* types: - alert */
        bool stats_totals, stats_threads, stats_deltas;
    } eve;

    struct {
        bool enabled;          /* outputs[stats].enabled: no */
        char *filename;        /* stats.log, relative to the log dir */
        bool totals;           /* yes */
        bool threads;          /* no: per-thread rows too */
        bool null_values;      /* no: counters at 0 are left out */
    } stats_log;

    struct {
        uint64_t memcap;              /* flow.memcap: 128mb */
        uint32_t hash_size;           /* flow.hash-size: 65536 */
        uint32_t prealloc;            /* flow.prealloc: 10000 */
        uint32_t emergency_recovery;  /* flow.emergency-recovery: 30 (percent) */
        uint32_t managers;            /* flow.managers: 1 */
        uint32_t recyclers;           /* flow.recyclers: 1 */
    } flow;

    struct flow_timeout_set timeouts[FLOW_PROTO_COUNT];  /* flow-timeouts */

    bool vlan_use_for_tracking;       /* vlan.use-for-tracking: true */

    struct {
        bool vxlan_enabled;  uint16_t vxlan_port;    /* decoder.vxlan */
        bool geneve_enabled; uint16_t geneve_port;   /* decoder.geneve */
        bool teredo_enabled; uint16_t teredo_port;   /* decoder.teredo */
    } decoder;

    struct {
        uint64_t memcap;      /* defrag.memcap: 32mb */
        uint32_t hash_size;   /* defrag.hash-size: 65536 */
        uint32_t trackers;    /* defrag.trackers: 65535 */
        uint32_t max_frags;   /* defrag.max-frags: 65535 */
        uint32_t timeout;     /* defrag.timeout: 60 (seconds) */
        bool prealloc;        /* defrag.prealloc: true */
    } defrag;

    struct {
        bool enabled;         /* stats.enabled: true */
        uint32_t interval;    /* stats.interval: 8 (seconds) */
    } stats;

    struct {
        char *flow_workers;   /* threading.flow-workers: auto|N (issue 3) */
        struct cpu_affinity_config affinity;  /* set-cpu-affinity: no; cpu-affinity */
    } threading;

    struct vigil_dpdk_config dpdk;

    struct {
        enum vigil_unix_command_mode enabled;  /* unix-command.enabled: auto */
        char *filename;        /* vigil-command.socket, relative to default-rundir */
    } unix_command;

    /* The merged YAML tree (file, includes, --set) as loaded, for the
     * control socket's conf-get; tree_files owns the file names it points at. */
    struct config_node *tree;
    struct config_files *tree_files;
};

/* A failure with where it happened: "file:line: key: reason". */
struct config_error {
    char message[512];
};

/* Fills cfg with every default (what an empty vigil.yaml means). */
void config_set_defaults(struct vigil_config *cfg);

/* Loads path (NULL: defaults only), applies each "key=value" of sets in order,
 * validates, and fills cfg. Returns 0, or -1 with err naming file, line, key
 * and reason; nothing half-applies (cfg untouched on failure). On success cfg
 * is overwritten without being released: config_free it first when reusing. */
int config_load(struct vigil_config *cfg, const char *path, char *const *sets,
                size_t set_count, struct config_error *err);

/* Like config_load for YAML held in memory (name is used in messages and
 * to resolve relative include: paths); no --set overrides. */
int config_load_buffer(struct vigil_config *cfg, const char *name,
                       const char *data, size_t len, struct config_error *err);

/* Releases what config_load allocated. */
void config_free(struct vigil_config *cfg);

/* Parses "128mb", "64kb", "1gb", "4096" into bytes; -1 if not a size. */
int config_parse_size(const char *text, uint64_t *bytes);

#endif
