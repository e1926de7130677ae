/* Unit tests for vigilctl's request building: positional names, key=value
 * typing, and the usage errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "vigilctl/vctl-args.h"

/* The request for argv, compared as JSON with expected. */
static void assert_request(int argc, char *argv[], const char *expected)
{
    char err[256] = "";
    json_t *request = vctl_request_build(argc, argv, err, sizeof(err));
    assert_non_null(request);
    json_t *want = json_loads(expected, 0, NULL);
    assert_non_null(want);
    if (!json_equal(request, want)) {
        char *got = json_dumps(request, JSON_COMPACT | JSON_SORT_KEYS);
        fail_msg("got %s, want %s", got, expected);
    }
    json_decref(want);
    json_decref(request);
}

static void assert_usage_error(int argc, char *argv[], const char *reason)
{
    char err[256] = "";
    assert_null(vctl_request_build(argc, argv, err, sizeof(err)));
    if (strstr(err, reason) == NULL)
        fail_msg("error \"%s\" lacks \"%s\"", err, reason);
}

static void test_no_arguments(void **state)
{
    (void)state;
    char *argv[] = {"uptime"};
    assert_request(1, argv, "{\"command\":\"uptime\"}");
}

static void test_positional(void **state)
{
    (void)state;
    char *a[] = {"iface-stat", "eth0"};
    assert_request(2, a, "{\"command\":\"iface-stat\",\"arguments\":{\"iface\":\"eth0\"}}");
    char *b[] = {"memcap-set", "flow", "256mb"};
    assert_request(3, b, "{\"command\":\"memcap-set\",\"arguments\":"
                         "{\"config\":\"flow\",\"memcap\":\"256mb\"}}");
    char *c[] = {"pcap-file", "/tmp/a.pcap", "/tmp/out"};
    assert_request(3, c, "{\"command\":\"pcap-file\",\"arguments\":"
                         "{\"filename\":\"/tmp/a.pcap\",\"output-dir\":\"/tmp/out\"}}");
    char *d[] = {"flow-show", "1234567"};
    assert_request(2, d, "{\"command\":\"flow-show\",\"arguments\":{\"flow_id\":1234567}}");
    char *e[] = {"conf-get", "flow.memcap"};
    assert_request(2, e, "{\"command\":\"conf-get\",\"arguments\":{\"variable\":\"flow.memcap\"}}");
}

static void test_key_value_typing(void **state)
{
    (void)state;
    char *argv[] = {"flow-list", "src_ip=10.0.0.1", "dest_port=443", "proto=TCP", "note=", "x=12a"};
    assert_request(6, argv, "{\"command\":\"flow-list\",\"arguments\":{\"src_ip\":\"10.0.0.1\","
                            "\"dest_port\":443,\"proto\":\"TCP\",\"note\":\"\",\"x\":\"12a\"}}");
    char *big[] = {"flow-show", "flow_id=99999999999999999999999"};
    assert_request(2, big, "{\"command\":\"flow-show\",\"arguments\":"
                           "{\"flow_id\":\"99999999999999999999999\"}}");
}

static void test_booleans(void **state)
{
    (void)state;
    char *argv[] = {"pcap-file", "/a.pcap", "/out", "delete-when-done=true", "continuous=false"};
    assert_request(5, argv, "{\"command\":\"pcap-file\",\"arguments\":{\"filename\":\"/a.pcap\","
                            "\"output-dir\":\"/out\",\"delete-when-done\":true,"
                            "\"continuous\":false}}");
}

static void test_pcap_file_paths_made_absolute(void **state)
{
    (void)state;
    char cwd[4096], expected[16384];
    assert_non_null(getcwd(cwd, sizeof(cwd)));
    char *argv[] = {"pcap-file", "in/a.pcap", "out"};
    snprintf(expected, sizeof(expected),
             "{\"command\":\"pcap-file\",\"arguments\":{\"filename\":\"%s/in/a.pcap\","
             "\"output-dir\":\"%s/out\"}}",
             cwd, cwd);
    assert_request(3, argv, expected);
    char *other[] = {"conf-get", "variable=rel/path"};
    assert_request(2, other, "{\"command\":\"conf-get\",\"arguments\":{\"variable\":\"rel/path\"}}");
}

static void test_mixed_positional_and_key_value(void **state)
{
    (void)state;
    char *argv[] = {"memcap-set", "memcap=1gb", "flow"};
    assert_request(3, argv, "{\"command\":\"memcap-set\",\"arguments\":"
                            "{\"memcap\":\"1gb\",\"config\":\"flow\"}}");
}

static void test_usage_errors(void **state)
{
    (void)state;
    char *a[] = {"uptime", "now"};
    assert_usage_error(2, a, "unexpected argument \"now\"");
    char *b[] = {"iface-stat", "eth0", "eth1"};
    assert_usage_error(3, b, "unexpected argument \"eth1\"");
    char *c[] = {"flow-list", "=x"};
    assert_usage_error(2, c, "argument name");
    char *d[] = {"flow-list", "a=1", "a=2"};
    assert_usage_error(3, d, "given twice");
    char *e[] = {""};
    assert_usage_error(1, e, "no command");
    char *f[] = {"flow-list", "a=\xff"};
    assert_usage_error(2, f, "UTF-8");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_arguments),
        cmocka_unit_test(test_positional),
        cmocka_unit_test(test_key_value_typing),
        cmocka_unit_test(test_booleans),
        cmocka_unit_test(test_pcap_file_paths_made_absolute),
        cmocka_unit_test(test_mixed_positional_and_key_value),
        cmocka_unit_test(test_usage_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
