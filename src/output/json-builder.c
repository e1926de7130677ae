/* The streaming JSON builder: separators, nesting, escaping of any bytes and
 * integer formatting, appended straight into the caller's growable buffer. */
#include "output/json-builder.h"

#include <stdlib.h>
#include <string.h>

#define JB_MIN_CAP 256

/* What a byte needs inside a JSON string. */
enum byte_class {
    BYTE_PLAIN = 0,  /* printable ASCII: copied */
    BYTE_ESCAPE,     /* control, DEL, '"' or '\\': escaped */
    BYTE_HIGH,       /* 0x80..0xff: copied only within a valid UTF-8 sequence */
};

static const uint8_t byte_class[256] = {
    [0x00 ... 0x1f] = BYTE_ESCAPE,
    ['"'] = BYTE_ESCAPE,
    ['\\'] = BYTE_ESCAPE,
    [0x7f] = BYTE_ESCAPE,
    [0x80 ... 0xff] = BYTE_HIGH,
};

static const char hex_digits[] = "0123456789abcdef";

const char jb_digit_pairs[200] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

bool jb_init(struct json_builder *jb, size_t initial_cap)
{
    memset(jb, 0, sizeof(*jb));
    if (initial_cap == 0)
        return true;
    jb->buf = malloc(initial_cap);
    if (jb->buf == NULL) {
        jb->failed = true;
        return false;
    }
    jb->cap = initial_cap;
    return true;
}

void jb_reset(struct json_builder *jb)
{
    jb->len = 0;
    jb->depth = 0;
    jb->array_bits = 0;
    jb->need_comma = false;
    jb->failed = false;
}

void jb_free(struct json_builder *jb)
{
    free(jb->buf);
    memset(jb, 0, sizeof(*jb));
}

/* Grows to fit extra more bytes, doubling so a record of any size costs
 * O(log n) reallocations and steady state costs none. */
static bool grow(struct json_builder *jb, size_t extra)
{
    size_t cap = jb->cap ? jb->cap : JB_MIN_CAP;
    while (cap - jb->len < extra) {
        if (cap > SIZE_MAX / 2)
            goto fail;
        cap *= 2;
    }
    char *buf = realloc(jb->buf, cap);
    if (buf == NULL)
        goto fail;
    jb->buf = buf;
    jb->cap = cap;
    return true;
fail:
    jb->failed = true;
    return false;
}

static inline bool reserve(struct json_builder *jb, size_t extra)
{
    if (__builtin_expect(jb->cap - jb->len >= extra, 1))
        return true;
    return grow(jb, extra);
}

static inline void put_bytes(struct json_builder *jb, const void *p, size_t n)
{
    if (n == 0 || !reserve(jb, n))
        return;
    memcpy(jb->buf + jb->len, p, n);
    jb->len += n;
}

static inline void put_char(struct json_builder *jb, char c)
{
    if (!reserve(jb, 1))
        return;
    jb->buf[jb->len++] = c;
}

/* Length of the well-formed UTF-8 sequence (RFC 3629: no overlong forms, no
 * surrogates, nothing above U+10FFFF) starting at p, or 0 if there is none. */
static size_t utf8_sequence_len(const uint8_t *p, size_t avail)
{
    uint8_t lead = p[0];
    uint8_t lo = 0x80, hi = 0xbf;
    size_t len;

    if (lead >= 0xc2 && lead <= 0xdf) {
        len = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        len = 3;
        if (lead == 0xe0)
            lo = 0xa0;
        else if (lead == 0xed)
            hi = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        len = 4;
        if (lead == 0xf0)
            lo = 0x90;
        else if (lead == 0xf4)
            hi = 0x8f;
    } else {
        return 0;
    }
    if (avail < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++) {
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    }
    return len;
}

static void put_escape(struct json_builder *jb, uint8_t c)
{
    char short_form = 0;
    switch (c) {
    case '"': short_form = '"'; break;
    case '\\': short_form = '\\'; break;
    case '\b': short_form = 'b'; break;
    case '\f': short_form = 'f'; break;
    case '\n': short_form = 'n'; break;
    case '\r': short_form = 'r'; break;
    case '\t': short_form = 't'; break;
    }
    if (short_form) {
        char esc[2] = { '\\', short_form };
        put_bytes(jb, esc, sizeof(esc));
        return;
    }
    char esc[6] = { '\\', 'u', '0', '0', hex_digits[c >> 4], hex_digits[c & 0xf] };
    put_bytes(jb, esc, sizeof(esc));
}

/* True when none of the 8 bytes of w needs a look: no control character,
 * quote, backslash, DEL or non-ASCII byte (bit tricks for "some byte is
 * zero / below n"; exact for the any-byte question asked here). */
static inline bool word_is_plain(uint64_t w)
{
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    uint64_t quote = w ^ (ones * '"'), backslash = w ^ (ones * '\\'), del = w ^ (ones * 0x7f);
    uint64_t control = (w - ones * 0x20) & ~w;
    quote = (quote - ones) & ~quote;
    backslash = (backslash - ones) & ~backslash;
    del = (del - ones) & ~del;
    return ((control | quote | backslash | del | w) & highs) == 0;
}

/* Index of the first byte that must be escaped, or len if none: plain ASCII
 * (skipped eight bytes at a time) and well-formed UTF-8 sequences are copied
 * as they are. */
static size_t scan_plain(const uint8_t *s, size_t i, size_t len)
{
    while (i < len) {
        uint64_t w;
        while (i + 8 <= len && (memcpy(&w, s + i, 8), word_is_plain(w)))
            i += 8;
        if (i >= len)
            break;
        uint8_t cls = byte_class[s[i]];
        if (cls == BYTE_PLAIN) {
            i++;
            continue;
        }
        size_t seq = cls == BYTE_HIGH ? utf8_sequence_len(s + i, len - i) : 0;
        if (seq == 0)
            return i;
        i += seq;
    }
    return len;
}

/* A byte that is not part of valid UTF-8 becomes \u00XX, i.e. the code
 * point U+00XX. The common case, nothing to escape, is one scan and one copy. */
static void put_string(struct json_builder *jb, const uint8_t *s, size_t len)
{
    if (!reserve(jb, len + 2))
        return;
    jb->buf[jb->len++] = '"';
    size_t run = 0, i = scan_plain(s, 0, len);
    while (i < len) {
        put_bytes(jb, s + run, i - run);
        put_escape(jb, s[i]);
        run = i + 1;
        i = scan_plain(s, run, len);
    }
    if (!reserve(jb, len - run + 1))
        return;
    memcpy(jb->buf + jb->len, s + run, len - run);
    jb->len += len - run;
    jb->buf[jb->len++] = '"';
}

/* Writes the separator and key, and checks the value fits where it goes:
 * a keyed member inside an object, a bare value in an array or at the top. */
static bool begin_value(struct json_builder *jb, const char *key)
{
    if (jb->failed)
        return false;
    bool in_array = jb->depth > 0 && (jb->array_bits >> (jb->depth - 1)) & 1;
    bool in_object = jb->depth > 0 && !in_array;
    bool misplaced = in_object ? key == NULL
                               : key != NULL || (jb->depth == 0 && jb->len > 0);
    if (misplaced) {
        jb->failed = true;
        return false;
    }
    if (jb->need_comma)
        put_char(jb, ',');
    if (key) {
        size_t klen = strlen(key);
        if (reserve(jb, klen + 3)) {
            char *out = jb->buf + jb->len;
            out[0] = '"';
            memcpy(out + 1, key, klen);
            out[klen + 1] = '"';
            out[klen + 2] = ':';
            jb->len += klen + 3;
        }
    }
    jb->need_comma = true;
    return !jb->failed;
}

static void open_container(struct json_builder *jb, const char *key, bool array)
{
    if (!begin_value(jb, key))
        return;
    if (jb->depth >= JB_MAX_DEPTH) {
        jb->failed = true;
        return;
    }
    if (array)
        jb->array_bits |= 1u << jb->depth;
    else
        jb->array_bits &= ~(1u << jb->depth);
    jb->depth++;
    jb->need_comma = false;
    put_char(jb, array ? '[' : '{');
}

void jb_open_object(struct json_builder *jb, const char *key)
{
    open_container(jb, key, false);
}

void jb_open_array(struct json_builder *jb, const char *key)
{
    open_container(jb, key, true);
}

void jb_close(struct json_builder *jb)
{
    if (jb->failed)
        return;
    if (jb->depth == 0) {
        jb->failed = true;
        return;
    }
    jb->depth--;
    put_char(jb, (jb->array_bits >> jb->depth) & 1 ? ']' : '}');
    jb->need_comma = true;
}

size_t jb_format_uint(char *out, uint64_t v)
{
    char tmp[20];
    size_t pos = sizeof(tmp);
    while (v >= 100) {
        unsigned pair = (unsigned)(v % 100) * 2;
        v /= 100;
        tmp[--pos] = jb_digit_pairs[pair + 1];
        tmp[--pos] = jb_digit_pairs[pair];
    }
    if (v >= 10) {
        tmp[--pos] = jb_digit_pairs[v * 2 + 1];
        tmp[--pos] = jb_digit_pairs[v * 2];
    } else {
        tmp[--pos] = (char)('0' + v);
    }
    size_t n = sizeof(tmp) - pos;
    memcpy(out, tmp + pos, n);
    return n;
}

static void put_uint(struct json_builder *jb, uint64_t v)
{
    if (!reserve(jb, 20))
        return;
    jb->len += jb_format_uint(jb->buf + jb->len, v);
}

static void put_int(struct json_builder *jb, int64_t v)
{
    if (v < 0) {
        put_char(jb, '-');
        put_uint(jb, 0 - (uint64_t)v);
    } else {
        put_uint(jb, (uint64_t)v);
    }
}

static void put_bool(struct json_builder *jb, bool v)
{
    if (v)
        put_bytes(jb, "true", 4);
    else
        put_bytes(jb, "false", 5);
}

void jb_add_string(struct json_builder *jb, const char *key, const char *s)
{
    if (begin_value(jb, key))
        put_string(jb, (const uint8_t *)s, strlen(s));
}

void jb_add_ascii(struct json_builder *jb, const char *key, const char *s, size_t len)
{
    if (!begin_value(jb, key) || !reserve(jb, len + 2))
        return;
    char *out = jb->buf + jb->len;
    out[0] = '"';
    memcpy(out + 1, s, len);
    out[len + 1] = '"';
    jb->len += len + 2;
}

void jb_add_string_len(struct json_builder *jb, const char *key, const void *s, size_t len)
{
    if (begin_value(jb, key))
        put_string(jb, s, len);
}

void jb_add_uint(struct json_builder *jb, const char *key, uint64_t v)
{
    if (begin_value(jb, key))
        put_uint(jb, v);
}

void jb_add_int(struct json_builder *jb, const char *key, int64_t v)
{
    if (begin_value(jb, key))
        put_int(jb, v);
}

void jb_add_bool(struct json_builder *jb, const char *key, bool v)
{
    if (begin_value(jb, key))
        put_bool(jb, v);
}

void jb_append_string(struct json_builder *jb, const char *s)
{
    jb_add_string(jb, NULL, s);
}

void jb_append_string_len(struct json_builder *jb, const void *s, size_t len)
{
    jb_add_string_len(jb, NULL, s, len);
}

void jb_append_uint(struct json_builder *jb, uint64_t v)
{
    jb_add_uint(jb, NULL, v);
}

void jb_append_int(struct json_builder *jb, int64_t v)
{
    jb_add_int(jb, NULL, v);
}

void jb_append_bool(struct json_builder *jb, bool v)
{
    jb_add_bool(jb, NULL, v);
}
