/* A growable byte buffer with a read position, for one client's pending
 * input and output on the control socket. */
#ifndef VIGIL_CTL_CTL_BUFFER_H
#define VIGIL_CTL_CTL_BUFFER_H

#include <stdbool.h>
#include <stddef.h>

struct ctl_buffer {
    char *data;
    size_t start;   /* first unconsumed byte */
    size_t end;     /* one past the last byte */
    size_t cap;
};

void ctl_buffer_free(struct ctl_buffer *b);

static inline size_t ctl_buffer_len(const struct ctl_buffer *b)
{
    return b->end - b->start;
}

static inline const char *ctl_buffer_bytes(const struct ctl_buffer *b)
{
    return b->data + b->start;
}

/* Appends len bytes; false when out of memory (b unchanged). */
bool ctl_buffer_append(struct ctl_buffer *b, const void *data, size_t len);

/* Drops the first len bytes. */
void ctl_buffer_consume(struct ctl_buffer *b, size_t len);

#endif
