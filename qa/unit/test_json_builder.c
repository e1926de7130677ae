/* Unit tests for the JSON builder: every byte value and random byte strings
 * round-trip through jansson's parser; nesting, integers, growth, misuse. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <jansson.h>

#include "output/json-builder.h"

/* The documented rule, with jansson as the independent judge of what is
 * valid UTF-8: a byte that starts no valid sequence decodes as U+00XX. */
static size_t expected_decoding(const uint8_t *s, size_t len, uint8_t *out)
{
    size_t o = 0, i = 0;
    while (i < len) {
        uint8_t c = s[i];
        size_t seq = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
        if (seq <= len - i) {
            json_t *probe = json_stringn((const char *)s + i, seq);
            if (probe) {
                json_decref(probe);
                memcpy(out + o, s + i, seq);
                o += seq;
                i += seq;
                continue;
            }
        }
        out[o++] = (uint8_t)(0xc0 | (c >> 6));
        out[o++] = (uint8_t)(0x80 | (c & 0x3f));
        i++;
    }
    return o;
}

static json_t *parse(const struct json_builder *jb)
{
    json_error_t err;
    json_t *v = json_loadb(jb_data(jb), jb_len(jb), JSON_DECODE_ANY | JSON_ALLOW_NUL, &err);
    if (v == NULL)
        fail_msg("jansson rejected %.*s: %s", (int)jb_len(jb), jb_data(jb), err.text);
    return v;
}

/* Builds {"s": input} and ["x", input] and checks both decode as expected. */
static void check_round_trip(struct json_builder *jb, const uint8_t *s, size_t len)
{
    uint8_t *want = malloc(len * 2 + 1);
    size_t want_len = expected_decoding(s, len, want);

    jb_reset(jb);
    jb_open_object(jb, NULL);
    jb_add_string_len(jb, "s", s, len);
    jb_close(jb);
    assert_true(jb_complete(jb));
    json_t *obj = parse(jb);
    json_t *str = json_object_get(obj, "s");
    assert_non_null(str);
    assert_int_equal(json_string_length(str), want_len);
    assert_memory_equal(json_string_value(str), want, want_len);
    json_decref(obj);

    jb_reset(jb);
    jb_open_array(jb, NULL);
    jb_append_string(jb, "x");
    jb_append_string_len(jb, s, len);
    jb_close(jb);
    json_t *arr = parse(jb);
    str = json_array_get(arr, 1);
    assert_int_equal(json_string_length(str), want_len);
    assert_memory_equal(json_string_value(str), want, want_len);
    json_decref(arr);

    json_t *as_utf8 = json_stringn((const char *)s, len);
    if (as_utf8) {
        /* Valid UTF-8 must come back unchanged. */
        assert_int_equal(want_len, len);
        assert_memory_equal(want, s, len);
        json_decref(as_utf8);
    }
    free(want);
}

static void test_every_byte_alone(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);
    for (unsigned b = 0; b < 256; b++) {
        uint8_t c = (uint8_t)b;
        check_round_trip(&jb, &c, 1);
    }
    jb_free(&jb);
}

static void test_every_byte_pair_inside_string(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);
    for (unsigned a = 0; a < 256; a++) {
        for (unsigned b = 0; b < 256; b++) {
            uint8_t s[] = { 'a', 'b', (uint8_t)a, (uint8_t)b, 'y', 'z' };
            check_round_trip(&jb, s, sizeof(s));
        }
    }
    jb_free(&jb);
}

static void test_short_escapes_and_u00xx(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);
    jb_open_array(&jb, NULL);
    jb_append_string_len(&jb, "\"\\\b\f\n\r\t\x01\x1f\x7f/\xff", 12);
    jb_close(&jb);
    const char want[] = "[\"\\\"\\\\\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f/\\u00ff\"]";
    assert_int_equal(jb_len(&jb), strlen(want));
    assert_memory_equal(jb_data(&jb), want, strlen(want));
    jb_free(&jb);
}

static void test_valid_utf8_passes_through(void **state)
{
    (void)state;
    const char *samples[] = {
        "h\xc3\xa9llo",             /* é */
        "\xe2\x82\xac",             /* € */
        "\xf0\x9d\x84\x9e",         /* U+1D11E */
        "\xf4\x8f\xbf\xbf",         /* U+10FFFF */
        "\xed\x9f\xbf",             /* U+D7FF, just below the surrogates */
        "\xee\x80\x80",             /* U+E000, just above them */
    };
    struct json_builder jb;
    jb_init(&jb, 0);
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        jb_reset(&jb);
        jb_open_array(&jb, NULL);
        jb_append_string(&jb, samples[i]);
        jb_close(&jb);
        /* Copied verbatim, not escaped. */
        assert_int_equal(jb_len(&jb), strlen(samples[i]) + 4);
        check_round_trip(&jb, (const uint8_t *)samples[i], strlen(samples[i]));
    }
    const char *invalid[] = {
        "\xc0\xaf",                 /* overlong '/' */
        "\xe0\x80\xaf",             /* overlong */
        "\xed\xa0\x80",             /* surrogate U+D800 */
        "\xf4\x90\x80\x80",         /* above U+10FFFF */
        "\xf0\x9d\x84",             /* truncated */
    };
    for (size_t i = 0; i < sizeof(invalid) / sizeof(invalid[0]); i++)
        check_round_trip(&jb, (const uint8_t *)invalid[i], strlen(invalid[i]));
    jb_free(&jb);
}

static void test_random_byte_strings(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);
    srand(12345);
    uint8_t s[96];
    for (int round = 0; round < 20000; round++) {
        size_t len = (size_t)rand() % sizeof(s);
        int mode = round % 3;
        for (size_t i = 0; i < len; i++) {
            int r = rand();
            if (mode == 0)
                s[i] = (uint8_t)r;
            else if (mode == 1)  /* mostly lead/continuation bytes */
                s[i] = (uint8_t)(0x80 | (r & 0x7f));
            else                 /* printable with some controls */
                s[i] = (uint8_t)(r % 10 ? 0x20 + r % 95 : r % 32);
        }
        check_round_trip(&jb, s, len);
    }
    jb_free(&jb);
}

static void test_ascii_values_and_keys_are_verbatim(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);
    jb_open_object(&jb, NULL);
    jb_add_uint(&jb, "pkts_toserver", 7);
    jb_add_ascii(&jb, "src_ip", "10.0.0.1", 8);
    jb_close(&jb);
    assert_true(jb_complete(&jb));
    assert_int_equal(jb_len(&jb), strlen("{\"pkts_toserver\":7,\"src_ip\":\"10.0.0.1\"}"));
    assert_memory_equal(jb_data(&jb), "{\"pkts_toserver\":7,\"src_ip\":\"10.0.0.1\"}", jb_len(&jb));
    json_t *v = parse(&jb);
    assert_string_equal(json_string_value(json_object_get(v, "src_ip")), "10.0.0.1");
    json_decref(v);
    jb_free(&jb);
}

static void test_nesting(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);
    jb_open_object(&jb, NULL);
    jb_open_object(&jb, "a");
    jb_open_array(&jb, "b");
    jb_append_uint(&jb, 1);
    jb_open_object(&jb, NULL);
    jb_open_array(&jb, "c");
    jb_close(&jb);
    jb_close(&jb);
    jb_open_array(&jb, NULL);
    jb_append_bool(&jb, true);
    jb_append_bool(&jb, false);
    jb_append_int(&jb, -3);
    jb_close(&jb);
    jb_close(&jb);
    jb_close(&jb);
    jb_open_object(&jb, "d");
    jb_close(&jb);
    jb_add_bool(&jb, "e", false);
    jb_close(&jb);
    assert_true(jb_complete(&jb));
    const char want[] = "{\"a\":{\"b\":[1,{\"c\":[]},[true,false,-3]]},\"d\":{},\"e\":false}";
    assert_int_equal(jb_len(&jb), strlen(want));
    assert_memory_equal(jb_data(&jb), want, strlen(want));
    json_decref(parse(&jb));
    jb_free(&jb);
}

static void expect_text(struct json_builder *jb, const char *want)
{
    assert_true(jb_complete(jb));
    assert_int_equal(jb_len(jb), strlen(want));
    assert_memory_equal(jb_data(jb), want, strlen(want));
}

static void test_integers(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);
    jb_open_array(&jb, NULL);
    jb_append_uint(&jb, 0);
    jb_append_uint(&jb, 1);
    jb_append_uint(&jb, UINT64_MAX);
    jb_append_int(&jb, INT64_MIN);
    jb_append_int(&jb, INT64_MAX);
    jb_append_int(&jb, 0);
    jb_close(&jb);
    expect_text(&jb, "[0,1,18446744073709551615,-9223372036854775808,9223372036854775807,0]");

    /* Every digit-count boundary and random values against snprintf. */
    char want[32], got[32];
    uint64_t v = 1;
    for (int i = 0; i < 20; i++, v *= 10) {
        uint64_t probes[] = { v - 1, v, v + 1 };
        for (int j = 0; j < 3; j++) {
            snprintf(want, sizeof(want), "%llu", (unsigned long long)probes[j]);
            size_t n = jb_format_uint(got, probes[j]);
            assert_int_equal(n, strlen(want));
            assert_memory_equal(got, want, n);
        }
    }
    srand(7);
    for (int i = 0; i < 100000; i++) {
        uint64_t r = ((uint64_t)rand() << 33) ^ ((uint64_t)rand() << 11) ^ (uint64_t)rand();
        r >>= rand() % 64;
        snprintf(want, sizeof(want), "%llu", (unsigned long long)r);
        size_t n = jb_format_uint(got, r);
        assert_int_equal(n, strlen(want));
        assert_memory_equal(got, want, n);
    }
    jb_free(&jb);
}

static void test_growth_and_steady_state(void **state)
{
    (void)state;
    struct json_builder jb;
    assert_true(jb_init(&jb, 16));
    size_t big_len = 100000;
    char *big = malloc(big_len);
    for (size_t i = 0; i < big_len; i++)
        big[i] = (char)('a' + i % 26);
    jb_open_object(&jb, NULL);
    jb_add_string_len(&jb, "big", big, big_len);
    jb_close(&jb);
    assert_true(jb_complete(&jb));
    assert_true(jb.cap >= jb_len(&jb));
    assert_int_equal(jb.cap % 16, 0);
    assert_int_equal((jb.cap / 16) & (jb.cap / 16 - 1), 0);  /* 16 doubled n times */
    json_t *v = parse(&jb);
    assert_int_equal(json_string_length(json_object_get(v, "big")), big_len);
    assert_memory_equal(json_string_value(json_object_get(v, "big")), big, big_len);
    json_decref(v);

    /* The same record again reuses the buffer: no reallocation. */
    char *buf = jb.buf;
    size_t cap = jb.cap, len = jb_len(&jb);
    jb_reset(&jb);
    jb_open_object(&jb, NULL);
    jb_add_string_len(&jb, "big", big, big_len);
    jb_close(&jb);
    assert_ptr_equal(jb.buf, buf);
    assert_int_equal(jb.cap, cap);
    assert_int_equal(jb_len(&jb), len);
    free(big);
    jb_free(&jb);
}

static void test_misuse_marks_failed(void **state)
{
    (void)state;
    struct json_builder jb;
    jb_init(&jb, 0);

    jb_open_object(&jb, NULL);
    jb_append_uint(&jb, 1);          /* no key inside an object */
    assert_true(jb.failed);
    assert_false(jb_complete(&jb));

    jb_reset(&jb);
    jb_open_array(&jb, NULL);
    jb_add_uint(&jb, "k", 1);        /* key inside an array */
    assert_true(jb.failed);

    jb_reset(&jb);
    jb_close(&jb);                   /* nothing open */
    assert_true(jb.failed);

    jb_reset(&jb);
    jb_open_object(&jb, NULL);
    jb_close(&jb);
    jb_open_object(&jb, NULL);       /* second top-level value */
    assert_true(jb.failed);

    jb_reset(&jb);
    for (int i = 0; i <= JB_MAX_DEPTH; i++)
        jb_open_array(&jb, NULL);
    assert_true(jb.failed);

    jb_reset(&jb);
    jb_open_object(&jb, NULL);
    assert_false(jb_complete(&jb));  /* still open */
    jb_close(&jb);
    expect_text(&jb, "{}");
    jb_free(&jb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_byte_alone),
        cmocka_unit_test(test_every_byte_pair_inside_string),
        cmocka_unit_test(test_short_escapes_and_u00xx),
        cmocka_unit_test(test_valid_utf8_passes_through),
        cmocka_unit_test(test_random_byte_strings),
        cmocka_unit_test(test_ascii_values_and_keys_are_verbatim),
        cmocka_unit_test(test_nesting),
        cmocka_unit_test(test_integers),
        cmocka_unit_test(test_growth_and_steady_state),
        cmocka_unit_test(test_misuse_marks_failed),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
