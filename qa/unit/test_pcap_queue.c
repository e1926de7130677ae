/* Unit tests for pcap-service's queue and its control-socket commands: order,
 * listing, the current file, interrupts that hit only that file, argument checks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ctl/ctl-command.h"
#include "runtime/pcap-queue.h"

static void collect(void *arg, const char *filename)
{
    json_array_append_new(arg, json_string(filename));
}

static void test_files_come_out_in_order(void **state)
{
    (void)state;
    atomic_int stop = 0;
    struct pcap_queue *q = pcap_queue_create(&stop);
    assert_non_null(q);
    assert_null(pcap_queue_take(q, 0));
    for (int i = 0; i < 10; i++) {
        char name[32];
        snprintf(name, sizeof(name), "/p/%d.pcap", i);
        assert_true(pcap_queue_push(q, name, "/out", i == 3));
    }
    assert_int_equal(pcap_queue_count(q), 10);
    json_t *names = json_array();
    pcap_queue_list(q, collect, names);
    assert_int_equal(json_array_size(names), 10);
    assert_string_equal(json_string_value(json_array_get(names, 9)), "/p/9.pcap");
    json_decref(names);
    for (int i = 0; i < 10; i++) {
        char want[32];
        snprintf(want, sizeof(want), "/p/%d.pcap", i);
        struct pcap_queue_entry *e = pcap_queue_take(q, 0);
        assert_non_null(e);
        assert_string_equal(e->filename, want);
        assert_string_equal(e->output_dir, "/out");
        assert_int_equal(e->delete_when_done, i == 3);
        assert_int_equal(pcap_queue_count(q), (size_t)(9 - i));
        pcap_queue_finish(q, e);
    }
    assert_null(pcap_queue_take(q, 10));
    pcap_queue_destroy(q);
}

static void test_current_and_last_processed(void **state)
{
    (void)state;
    atomic_int stop = 0;
    struct pcap_queue *q = pcap_queue_create(&stop);
    char name[64];
    assert_false(pcap_queue_current(q, name, sizeof(name)));
    assert_int_equal(pcap_queue_last_processed_ms(q), 0);
    assert_true(pcap_queue_push(q, "/p/a.pcap", "/out", false));
    struct pcap_queue_entry *e = pcap_queue_take(q, 0);
    assert_true(pcap_queue_current(q, name, sizeof(name)));
    assert_string_equal(name, "/p/a.pcap");
    uint64_t before = (uint64_t)time(NULL) * 1000u;
    pcap_queue_finish(q, e);
    assert_false(pcap_queue_current(q, name, sizeof(name)));
    uint64_t last = pcap_queue_last_processed_ms(q);
    assert_true(last >= before && last <= before + 2000u);
    pcap_queue_destroy(q);
}

static void test_interrupt_hits_only_the_current_file(void **state)
{
    (void)state;
    atomic_int stop = 0;
    struct pcap_queue *q = pcap_queue_create(&stop);
    assert_false(pcap_queue_interrupt(q));
    assert_int_equal(atomic_load(&stop), 0);
    assert_true(pcap_queue_push(q, "/p/a.pcap", "/out", false));
    assert_true(pcap_queue_push(q, "/p/b.pcap", "/out", false));
    struct pcap_queue_entry *a = pcap_queue_take(q, 0);
    assert_true(pcap_queue_interrupt(q));
    assert_int_equal(atomic_load(&stop), VIGIL_STOP_INTERRUPT);
    pcap_queue_finish(q, a);
    atomic_fetch_or(&stop, VIGIL_STOP_SHUTDOWN);
    struct pcap_queue_entry *b = pcap_queue_take(q, 0);
    assert_int_equal(atomic_load(&stop), VIGIL_STOP_SHUTDOWN);
    pcap_queue_finish(q, b);
    pcap_queue_destroy(q);
}

static json_t *run(struct ctl_context *ctx, const char *name, const char *args_json,
                   bool expect_ok)
{
    const struct ctl_command *cmd = ctl_command_find(name);
    assert_non_null(cmd);
    json_t *args = args_json ? json_loads(args_json, 0, NULL) : NULL;
    json_t *reply = json_object();
    bool ok = cmd->run(ctx, args, reply);
    json_decref(args);
    if (ok != expect_ok)
        fail_msg("%s: %s", name, json_dumps(json_object_get(reply, "message"), JSON_ENCODE_ANY));
    return reply;
}

static void expect_message(struct ctl_context *ctx, const char *name, const char *args,
                           bool ok, const char *message)
{
    json_t *r = run(ctx, name, args, ok);
    assert_string_equal(json_string_value(json_object_get(r, "message")), message);
    json_decref(r);
}

static void test_commands_outside_pcap_service(void **state)
{
    (void)state;
    struct ctl_context ctx = {0};
    const char *names[] = {"pcap-file-number", "pcap-file-list", "pcap-current",
                           "pcap-last-processed", "pcap-interrupt"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        json_t *r = run(&ctx, names[i], NULL, false);
        assert_non_null(strstr(json_string_value(json_object_get(r, "message")), "--unix-socket"));
        json_decref(r);
    }
}

static void test_pcap_file_arguments(void **state)
{
    (void)state;
    atomic_int stop = 0;
    struct ctl_context ctx = {.pcap_queue = pcap_queue_create(&stop)};
    expect_message(&ctx, "pcap-file", "{\"filename\": 3, \"output-dir\": \"/tmp\"}", false,
                   "filename is not a string");
    expect_message(&ctx, "pcap-file", "{\"filename\": \"" VIGIL_SRCDIR "/README.md\"}", false,
                   "output-dir param is mandatory");
    expect_message(&ctx, "pcap-file", "{\"filename\": \"/nonexistent.pcap\", \"output-dir\": "
                   "\"/tmp\"}", false, "File does not exist");
    expect_message(&ctx, "pcap-file", "{\"filename\": \"" VIGIL_SRCDIR "/README.md\", "
                   "\"output-dir\": \"/nonexistent\"}", false, "Output directory does not exist");
    expect_message(&ctx, "pcap-file", "{\"filename\": \"" VIGIL_SRCDIR "/README.md\", "
                   "\"output-dir\": \"/tmp\", \"delete-when-done\": \"yes\"}", false,
                   "delete-when-done is not a boolean");
    expect_message(&ctx, "pcap-file", "{\"filename\": \"" VIGIL_SRCDIR "/README.md\", "
                   "\"output-dir\": \"/tmp\", \"continuous\": true}", false,
                   "continuous is not supported: queue each file");
    pcap_queue_destroy(ctx.pcap_queue);
}

static json_int_t integer_reply(struct ctl_context *ctx, const char *name)
{
    json_t *r = run(ctx, name, NULL, true);
    json_int_t value = json_integer_value(json_object_get(r, "message"));
    json_decref(r);
    return value;
}

static void test_queue_through_commands(void **state)
{
    (void)state;
    atomic_int stop = 0;
    struct ctl_context ctx = {.pcap_queue = pcap_queue_create(&stop)};
    const char *add = "{\"filename\": \"" VIGIL_SRCDIR "/README.md\", \"output-dir\": \"/tmp\"}";
    expect_message(&ctx, "pcap-file", add, true, "Successfully added file to list");
    expect_message(&ctx, "pcap-file", add, true, "Successfully added file to list");
    assert_int_equal(integer_reply(&ctx, "pcap-file-number"), 2);
    json_t *r = run(&ctx, "pcap-file-list", NULL, true);
    json_t *message = json_object_get(r, "message");
    assert_int_equal(json_integer_value(json_object_get(message, "count")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(message, "files"), 1)),
                        VIGIL_SRCDIR "/README.md");
    json_decref(r);
    expect_message(&ctx, "pcap-current", NULL, true, "None");
    expect_message(&ctx, "pcap-interrupt", NULL, true, "No file is being processed");
    assert_int_equal(integer_reply(&ctx, "pcap-last-processed"), 0);
    struct pcap_queue_entry *e = pcap_queue_take(ctx.pcap_queue, 0);
    expect_message(&ctx, "pcap-current", NULL, true, VIGIL_SRCDIR "/README.md");
    expect_message(&ctx, "pcap-interrupt", NULL, true, "Interrupted");
    assert_int_equal(atomic_load(&stop), VIGIL_STOP_INTERRUPT);
    pcap_queue_finish(ctx.pcap_queue, e);
    assert_true(integer_reply(&ctx, "pcap-last-processed") > 0);
    assert_int_equal(integer_reply(&ctx, "pcap-file-number"), 1);
    pcap_queue_destroy(ctx.pcap_queue);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_files_come_out_in_order),
        cmocka_unit_test(test_current_and_last_processed),
        cmocka_unit_test(test_interrupt_hits_only_the_current_file),
        cmocka_unit_test(test_commands_outside_pcap_service),
        cmocka_unit_test(test_pcap_file_arguments),
        cmocka_unit_test(test_queue_through_commands),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
