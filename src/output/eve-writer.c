/* EVE writer: a mutex-protected append buffer of whole records, sent to its sink
 * when full, on eve_writer_flush and at close; losses are counted, file errors kept.
 * A full buffer bound for a file is written outside the lock while the next fills. */
#include "output/eve-writer.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "output/output-reopen.h"
#include "util/log.h"

/* A socket reader that stops reading costs the writers one wait this long; after
 * that, records are dropped at once until the reader takes data again. */
#define EVE_WRITER_STALL_MS 100
/* At close, a socket reader gets this long to take what is still buffered. */
#define EVE_WRITER_CLOSE_WAIT_MS 1000

struct eve_writer {
    pthread_mutex_t lock;
    struct eve_sink sink;
    unsigned generation;    /* output_reopen_generation() the sink was opened at */
    bool stalled;           /* the last wait for a socket reader timed out */
    int error;              /* first errno from a file write or close, 0 if none */
    char *buf;
    size_t len, cap;
    /* Files only: the second buffer, NULL while its bytes are being written
     * outside the lock (writing); writes still reach the file in order. */
    char *spare;
    bool writing;
    pthread_cond_t written;     /* a write outside the lock ended */
    uint64_t records;       /* accepted by eve_writer_write */
    uint64_t buffered;      /* of those, not yet completely sent */
    uint64_t dropped;       /* lost: failed write, absent or stalled reader */
    char path[];
};

static void format_error(char *err, size_t errlen, const char *path, int error)
{
    if (err && errlen)
        snprintf(err, errlen, "%s: %s", path, strerror(error));
}

static struct eve_writer *writer_new(const char *logdir, const char *filename,
                                     size_t buffer_size, char *err, size_t errlen)
{
    bool absolute = filename[0] == '/';
    size_t path_len = (absolute ? 0 : strlen(logdir) + 1) + strlen(filename);
    struct eve_writer *w = calloc(1, sizeof(*w) + path_len + 1);
    if (w == NULL) {
        format_error(err, errlen, filename, ENOMEM);
        return NULL;
    }
    if (absolute)
        memcpy(w->path, filename, path_len + 1);
    else
        snprintf(w->path, path_len + 1, "%s/%s", logdir, filename);
    w->cap = buffer_size ? buffer_size : EVE_WRITER_DEFAULT_BUFFER;
    w->buf = malloc(w->cap);
    if (w->buf == NULL) {
        format_error(err, errlen, w->path, ENOMEM);
        free(w);
        return NULL;
    }
    return w;
}

struct eve_writer *eve_writer_open_type(const char *logdir, const char *filename,
                                        enum eve_filetype type, size_t buffer_size,
                                        char *err, size_t errlen)
{
    struct eve_writer *w = writer_new(logdir, filename, buffer_size, err, errlen);
    if (w == NULL)
        return NULL;
    w->generation = output_reopen_generation();
    int error = eve_sink_open(&w->sink, type, w->path);
    if (error) {
        format_error(err, errlen, w->path, error);
        free(w->buf);
        free(w);
        return NULL;
    }
    if (!eve_sink_is_socket(&w->sink)) {
        w->spare = malloc(w->cap);
        if (w->spare == NULL) {
            format_error(err, errlen, w->path, ENOMEM);
            eve_sink_close(&w->sink);
            free(w->buf);
            free(w);
            return NULL;
        }
    }
    pthread_mutex_init(&w->lock, NULL);
    pthread_cond_init(&w->written, NULL);
    return w;
}

struct eve_writer *eve_writer_open(const char *logdir, const char *filename,
                                   size_t buffer_size, char *err, size_t errlen)
{
    return eve_writer_open_type(logdir, filename, EVE_FILETYPE_REGULAR, buffer_size, err,
                                errlen);
}

/* Bytes to append: records whole lines, or one record whose '\n' is added. */
struct eve_lines {
    const char *data;
    size_t len;
    uint64_t records;
    bool add_newline;
};

static uint64_t count_records(const char *p, size_t n)
{
    uint64_t count = 0;
    for (const char *end = p + n; (p = memchr(p, '\n', (size_t)(end - p))) != NULL; p++)
        count++;
    return count;
}

static void drop_buffered(struct eve_writer *w)
{
    w->dropped += w->buffered;
    w->buffered = 0;
    w->len = 0;
}

/* Called with the lock held: whatever went out of it first is in the file
 * before anything else is sent. */
static void wait_for_write(struct eve_writer *w)
{
    while (w->writing)
        pthread_cond_wait(&w->written, &w->lock);
}

/* Called with the lock held. A failed file write drops the buffered records:
 * retrying a full disk forever would stall every thread sharing the file. A
 * busy socket keeps the unsent bytes (a record is never cut in two); a socket
 * without a reader drops them. Returns false on a file error only. */
static bool flush_locked(struct eve_writer *w)
{
    wait_for_write(w);
    if (w->error) {
        drop_buffered(w);
        return false;
    }
    size_t sent = 0;
    int error = 0;
    enum eve_sink_result result = eve_sink_send(&w->sink, w->buf, w->len, &sent, &error);
    w->buffered -= count_records(w->buf, sent);
    if (sent > 0)
        w->stalled = false;
    memmove(w->buf, w->buf + sent, w->len - sent);
    w->len -= sent;
    if (result == EVE_SINK_GONE)
        drop_buffered(w);
    if (result != EVE_SINK_FAILED)
        return true;
    w->error = error;
    drop_buffered(w);
    return false;
}

/* Called with the lock held, which it gives up while it writes the full
 * buffer to the file: the other threads go on appending to the spare one.
 * A failed write drops the records it held, as flush_locked does. */
static void write_out_of_lock(struct eve_writer *w)
{
    wait_for_write(w);
    if (w->len == 0 || w->error) {
        flush_locked(w);
        return;
    }
    char *full = w->buf;
    size_t len = w->len;
    uint64_t records = w->buffered;
    w->buf = w->spare;
    w->spare = NULL;
    w->len = 0;
    w->buffered = 0;
    w->writing = true;
    pthread_mutex_unlock(&w->lock);
    size_t sent = 0;
    int error = 0;
    enum eve_sink_result result = eve_sink_send(&w->sink, full, len, &sent, &error);
    pthread_mutex_lock(&w->lock);
    w->spare = full;
    w->writing = false;
    if (result == EVE_SINK_FAILED) {
        if (!w->error)
            w->error = error;
        w->dropped += records - count_records(full, sent);
    }
    pthread_cond_broadcast(&w->written);
}

/* Frees need bytes. A file's full buffer is written out of the lock, and
 * again if other threads filled the next one meanwhile: a file never drops
 * a record for want of room. A busy socket gets one short wait per stall. */
static void make_room(struct eve_writer *w, size_t need)
{
    if (!eve_sink_is_socket(&w->sink)) {
        do
            write_out_of_lock(w);
        while (!w->error && need <= w->cap && w->cap - w->len < need);
        return;
    }
    flush_locked(w);
    while (w->cap - w->len < need && w->len > 0 && !w->stalled) {
        if (!eve_sink_wait_writable(&w->sink, EVE_WRITER_STALL_MS))
            w->stalled = true;
        flush_locked(w);
    }
}

static void notice_reopen(struct eve_writer *w)
{
    unsigned generation = output_reopen_generation();
    if (generation == w->generation)
        return;
    w->generation = generation;
    if (eve_sink_is_socket(&w->sink))
        return;
    flush_locked(w);
    int error = eve_sink_reopen(&w->sink);
    if (error)
        log_warning("eve-log: cannot reopen %s: %s; writing on to the file already open",
                    w->path, strerror(error));
}

/* Bigger than the whole buffer (which is empty now): a file takes it directly. */
static bool write_through(struct eve_writer *w, const struct eve_lines *in)
{
    wait_for_write(w);
    size_t sent;
    int error = 0;
    if (eve_sink_is_socket(&w->sink) ||
        eve_sink_send(&w->sink, in->data, in->len, &sent, &error) != EVE_SINK_DONE ||
        (in->add_newline && eve_sink_send(&w->sink, "\n", 1, &sent, &error) != EVE_SINK_DONE)) {
        if (error && !w->error)
            w->error = error;
        w->dropped += in->records;
        return w->error == 0;
    }
    return true;
}

static bool append_locked(struct eve_writer *w, const struct eve_lines *in)
{
    size_t need = in->len + (in->add_newline ? 1 : 0);
    if (w->cap - w->len < need)
        make_room(w, need);
    if (w->error) {
        w->dropped += in->records;
        return false;
    }
    if (need > w->cap)
        return write_through(w, in);
    if (w->cap - w->len < need) {
        w->dropped += in->records;
        return true;
    }
    memcpy(w->buf + w->len, in->data, in->len);
    w->len += in->len;
    if (in->add_newline)
        w->buf[w->len++] = '\n';
    w->buffered += in->records;
    return true;
}

static bool write_locked(struct eve_writer *w, const struct eve_lines *in)
{
    pthread_mutex_lock(&w->lock);
    notice_reopen(w);
    w->records += in->records;
    bool ok = append_locked(w, in);
    pthread_mutex_unlock(&w->lock);
    return ok;
}

bool eve_writer_write(struct eve_writer *w, const char *record, size_t len)
{
    const struct eve_lines in = { .data = record, .len = len, .records = 1, .add_newline = true };
    return write_locked(w, &in);
}

bool eve_writer_write_lines(struct eve_writer *w, const char *lines, size_t len,
                            uint64_t records)
{
    const struct eve_lines in = { .data = lines, .len = len, .records = records };
    return records == 0 || write_locked(w, &in);
}

bool eve_writer_flush(struct eve_writer *w)
{
    pthread_mutex_lock(&w->lock);
    notice_reopen(w);
    bool ok = flush_locked(w);
    pthread_mutex_unlock(&w->lock);
    return ok;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* At close nobody waits on the writer any more: a socket reader gets a while
 * to take the rest. */
static void drain_for_close(struct eve_writer *w)
{
    flush_locked(w);
    int64_t deadline = now_ms() + EVE_WRITER_CLOSE_WAIT_MS;
    for (int64_t left; w->len > 0 && (left = deadline - now_ms()) > 0;) {
        eve_sink_wait_writable(&w->sink, (int)left);
        flush_locked(w);
    }
    drop_buffered(w);
    uint64_t dropped = w->dropped + w->sink.oversized;
    if (dropped > 0 && eve_sink_is_socket(&w->sink))
        log_warning("eve-log: %s: %llu of %llu records dropped (no reader, or one not "
                    "keeping up)", w->path, (unsigned long long)dropped,
                    (unsigned long long)w->records);
}

bool eve_writer_close(struct eve_writer *w, char *err, size_t errlen)
{
    if (w == NULL)
        return true;
    drain_for_close(w);
    int error = eve_sink_close(&w->sink);
    if (error && w->error == 0)
        w->error = error;
    bool ok = w->error == 0;
    if (!ok)
        format_error(err, errlen, w->path, w->error);
    pthread_cond_destroy(&w->written);
    pthread_mutex_destroy(&w->lock);
    free(w->spare);
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
    uint64_t n = w->dropped + w->sink.oversized;
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
