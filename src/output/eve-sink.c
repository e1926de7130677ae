/* EVE destinations: write(2) to an appended file, or non-blocking send(2) to a
 * Unix socket whose reader may stall or vanish; state changes are logged once. */
#include "output/eve-sink.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "util/log.h"

bool eve_filetype_parse(const char *name, enum eve_filetype *type)
{
    if (strcmp(name, "regular") == 0 || strcmp(name, "file") == 0)
        *type = EVE_FILETYPE_REGULAR;
    else if (strcmp(name, "unix_stream") == 0)
        *type = EVE_FILETYPE_UNIX_STREAM;
    else if (strcmp(name, "unix_dgram") == 0)
        *type = EVE_FILETYPE_UNIX_DGRAM;
    else
        return false;
    return true;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int open_file(const char *path)
{
    return open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
}

bool eve_sink_is_socket(const struct eve_sink *s)
{
    return s->type != EVE_FILETYPE_REGULAR;
}

/* One connect attempt; a failure is logged when it starts a run of drops
 * (at open, or when a reader went away), not at every retry. */
static void try_connect(struct eve_sink *s, bool log_failure)
{
    s->next_connect_ns = now_ns() + EVE_SINK_RETRY_NS;
    int kind = s->type == EVE_FILETYPE_UNIX_STREAM ? SOCK_STREAM : SOCK_DGRAM;
    int fd = socket(AF_UNIX, kind | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return;
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    memcpy(addr.sun_path, s->path, strlen(s->path) + 1);
    if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) == 0) {
        s->fd = fd;
        log_notice("eve-log: %s: reader connected", s->path);
        return;
    }
    if (log_failure)
        log_warning("eve-log: %s: %s; records are dropped (and counted) until a reader "
                    "listens", s->path, strerror(errno));
    close(fd);
}

int eve_sink_open(struct eve_sink *s, enum eve_filetype type, const char *path)
{
    *s = (struct eve_sink){.type = type, .fd = -1, .path = path};
    if (!eve_sink_is_socket(s)) {
        s->fd = open_file(path);
        return s->fd < 0 ? errno : 0;
    }
    if (strlen(path) >= sizeof(((struct sockaddr_un *)0)->sun_path))
        return ENAMETOOLONG;
    try_connect(s, true);
    return 0;
}

int eve_sink_reopen(struct eve_sink *s)
{
    if (eve_sink_is_socket(s))
        return 0;
    int fd = open_file(s->path);
    if (fd < 0)
        return errno;
    close(s->fd);
    s->fd = fd;
    return 0;
}

static void disconnect(struct eve_sink *s, int error)
{
    log_warning("eve-log: %s: reader gone (%s); records are dropped (and counted) until "
                "one connects again", s->path, strerror(error));
    close(s->fd);
    s->fd = -1;
    s->next_connect_ns = now_ns() + EVE_SINK_RETRY_NS;
}

static enum eve_sink_result send_file(struct eve_sink *s, const char *buf, size_t len,
                                      size_t *sent, int *error)
{
    for (*sent = 0; *sent < len;) {
        ssize_t n = write(s->fd, buf + *sent, len - *sent);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            *error = errno;
            return EVE_SINK_FAILED;
        }
        *sent += (size_t)n;
    }
    return EVE_SINK_DONE;
}

static bool is_busy(int error)
{
    return error == EAGAIN || error == EWOULDBLOCK || error == ENOBUFS;
}

static enum eve_sink_result send_stream(struct eve_sink *s, const char *buf, size_t len,
                                        size_t *sent)
{
    for (*sent = 0; *sent < len;) {
        ssize_t n = send(s->fd, buf + *sent, len - *sent, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && is_busy(errno))
            return EVE_SINK_BUSY;
        if (n < 0) {
            disconnect(s, errno);
            return EVE_SINK_GONE;
        }
        *sent += (size_t)n;
    }
    return EVE_SINK_DONE;
}

/* A record too big for a datagram is skipped: it can never be sent. */
static enum eve_sink_result send_datagrams(struct eve_sink *s, const char *buf, size_t len,
                                           size_t *sent)
{
    for (*sent = 0; *sent < len;) {
        const char *end = memchr(buf + *sent, '\n', len - *sent);
        size_t record = (end ? (size_t)(end - buf) + 1 : len) - *sent;
        ssize_t n = send(s->fd, buf + *sent, record, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && is_busy(errno))
            return EVE_SINK_BUSY;
        if (n < 0 && errno != EMSGSIZE) {
            disconnect(s, errno);
            return EVE_SINK_GONE;
        }
        if (n < 0)
            s->oversized++;
        *sent += record;
    }
    return EVE_SINK_DONE;
}

enum eve_sink_result eve_sink_send(struct eve_sink *s, const char *buf, size_t len,
                                   size_t *sent, int *error)
{
    *sent = 0;
    if (!eve_sink_is_socket(s))
        return send_file(s, buf, len, sent, error);
    if (s->fd < 0 && now_ns() >= s->next_connect_ns)
        try_connect(s, false);
    if (s->fd < 0)
        return EVE_SINK_GONE;
    if (s->type == EVE_FILETYPE_UNIX_STREAM)
        return send_stream(s, buf, len, sent);
    return send_datagrams(s, buf, len, sent);
}

bool eve_sink_wait_writable(struct eve_sink *s, int timeout_ms)
{
    if (s->fd < 0)
        return false;
    struct pollfd pfd = {.fd = s->fd, .events = POLLOUT};
    return poll(&pfd, 1, timeout_ms) > 0;
}

int eve_sink_close(struct eve_sink *s)
{
    if (s->fd < 0)
        return 0;
    int rc = close(s->fd) == 0 ? 0 : errno;
    s->fd = -1;
    return rc;
}
