/* Unit tests for the control socket's protocol layer: handshake (0.1 and
 * 0.2), framing across reads, every error reaction, output back-pressure. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ctl/ctl-protocol.h"

static struct ctl_context ctx = {.running_mode = "autofp", .capture_mode = "PCAP_FILE"};

static void feed(struct ctl_session *s, const char *text)
{
    ctl_session_receive(s, text, strlen(text));
    ctl_session_process(s, &ctx);
}

/* Takes the next reply off the output: up to a newline in 0.2, else one
 * JSON value. */
static json_t *next_reply(struct ctl_session *s)
{
    json_error_t error;
    json_t *reply = json_loadb(ctl_buffer_bytes(&s->out), ctl_buffer_len(&s->out),
                               JSON_DISABLE_EOF_CHECK, &error);
    assert_non_null(reply);
    size_t used = (size_t)error.position;
    if (used < ctl_buffer_len(&s->out) && ctl_buffer_bytes(&s->out)[used] == '\n')
        used++;
    ctl_buffer_consume(&s->out, used);
    return reply;
}

static const char *reply_return(json_t *reply)
{
    return json_string_value(json_object_get(reply, "return"));
}

static void handshake_v2(struct ctl_session *s)
{
    ctl_session_init(s);
    feed(s, "{\"version\": \"0.2\"}");
    assert_int_equal(ctl_buffer_len(&s->out), strlen("{\"return\":\"OK\"}\n"));
    assert_memory_equal(ctl_buffer_bytes(&s->out), "{\"return\":\"OK\"}\n", 16);
    ctl_buffer_consume(&s->out, 16);
}

static void test_handshake_then_command(void **state)
{
    (void)state;
    struct ctl_session s;
    handshake_v2(&s);
    feed(&s, "{\"command\": \"running-mode\"}\n");
    const char *text = ctl_buffer_bytes(&s.out);
    assert_int_equal(text[ctl_buffer_len(&s.out) - 1], '\n');
    json_t *reply = next_reply(&s);
    assert_string_equal(reply_return(reply), "OK");
    assert_string_equal(json_string_value(json_object_get(reply, "message")), "autofp");
    json_decref(reply);
    assert_false(s.closing);
    ctl_session_free(&s);
}

static void test_command_split_across_reads(void **state)
{
    (void)state;
    struct ctl_session s;
    handshake_v2(&s);
    feed(&s, "{\"comm");
    assert_int_equal(ctl_buffer_len(&s.out), 0);
    feed(&s, "and\": \"capture-mode\"}");
    assert_int_equal(ctl_buffer_len(&s.out), 0);
    feed(&s, "\n{\"command\": \"version\"}\n");
    json_t *first = next_reply(&s), *second = next_reply(&s);
    assert_string_equal(json_string_value(json_object_get(first, "message")), "PCAP_FILE");
    assert_string_equal(reply_return(second), "OK");
    json_decref(first);
    json_decref(second);
    ctl_session_free(&s);
}

static void test_version_1_has_no_newlines(void **state)
{
    (void)state;
    struct ctl_session s;
    ctl_session_init(&s);
    feed(&s, "{\"version\": \"0.1\"}");
    json_t *hello = next_reply(&s);
    assert_string_equal(reply_return(hello), "OK");
    json_decref(hello);
    feed(&s, "{\"command\": \"running-mode\"}{\"command\": \"nope\"}");
    assert_null(memchr(ctl_buffer_bytes(&s.out), '\n', ctl_buffer_len(&s.out)));
    json_t *first = next_reply(&s), *second = next_reply(&s);
    assert_string_equal(reply_return(first), "OK");
    assert_string_equal(reply_return(second), "NOK");
    json_decref(first);
    json_decref(second);
    ctl_session_free(&s);
}

static void expect_nok_close(const char *after_handshake, const char *message_start)
{
    struct ctl_session s;
    handshake_v2(&s);
    feed(&s, after_handshake);
    json_t *reply = next_reply(&s);
    assert_string_equal(reply_return(reply), "NOK");
    const char *message = json_string_value(json_object_get(reply, "message"));
    assert_non_null(message);
    assert_memory_equal(message, message_start, strlen(message_start));
    assert_true(s.closing);
    assert_true(ctl_session_finished(&s));
    feed(&s, "{\"command\": \"version\"}\n");
    assert_int_equal(ctl_buffer_len(&s.out), 0);
    json_decref(reply);
    ctl_session_free(&s);
}

static void test_invalid_json_closes(void **state)
{
    (void)state;
    expect_nok_close("{\"command\": \"vers\n", "Invalid command");
    expect_nok_close("\x01\x02\xff\xfe junk\n", "Invalid command");
}

static void test_command_not_a_string_closes(void **state)
{
    (void)state;
    expect_nok_close("{\"command\": 5}\n", "command is not a string");
    expect_nok_close("[1, 2]\n", "command is not a string");
}

static void test_arguments_not_an_object_closes(void **state)
{
    (void)state;
    expect_nok_close("{\"command\": \"conf-get\"}\n", "argument is not an object");
    expect_nok_close("{\"command\": \"conf-get\", \"arguments\": [1]}\n",
                     "argument is not an object");
    expect_nok_close("{\"command\": \"flow-list\", \"arguments\": \"x\"}\n",
                     "argument is not an object");
}

static void test_oversized_message_closes(void **state)
{
    (void)state;
    /* Without a newline yet, and complete: one byte over the limit each. */
    char *line = malloc(CTL_MESSAGE_MAX + 3);
    memset(line, 'a', CTL_MESSAGE_MAX + 1);
    line[CTL_MESSAGE_MAX + 1] = '\0';
    expect_nok_close(line, "message too long");
    line[CTL_MESSAGE_MAX + 1] = '\n';
    line[CTL_MESSAGE_MAX + 2] = '\0';
    expect_nok_close(line, "message too long");
    /* At the limit the message is read, and refused as JSON. */
    line[CTL_MESSAGE_MAX] = '\n';
    line[CTL_MESSAGE_MAX + 1] = '\0';
    expect_nok_close(line, "Invalid command");
    free(line);
}

static void test_unknown_command_keeps_session(void **state)
{
    (void)state;
    struct ctl_session s;
    handshake_v2(&s);
    feed(&s, "{\"command\": \"no-such-command\"}\n");
    json_t *reply = next_reply(&s);
    assert_string_equal(reply_return(reply), "NOK");
    assert_string_equal(json_string_value(json_object_get(reply, "message")), "Unknown command");
    assert_false(s.closing);
    json_decref(reply);
    ctl_session_free(&s);
}

static void test_bad_version_gets_nok_and_close(void **state)
{
    (void)state;
    const char *bad[] = {"{\"version\": \"0.3\"}", "{\"version\": 2}", "{}", "not json\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct ctl_session s;
        ctl_session_init(&s);
        feed(&s, bad[i]);
        json_t *reply = next_reply(&s);
        assert_string_equal(reply_return(reply), "NOK");
        assert_true(s.closing);
        json_decref(reply);
        ctl_session_free(&s);
    }
}

static void test_partial_handshake_waits(void **state)
{
    (void)state;
    struct ctl_session s;
    ctl_session_init(&s);
    feed(&s, "{\"version\":");
    assert_int_equal(ctl_buffer_len(&s.out), 0);
    assert_false(s.closing);
    feed(&s, " \"0.2\"}\n{\"command\": \"version\"}\n");
    json_t *hello = next_reply(&s), *version = next_reply(&s);
    assert_string_equal(reply_return(hello), "OK");
    assert_string_equal(reply_return(version), "OK");
    json_decref(hello);
    json_decref(version);
    ctl_session_free(&s);
}

/* A client that sends without reading: commands wait once replies pile up
 * past CTL_OUTPUT_HIGH, and go on once the client reads. */
static void test_output_back_pressure(void **state)
{
    (void)state;
    struct ctl_session s;
    handshake_v2(&s);
    size_t sent = 0;
    while (ctl_session_wants_input(&s)) {
        feed(&s, "{\"command\": \"help\"}\n");
        sent++;
    }
    assert_true(ctl_buffer_len(&s.out) >= CTL_OUTPUT_HIGH);
    feed(&s, "{\"command\": \"help\"}\n{\"command\": \"help\"}\n");
    size_t pending = ctl_buffer_len(&s.out);
    ctl_session_process(&s, &ctx);
    assert_int_equal(ctl_buffer_len(&s.out), pending);
    ctl_buffer_consume(&s.out, ctl_buffer_len(&s.out));
    ctl_session_process(&s, &ctx);
    assert_true(ctl_buffer_len(&s.out) > 0);
    assert_int_equal(ctl_buffer_len(&s.in), 0);
    assert_true(sent > 1);
    ctl_session_free(&s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_handshake_then_command),
        cmocka_unit_test(test_command_split_across_reads),
        cmocka_unit_test(test_version_1_has_no_newlines),
        cmocka_unit_test(test_invalid_json_closes),
        cmocka_unit_test(test_command_not_a_string_closes),
        cmocka_unit_test(test_arguments_not_an_object_closes),
        cmocka_unit_test(test_oversized_message_closes),
        cmocka_unit_test(test_unknown_command_keeps_session),
        cmocka_unit_test(test_bad_version_gets_nok_and_close),
        cmocka_unit_test(test_partial_handshake_waits),
        cmocka_unit_test(test_output_back_pressure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
