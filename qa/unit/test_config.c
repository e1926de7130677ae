/* Unit tests of the configuration loader: defaults, every key, sizes,
 * include:, --set, exact error messages, and all-or-nothing loading. */
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "runtime/config.h"
#include "runtime/runmode-autofp.h"

#ifndef VIGIL_SRCDIR
#error "VIGIL_SRCDIR must name the source tree"
#endif

static char test_dir[64];
static char old_cwd[4096];

/* Tests run inside a fresh directory so messages carry short file names. */
static int enter_dir(void **state)
{
    (void)state;
    snprintf(test_dir, sizeof(test_dir), "/tmp/vigil-config-XXXXXX");
    if (getcwd(old_cwd, sizeof(old_cwd)) == NULL || mkdtemp(test_dir) == NULL)
        return -1;
    return chdir(test_dir);
}

static int leave_dir(void **state)
{
    (void)state;
    char command[128];
    if (chdir(old_cwd) != 0)
        return -1;
    snprintf(command, sizeof(command), "rm -rf '%s'", test_dir);
    return system(command) == 0 ? 0 : -1;
}

static void write_file(const char *name, const char *text)
{
    FILE *f = fopen(name, "w");
    assert_non_null(f);
    assert_int_equal(fputs(text, f) >= 0, 1);
    assert_int_equal(fclose(f), 0);
}

static int load_text(struct vigil_config *cfg, const char *text, struct config_error *err)
{
    write_file("vigil.yaml", text);
    return config_load(cfg, "vigil.yaml", NULL, 0, err);
}

/* The load must succeed; a failure shows its message. */
static void load_ok(struct vigil_config *cfg, const char *text)
{
    struct config_error err;
    if (load_text(cfg, text, &err) != 0)
        fail_msg("%s", err.message);
}

/* The load must fail with exactly this message. */
static void expect_error(const char *text, char *const *sets, size_t set_count,
                         const char *message)
{
    struct vigil_config cfg;
    struct config_error err;
    write_file("vigil.yaml", text);
    assert_int_equal(config_load(&cfg, "vigil.yaml", sets, set_count, &err), -1);
    assert_string_equal(err.message, message);
}

static void expect_yaml_error(const char *text, const char *message)
{
    expect_error(text, NULL, 0, message);
}

static void expect_set_error(const char *set, const char *message)
{
    char *sets[] = {(char *)set};
    expect_error("", sets, 1, message);
}

/* Lines that, after a common head, must fail with message. */
struct error_case {
    const char *lines;
    const char *message;
};

static void expect_errors_after(const char *head, const struct error_case *cases, size_t count)
{
    for (size_t i = 0; i < count; i++) {
        char text[512];
        snprintf(text, sizeof(text), "%s%s", head, cases[i].lines);
        expect_yaml_error(text, cases[i].message);
    }
}

static void check_timeouts(const struct flow_timeout_set *t, uint32_t new_, uint32_t est,
                           uint32_t closed, uint32_t bypassed, uint32_t e_new,
                           uint32_t e_est, uint32_t e_closed, uint32_t e_bypassed)
{
    assert_int_equal(t->new_timeout, new_);
    assert_int_equal(t->established_timeout, est);
    assert_int_equal(t->closed_timeout, closed);
    assert_int_equal(t->bypassed_timeout, bypassed);
    assert_int_equal(t->emergency_new, e_new);
    assert_int_equal(t->emergency_established, e_est);
    assert_int_equal(t->emergency_closed, e_closed);
    assert_int_equal(t->emergency_bypassed, e_bypassed);
}

static void check_defaults(const struct vigil_config *cfg)
{
    assert_string_equal(cfg->default_log_dir, ".");
    assert_string_equal(cfg->runmode, "autofp");
    assert_int_equal(cfg->max_pending_packets, 1024);
    assert_int_equal(cfg->address_group_count, 0);
    assert_int_equal(cfg->port_group_count, 0);
    assert_false(cfg->eve.enabled);
    assert_string_equal(cfg->eve.filetype, "regular");
    assert_string_equal(cfg->eve.filename, "eve.json");
    assert_false(cfg->eve.log_flow);
    assert_true(cfg->eve.stats_totals);
    assert_false(cfg->eve.stats_threads);
    assert_int_equal(cfg->flow.memcap, 128u << 20);
    assert_int_equal(cfg->flow.hash_size, 65536);
    assert_int_equal(cfg->flow.prealloc, 10000);
    assert_int_equal(cfg->flow.emergency_recovery, 30);
    assert_int_equal(cfg->flow.managers, 1);
    assert_int_equal(cfg->flow.recyclers, 1);
    check_timeouts(&cfg->timeouts[FLOW_PROTO_DEFAULT], 30, 300, 0, 100, 10, 100, 0, 50);
    check_timeouts(&cfg->timeouts[FLOW_PROTO_TCP], 60, 600, 60, 100, 5, 100, 10, 50);
    check_timeouts(&cfg->timeouts[FLOW_PROTO_UDP], 30, 300, 0, 100, 10, 100, 0, 50);
    check_timeouts(&cfg->timeouts[FLOW_PROTO_ICMP], 30, 300, 0, 100, 10, 100, 0, 50);
    assert_true(cfg->vlan_use_for_tracking);
    assert_int_equal(cfg->decoder.vxlan_port, 4789);
    assert_int_equal(cfg->decoder.geneve_port, 6081);
    assert_int_equal(cfg->decoder.teredo_port, 3544);
    assert_int_equal(cfg->defrag.memcap, 32u << 20);
    assert_int_equal(cfg->defrag.hash_size, 65536);
    assert_int_equal(cfg->defrag.trackers, 65535);
    assert_int_equal(cfg->defrag.max_frags, 65535);
    assert_int_equal(cfg->defrag.timeout, 60);
    assert_true(cfg->defrag.prealloc);
    assert_true(cfg->stats.enabled);
    assert_int_equal(cfg->stats.interval, 8);
    assert_string_equal(cfg->threading.flow_workers, "auto");
    assert_false(cfg->threading.affinity.enabled);
    assert_int_equal(cfg->threading.affinity.sets[CPU_AFFINITY_WORKER].mode,
                     CPU_AFFINITY_EXCLUSIVE);
    assert_int_equal(cfg->dpdk.eal_arg_count, 0);
    assert_null(cfg->dpdk.eal_args);
    assert_int_equal(cfg->dpdk.iface_count, 0);
    assert_null(cfg->dpdk.ifaces);
}

static void test_defaults(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    config_set_defaults(&cfg);
    check_defaults(&cfg);
    config_free(&cfg);

    assert_int_equal(config_load(&cfg, NULL, NULL, 0, &err), 0);
    check_defaults(&cfg);
    assert_null(cfg.source_file);
    config_free(&cfg);

    assert_int_equal(load_text(&cfg, "%YAML 1.1\n---\n", &err), 0);
    check_defaults(&cfg);
    assert_string_equal(cfg.source_file, "vigil.yaml");
    config_free(&cfg);

    assert_int_equal(load_text(&cfg, "", &err), 0);
    check_defaults(&cfg);
    config_free(&cfg);
}

static void test_parse_size(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        int rc;
        uint64_t bytes;
    } cases[] = {
        {"4096", 0, 4096},
        {"64kb", 0, 64u << 10},
        {"128mb", 0, 128u << 20},
        {"1gb", 0, 1u << 30},
        {"128MB", 0, 128u << 20},
        {"2Gb", 0, 2ull << 30},
        {"8k", 0, 8u << 10},
        {"3m", 0, 3u << 20},
        {"5g", 0, 5ull << 30},
        {"10b", 0, 10},
        {"64 MiB", 0, 64u << 20},
        {"17179869183gb", 0, 17179869183ull << 30},
        {"", -1, 0},
        {"mb", -1, 0},
        {"12XB", -1, 0},
        {"-5mb", -1, 0},
        {" 5mb", -1, 0},
        {"5 ", -1, 0},
        {"1.5gb", -1, 0},
        {"17179869184gb", -1, 0},
        {"99999999999999999999", -1, 0},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        uint64_t bytes = 7;
        int rc = config_parse_size(cases[i].text, &bytes);
        if (rc != cases[i].rc)
            fail_msg("config_parse_size(\"%s\") returned %d", cases[i].text, rc);
        assert_int_equal(bytes, cases[i].rc == 0 ? cases[i].bytes : 7);
    }
    uint64_t bytes;
    assert_int_equal(config_parse_size(NULL, &bytes), -1);
}

static const char every_key[] =
    "%YAML 1.1\n"
    "---\n"
    "vars:\n"
    "  address-groups:\n"
    "    HOME_NET: \"[10.0.0.0/8]\"\n"
    "    EXTERNAL_NET: \"!$HOME_NET\"\n"
    "  port-groups:\n"
    "    HTTP_PORTS: \"80\"\n"
    "    ORACLE_PORTS: 1521\n"
    "    MY_VXLAN: \"[8472, 4789]\"\n"
    "default-log-dir: /tmp/logs/\n"
    "runmode: workers\n"
    "max-pending-packets: 2048\n"
    "outputs:\n"
    "  - fast:\n"
    "      enabled: yes\n"
    "      filename: fast.log\n"
    "  - eve-log:\n"
    "      enabled: yes\n"
    "      filetype: regular\n"
    "      filename: events.json\n"
    "      community-id: true\n"
    "      types:\n"
    "        - alert:\n"
    "            tagged-packets: yes\n"
    "        - http:\n"
    "            extended: yes\n"
    "        - stats:\n"
    "            totals: no\n"
    "            threads: yes\n"
    "            deltas: yes\n"
    "        - flow\n"
    "  - stats:\n"
    "      enabled: yes\n"
    "flow:\n"
    "  memcap: 256mb\n"
    "  hash-size: 1024\n"
    "  prealloc: 500\n"
    "  emergency-recovery: 40\n"
    "  managers: 2\n"
    "  recyclers: 3\n"
    "flow-timeouts:\n"
    "  default: {new: 1, established: 2, closed: 3, bypassed: 4, emergency-new: 5,\n"
    "            emergency-established: 6, emergency-closed: 7, emergency-bypassed: 8}\n"
    "  tcp: {new: 11, established: 12, closed: 13, bypassed: 14, emergency-new: 15,\n"
    "        emergency-established: 16, emergency-closed: 17, emergency-bypassed: 18}\n"
    "  udp: {new: 21, established: 22, closed: 23, bypassed: 24, emergency-new: 25,\n"
    "        emergency-established: 26, emergency-closed: 27, emergency-bypassed: 28}\n"
    "  icmp: {new: 31, established: 32, closed: 33, bypassed: 34, emergency-new: 35,\n"
    "         emergency-established: 36, emergency-closed: 37, emergency-bypassed: 38}\n"
    "vlan:\n"
    "  use-for-tracking: false\n"
    "decoder:\n"
    "  teredo:\n"
    "    enabled: false\n"
    "    ports: \"[3545]\"\n"
    "  vxlan:\n"
    "    enabled: off\n"
    "    ports: $MY_VXLAN\n"
    "  geneve:\n"
    "    enabled: no\n"
    "    ports:\n"
    "      dp: 6082\n"
    "defrag:\n"
    "  memcap: 64kb\n"
    "  hash-size: 4096\n"
    "  trackers: 100\n"
    "  max-frags: 200\n"
    "  prealloc: no\n"
    "  timeout: 30\n"
    "stats:\n"
    "  enabled: no\n"
    "  interval: 16\n"
    "threading:\n"
    "  set-cpu-affinity: no\n"
    "  flow-workers: 4\n";

static void test_every_key(void **state)
{
    (void)state;
    struct vigil_config cfg;
    load_ok(&cfg, every_key);
    assert_int_equal(cfg.address_group_count, 2);
    assert_string_equal(cfg.address_groups[0].name, "HOME_NET");
    assert_string_equal(cfg.address_groups[0].value, "[10.0.0.0/8]");
    assert_string_equal(cfg.address_groups[1].value, "!$HOME_NET");
    assert_int_equal(cfg.port_group_count, 3);
    assert_string_equal(cfg.port_groups[1].name, "ORACLE_PORTS");
    assert_string_equal(cfg.port_groups[1].value, "1521");
    assert_string_equal(cfg.default_log_dir, "/tmp/logs/");
    assert_string_equal(cfg.runmode, "workers");
    assert_int_equal(cfg.max_pending_packets, 2048);
    assert_true(cfg.eve.enabled);
    assert_string_equal(cfg.eve.filename, "events.json");
    assert_true(cfg.eve.log_alert);
    assert_true(cfg.eve.log_flow);
    assert_true(cfg.eve.log_stats);
    assert_false(cfg.eve.stats_totals);
    assert_true(cfg.eve.stats_threads);
    assert_true(cfg.eve.stats_deltas);
    assert_int_equal(cfg.flow.memcap, 256u << 20);
    assert_int_equal(cfg.flow.hash_size, 1024);
    assert_int_equal(cfg.flow.prealloc, 500);
    assert_int_equal(cfg.flow.emergency_recovery, 40);
    assert_int_equal(cfg.flow.managers, 2);
    assert_int_equal(cfg.flow.recyclers, 3);
    for (int p = 0; p < FLOW_PROTO_COUNT; p++) {
        uint32_t b = (uint32_t)p * 10;
        check_timeouts(&cfg.timeouts[p], b + 1, b + 2, b + 3, b + 4, b + 5, b + 6, b + 7,
                       b + 8);
    }
    assert_false(cfg.vlan_use_for_tracking);
    assert_false(cfg.decoder.teredo_enabled);
    assert_int_equal(cfg.decoder.teredo_port, 3545);
    assert_false(cfg.decoder.vxlan_enabled);
    assert_int_equal(cfg.decoder.vxlan_port, 8472);
    assert_false(cfg.decoder.geneve_enabled);
    assert_int_equal(cfg.decoder.geneve_port, 6082);
    assert_int_equal(cfg.defrag.memcap, 64u << 10);
    assert_int_equal(cfg.defrag.hash_size, 4096);
    assert_int_equal(cfg.defrag.trackers, 100);
    assert_int_equal(cfg.defrag.max_frags, 200);
    assert_false(cfg.defrag.prealloc);
    assert_int_equal(cfg.defrag.timeout, 30);
    assert_false(cfg.stats.enabled);
    assert_int_equal(cfg.stats.interval, 16);
    assert_string_equal(cfg.threading.flow_workers, "4");
    config_free(&cfg);
}

static void test_booleans(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        bool value;
    } cases[] = {
        {"yes", true},  {"no", false},  {"true", true}, {"false", false},
        {"on", true},   {"off", false}, {"1", true},    {"0", false},
        {"YES", true},  {"False", false}, {"On", true},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char text[64];
        struct vigil_config cfg;
        struct config_error err;
        snprintf(text, sizeof(text), "vlan:\n  use-for-tracking: %s\n", cases[i].text);
        assert_int_equal(load_text(&cfg, text, &err), 0);
        assert_int_equal(cfg.vlan_use_for_tracking, cases[i].value);
        config_free(&cfg);
    }
}

static void test_timeouts_inherit_default(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    assert_int_equal(load_text(&cfg,
                               "flow-timeouts:\n"
                               "  default:\n"
                               "    established: 999\n"
                               "    closed: 7\n"
                               "  tcp:\n"
                               "    new: 5\n",
                               &err), 0);
    check_timeouts(&cfg.timeouts[FLOW_PROTO_DEFAULT], 30, 999, 7, 100, 10, 100, 0, 50);
    check_timeouts(&cfg.timeouts[FLOW_PROTO_TCP], 5, 999, 7, 100, 10, 100, 0, 50);
    /* Not written: Suricata's udp values, closed still taken from default. */
    check_timeouts(&cfg.timeouts[FLOW_PROTO_UDP], 30, 300, 7, 100, 10, 100, 0, 50);
    check_timeouts(&cfg.timeouts[FLOW_PROTO_ICMP], 30, 300, 7, 100, 10, 100, 0, 50);
    config_free(&cfg);
}

static void test_include_relative_and_override(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    assert_int_equal(mkdir("sub", 0700), 0);
    assert_int_equal(mkdir("sub/inc", 0700), 0);
    write_file("sub/inc/a.yaml", "flow:\n  memcap: 1mb\n  prealloc: 7\n  hash-size: 99\n");
    write_file("sub/inc/b.yaml", "include: c.yaml\nrunmode: single\n");
    write_file("sub/inc/c.yaml", "stats:\n  interval: 3\nrunmode: workers\n");
    write_file("sub/main.yaml",
               "flow:\n"
               "  prealloc: 1\n"
               "include:\n"
               "  - inc/a.yaml\n"
               "  - inc/b.yaml\n"
               "flow:\n"
               "  memcap: 2mb\n");
    if (config_load(&cfg, "sub/main.yaml", NULL, 0, &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(cfg.flow.memcap, 2u << 20);   /* main after include */
    assert_int_equal(cfg.flow.prealloc, 7);        /* include after main */
    assert_int_equal(cfg.flow.hash_size, 99);      /* merged, not replaced */
    assert_string_equal(cfg.runmode, "single");    /* b after its own include */
    assert_int_equal(cfg.stats.interval, 3);       /* nested, relative to inc/ */
    config_free(&cfg);

    write_file("sub/empty.yaml", "include:\n  #- inc/a.yaml\nflow:\n  prealloc: 3\n");
    assert_int_equal(config_load(&cfg, "sub/empty.yaml", NULL, 0, &err), 0);
    assert_int_equal(cfg.flow.prealloc, 3);
    config_free(&cfg);

    write_file("sub/inc/flow.yaml", "hash-size: 99\n");
    write_file("sub/tag.yaml", "flow: !include inc/flow.yaml\n");
    assert_int_equal(config_load(&cfg, "sub/tag.yaml", NULL, 0, &err), 0);
    assert_int_equal(cfg.flow.hash_size, 99);
    config_free(&cfg);
}

static void test_include_errors(void **state)
{
    (void)state;
    write_file("a.yaml", "runmode: single\ninclude: b.yaml\n");
    write_file("b.yaml", "\ninclude:\n  - a.yaml\n");
    struct vigil_config cfg;
    struct config_error err;
    assert_int_equal(config_load(&cfg, "a.yaml", NULL, 0, &err), -1);
    assert_string_equal(err.message,
                        "b.yaml:3: include: cannot include \"a.yaml\": "
                        "include cycle, the file is already being read");

    expect_yaml_error("# settings\ninclude: missing.yaml\n",
                      "vigil.yaml:2: include: cannot include \"missing.yaml\": "
                      "No such file or directory");
    expect_yaml_error("outputs: !include gone.yaml\n",
                      "vigil.yaml:1: outputs: cannot include \"gone.yaml\": "
                      "No such file or directory");
    write_file("list.yaml", "- 1\n");
    expect_yaml_error("include: list.yaml\n",
                      "vigil.yaml:1: include: \"list.yaml\" does not hold a mapping");
    expect_yaml_error("include: {a: b}\n",
                      "vigil.yaml:1: include: expected a file name or a list of file names");
    expect_yaml_error("include: .\n",
                      "vigil.yaml:1: include: cannot include \".\": not a regular file");
    write_file("bad.yaml", "flow:\n  memcap: lots\n");
    expect_yaml_error("include: bad.yaml\n", "bad.yaml:2: flow.memcap: \"lots\" is not a size");
}

static void test_set_overrides(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    write_file("base.yaml",
               "runmode: workers\n"
               "flow:\n  memcap: 64mb\n"
               "outputs:\n  - fast: {enabled: yes}\n"
               "  - eve-log:\n      enabled: yes\n      types: [flow]\n");
    char *sets[] = {
        "flow.memcap=256mb",
        "outputs.1.eve-log.enabled=no",
        "runmode=single",
        "flow.memcap=512mb",
        "vars.address-groups.HOME_NET=[10.0.0.0/8]",
        "defrag.timeout=5",
        "runmode=",
    };
    if (config_load(&cfg, "base.yaml", sets, sizeof(sets) / sizeof(sets[0]), &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(cfg.flow.memcap, 512u << 20);
    assert_false(cfg.eve.enabled);
    assert_true(cfg.eve.log_flow);
    assert_string_equal(cfg.runmode, "autofp"); /* an empty value means the default */
    assert_int_equal(cfg.address_group_count, 1);
    assert_string_equal(cfg.address_groups[0].value, "[10.0.0.0/8]");
    assert_int_equal(cfg.defrag.timeout, 5);
    config_free(&cfg);

    char *only[] = {"stats.interval=2"};
    assert_int_equal(config_load(&cfg, NULL, only, 1, &err), 0);
    assert_int_equal(cfg.stats.interval, 2);
    config_free(&cfg);
}

static void test_set_errors(void **state)
{
    (void)state;
    expect_set_error("flow.memcap=12XB", "--set flow.memcap: \"12XB\" is not a size");
    expect_set_error("flowmemcap", "--set flowmemcap: expected key=value");
    expect_set_error("flow.bogus=1", "--set flow.bogus: unknown key");
    expect_set_error("flow..memcap=1", "--set flow..memcap: expected a dotted key such as flow.memcap");
    expect_set_error("=1", "--set: expected a dotted key such as flow.memcap");
    expect_set_error("runmode=fast",
                     "--set runmode: \"fast\" is not a runmode (single, autofp or workers)");
    expect_set_error("include=x.yaml", "--set include: include files cannot be added with --set");
    char *sets[] = {"runmode.x=1"};
    expect_error("runmode: single\n", sets, 1,
                 "--set runmode.x: runmode holds a single value, it has no keys");
    char *index[] = {"outputs.x.eve-log.enabled=no"};
    expect_error("outputs:\n  - fast: {}\n", index, 1,
                 "--set outputs.x.eve-log.enabled: \"x\" is not an index of the list");
    char *range[] = {"outputs.5.eve-log.enabled=no"};
    expect_error("outputs:\n  - fast: {}\n", range, 1,
                 "--set outputs.5.eve-log.enabled: \"5\" is not an index of the list");
    char *item[] = {"outputs.0.eve-log.types.1.stats.threads=yes"};
    expect_error("outputs:\n  - eve-log:\n      types: [flow, stats]\n", item, 1,
                 "--set outputs.0.eve-log.types.1.stats.threads: list item 1 holds a single "
                 "value, it has no keys");
    char *deeper[] = {"outputs.0.eve-log.types.1.x=yes"};
    expect_error("outputs:\n  - eve-log:\n      types: [flow, stats]\n", deeper, 1,
                 "--set outputs.0.eve-log.types.1.x: list item 1 holds a single value, it has "
                 "no keys");
    char *later[] = {"stats.interval=2", "flow=big"};
    expect_error("", later, 2, "--set flow: expected a mapping, not \"big\"");
}

static void test_error_messages(void **state)
{
    (void)state;
    char text[2048] = "%YAML 1.1\n---\n";
    for (int line = 3; line < 41; line++)
        strcat(text, "# comment\n");
    strcat(text, "flow:\n  memcap: 12XB\n");
    expect_yaml_error(text, "vigil.yaml:42: flow.memcap: \"12XB\" is not a size");

    static const struct {
        const char *yaml;
        const char *message;
    } cases[] = {
        {"flow:\n  hash-size: 0\n", "vigil.yaml:2: flow.hash-size: 0 is out of range (1..4294967295)"},
        {"flow:\n  emergency-recovery: 101\n",
         "vigil.yaml:2: flow.emergency-recovery: 101 is out of range (1..100)"},
        {"flow:\n  prealloc: -5\n", "vigil.yaml:2: flow.prealloc: -5 must not be negative"},
        {"flow:\n  prealloc: 4294967296\n",
         "vigil.yaml:2: flow.prealloc: 4294967296 is out of range (0..4294967295)"},
        {"flow:\n  prealloc: ten\n", "vigil.yaml:2: flow.prealloc: \"ten\" is not a number"},
        {"flow:\n  memcap: 0\n", "vigil.yaml:2: flow.memcap: size must be greater than 0"},
        {"flow:\n  memcap: 99999999999gb\n", "vigil.yaml:2: flow.memcap: \"99999999999gb\" is too large"},
        {"flow:\n  memcap: [1]\n", "vigil.yaml:2: flow.memcap: expected a single value, not a list"},
        {"flow:\n  memcapp: 1mb\n", "vigil.yaml:2: flow.memcapp: unknown key"},
        {"flow: 5\n", "vigil.yaml:1: flow: expected a mapping, not \"5\""},
        {"runmode: fast\n", "vigil.yaml:1: runmode: \"fast\" is not a runmode (single, autofp or workers)"},
        {"max-pending-packets: 0\n", "vigil.yaml:1: max-pending-packets: 0 is out of range (1..65535)"},
        {"default-log-dir: \"\"\n", "vigil.yaml:1: default-log-dir: must not be empty"},
        {"vlan:\n  use-for-tracking: maybe\n",
         "vigil.yaml:2: vlan.use-for-tracking: \"maybe\" is not a boolean (yes/no)"},
        {"vlan:\n  use-for-traking: yes\n", "vigil.yaml:2: vlan.use-for-traking: unknown key"},
        {"flow-timeouts:\n  tcp:\n    establish: 5\n",
         "vigil.yaml:3: flow-timeouts.tcp.establish: unknown key"},
        {"flow-timeouts:\n  gre:\n    new: 5\n", "vigil.yaml:2: flow-timeouts.gre: unknown key"},
        {"flow-timeouts:\n  udp:\n    new: -1\n",
         "vigil.yaml:3: flow-timeouts.udp.new: -1 must not be negative"},
        {"defrag:\n  timeouts: 5\n", "vigil.yaml:2: defrag.timeouts: unknown key"},
        {"defrag:\n  trackers: 0\n", "vigil.yaml:2: defrag.trackers: 0 is out of range (1..4294967295)"},
        {"stats:\n  interval: 0\n", "vigil.yaml:2: stats.interval: 0 is out of range (1..86400)"},
        {"stats:\n  enable: yes\n", "vigil.yaml:2: stats.enable: unknown key"},
        {"outputs:\n  - eve-log:\n      enabled: yes\n      file-name: x\n",
         "vigil.yaml:4: outputs.0.eve-log.file-name: unknown key"},
        {"outputs:\n  - eve-log:\n      filetype: syslog\n",
         "vigil.yaml:3: outputs.0.eve-log.filetype: \"syslog\" is not supported (regular, unix_stream or unix_dgram)"},
        {"outputs:\n  - fast: {}\n  - eve-log:\n      types:\n        - stats:\n            total: yes\n",
         "vigil.yaml:6: outputs.1.eve-log.types.0.stats.total: unknown key"},
        {"outputs:\n  - eve-log:\n      types: flow\n",
         "vigil.yaml:3: outputs.0.eve-log.types: expected a list of event types"},
        {"outputs:\n  - eve-log: {}\n  - eve-log: {}\n",
         "vigil.yaml:3: outputs.1.eve-log: only one eve-log output is supported"},
        {"outputs:\n  eve-log: {}\n",
         "vigil.yaml:2: outputs: expected a list of outputs (- eve-log: ...)"},
        {"outputs:\n  - eve-log\n",
         "vigil.yaml:2: outputs.0: expected a one-key mapping such as \"- eve-log:\""},
        {"decoder:\n  vxlan:\n    ports: any\n",
         "vigil.yaml:3: decoder.vxlan.ports: \"any\" is not a port (1..65535)"},
        {"decoder:\n  vxlan:\n    ports: 70000\n",
         "vigil.yaml:3: decoder.vxlan.ports: \"70000\" is not a port (1..65535)"},
        {"decoder:\n  geneve:\n    ports: $NOPE\n",
         "vigil.yaml:3: decoder.geneve.ports: $NOPE is not a vars.port-groups variable"},
        {"threading:\n  flow-workers: many\n",
         "vigil.yaml:2: threading.flow-workers: \"many\" is not auto or a number of workers (1..1024)"},
        {"vars:\n  address-groups:\n    HOME_NET: [a, b]\n",
         "vigil.yaml:3: vars.address-groups.HOME_NET: expected a single value"},
        {"base: &b {x: 1}\nother: *b\n", "vigil.yaml:2: other: YAML aliases (*b) are not supported"},
        {"? [a]\n: b\n", "vigil.yaml:1: mapping keys must be plain values"},
        {"- a\n- b\n", "vigil.yaml:1: the top level must be a mapping of keys"},
        {"a: 1\n---\nb: 2\n", "vigil.yaml:2: only one YAML document per file is supported"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_yaml_error(cases[i].yaml, cases[i].message);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    expect_yaml_error("%YAML 1.1\n---\nflow:\n  memcap: 1mb\n   hash-size: 5\n"
                      "stats:\n  enabled: [yes\n",
                      "vigil.yaml:5: YAML syntax error: mapping values are not allowed "
                      "in this context (column 13)");
    expect_yaml_error("a: 1\nb: \"unterminated\n",
                      "vigil.yaml:3: YAML syntax error: found unexpected end of stream "
                      "(column 1)");
    expect_yaml_error("a: 1\nb: \xff\n",
                      "vigil.yaml:2: YAML syntax error: invalid leading UTF-8 octet "
                      "(column 4)");
    char nested[1024] = "a: ";
    for (int i = 0; i < 70; i++)
        strcat(nested, "[");
    for (int i = 0; i < 70; i++)
        strcat(nested, "]");
    strcat(nested, "\n");
    char expected[512] = "vigil.yaml:1: a";
    for (int i = 0; i < 63; i++)
        strcat(expected, ".0");
    strcat(expected, ": nested deeper than 64 levels");
    expect_yaml_error(nested, expected);
}

static void test_nothing_half_applies(void **state)
{
    (void)state;
    struct vigil_config cfg, before;
    struct config_error err;
    assert_int_equal(load_text(&cfg, "runmode: single\nflow:\n  memcap: 1mb\n", &err), 0);
    before = cfg;
    assert_int_equal(load_text(&cfg,
                               "runmode: workers\n"
                               "vars:\n  address-groups:\n    HOME_NET: any\n"
                               "flow:\n  memcap: 2mb\n"
                               "stats:\n  interval: nope\n",
                               &err), -1);
    assert_memory_equal(&cfg, &before, sizeof(cfg));
    assert_string_equal(cfg.runmode, "single");
    char *sets[] = {"flow.memcap=4mb", "flow.hash-size=0"};
    assert_int_equal(config_load(&cfg, NULL, sets, 2, &err), -1);
    assert_string_equal(err.message, "--set flow.hash-size: 0 is out of range (1..4294967295)");
    assert_memory_equal(&cfg, &before, sizeof(cfg));
    assert_int_equal(cfg.flow.memcap, 1u << 20);
    config_free(&cfg);
}

static void test_suricata_sections_ignored(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    int rc = load_text(&cfg,
                       "%YAML 1.1\n---\n"
                       "default-rule-path: /etc/suricata/rules\n"
                       "rule-files:\n  - suricata.rules\n"
                       "app-layer:\n  protocols:\n    http:\n      enabled: yes\n"
                       "stream:\n  memcap: 64mb\n  reassembly:\n    depth: 1mb\n"
                       "af-packet:\n  - interface: eth0\n"
                       "outputs:\n"
                       "  - fast:\n      enabled: yes\n"
                       "  - eve-log:\n"
                       "      enabled: yes\n"
                       "      xff: {enabled: no}\n"
                       "      types:\n        - dns: {query: yes}\n        - tls\n"
                       "  - stats:\n      enabled: yes\n      filename: stats.log\n"
                       "flow:\n  memcap-policy: ignore\n"
                       "flow-timeouts:\n  sctp:\n    new: 30\n"
                       "decoder:\n  erspan:\n    typeI:\n      enabled: no\n",
                       &err);
    if (rc != 0)
        fail_msg("%s", err.message);
    assert_true(cfg.eve.enabled);
    assert_false(cfg.eve.log_flow);
    assert_false(cfg.eve.log_stats);
    config_free(&cfg);
}

static void test_load_buffer(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    static const char yaml[] = "flow:\n  managers: 2\n";
    assert_int_equal(config_load_buffer(&cfg, "mem.yaml", yaml, sizeof(yaml) - 1, &err), 0);
    assert_int_equal(cfg.flow.managers, 2);
    assert_string_equal(cfg.source_file, "mem.yaml");
    config_free(&cfg);
    static const char bad[] = "flow:\n  managers: 0\n";
    assert_int_equal(config_load_buffer(&cfg, "mem.yaml", bad, sizeof(bad) - 1, &err), -1);
    assert_string_equal(err.message, "mem.yaml:2: flow.managers: 0 is out of range (1..1024)");
    assert_int_equal(config_load(&cfg, "absent.yaml", NULL, 0, &err), -1);
    assert_string_equal(err.message, "absent.yaml: cannot open: No such file or directory");
}

static void test_shipped_config(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    if (config_load(&cfg, VIGIL_SRCDIR "/etc/vigil.yaml", NULL, 0, &err) != 0)
        fail_msg("%s", err.message);
    assert_string_equal(cfg.default_log_dir, "/var/log/vigil/");
    assert_string_equal(cfg.runmode, "autofp");
    assert_true(cfg.eve.enabled);
    assert_string_equal(cfg.eve.filename, "eve.json");
    assert_true(cfg.eve.log_flow);
    assert_true(cfg.eve.log_stats);
    assert_true(cfg.eve.stats_totals);
    assert_true(cfg.stats.enabled);
    assert_int_equal(cfg.stats.interval, 8);
    check_timeouts(&cfg.timeouts[FLOW_PROTO_TCP], 60, 600, 60, 100, 5, 100, 10, 50);
    check_timeouts(&cfg.timeouts[FLOW_PROTO_UDP], 30, 300, 0, 100, 10, 100, 0, 50);
    assert_int_equal(cfg.decoder.vxlan_port, 4789);
    assert_int_equal(cfg.decoder.teredo_port, 3544);
    assert_int_equal(cfg.flow.memcap, 128u << 20);
    assert_int_equal(cfg.dpdk.eal_arg_count, 0);
    assert_int_equal(cfg.dpdk.iface_count, 0);
    config_free(&cfg);
}

/* The commented dpdk: example of etc/vigil.yaml, uncommented, must load. */
static void test_shipped_dpdk_example(void **state)
{
    (void)state;
    FILE *f = fopen(VIGIL_SRCDIR "/etc/vigil.yaml", "r");
    assert_non_null(f);
    char line[256], yaml[4096] = "";
    bool inside = false;
    while (fgets(line, sizeof(line), f) != NULL) {
        inside = inside ? line[0] == '#' : strncmp(line, "#dpdk:", 6) == 0;
        if (inside)
            strncat(yaml, line + 1, sizeof(yaml) - strlen(yaml) - 1);
    }
    fclose(f);
    struct vigil_config cfg;
    struct config_error err;
    if (config_load_buffer(&cfg, "example.yaml", yaml, strlen(yaml), &err) != 0)
        fail_msg("%s", err.message);
    assert_int_equal(cfg.dpdk.eal_arg_count, 1);
    assert_string_equal(cfg.dpdk.eal_args[0], "--proc-type=primary");
    assert_int_equal(cfg.dpdk.iface_count, 1);
    assert_string_equal(cfg.dpdk.ifaces[0].name, "0000:3b:00.0");
    assert_int_equal(cfg.dpdk.ifaces[0].mtu, 1500);
    assert_true(cfg.dpdk.ifaces[0].threads.is_auto);
    config_free(&cfg);
}

static void check_auto(struct vigil_dpdk_auto setting)
{
    assert_true(setting.is_auto);
}

static void check_number(struct vigil_dpdk_auto setting, uint64_t value)
{
    assert_false(setting.is_auto);
    assert_int_equal(setting.value, value);
}

/* default comes last, yet fills in what the ports before it leave out. */
static const char dpdk_example[] =
    "dpdk:\n"
    "  eal-params:\n"
    "    proc-type: primary\n"
    "    l: 0-1\n"
    "    no-huge: true\n"
    "    no-pci: false\n"
    "    vdev: [\"net_pcap0,rx_pcap=a.pcap\", net_ring0]\n"
    "    m: 1024\n"
    "    a: [0000:3b:00.0, 0000:3b:00.1]\n"
    "  interfaces:\n"
    "    - interface: net_pcap0\n"
    "      threads: 4\n"
    "      promisc: false\n"
    "      multicast: no\n"
    "      checksum-checks: false\n"
    "      checksum-checks-offload: false\n"
    "      mtu: 9000\n"
    "      rss-hash-functions: 0x3C\n"
    "      mempool-size: 65535\n"
    "      mempool-cache-size: 0\n"
    "      rx-descriptors: 1024\n"
    "      tx-descriptors: auto\n"
    "      copy-mode: none\n"
    "      copy-iface: none\n"
    "    - interface: 0000:3b:00.0\n"
    "      promisc: true\n"
    "      mempool-cache-size: auto\n"
    "    - interface: default\n"
    "      threads: 2\n"
    "      promisc: false\n"
    "      mtu: 1400\n"
    "      rss-hash-functions: 0xffffffffffffffff\n"
    "      mempool-size: 1023\n"
    "      mempool-cache-size: 31\n"
    "      tx-descriptors: 512\n";

static void test_dpdk_example(void **state)
{
    (void)state;
    struct vigil_config cfg;
    load_ok(&cfg, dpdk_example);
    assert_int_equal(cfg.dpdk.iface_count, 2);

    const struct vigil_dpdk_iface *pcap = &cfg.dpdk.ifaces[0];
    assert_string_equal(pcap->name, "net_pcap0");
    check_number(pcap->threads, 4);
    assert_false(pcap->promisc);
    assert_false(pcap->multicast);
    assert_false(pcap->checksum_checks);
    assert_false(pcap->checksum_checks_offload);
    assert_int_equal(pcap->mtu, 9000);
    check_number(pcap->rss_hash_functions, 0x3c);
    check_number(pcap->mempool_size, 65535);
    check_number(pcap->mempool_cache_size, 0);
    check_number(pcap->rx_descriptors, 1024);
    check_auto(pcap->tx_descriptors);
    assert_int_equal(pcap->copy_mode, VIGIL_DPDK_COPY_NONE);

    const struct vigil_dpdk_iface *pci = &cfg.dpdk.ifaces[1];
    assert_string_equal(pci->name, "0000:3b:00.0");
    check_number(pci->threads, 2);                 /* from default */
    assert_true(pci->promisc);                     /* its own over default's */
    assert_true(pci->multicast);                   /* built in */
    assert_true(pci->checksum_checks);
    assert_true(pci->checksum_checks_offload);
    assert_int_equal(pci->mtu, 1400);
    check_number(pci->rss_hash_functions, UINT64_MAX);
    check_number(pci->mempool_size, 1023);
    check_auto(pci->mempool_cache_size);           /* auto over default's 31 */
    check_auto(pci->rx_descriptors);               /* built in */
    check_number(pci->tx_descriptors, 512);
    assert_int_equal(pci->copy_mode, VIGIL_DPDK_COPY_NONE);
    config_free(&cfg);
}

static void test_dpdk_builtin_defaults(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    assert_int_equal(load_text(&cfg, "dpdk:\n  interfaces:\n    - interface: net_ring0\n",
                               &err), 0);
    assert_int_equal(cfg.dpdk.iface_count, 1);
    assert_int_equal(cfg.dpdk.eal_arg_count, 0);
    const struct vigil_dpdk_iface *ring = &cfg.dpdk.ifaces[0];
    assert_string_equal(ring->name, "net_ring0");
    check_auto(ring->threads);
    assert_true(ring->promisc);
    assert_true(ring->multicast);
    assert_true(ring->checksum_checks);
    assert_true(ring->checksum_checks_offload);
    assert_int_equal(ring->mtu, 1500);
    check_auto(ring->rss_hash_functions);
    check_auto(ring->mempool_size);
    check_auto(ring->mempool_cache_size);
    check_auto(ring->rx_descriptors);
    check_auto(ring->tx_descriptors);
    assert_int_equal(ring->copy_mode, VIGIL_DPDK_COPY_NONE);
    config_free(&cfg);

    assert_int_equal(load_text(&cfg, "dpdk:\n  interfaces:\n    - interface: default\n"
                                     "      mtu: 2000\n  eal-params:\n",
                               &err), 0);
    assert_int_equal(cfg.dpdk.iface_count, 0);
    assert_null(cfg.dpdk.ifaces);
    config_free(&cfg);
}

static void check_args(const struct vigil_dpdk_config *dpdk, const char *const *expected,
                       size_t count)
{
    assert_int_equal(dpdk->eal_arg_count, count);
    for (size_t i = 0; i < count; i++)
        assert_string_equal(dpdk->eal_args[i], expected[i]);
}

static void test_dpdk_eal_args(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    static const char *const expected[] = {
        "--proc-type=primary", "-l", "0-1", "--no-huge",
        "--vdev=net_pcap0,rx_pcap=a.pcap", "--vdev=net_ring0", "-m", "1024",
        "-a", "0000:3b:00.0", "-a", "0000:3b:00.1",
    };
    if (load_text(&cfg, dpdk_example, &err) != 0)
        fail_msg("%s", err.message);
    check_args(&cfg.dpdk, expected, sizeof(expected) / sizeof(expected[0]));
    config_free(&cfg);

    static const char *const flags[] = {"-v", "--in-memory", "--log-level=lib.eal:debug"};
    assert_int_equal(load_text(&cfg,
                               "dpdk:\n  eal-params:\n    v: yes\n    in-memory: On\n"
                               "    no-telemetry: off\n    file-prefix:\n"
                               "    log-level: [\"lib.eal:debug\"]\n",
                               &err), 0);
    check_args(&cfg.dpdk, flags, sizeof(flags) / sizeof(flags[0]));
    config_free(&cfg);

    static const char *const set[] = {"--no-huge", "--no-pci"};
    char *sets[] = {"dpdk.eal-params.no-huge=true", "dpdk.eal-params.no-pci=yes",
                    "dpdk.interfaces.0.threads=3"};
    write_file("vigil.yaml", "dpdk:\n  interfaces:\n    - interface: net_tap0\n");
    if (config_load(&cfg, "vigil.yaml", sets, 3, &err) != 0)
        fail_msg("%s", err.message);
    check_args(&cfg.dpdk, set, 2);
    check_number(cfg.dpdk.ifaces[0].threads, 3);
    config_free(&cfg);
}

static void test_dpdk_errors(void **state)
{
    (void)state;
    static const char head[] = "dpdk:\n  interfaces:\n    - interface: net_pcap0\n";
    static const struct error_case port_cases[] = {
        {"      promisk: true\n", "vigil.yaml:4: dpdk.interfaces.0.promisk: unknown key"},
        {"      threads: 0\n", "vigil.yaml:4: dpdk.interfaces.0.threads: 0 is out of range (1..256)"},
        {"      threads: 257\n",
         "vigil.yaml:4: dpdk.interfaces.0.threads: 257 is out of range (1..256)"},
        {"      threads: many\n",
         "vigil.yaml:4: dpdk.interfaces.0.threads: \"many\" is not auto or a number (1..256)"},
        {"      mempool-cache-size: 513\n",
         "vigil.yaml:4: dpdk.interfaces.0.mempool-cache-size: 513 is out of range (0..512)"},
        {"      mempool-size: 0\n",
         "vigil.yaml:4: dpdk.interfaces.0.mempool-size: 0 is out of range (1..4294967295)"},
        {"      rx-descriptors: 65536\n",
         "vigil.yaml:4: dpdk.interfaces.0.rx-descriptors: 65536 is out of range (1..65535)"},
        {"      tx-descriptors: -1\n",
         "vigil.yaml:4: dpdk.interfaces.0.tx-descriptors: \"-1\" is not auto or a number (1..65535)"},
        {"      mtu: 63\n", "vigil.yaml:4: dpdk.interfaces.0.mtu: 63 is out of range (64..9216)"},
        {"      mtu: 9217\n", "vigil.yaml:4: dpdk.interfaces.0.mtu: 9217 is out of range (64..9216)"},
        {"      promisc: maybe\n",
         "vigil.yaml:4: dpdk.interfaces.0.promisc: \"maybe\" is not a boolean (yes/no)"},
        {"      rss-hash-functions: 60\n",
         "vigil.yaml:4: dpdk.interfaces.0.rss-hash-functions: \"60\" is not auto or a hex "
         "number such as 0x3c"},
        {"      rss-hash-functions: 0x3g\n",
         "vigil.yaml:4: dpdk.interfaces.0.rss-hash-functions: \"0x3g\" is not auto or a hex "
         "number such as 0x3c"},
        {"      rss-hash-functions: 0x10000000000000000\n",
         "vigil.yaml:4: dpdk.interfaces.0.rss-hash-functions: \"0x10000000000000000\" is not "
         "auto or a hex number such as 0x3c"},
        {"      copy-mode: tap\n",
         "vigil.yaml:4: dpdk.interfaces.0.copy-mode: tap is not supported yet (IDS only; issue 4)"},
        {"      copy-mode: ips\n",
         "vigil.yaml:4: dpdk.interfaces.0.copy-mode: ips is not supported yet (IDS only; issue 4)"},
        {"      copy-mode: mirror\n",
         "vigil.yaml:4: dpdk.interfaces.0.copy-mode: \"mirror\" is not a copy mode "
         "(none, tap or ips)"},
        {"    - interface: net_ring0\n    - interface: net_pcap0\n",
         "vigil.yaml:5: dpdk.interfaces.2.interface: \"net_pcap0\" is already listed as "
         "dpdk.interfaces.0"},
        {"    - interface: default\n    - threads: 2\n",
         "vigil.yaml:5: dpdk.interfaces.2: entry has no interface: key"},
        {"    - interface: default\n      threads: 0\n",
         "vigil.yaml:5: dpdk.interfaces.1.threads: 0 is out of range (1..256)"},
        {"    - interface: \"\"\n",
         "vigil.yaml:4: dpdk.interfaces.1.interface: expected a PCI address such as "
         "0000:3b:00.0, a vdev name such as net_pcap0, or default"},
    };
    expect_errors_after(head, port_cases, sizeof(port_cases) / sizeof(port_cases[0]));

    static const struct {
        const char *yaml;
        const char *message;
    } cases[] = {
        {"dpdk:\n  interfaces:\n    interface: net_pcap0\n",
         "vigil.yaml:3: dpdk.interfaces: expected a list of interfaces (- interface: NAME)"},
        {"dpdk:\n  interfaces:\n    - interface: default\n    - interface: default\n",
         "vigil.yaml:4: dpdk.interfaces.1.interface: \"default\" is already listed as "
         "dpdk.interfaces.0"},
        {"dpdk:\n  interfaces:\n    - net_pcap0\n",
         "vigil.yaml:3: dpdk.interfaces.0: expected a mapping, not \"net_pcap0\""},
        {"dpdk:\n  interface:\n    - interface: net_pcap0\n",
         "vigil.yaml:2: dpdk.interface: unknown key"},
        {"dpdk: yes\n", "vigil.yaml:1: dpdk: expected a mapping, not \"yes\""},
        {"dpdk:\n  eal-params: [no-huge]\n",
         "vigil.yaml:2: dpdk.eal-params: expected a mapping, not a list"},
        {"dpdk:\n  eal-params:\n    socket-mem: {a: 1}\n",
         "vigil.yaml:3: dpdk.eal-params.socket-mem: expected a value, true, false or a list "
         "of values"},
        {"dpdk:\n  eal-params:\n    vdev:\n      - net_ring0\n      - [x]\n",
         "vigil.yaml:5: dpdk.eal-params.vdev.1: expected a value, true, false or a list of "
         "values"},
        {"dpdk:\n  eal-params:\n    --no-huge: true\n",
         "vigil.yaml:3: dpdk.eal-params.--no-huge: EAL options are written without dashes, "
         "e.g. no-huge: true"},
        {"dpdk:\n  eal-params:\n    file-prefix: \"\"\n",
         "vigil.yaml:3: dpdk.eal-params.file-prefix: must not be empty"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        expect_yaml_error(cases[i].yaml, cases[i].message);

    char *sets[] = {"dpdk.interfaces.0.copy-mode=ips"};
    expect_error(head, sets, 1, "--set dpdk.interfaces.0.copy-mode: ips is not supported yet "
                                "(IDS only; issue 4)");
    expect_set_error("dpdk.interfaces.0.copy-mode=tap",
                     "--set dpdk.interfaces: expected a list of interfaces (- interface: NAME)");
}

static cpu_set_t online_cpus(void)
{
    cpu_set_t online;
    cpu_affinity_online(&online);
    return online;
}

static void expect_cpus(const cpu_set_t *cpus, const cpu_set_t *expected)
{
    char got[256], want[256];
    cpu_list_format(cpus, got, sizeof(got));
    cpu_list_format(expected, want, sizeof(want));
    assert_string_equal(got, want);
}

static cpu_set_t only_cpu(int cpu)
{
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(cpu, &cpus);
    return cpus;
}

/* suricata.yaml's threading section, as Suricata 7 ships it but switched on. */
static const char affinity_example[] =
    "threading:\n"
    "  set-cpu-affinity: yes\n"
    "  cpu-affinity:\n"
    "    - management-cpu-set:\n"
    "        cpu: [ 0 ]  # include only these CPUs in affinity settings\n"
    "    - receive-cpu-set:\n"
    "        cpu: [ 0 ]\n"
    "    - worker-cpu-set:\n"
    "        cpu: [ \"all\" ]\n"
    "        mode: \"balanced\"\n"
    "        threads: 3\n"
    "        prio:\n"
    "          low: [ 0 ]\n"
    "          medium: [ \"0-0\" ]\n"
    "          high: [ 0 ]\n"
    "          default: \"high\"\n"
    "    #- verdict-cpu-set:\n"
    "    #    cpu: [ 0 ]\n"
    "  detect-thread-ratio: 1.0\n";

static void test_affinity_suricata_example(void **state)
{
    (void)state;
    struct vigil_config cfg;
    load_ok(&cfg, affinity_example);
    const struct cpu_affinity_config *a = &cfg.threading.affinity;
    cpu_set_t cpu0 = only_cpu(0), online = online_cpus();
    assert_true(a->enabled);
    expect_cpus(&a->sets[CPU_AFFINITY_MANAGEMENT].cpus, &cpu0);
    expect_cpus(&a->sets[CPU_AFFINITY_RECEIVE].cpus, &cpu0);
    expect_cpus(&a->sets[CPU_AFFINITY_WORKER].cpus, &online);
    expect_cpus(&a->sets[CPU_AFFINITY_VERDICT].cpus, &online);
    assert_int_equal(a->sets[CPU_AFFINITY_WORKER].mode, CPU_AFFINITY_BALANCED);
    assert_int_equal(a->sets[CPU_AFFINITY_RECEIVE].mode, CPU_AFFINITY_EXCLUSIVE);
    assert_int_equal(a->sets[CPU_AFFINITY_WORKER].prio, CPU_PRIO_HIGH);
    assert_int_equal(a->sets[CPU_AFFINITY_MANAGEMENT].prio, CPU_PRIO_MEDIUM);
    for (int p = 0; p < CPU_PRIO_COUNT; p++)
        expect_cpus(&a->sets[CPU_AFFINITY_WORKER].prio_cpus[p], &cpu0);
    config_free(&cfg);
}

/* detect-cpu-set is Suricata's older worker-cpu-set; Suricata 7 skips the
 * legacy decode, stream, reject and output sets, and so does Vigil. */
static void test_affinity_names(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    if (load_text(&cfg,
                  "threading:\n"
                  "  cpu-affinity:\n"
                  "    - detect-cpu-set:\n"
                  "        cpu: 0\n"
                  "        mode: balanced\n"
                  "    - decode-cpu-set: {cpu: [ nonsense ]}\n"
                  "    - stream-cpu-set: {}\n"
                  "    - reject-cpu-set: {}\n"
                  "    - output-cpu-set: {}\n"
                  "    - verdict-cpu-set:\n"
                  "        prio: {default: low}\n",
                  &err) != 0)
        fail_msg("%s", err.message);
    const struct cpu_affinity_config *a = &cfg.threading.affinity;
    cpu_set_t cpu0 = only_cpu(0), online = online_cpus();
    assert_false(a->enabled);
    expect_cpus(&a->sets[CPU_AFFINITY_WORKER].cpus, &cpu0);
    assert_int_equal(a->sets[CPU_AFFINITY_WORKER].mode, CPU_AFFINITY_BALANCED);
    expect_cpus(&a->sets[CPU_AFFINITY_VERDICT].cpus, &online);
    assert_int_equal(a->sets[CPU_AFFINITY_VERDICT].prio, CPU_PRIO_LOW);
    config_free(&cfg);
}

/* Without set-cpu-affinity the sets are checked for form only, so a file
 * written for a larger machine still loads. */
static void test_affinity_unused_sets_unchecked(void **state)
{
    (void)state;
    struct vigil_config cfg;
    struct config_error err;
    if (load_text(&cfg, "threading:\n  cpu-affinity:\n    - worker-cpu-set:\n"
                        "        cpu: [ 99, \"200-201\" ]\n",
                  &err) != 0)
        fail_msg("%s", err.message);
    assert_false(cfg.threading.affinity.enabled);
    assert_int_equal(CPU_COUNT(&cfg.threading.affinity.sets[CPU_AFFINITY_WORKER].cpus), 3);
    config_free(&cfg);
    char *sets[] = {"threading.set-cpu-affinity=yes"};
    write_file("vigil.yaml", "threading:\n  cpu-affinity:\n    - worker-cpu-set:\n"
                             "        cpu: [ 0 ]\n");
    if (config_load(&cfg, "vigil.yaml", sets, 1, &err) != 0)
        fail_msg("%s", err.message);
    assert_true(cfg.threading.affinity.enabled);
    config_free(&cfg);
}

static void test_affinity_errors(void **state)
{
    (void)state;
    static const char on[] = "threading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n";
    static const struct error_case cases[] = {
        {"    - worker-cpu-set:\n        cpu: [ 0, \"3-1\" ]\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.cpu.1: \"3-1\" is not a range: "
         "it starts after it ends"},
        {"    - worker-cpu-set:\n        cpu: [ \"1-x\" ]\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.cpu.0: \"1-x\" is not a CPU "
         "number, a range such as \"1-3\", or \"all\""},
        {"    - worker-cpu-set:\n        cpu: [ 5000 ]\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.cpu.0: \"5000\" is out of "
         "range (CPUs 0..1023)"},
        {"    - worker-cpu-set:\n        cpu: []\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.cpu: expected a list of CPUs "
         "such as [ 0, \"2-3\" ] or [ \"all\" ]"},
        {"    - worker-cpu-set:\n        cpu: [ [ 0 ] ]\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.cpu.0: expected a CPU number, "
         "a range such as \"1-3\", or \"all\""},
        {"    - worker-cpu-set:\n        mode: \"shared\"\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.mode: \"shared\" is not a mode "
         "(exclusive or balanced)"},
        {"    - worker-cpu-set:\n        prio:\n          default: urgent\n",
         "vigil.yaml:6: threading.cpu-affinity.0.worker-cpu-set.prio.default: \"urgent\" is "
         "not a priority (low, medium or high)"},
        {"    - worker-cpu-set:\n        prio:\n          highest: [ 0 ]\n",
         "vigil.yaml:6: threading.cpu-affinity.0.worker-cpu-set.prio.highest: unknown key"},
        {"    - worker-cpu-set:\n        prio:\n          low: [ \"1-0\" ]\n",
         "vigil.yaml:6: threading.cpu-affinity.0.worker-cpu-set.prio.low.0: \"1-0\" is not "
         "a range: it starts after it ends"},
        {"    - worker-cpu-set:\n        threads: 0\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.threads: 0 is out of range "
         "(1..1024)"},
        {"    - worker-cpu-set:\n        cpus: [ 0 ]\n",
         "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.cpus: unknown key"},
        {"    - management-cpu-set: {cpu: [ 0 ]}\n    - flow-cpu-set:\n        cpu: [ 0 ]\n",
         "vigil.yaml:5: threading.cpu-affinity.1.flow-cpu-set: unknown CPU set "
         "(management-cpu-set, receive-cpu-set, worker-cpu-set or verdict-cpu-set)"},
        {"    - worker-cpu-set: {cpu: [ 0 ]}\n      receive-cpu-set: {cpu: [ 0 ]}\n",
         "vigil.yaml:4: threading.cpu-affinity.0: expected a one-key mapping such as "
         "\"- worker-cpu-set:\""},
        {"    worker-cpu-set: {cpu: [ 0 ]}\n",
         "vigil.yaml:4: threading.cpu-affinity: expected a list of CPU sets "
         "(- worker-cpu-set: {cpu: [ 1 ]})"},
    };
    expect_errors_after(on, cases, sizeof(cases) / sizeof(cases[0]));
    expect_yaml_error("threading:\n  set-cpu-affinity: sometimes\n",
                      "vigil.yaml:2: threading.set-cpu-affinity: \"sometimes\" is not a "
                      "boolean (yes/no)");
}

/* A CPU past the online ones, named with the machine's own online list. */
static void test_affinity_offline_cpu(void **state)
{
    (void)state;
    cpu_set_t online = online_cpus();
    char list[256], message[512];
    cpu_list_format(&online, list, sizeof(list));
    int past = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, &online))
            past = cpu + 1;
    char yaml[256];
    snprintf(yaml, sizeof(yaml),
             "threading:\n  set-cpu-affinity: yes\n  cpu-affinity:\n"
             "    - worker-cpu-set:\n        cpu: [ 0, %d ]\n", past);
    snprintf(message, sizeof(message),
             "vigil.yaml:5: threading.cpu-affinity.0.worker-cpu-set.cpu.1: CPU %d is not online "
             "(online CPUs: %s)", past, list);
    expect_yaml_error(yaml, message);
}

/* The commented threading example of etc/vigil.yaml, uncommented, must load. */
static void test_shipped_affinity_example(void **state)
{
    (void)state;
    FILE *f = fopen(VIGIL_SRCDIR "/etc/vigil.yaml", "r");
    assert_non_null(f);
    char line[256], yaml[4096] = "threading:\n";
    bool inside = false;
    while (fgets(line, sizeof(line), f) != NULL) {
        inside = inside ? strncmp(line, "  #", 3) == 0
                        : strncmp(line, "  #set-cpu-affinity:", 20) == 0;
        if (inside) {
            strncat(yaml, "  ", sizeof(yaml) - strlen(yaml) - 1);
            strncat(yaml, line + 3, sizeof(yaml) - strlen(yaml) - 1);
        }
    }
    fclose(f);
    struct vigil_config cfg;
    struct config_error err;
    if (config_load_buffer(&cfg, "example.yaml", yaml, strlen(yaml), &err) != 0)
        fail_msg("%s\n%s", err.message, yaml);
    const struct cpu_affinity_config *a = &cfg.threading.affinity;
    cpu_set_t cpu0 = only_cpu(0), online = online_cpus();
    assert_true(a->enabled);
    expect_cpus(&a->sets[CPU_AFFINITY_MANAGEMENT].cpus, &cpu0);
    expect_cpus(&a->sets[CPU_AFFINITY_RECEIVE].cpus, &cpu0);
    expect_cpus(&a->sets[CPU_AFFINITY_WORKER].cpus, &online);
    assert_int_equal(a->sets[CPU_AFFINITY_WORKER].mode, CPU_AFFINITY_EXCLUSIVE);
    assert_int_equal(a->sets[CPU_AFFINITY_WORKER].prio, CPU_PRIO_MEDIUM);
    config_free(&cfg);
}

/* threading.flow-workers: a number as written; auto, one worker per CPU the
 * process may use less the capture thread's, checked by narrowing the
 * process to its first one, two and three CPUs. */
static void test_flow_workers_setting(void **state)
{
    (void)state;
    assert_int_equal(runmode_flow_workers("3"), 3);
    assert_int_equal(runmode_flow_workers("1024"), 1024);
    assert_int_equal(runmode_flow_workers("0"), 0);
    assert_int_equal(runmode_flow_workers("1025"), 0);
    assert_int_equal(runmode_flow_workers("2x"), 0);
    cpu_set_t allowed, narrowed;
    assert_int_equal(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
    int count = CPU_COUNT(&allowed);
    assert_int_equal(runmode_flow_workers("auto"), count > 1 ? count - 1 : 1);
    CPU_ZERO(&narrowed);
    int kept = 0;
    for (int cpu = 0; cpu < CPU_SETSIZE && kept < 3; cpu++) {
        if (!CPU_ISSET(cpu, &allowed))
            continue;
        CPU_SET(cpu, &narrowed);
        kept++;
        assert_int_equal(sched_setaffinity(0, sizeof(narrowed), &narrowed), 0);
        assert_int_equal(runmode_flow_workers("auto"), kept > 1 ? kept - 1 : 1);
        assert_int_equal(runmode_flow_workers(NULL), kept > 1 ? kept - 1 : 1);
    }
    assert_int_equal(sched_setaffinity(0, sizeof(allowed), &allowed), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_flow_workers_setting),
        cmocka_unit_test(test_parse_size),
        cmocka_unit_test(test_every_key),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_timeouts_inherit_default),
        cmocka_unit_test(test_include_relative_and_override),
        cmocka_unit_test(test_include_errors),
        cmocka_unit_test(test_set_overrides),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_nothing_half_applies),
        cmocka_unit_test(test_suricata_sections_ignored),
        cmocka_unit_test(test_load_buffer),
        cmocka_unit_test(test_shipped_config),
        cmocka_unit_test(test_shipped_dpdk_example),
        cmocka_unit_test(test_dpdk_example),
        cmocka_unit_test(test_dpdk_builtin_defaults),
        cmocka_unit_test(test_dpdk_eal_args),
        cmocka_unit_test(test_dpdk_errors),
        cmocka_unit_test(test_affinity_suricata_example),
        cmocka_unit_test(test_affinity_names),
        cmocka_unit_test(test_affinity_unused_sets_unchecked),
        cmocka_unit_test(test_affinity_errors),
        cmocka_unit_test(test_affinity_offline_cpu),
        cmocka_unit_test(test_shipped_affinity_example),
    };
    return cmocka_run_group_tests(tests, enter_dir, leave_dir);
}
