/* Newline framing of replies: only a completed line is parsed, so a large reply
 * arriving in many reads costs one scan of each byte and one parse. */
#include "vigilctl/vctl-frame.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void vctl_frame_init(struct vctl_frame *f)
{
    memset(f, 0, sizeof(*f));
}

void vctl_frame_free(struct vctl_frame *f)
{
    free(f->buf);
    vctl_frame_init(f);
}

bool vctl_frame_feed(struct vctl_frame *f, const char *data, size_t len)
{
    if (len > VCTL_REPLY_MAX - f->len)
        return false;
    if (f->len + len > f->cap) {
        size_t cap = f->cap ? f->cap : 4096;
        while (cap < f->len + len)
            cap *= 2;
        char *buf = realloc(f->buf, cap);
        if (buf == NULL)
            return false;
        f->buf = buf;
        f->cap = cap;
    }
    memcpy(f->buf + f->len, data, len);
    f->len += len;
    return true;
}

static void consume(struct vctl_frame *f, size_t n)
{
    memmove(f->buf, f->buf + n, f->len - n);
    f->len -= n;
    f->scanned = 0;
}

static enum vctl_frame_result parse(const char *text, size_t len, json_t **reply, char *err,
                                    size_t errlen)
{
    json_error_t error;
    *reply = json_loadb(text, len, 0, &error);
    if (*reply != NULL)
        return VCTL_FRAME_REPLY;
    snprintf(err, errlen, "invalid reply from the server (%s at byte %d)", error.text,
             error.position);
    return VCTL_FRAME_INVALID;
}

static bool blank(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] != ' ' && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            return false;
    return true;
}

enum vctl_frame_result vctl_frame_next(struct vctl_frame *f, bool at_eof, json_t **reply,
                                       char *err, size_t errlen)
{
    *reply = NULL;
    if (f->len == 0)
        return VCTL_FRAME_MORE;
    const char *nl = memchr(f->buf + f->scanned, '\n', f->len - f->scanned);
    while (nl != NULL && blank(f->buf, (size_t)(nl - f->buf))) {
        consume(f, (size_t)(nl - f->buf) + 1);
        nl = memchr(f->buf, '\n', f->len);
    }
    if (nl != NULL) {
        size_t line = (size_t)(nl - f->buf);
        enum vctl_frame_result r = parse(f->buf, line, reply, err, errlen);
        consume(f, line + 1);
        return r;
    }
    f->scanned = f->len;
    if (!at_eof || blank(f->buf, f->len))
        return VCTL_FRAME_MORE;
    enum vctl_frame_result r = parse(f->buf, f->len, reply, err, errlen);
    consume(f, f->len);
    return r;
}
