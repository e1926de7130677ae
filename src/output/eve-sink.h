/* Where EVE bytes go: a regular file (appended, reopened after logrotate) or a
 * non-blocking Unix stream/datagram socket that is reconnected when its reader returns. */
#ifndef VIGIL_OUTPUT_EVE_SINK_H
#define VIGIL_OUTPUT_EVE_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Suricata's eve-log.filetype values. */
enum eve_filetype {
    EVE_FILETYPE_REGULAR,
    EVE_FILETYPE_UNIX_STREAM,
    EVE_FILETYPE_UNIX_DGRAM,
};

/* "regular" (or Suricata's alias "file"), "unix_stream", "unix_dgram". */
bool eve_filetype_parse(const char *name, enum eve_filetype *type);

#define EVE_SINK_RETRY_NS 1000000000ull  /* a lost reader is looked for once a second */

struct eve_sink {
    enum eve_filetype type;
    int fd;                  /* -1: a socket with no reader connected */
    uint64_t next_connect_ns;
    uint64_t oversized;      /* records skipped: larger than a datagram may be */
    const char *path;        /* owned by the caller, outlives the sink */
};

enum eve_sink_result {
    EVE_SINK_DONE,    /* everything was sent */
    EVE_SINK_BUSY,    /* the reader is not keeping up: *sent bytes went, retry later */
    EVE_SINK_GONE,    /* no reader (now): the unsent bytes are lost */
    EVE_SINK_FAILED,  /* a file write failed: *error holds errno */
};

/* Opens a regular file (returns errno on failure) or tries once to connect a
 * socket (a missing reader is not an error: the sink starts disconnected). */
int eve_sink_open(struct eve_sink *s, enum eve_filetype type, const char *path);

/* Regular file: opens path anew and closes the old descriptor (after logrotate
 * renamed it); on failure keeps the old one and returns errno. Sockets: no-op. */
int eve_sink_reopen(struct eve_sink *s);

/* Sends buf[0, len): complete newline-terminated records. A socket never blocks;
 * a datagram socket gets one record per datagram. *sent is the bytes consumed
 * (a stream may stop inside a record; a datagram sink only between records). */
enum eve_sink_result eve_sink_send(struct eve_sink *s, const char *buf, size_t len,
                                   size_t *sent, int *error);

/* Waits up to timeout_ms for a busy socket to take more; false on timeout. */
bool eve_sink_wait_writable(struct eve_sink *s, int timeout_ms);

bool eve_sink_is_socket(const struct eve_sink *s);

/* Closes the descriptor; returns errno of a failed close, else 0. */
int eve_sink_close(struct eve_sink *s);

#endif
