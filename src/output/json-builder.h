/* A streaming JSON writer into one growable buffer, for EVE records: valid
 * JSON for any input bytes, no allocation once the buffer has grown enough. */
#ifndef VIGIL_OUTPUT_JSON_BUILDER_H
#define VIGIL_OUTPUT_JSON_BUILDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Deeper nesting marks the builder failed; EVE records need far less. */
#define JB_MAX_DEPTH 32

/* The caller owns the struct; the builder owns buf. A failed builder (out of
 * memory, nesting too deep, close without open) ignores further calls until
 * jb_reset, so a half-built record is never mistaken for a whole one. */
struct json_builder {
    char *buf;
    size_t len;
    size_t cap;
    uint32_t depth;
    uint32_t array_bits;  /* bit d set: level d is an array */
    bool need_comma;      /* the next member or element needs a ',' first */
    bool failed;
};

/* initial_cap 0 allocates on first use. Returns false when out of memory. */
bool jb_init(struct json_builder *jb, size_t initial_cap);
/* Empties the builder for the next record and keeps its buffer. */
void jb_reset(struct json_builder *jb);
void jb_free(struct json_builder *jb);

/* key NULL: the value is an array element or the top-level value. Keys are
 * written verbatim: they are literals of Vigil's own and must need no
 * escaping (no quote, backslash or control character). Values are escaped. */
void jb_open_object(struct json_builder *jb, const char *key);
void jb_open_array(struct json_builder *jb, const char *key);
/* Closes the innermost open object or array. */
void jb_close(struct json_builder *jb);

void jb_add_string(struct json_builder *jb, const char *key, const char *s);
/* For values Vigil formats itself (addresses, timestamps, names, hex): s
 * must be printable ASCII without quote or backslash; it is not scanned. */
void jb_add_ascii(struct json_builder *jb, const char *key, const char *s, size_t len);
void jb_add_string_len(struct json_builder *jb, const char *key,
                       const void *s, size_t len);
void jb_add_uint(struct json_builder *jb, const char *key, uint64_t v);
void jb_add_int(struct json_builder *jb, const char *key, int64_t v);
void jb_add_bool(struct json_builder *jb, const char *key, bool v);

void jb_append_string(struct json_builder *jb, const char *s);
void jb_append_string_len(struct json_builder *jb, const void *s, size_t len);
void jb_append_uint(struct json_builder *jb, uint64_t v);
void jb_append_int(struct json_builder *jb, int64_t v);
void jb_append_bool(struct json_builder *jb, bool v);

/* The text so far; not NUL-terminated. */
static inline const char *jb_data(const struct json_builder *jb) { return jb->buf; }
static inline size_t jb_len(const struct json_builder *jb) { return jb->len; }
/* True when nothing failed and every open object/array was closed. */
static inline bool jb_complete(const struct json_builder *jb)
{
    return !jb->failed && jb->depth == 0 && jb->len > 0;
}

/* "00" to "99" in order: the two digits of n (< 100) start at 2 * n. */
extern const char jb_digit_pairs[200];

/* Writes v in decimal to out (at least 20 bytes); returns the digit count. */
size_t jb_format_uint(char *out, uint64_t v);

#endif
