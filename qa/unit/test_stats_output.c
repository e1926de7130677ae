/* Unit tests for the stats outputs: stats.log's exact text, the EVE stats
 * record's nesting, threads and deltas, and the schema name filter. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "output/eve-stats.h"
#include "output/stats-log.h"
#include "runtime/counters.h"
#include "runtime/stats-sample.h"

struct demo_stats {
    uint64_t pkts, bytes, trunc, secret;
};

static const struct counter_field decoder_fields[] = {
    {"decoder.pkts", offsetof(struct demo_stats, pkts)},
    {"decoder.event.ipv4.trunc_pkt", offsetof(struct demo_stats, trunc)},
    {"vigil.secret", offsetof(struct demo_stats, secret)},
};

struct flow_demo {
    uint64_t total, tcp;
};

static const struct counter_field flow_fields[] = {
    {"flow.total", offsetof(struct flow_demo, total)},
    {"flow.tcp", offsetof(struct flow_demo, tcp)},
};

/* Registered after flow.*, so decoder.bytes must still join "decoder". */
static const struct counter_field late_fields[] = {
    {"decoder.bytes", offsetof(struct demo_stats, bytes)},
};

static uint64_t gauge_value(void *arg)
{
    return *(const uint64_t *)arg;
}

struct fixture {
    struct counter_registry reg;
    struct counter_set *w1, *w2, *w1_flow, *w1_late;
    uint64_t memuse;
    struct stats_sample sample;
    struct json_builder jb;
    char dir[64];
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    counter_registry_init(&f->reg);
    f->w1 = counter_set_register(&f->reg, "W#01", decoder_fields, 3, sizeof(struct demo_stats));
    f->w1_flow = counter_set_register(&f->reg, "W#01", flow_fields, 2, sizeof(struct flow_demo));
    f->w2 = counter_set_register(&f->reg, "W#02", decoder_fields, 3, sizeof(struct demo_stats));
    f->w1_late = counter_set_register(&f->reg, "W#01", late_fields, 1, sizeof(struct demo_stats));
    f->memuse = 11428608;
    assert_int_equal(counter_gauge_register(&f->reg, "flow.memuse", gauge_value, &f->memuse), 0);

    struct demo_stats d1 = {1000, 64000, 2, 5}, d2 = {234, 0, 0, 0};
    struct flow_demo fl = {3, 0};
    counter_set_publish(f->w1, &d1);
    counter_set_publish(f->w2, &d2);
    counter_set_publish(f->w1_flow, &fl);
    counter_set_publish(f->w1_late, &d1);
    stats_sample_init(&f->sample);
    assert_true(stats_sample_collect(&f->sample, &f->reg, 8));
    assert_true(jb_init(&f->jb, 0));
    snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-stats-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    setenv("TZ", "UTC", 1);
    tzset();
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char path[128];
    snprintf(path, sizeof(path), "%s/stats.log", f->dir);
    unlink(path);
    snprintf(path, sizeof(path), "%s/records.json", f->dir);
    unlink(path);
    rmdir(f->dir);
    jb_free(&f->jb);
    stats_sample_free(&f->sample);
    counter_registry_destroy(&f->reg);
    free(f);
    return 0;
}

static char *read_file(const char *path)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    static char buf[8192];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

#define RULE "------------------------------------------------------------------------------------\n"
#define HEADER(date, uptime) \
    RULE "Date: " date " (uptime: " uptime ")\n" RULE \
    "Counter                                       | TM Name                   | Value\n" RULE

static const char expect_totals[] =
    HEADER("11/22/2026 -- 02:44:32", "0d, 00h 00m 08s")
    "decoder.pkts                                  | Total                     | 1234\n"
    "decoder.event.ipv4.trunc_pkt                  | Total                     | 2\n"
    "vigil.secret                                  | Total                     | 5\n"
    "flow.total                                    | Total                     | 3\n"
    "decoder.bytes                                 | Total                     | 64000\n"
    "flow.memuse                                   | Total                     | 11428608\n";

static void test_stats_log_text(void **state)
{
    struct fixture *f = *state;
    struct stats_log_options opt = {.totals = true};
    char err[256], path[128];
    struct stats_log *l = stats_log_open(f->dir, NULL, &opt, err, sizeof(err));
    assert_non_null(l);
    snprintf(path, sizeof(path), "%s/stats.log", f->dir);
    assert_string_equal(stats_log_path(l), path);
    assert_true(stats_log_write(l, &f->sample, 1795315472, err, sizeof(err)));
    assert_true(stats_log_close(l, err, sizeof(err)));
    assert_string_equal(read_file(path), expect_totals);

    /* Appended, never truncated; long uptimes roll into days. */
    opt = (struct stats_log_options){.totals = false, .threads = true};
    l = stats_log_open(f->dir, "stats.log", &opt, err, sizeof(err));
    assert_non_null(l);
    f->sample.uptime = 93784;
    assert_true(stats_log_write(l, &f->sample, 1795315472, err, sizeof(err)));
    assert_true(stats_log_close(l, err, sizeof(err)));
    static const char expect_threads[] =
        HEADER("11/22/2026 -- 02:44:32", "1d, 02h 03m 04s")
        "decoder.pkts                                  | W#01                      | 1000\n"
        "decoder.event.ipv4.trunc_pkt                  | W#01                      | 2\n"
        "vigil.secret                                  | W#01                      | 5\n"
        "flow.total                                    | W#01                      | 3\n"
        "decoder.bytes                                 | W#01                      | 64000\n"
        "decoder.pkts                                  | W#02                      | 234\n";
    char both[sizeof(expect_totals) + sizeof(expect_threads)];
    snprintf(both, sizeof(both), "%s%s", expect_totals, expect_threads);
    assert_string_equal(read_file(path), both);
}

static void test_stats_log_null_values_and_error(void **state)
{
    struct fixture *f = *state;
    struct stats_log_options opt = {.totals = true, .null_values = true};
    char err[256], path[128];
    struct stats_log *l = stats_log_open(f->dir, NULL, &opt, err, sizeof(err));
    assert_non_null(l);
    assert_true(stats_log_write(l, &f->sample, 1795315472, err, sizeof(err)));
    stats_log_close(l, err, sizeof(err));
    snprintf(path, sizeof(path), "%s/stats.log", f->dir);
    assert_non_null(strstr(read_file(path),
        "flow.tcp                                      | Total                     | 0\n"));

    assert_null(stats_log_open("/nonexistent-vigil-dir", NULL, &opt, err, sizeof(err)));
    assert_string_equal(err, "/nonexistent-vigil-dir/stats.log: No such file or directory");
}

static json_t *build(struct eve_stats *e, struct fixture *f)
{
    assert_true(eve_stats_build(e, &f->sample, 1795315472123456ull, &f->jb));
    json_error_t error;
    json_t *root = json_loadb(jb_data(&f->jb), jb_len(&f->jb), JSON_REJECT_DUPLICATES, &error);
    if (root == NULL)
        fail_msg("%s: %.*s", error.text, (int)jb_len(&f->jb), jb_data(&f->jb));
    return root;
}

static uint64_t at(json_t *root, const char *path)
{
    char buf[256];
    snprintf(buf, sizeof(buf), "%s", path);
    json_t *node = root;
    for (char *save, *part = strtok_r(buf, ".", &save); part; part = strtok_r(NULL, ".", &save)) {
        node = json_object_get(node, part);
        if (node == NULL)
            fail_msg("no %s (at %s)", path, part);
    }
    assert_true(json_is_integer(node));
    return (uint64_t)json_integer_value(node);
}

static void test_eve_nesting(void **state)
{
    struct fixture *f = *state;
    struct eve_stats_options opt = {.totals = true};
    struct eve_stats *e = eve_stats_new(&opt);
    json_t *root = build(e, f);
    assert_string_equal(json_string_value(json_object_get(root, "event_type")), "stats");
    assert_string_equal(json_string_value(json_object_get(root, "timestamp")),
                        "2026-11-22T02:44:32.123456+0000");
    assert_int_equal(at(root, "stats.uptime"), 8);
    assert_int_equal(at(root, "stats.decoder.pkts"), 1234);
    assert_int_equal(at(root, "stats.decoder.bytes"), 64000);
    assert_int_equal(at(root, "stats.decoder.event.ipv4.trunc_pkt"), 2);
    assert_int_equal(at(root, "stats.flow.total"), 3);
    assert_int_equal(at(root, "stats.flow.tcp"), 0);  /* zeros are written in EVE */
    assert_int_equal(at(root, "stats.flow.memuse"), 11428608);
    json_t *stats = json_object_get(root, "stats");
    assert_null(json_object_get(stats, "vigil"));      /* not in the schema */
    assert_null(json_object_get(stats, "threads"));
    assert_null(json_object_get(json_object_get(stats, "decoder"), "pkts_delta"));
    /* uptime, decoder, flow: the late decoder.bytes did not open a second "decoder". */
    assert_int_equal(json_object_size(stats), 3);
    /* Keys come in first-registration order. */
    assert_non_null(strstr(jb_data(&f->jb), "\"stats\":{\"uptime\":8,\"decoder\":{\"pkts\":1234,"
                                            "\"event\":{\"ipv4\":{\"trunc_pkt\":2}},"
                                            "\"bytes\":64000},\"flow\":{\"total\":3,"));
    json_decref(root);
    eve_stats_free(e);
}

static void test_eve_threads(void **state)
{
    struct fixture *f = *state;
    struct eve_stats_options opt = {.totals = false, .threads = true};
    struct eve_stats *e = eve_stats_new(&opt);
    json_t *root = build(e, f);
    json_t *stats = json_object_get(root, "stats");
    assert_null(json_object_get(stats, "decoder"));
    assert_int_equal(at(root, "stats.threads.W#01.decoder.pkts"), 1000);
    assert_int_equal(at(root, "stats.threads.W#01.decoder.bytes"), 64000);
    assert_int_equal(at(root, "stats.threads.W#01.flow.total"), 3);
    assert_int_equal(at(root, "stats.threads.W#02.decoder.pkts"), 234);
    json_t *w2 = json_object_get(json_object_get(stats, "threads"), "W#02");
    assert_null(json_object_get(w2, "flow"));  /* W#02 has no flow counters */
    json_t *w1_flow = json_object_get(json_object_get(json_object_get(stats, "threads"),
                                                      "W#01"), "flow");
    assert_null(json_object_get(w1_flow, "memuse"));  /* gauges are totals only */
    json_decref(root);
    eve_stats_free(e);
}

static void test_eve_deltas(void **state)
{
    struct fixture *f = *state;
    struct eve_stats_options opt = {.totals = true, .threads = true, .deltas = true};
    struct eve_stats *e = eve_stats_new(&opt);
    json_t *root = build(e, f);
    assert_int_equal(at(root, "stats.decoder.pkts_delta"), 1234);
    assert_int_equal(at(root, "stats.threads.W#02.decoder.pkts_delta"), 234);
    json_decref(root);

    struct demo_stats d2 = {300, 0, 0, 0};
    counter_set_publish(f->w2, &d2);
    f->memuse = 11428600;
    assert_true(stats_sample_collect(&f->sample, &f->reg, 16));
    root = build(e, f);
    assert_int_equal(at(root, "stats.decoder.pkts"), 1300);
    assert_int_equal(at(root, "stats.decoder.pkts_delta"), 66);
    assert_int_equal(at(root, "stats.decoder.bytes_delta"), 0);
    assert_int_equal(at(root, "stats.threads.W#02.decoder.pkts_delta"), 66);
    assert_int_equal(at(root, "stats.threads.W#01.decoder.pkts_delta"), 0);
    json_t *memuse_delta = json_object_get(json_object_get(json_object_get(root, "stats"),
                                                           "flow"), "memuse_delta");
    assert_int_equal(json_integer_value(memuse_delta), -8);  /* a gauge may shrink */
    json_decref(root);
    eve_stats_free(e);
}

static void test_schema_filter(void **state)
{
    (void)state;
    assert_true(eve_stats_schema_name_count > 1000);
    for (size_t i = 1; i < eve_stats_schema_name_count; i++)
        assert_true(strcmp(eve_stats_schema_names[i - 1], eve_stats_schema_names[i]) < 0);
    assert_true(eve_stats_name_allowed("decoder.pkts"));
    assert_true(eve_stats_name_allowed("decoder.event.ipv4.trunc_pkt"));
    assert_true(eve_stats_name_allowed("flow.mgr.flows_timeout"));
    assert_true(eve_stats_name_allowed("defrag.ipv4.fragments"));
    assert_true(eve_stats_name_allowed("tcp.syn"));
    assert_true(eve_stats_name_allowed("capture.kernel_packets"));
    assert_false(eve_stats_name_allowed("vigil.secret"));
    assert_false(eve_stats_name_allowed("decoder"));           /* an object, not a counter */
    assert_false(eve_stats_name_allowed("uptime"));            /* written on its own */
    assert_false(eve_stats_name_allowed("defrag.memcap_exceeded"));
    assert_false(eve_stats_name_allowed(""));
}

/* The totals record validates against the shared EVE schema (skipped when
 * the schema or python3-jsonschema is not there, e.g. in make distcheck). */
static void test_schema_validates(void **state)
{
    struct fixture *f = *state;
    if (access(VIGIL_EVE_SCHEMA, R_OK) != 0 ||
        system("/usr/bin/python3 -c 'import jsonschema' 2>/dev/null") != 0)
        skip();
    struct eve_stats_options opt = {.totals = true};
    struct eve_stats *e = eve_stats_new(&opt);
    assert_true(eve_stats_build(e, &f->sample, 1795315472123456ull, &f->jb));
    char path[128], cmd[512];
    snprintf(path, sizeof(path), "%s/records.json", f->dir);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fwrite(jb_data(&f->jb), 1, jb_len(&f->jb), fp);
    fclose(fp);
    snprintf(cmd, sizeof(cmd),
             "/usr/bin/python3 -c 'import json,sys,jsonschema; "
             "jsonschema.validate(json.load(open(sys.argv[2])), json.load(open(sys.argv[1])))' "
             "'%s' '%s'", VIGIL_EVE_SCHEMA, path);
    assert_int_equal(system(cmd), 0);
    eve_stats_free(e);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_stats_log_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stats_log_null_values_and_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eve_nesting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eve_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eve_deltas, setup, teardown),
        cmocka_unit_test(test_schema_filter),
        cmocka_unit_test_setup_teardown(test_schema_validates, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
