/* The control socket's byte buffers: append at the end, consume from the
 * front, compacting before growing so a long-lived client stays small. */
#include "ctl/ctl-buffer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

void ctl_buffer_free(struct ctl_buffer *b)
{
    free(b->data);
    *b = (struct ctl_buffer){0};
}

static bool make_room(struct ctl_buffer *b, size_t len)
{
    if (b->start > 0) {
        memmove(b->data, b->data + b->start, b->end - b->start);
        b->end -= b->start;
        b->start = 0;
    }
    if (b->cap - b->end >= len)
        return true;
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->end < len) {
        if (cap > SIZE_MAX / 2)
            return false;
        cap *= 2;
    }
    char *grown = realloc(b->data, cap);
    if (grown == NULL)
        return false;
    b->data = grown;
    b->cap = cap;
    return true;
}

bool ctl_buffer_append(struct ctl_buffer *b, const void *data, size_t len)
{
    if (len == 0)
        return true;
    if (b->cap - b->end < len && !make_room(b, len))
        return false;
    memcpy(b->data + b->end, data, len);
    b->end += len;
    return true;
}

void ctl_buffer_consume(struct ctl_buffer *b, size_t len)
{
    b->start += len;
    if (b->start >= b->end)
        b->start = b->end = 0;
}
