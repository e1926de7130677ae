/* Unit tests for vigilctl's reply framing: replies split across reads, several
 * in one read, large replies, 0.1 replies without a newline, and bad JSON. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vigilctl/vctl-frame.h"

static enum vctl_frame_result next(struct vctl_frame *f, bool eof, json_t **reply)
{
    char err[256];
    return vctl_frame_next(f, eof, reply, err, sizeof(err));
}

static void test_reply_split_byte_by_byte(void **state)
{
    (void)state;
    const char *text = "{\"message\": \"pong\", \"return\": \"OK\"}\n";
    struct vctl_frame f;
    vctl_frame_init(&f);
    json_t *reply;
    for (size_t i = 0; i + 1 < strlen(text); i++) {
        assert_true(vctl_frame_feed(&f, text + i, 1));
        assert_int_equal(next(&f, false, &reply), VCTL_FRAME_MORE);
    }
    assert_true(vctl_frame_feed(&f, "\n", 1));
    assert_int_equal(next(&f, false, &reply), VCTL_FRAME_REPLY);
    assert_string_equal(json_string_value(json_object_get(reply, "message")), "pong");
    json_decref(reply);
    assert_int_equal(next(&f, false, &reply), VCTL_FRAME_MORE);
    vctl_frame_free(&f);
}

static void test_two_replies_in_one_read(void **state)
{
    (void)state;
    const char *text = "{\"return\":\"OK\"}\n{\"message\":1,\"return\":\"NOK\"}\n";
    struct vctl_frame f;
    vctl_frame_init(&f);
    json_t *reply;
    assert_true(vctl_frame_feed(&f, text, strlen(text)));
    assert_int_equal(next(&f, false, &reply), VCTL_FRAME_REPLY);
    assert_string_equal(json_string_value(json_object_get(reply, "return")), "OK");
    json_decref(reply);
    assert_int_equal(next(&f, false, &reply), VCTL_FRAME_REPLY);
    assert_string_equal(json_string_value(json_object_get(reply, "return")), "NOK");
    json_decref(reply);
    vctl_frame_free(&f);
}

/* A 200 KiB reply fed in uneven chunks comes out whole. */
static void test_large_reply(void **state)
{
    (void)state;
    json_t *counters = json_object();
    char name[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(name, sizeof(name), "counter_%05d_padding", i);
        json_object_set_new(counters, name, json_integer(i));
    }
    json_t *msg = json_pack("{s:o,s:s}", "message", counters, "return", "OK");
    char *text = json_dumps(msg, JSON_COMPACT);
    size_t len = strlen(text);
    assert_true(len > 100000);
    struct vctl_frame f;
    vctl_frame_init(&f);
    json_t *reply = NULL;
    for (size_t off = 0, chunk = 1; off < len; off += chunk, chunk = chunk * 3 + 7) {
        if (off + chunk > len)
            chunk = len - off;
        assert_true(vctl_frame_feed(&f, text + off, chunk));
        assert_int_equal(next(&f, false, &reply), VCTL_FRAME_MORE);
    }
    assert_true(vctl_frame_feed(&f, "\n", 1));
    assert_int_equal(next(&f, false, &reply), VCTL_FRAME_REPLY);
    assert_true(json_equal(reply, msg));
    json_decref(reply);
    json_decref(msg);
    free(text);
    vctl_frame_free(&f);
}

static void test_unterminated_reply_at_eof(void **state)
{
    (void)state;
    struct vctl_frame f;
    vctl_frame_init(&f);
    json_t *reply;
    assert_true(vctl_frame_feed(&f, "{\"return\": \"OK\"}", 16));
    assert_int_equal(next(&f, false, &reply), VCTL_FRAME_MORE);
    assert_int_equal(next(&f, true, &reply), VCTL_FRAME_REPLY);
    json_decref(reply);
    assert_int_equal(next(&f, true, &reply), VCTL_FRAME_MORE);
    vctl_frame_free(&f);
}

static void test_invalid_line(void **state)
{
    (void)state;
    struct vctl_frame f;
    vctl_frame_init(&f);
    json_t *reply;
    char err[256];
    const char *text = "\n\nnot json\n{\"return\":\"OK\"}\n";
    assert_true(vctl_frame_feed(&f, text, strlen(text)));
    assert_int_equal(vctl_frame_next(&f, false, &reply, err, sizeof(err)), VCTL_FRAME_INVALID);
    assert_null(reply);
    assert_non_null(strstr(err, "invalid reply"));
    assert_int_equal(next(&f, false, &reply), VCTL_FRAME_REPLY);
    json_decref(reply);
    vctl_frame_free(&f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reply_split_byte_by_byte),
        cmocka_unit_test(test_two_replies_in_one_read),
        cmocka_unit_test(test_large_reply),
        cmocka_unit_test(test_unterminated_reply_at_eof),
        cmocka_unit_test(test_invalid_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
