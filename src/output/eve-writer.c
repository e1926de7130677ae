/* EVE file writer: a mutex-protected append buffer flushed with write(2) when
 * full, on eve_writer_flush and at close; write errors are kept, not lost. */
#include "output/eve-writer.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct eve_writer {
    pthread_mutex_t lock;
    int fd;
    int error;              /* first errno from write/close, 0 if none */
    char *buf;
    size_t len, cap;
    uint64_t records;       /* accepted by eve_writer_write */
    uint64_t buffered;      /* of those, still in buf */
    uint64_t dropped;       /* lost to a failed write */
    char path[];
};

static void format_error(char *err, size_t errlen, const char *path, int error)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", path, strerror(error));
}

struct eve_writer *eve_writer_open(const char *logdir, const char *filename,
                                   size_t buffer_size, char *err, size_t errlen)
{
    size_t path_len = strlen(logdir) + 1 + strlen(filename);
    struct eve_writer *w = calloc(1, sizeof(*w) + path_len + 1);
    if (w == NULL) {
        format_error(err, errlen, filename, ENOMEM);
        return NULL;
    }
    snprintf(w->path, path_len + 1, "%s/%s", logdir, filename);
    w->cap = buffer_size ? buffer_size : EVE_WRITER_DEFAULT_BUFFER;
    w->buf = malloc(w->cap);
    if (w->buf == NULL) {
        format_error(err, errlen, w->path, ENOMEM);
        free(w);
        return NULL;
    }
    w->fd = open(w->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (w->fd < 0) {
        format_error(err, errlen, w->path, errno);
        free(w->buf);
        free(w);
        return NULL;
    }
    pthread_mutex_init(&w->lock, NULL);
    return w;
}

static bool write_all(struct eve_writer *w, const char *p, size_t n)
{
    while (n > 0) {
        ssize_t done = write(w->fd, p, n);
        if (done < 0) {
            if (errno == EINTR)
                continue;
            if (w->error == 0)
                w->error = errno;
            return false;
        }
        p += done;
        n -= (size_t)done;
    }
    return true;
}

/* Called with the lock held. On failure the buffered records are dropped:
 * retrying a full disk forever would stall every thread sharing the file. */
static bool flush_locked(struct eve_writer *w)
{
    bool ok = w->error == 0 && write_all(w, w->buf, w->len);
    if (!ok)
        w->dropped += w->buffered;
    w->len = 0;
    w->buffered = 0;
    return ok;
}

bool eve_writer_write(struct eve_writer *w, const char *record, size_t len)
{
    pthread_mutex_lock(&w->lock);
    w->records++;
    bool ok = w->error == 0;
    if (ok && w->cap - w->len < len + 1)
        ok = flush_locked(w);
    if (!ok) {
        w->dropped++;
    } else if (len + 1 <= w->cap) {
        memcpy(w->buf + w->len, record, len);
        w->buf[w->len + len] = '\n';
        w->len += len + 1;
        w->buffered++;
    } else {
        /* Bigger than the whole buffer: the buffer is empty, write it through. */
        ok = write_all(w, record, len) && write_all(w, "\n", 1);
        if (!ok)
            w->dropped++;
    }
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool eve_writer_flush(struct eve_writer *w)
{
    pthread_mutex_lock(&w->lock);
    bool ok = flush_locked(w);
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool eve_writer_close(struct eve_writer *w, char *err, size_t errlen)
{
    if (w == NULL)
        return true;
    flush_locked(w);
    if (close(w->fd) != 0 && w->error == 0)
        w->error = errno;
    bool ok = w->error == 0;
    if (!ok)
        format_error(err, errlen, w->path, w->error);
    pthread_mutex_destroy(&w->lock);
    free(w->buf);
    free(w);
    return ok;
}

uint64_t eve_writer_records(struct eve_writer *w)
{
    pthread_mutex_lock(&w->lock);
    uint64_t n = w->records;
    pthread_mutex_unlock(&w->lock);
    return n;
}

uint64_t eve_writer_dropped(struct eve_writer *w)
{
    pthread_mutex_lock(&w->lock);
    uint64_t n = w->dropped;
    pthread_mutex_unlock(&w->lock);
    return n;
}

bool eve_writer_error(struct eve_writer *w, char *err, size_t errlen)
{
    pthread_mutex_lock(&w->lock);
    int error = w->error;
    pthread_mutex_unlock(&w->lock);
    if (error)
        format_error(err, errlen, w->path, error);
    return error != 0;
}

const char *eve_writer_path(const struct eve_writer *w)
{
    return w->path;
}
