/* Unit tests for vigilctl's reply output: counter, row and name/value tables,
 * plain messages, NOK and malformed replies, and --json. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigilctl/vctl-format.h"

struct printed {
    char *out, *err;
    int status;
};

static struct printed print(const char *command, const char *reply_text, bool raw)
{
    struct printed p = {0};
    size_t out_len, err_len;
    FILE *out = open_memstream(&p.out, &out_len);
    FILE *err = open_memstream(&p.err, &err_len);
    json_t *reply = json_loads(reply_text, 0, NULL);
    assert_non_null(reply);
    p.status = vctl_print_reply(out, err, command, reply, raw);
    json_decref(reply);
    fclose(out);
    fclose(err);
    return p;
}

static void printed_free(struct printed *p)
{
    free(p->out);
    free(p->err);
}

static void assert_contains(const char *text, const char *part)
{
    if (strstr(text, part) == NULL)
        fail_msg("\"%s\" not in:\n%s", part, text);
}

static void test_dump_counters_table(void **state)
{
    (void)state;
    struct printed p = print("dump-counters",
        "{\"message\":{\"uptime\":5,\"decoder\":{\"pkts\":120,\"event\":{\"ipv4\":"
        "{\"trunc_pkt\":2}}},\"threads\":{\"W#01\":{\"decoder\":{\"pkts\":70}},"
        "\"W#02\":{\"decoder\":{\"pkts\":50}}}},\"return\":\"OK\"}", false);
    assert_int_equal(p.status, 0);
    assert_string_equal(p.err, "");
    assert_string_equal(p.out,
        "Counter                      | TM Name | Value\n"
        "-----------------------------+---------+------\n"
        "uptime                       | Total   |     5\n"
        "decoder.pkts                 | Total   |   120\n"
        "decoder.event.ipv4.trunc_pkt | Total   |     2\n"
        "decoder.pkts                 | W#01    |    70\n"
        "decoder.pkts                 | W#02    |    50\n");
    printed_free(&p);
}

static void test_array_of_objects_table(void **state)
{
    (void)state;
    struct printed p = print("memcap-list",
        "{\"message\":[{\"name\":\"flow\",\"value\":\"128mb\"},"
        "{\"name\":\"defrag\",\"value\":\"32mb\"}],\"return\":\"OK\"}", false);
    assert_int_equal(p.status, 0);
    assert_string_equal(p.out,
        "name   | value\n"
        "-------+------\n"
        "flow   | 128mb\n"
        "defrag | 32mb\n");
    printed_free(&p);
}

static void test_listing_with_rows(void **state)
{
    (void)state;
    struct printed p = print("flow-list",
        "{\"message\":{\"count\":2,\"truncated\":false,\"flows\":["
        "{\"flow_id\":11,\"src_ip\":\"10.0.0.1\",\"proto\":\"TCP\"},"
        "{\"flow_id\":7,\"src_ip\":\"10.0.0.2\",\"proto\":\"UDP\",\"icmp_type\":null}]},"
        "\"return\":\"OK\"}", false);
    assert_int_equal(p.status, 0);
    assert_contains(p.out, "count: 2\ntruncated: false\n");
    assert_contains(p.out, "flow_id | src_ip   | proto | icmp_type\n");
    assert_contains(p.out, "     11 | 10.0.0.1 | TCP   | -\n");
    assert_contains(p.out, "      7 | 10.0.0.2 | UDP   | -\n");
    printed_free(&p);
}

static void test_iface_list_and_stat(void **state)
{
    (void)state;
    struct printed p = print("iface-list",
        "{\"message\":{\"count\":2,\"ifaces\":[\"eth0\",\"eth1\"]},\"return\":\"OK\"}", false);
    assert_string_equal(p.out, "count: 2\neth0\neth1\n");
    printed_free(&p);
    p = print("iface-stat", "{\"message\":{\"pkts\":10,\"drop\":0,\"dpdk\":{\"imissed\":3}},"
                            "\"return\":\"OK\"}", false);
    assert_string_equal(p.out,
        "Name         | Value\n"
        "-------------+------\n"
        "pkts         |    10\n"
        "drop         |     0\n"
        "dpdk.imissed |     3\n");
    printed_free(&p);
}

static void test_plain_message(void **state)
{
    (void)state;
    struct printed p = print("uptime", "{\"message\":42,\"return\":\"OK\"}", false);
    assert_string_equal(p.out, "42\n");
    printed_free(&p);
    p = print("shutdown", "{\"message\":\"Closing Vigil\",\"return\":\"OK\"}", false);
    assert_string_equal(p.out, "Closing Vigil\n");
    printed_free(&p);
}

static void test_nok_and_malformed(void **state)
{
    (void)state;
    struct printed p = print("iface-stat",
        "{\"message\":\"Interface 'x' not found\",\"return\":\"NOK\"}", false);
    assert_int_equal(p.status, 1);
    assert_string_equal(p.out, "");
    assert_string_equal(p.err, "vigilctl: iface-stat: Interface 'x' not found\n");
    printed_free(&p);
    p = print("uptime", "{\"message\":1}", false);
    assert_int_equal(p.status, 1);
    assert_contains(p.err, "no \"return\"");
    printed_free(&p);
}

static void test_raw_json(void **state)
{
    (void)state;
    struct printed p = print("memcap-list", "{\"message\":[{\"name\":\"flow\"}],\"return\":\"OK\"}",
                             true);
    assert_int_equal(p.status, 0);
    assert_string_equal(p.out, "{\"message\":[{\"name\":\"flow\"}],\"return\":\"OK\"}\n");
    printed_free(&p);
    p = print("x", "{\"message\":\"no\",\"return\":\"NOK\"}", true);
    assert_int_equal(p.status, 1);
    assert_string_equal(p.out, "{\"message\":\"no\",\"return\":\"NOK\"}\n");
    printed_free(&p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_dump_counters_table),
        cmocka_unit_test(test_array_of_objects_table),
        cmocka_unit_test(test_listing_with_rows),
        cmocka_unit_test(test_iface_list_and_stat),
        cmocka_unit_test(test_plain_message),
        cmocka_unit_test(test_nok_and_malformed),
        cmocka_unit_test(test_raw_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
