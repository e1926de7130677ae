/* Unit tests for the control socket's commands against a loaded config and
 * an opened engine: conf-get, memcaps, dump-counters, interfaces, flow-list
 * filters, shutdown. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ctl/ctl-command.h"
#include "ctl/ctl-flow-filter.h"
#include "ctl/ctl-iface.h"
#include "runtime/engine.h"

static const char yaml[] =
    "flow:\n  memcap: 64mb\n  hash-size: 1024\n  prealloc: 100\n"
    "outputs:\n  - eve-log:\n      enabled: no\n      types: [flow]\n"
    "stats:\n  enabled: no\n";

struct fixture {
    struct vigil_config cfg;
    struct vigil_engine engine;
    struct ctl_context ctx;
    int stops;
};

static void count_stop(void *arg)
{
    ((struct fixture *)arg)->stops++;
}

static int setup(void **state)
{
    static struct fixture f;
    memset(&f, 0, sizeof(f));
    assert_int_equal(config_load_buffer(&f.cfg, "test.yaml", yaml, strlen(yaml), NULL), 0);
    assert_int_equal(vigil_engine_open(&f.engine, &f.cfg, "."), 0);
    f.ctx = (struct ctl_context){.cfg = &f.cfg, .engine = &f.engine,
                                 .request_stop = count_stop, .stop_arg = &f};
    *state = &f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    vigil_engine_close(&f->engine);
    config_free(&f->cfg);
    return 0;
}

/* Runs a command as the protocol does; returns the reply (caller frees). */
static json_t *run(struct fixture *f, const char *name, const char *args_json, bool expect_ok)
{
    const struct ctl_command *cmd = ctl_command_find(name);
    assert_non_null(cmd);
    json_t *args = args_json ? json_loads(args_json, 0, NULL) : NULL;
    json_t *reply = json_object();
    bool ok = cmd->run(&f->ctx, args, reply);
    json_decref(args);
    if (ok != expect_ok)
        fail_msg("%s %s: %s", name, args_json ? args_json : "",
                 json_dumps(json_object_get(reply, "message"), JSON_ENCODE_ANY));
    return reply;
}

static const char *message_text(json_t *reply)
{
    return json_string_value(json_object_get(reply, "message"));
}

static void test_conf_get(void **state)
{
    struct fixture *f = *state;
    json_t *r = run(f, "conf-get", "{\"variable\": \"flow.memcap\"}", true);
    assert_string_equal(message_text(r), "64mb");
    json_decref(r);
    r = run(f, "conf-get", "{\"variable\": \"outputs.0.eve-log.types\"}", true);
    json_t *types = json_object_get(r, "message");
    assert_true(json_is_array(types));
    assert_string_equal(json_string_value(json_array_get(types, 0)), "flow");
    json_decref(r);
    r = run(f, "conf-get", "{\"variable\": \"flow\"}", true);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "message"),
                                                          "hash-size")),
                        "1024");
    json_decref(r);
    const char *missing[] = {"{\"variable\": \"flow.nope\"}", "{\"variable\": \"outputs.7\"}",
                             "{\"variable\": \"\"}", "{\"variable\": \"flow.memcap.x\"}"};
    for (size_t i = 0; i < sizeof(missing) / sizeof(missing[0]); i++) {
        r = run(f, "conf-get", missing[i], false);
        assert_string_equal(message_text(r), "Unable to get value");
        json_decref(r);
    }
    r = run(f, "conf-get", "{\"variable\": 3}", false);
    assert_string_equal(message_text(r), "variable is not a string");
    json_decref(r);
}

static void test_memcaps(void **state)
{
    struct fixture *f = *state;
    json_t *r = run(f, "memcap-show", "{\"config\": \"flow\"}", true);
    assert_string_equal(json_string_value(json_object_get(json_object_get(r, "message"),
                                                          "value")),
                        "64mb");
    json_decref(r);
    r = run(f, "memcap-set", "{\"config\": \"flow\", \"memcap\": \"1kb\"}", false);
    assert_non_null(strstr(message_text(r), "is less than the memory in use"));
    json_decref(r);
    assert_int_equal(flow_engine_memcap(&f->engine.flows), 64u << 20);
    r = run(f, "memcap-set", "{\"config\": \"flow\", \"memcap\": \"0\"}", false);
    assert_string_equal(message_text(r), "Unlimited value is not allowed for 'flow'");
    json_decref(r);
    r = run(f, "memcap-set", "{\"config\": \"flow\", \"memcap\": \"lots\"}", false);
    assert_string_equal(message_text(r), "error parsing memcap specified, value not changed");
    json_decref(r);
    r = run(f, "memcap-set", "{\"config\": \"flow\", \"memcap\": \"80mb\"}", true);
    json_decref(r);
    assert_int_equal(flow_engine_memcap(&f->engine.flows), 80u << 20);
    r = run(f, "memcap-list", NULL, true);
    json_t *list = json_object_get(r, "message");
    assert_string_equal(json_string_value(json_object_get(json_array_get(list, 0), "value")),
                        "80mb");
    json_decref(r);
    r = run(f, "memcap-set", "{\"config\": \"defrag\", \"memcap\": \"80mb\"}", false);
    assert_string_equal(message_text(r), "Memcap value not found. Use 'memcap-list' to show all");
    json_decref(r);
    r = run(f, "memcap-set", "{\"config\": \"flow\", \"memcap\": 5}", false);
    assert_string_equal(message_text(r), "memcap value is not a string");
    json_decref(r);
}

static void test_dump_counters_reads_registry(void **state)
{
    struct fixture *f = *state;
    /* Before every thread has registered, no partial set: Suricata's error. */
    json_t *r = run(f, "dump-counters", NULL, false);
    assert_string_equal(message_text(r), "stats not yet synchronized");
    json_decref(r);
    counter_registry_mark_complete(&f->engine.counters);
    r = run(f, "dump-counters", NULL, true);
    json_t *flow = json_object_get(json_object_get(r, "message"), "flow");
    assert_true(json_is_object(flow));
    assert_int_equal(json_integer_value(json_object_get(flow, "memuse")),
                     flow_engine_memuse(&f->engine.flows));
    json_decref(r);
    struct vigil_engine *engine = f->ctx.engine;
    f->ctx.engine = NULL;
    r = run(f, "dump-counters", NULL, false);
    f->ctx.engine = engine;
    json_decref(r);
}

static size_t fake_list(void *arg, const char **names, size_t max)
{
    (void)arg;
    if (max > 0)
        names[0] = "0000:3b:00.0";
    return 1;
}

static bool fake_stats(void *arg, const char *name, struct ctl_iface_stats *out)
{
    (void)arg;
    if (strcmp(name, "0000:3b:00.0") != 0)
        return false;
    out->pkts = 42;
    out->drop = 2;
    out->extra_group = "dpdk";
    out->extra[0].name = "imissed";
    out->extra[0].value = 2;
    out->extra_count = 1;
    return true;
}

static void test_interfaces(void **state)
{
    struct fixture *f = *state;
    json_t *r = run(f, "iface-list", NULL, true);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "message"), "count")),
                     0);
    json_decref(r);
    r = run(f, "iface-stat", "{\"iface\": \"eth0\"}", false);
    assert_string_equal(message_text(r), "Interface not found");
    json_decref(r);

    struct ctl_iface_provider provider = {fake_list, fake_stats, NULL};
    ctl_iface_set_provider(&provider);
    r = run(f, "iface-stat", "{\"iface\": \"0000:3b:00.0\"}", true);
    json_t *m = json_object_get(r, "message");
    assert_int_equal(json_integer_value(json_object_get(m, "pkts")), 42);
    assert_int_equal(json_integer_value(json_object_get(m, "drop")), 2);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(m, "dpdk"), "imissed")),
                     2);
    json_decref(r);
    r = run(f, "iface-list", NULL, true);
    m = json_object_get(r, "message");
    assert_string_equal(json_string_value(json_array_get(json_object_get(m, "ifaces"), 0)),
                        "0000:3b:00.0");
    json_decref(r);
    ctl_iface_set_provider(NULL);
}

static void test_flow_filter(void **state)
{
    (void)state;
    struct ctl_flow_filter filter;
    char err[128];
    json_t *args = json_loads("{\"src_ip\": \"10.0.0.1\", \"dest_port\": 80, \"proto\": \"tcp\","
                              " \"limit\": 5}", 0, NULL);
    assert_true(ctl_flow_filter_parse(args, &filter, err, sizeof(err)));
    json_decref(args);
    assert_int_equal(filter.limit, 5);
    struct flow_key key = {.sp = 1234, .dp = 80, .proto = 6, .ip_version = 4};
    key.src.b[0] = 10, key.src.b[3] = 1;
    assert_true(ctl_flow_filter_match(&filter, &key));
    key.dp = 81;
    assert_false(ctl_flow_filter_match(&filter, &key));
    key.dp = 80, key.proto = 17;
    assert_false(ctl_flow_filter_match(&filter, &key));

    const char *bad[] = {"{\"src_ip\": \"10.0.0.300\"}", "{\"dest_port\": 70000}",
                         "{\"src_port\": \"80\"}", "{\"proto\": \"bogus\"}", "{\"limit\": 0}",
                         "{\"limit\": 1.5}"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        args = json_loads(bad[i], 0, NULL);
        err[0] = '\0';
        assert_false(ctl_flow_filter_parse(args, &filter, err, sizeof(err)));
        assert_true(strlen(err) > 0);
        json_decref(args);
    }
    assert_true(ctl_flow_filter_parse(NULL, &filter, err, sizeof(err)));
    assert_int_equal(filter.limit, CTL_FLOW_LIST_DEFAULT);
}

static void test_flow_list_empty_table(void **state)
{
    struct fixture *f = *state;
    json_t *r = run(f, "flow-list", NULL, true);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(r, "message"), "count")),
                     0);
    json_decref(r);
    r = run(f, "flow-show", "{\"flow_id\": 12}", false);
    assert_string_equal(message_text(r), "Flow not found");
    json_decref(r);
    r = run(f, "flow-list", "{\"limit\": -1}", false);
    json_decref(r);
}

static void test_shutdown_requests_stop(void **state)
{
    struct fixture *f = *state;
    json_t *r = run(f, "shutdown", NULL, true);
    assert_int_equal(f->stops, 1);
    json_decref(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conf_get),
        cmocka_unit_test(test_memcaps),
        cmocka_unit_test(test_dump_counters_reads_registry),
        cmocka_unit_test(test_interfaces),
        cmocka_unit_test(test_flow_filter),
        cmocka_unit_test(test_flow_list_empty_table),
        cmocka_unit_test(test_shutdown_requests_stop),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
