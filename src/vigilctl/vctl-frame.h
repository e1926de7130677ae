/* Reply framing for vigilctl: bytes from the socket in, whole JSON replies out,
 * however the server's replies are split across reads. */
#ifndef VIGIL_VIGILCTL_FRAME_H
#define VIGIL_VIGILCTL_FRAME_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

/* Replies larger than this are refused: a runaway server must not eat memory. */
#define VCTL_REPLY_MAX (64u * 1024u * 1024u)

struct vctl_frame {
    char *buf;
    size_t len, cap;
    size_t scanned;   /* bytes already searched for a newline */
};

void vctl_frame_init(struct vctl_frame *f);
void vctl_frame_free(struct vctl_frame *f);

/* Appends received bytes; false when out of memory or past VCTL_REPLY_MAX. */
bool vctl_frame_feed(struct vctl_frame *f, const char *data, size_t len);

enum vctl_frame_result {
    VCTL_FRAME_MORE,     /* no complete reply yet */
    VCTL_FRAME_REPLY,    /* *reply holds one (the caller owns it) */
    VCTL_FRAME_INVALID,  /* a complete line that is not JSON: reason in err */
};

/* Takes the next reply: a newline-terminated line (protocol 0.2) or, at_eof,
 * whatever JSON the server sent before closing (protocol 0.1 has no newline). */
enum vctl_frame_result vctl_frame_next(struct vctl_frame *f, bool at_eof, json_t **reply,
                                       char *err, size_t errlen);

#endif
