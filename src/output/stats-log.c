/* Writes stats.log blocks: a dated header, then one "Counter | TM Name |
 * Value" row per non-zero counter, totals first, then each thread's rows. */
#include "output/stats-log.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "output/output-reopen.h"

#define STATS_LOG_RULE \
    "------------------------------------------------------------------------------------\n"

struct stats_log {
    int fd;
    unsigned generation;  /* output_reopen_generation() the file was opened at */
    struct stats_log_options opt;
    char path[];
};

static void set_error(char *err, size_t errlen, const char *path, int error)
{
    if (err != NULL && errlen > 0)
        snprintf(err, errlen, "%s: %s", path, strerror(error));
}

struct stats_log *stats_log_open(const char *logdir, const char *filename,
                                 const struct stats_log_options *opt, char *err, size_t errlen)
{
    if (filename == NULL)
        filename = "stats.log";
    size_t size = strlen(logdir) + strlen(filename) + 2;
    struct stats_log *l = malloc(sizeof(*l) + size);
    if (l == NULL) {
        set_error(err, errlen, filename, ENOMEM);
        return NULL;
    }
    snprintf(l->path, size, "%s/%s", logdir, filename);
    l->opt = *opt;
    l->generation = output_reopen_generation();
    l->fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (l->fd < 0) {
        set_error(err, errlen, l->path, errno);
        free(l);
        return NULL;
    }
    return l;
}

const char *stats_log_path(const struct stats_log *l)
{
    return l->path;
}

static void write_header(FILE *out, const struct stats_sample *s, time_t wall)
{
    struct tm tm;
    localtime_r(&wall, &tm);
    uint64_t up = s->uptime;
    fputs(STATS_LOG_RULE, out);
    fprintf(out, "Date: %d/%d/%04d -- %02d:%02d:%02d (uptime: %" PRIu64 "d, %02" PRIu64
            "h %02" PRIu64 "m %02" PRIu64 "s)\n",
            tm.tm_mon + 1, tm.tm_mday, tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec,
            up / 86400, up / 3600 % 24, up / 60 % 60, up % 60);
    fputs(STATS_LOG_RULE, out);
    fprintf(out, "%-45s | %-25s | %s\n", "Counter", "TM Name", "Value");
    fputs(STATS_LOG_RULE, out);
}

static void write_row(FILE *out, const struct stats_log *l, const char *name,
                      const char *tm_name, uint64_t value)
{
    if (value == 0 && !l->opt.null_values)
        return;
    fprintf(out, "%-45s | %-25s | %" PRIu64 "\n", name, tm_name, value);
}

static void write_rows(FILE *out, const struct stats_log *l, const struct stats_sample *s)
{
    if (l->opt.totals)
        for (size_t n = 0; n < s->name_count; n++)
            write_row(out, l, s->names[n], "Total", s->totals[n]);
    if (!l->opt.threads)
        return;
    for (size_t t = 0; t < s->thread_count; t++)
        for (size_t n = 0; n < s->name_count; n++)
            if (stats_sample_thread_has(s, t, n))
                write_row(out, l, s->names[n], s->thread_names[t],
                          stats_sample_thread_value(s, t, n));
}

static bool write_all(int fd, const char *buf, size_t len)
{
    while (len > 0) {
        ssize_t n = write(fd, buf, len);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            return false;
        }
        buf += n;
        len -= (size_t)n;
    }
    return true;
}

/* After logrotate renamed the file: a fresh one by the same name. If it cannot
 * be opened the old one is kept, so no block is lost. */
static void notice_reopen(struct stats_log *l)
{
    unsigned generation = output_reopen_generation();
    if (generation == l->generation)
        return;
    l->generation = generation;
    int fd = open(l->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0640);
    if (fd < 0)
        return;
    close(l->fd);
    l->fd = fd;
}

bool stats_log_write(struct stats_log *l, const struct stats_sample *s, time_t wall,
                     char *err, size_t errlen)
{
    notice_reopen(l);
    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    if (out == NULL) {
        set_error(err, errlen, l->path, ENOMEM);
        return false;
    }
    write_header(out, s, wall);
    write_rows(out, l, s);
    bool ok = fclose(out) == 0;
    if (!ok)
        set_error(err, errlen, l->path, ENOMEM);
    else if (!write_all(l->fd, text, len)) {
        set_error(err, errlen, l->path, errno);
        ok = false;
    }
    free(text);
    return ok;
}

bool stats_log_close(struct stats_log *l, char *err, size_t errlen)
{
    if (l == NULL)
        return true;
    bool ok = close(l->fd) == 0;
    if (!ok)
        set_error(err, errlen, l->path, errno);
    free(l);
    return ok;
}
