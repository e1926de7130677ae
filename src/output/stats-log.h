/* stats.log: Suricata's human-readable counter table, one block appended to
 * <logdir>/<filename> per stats interval. */
#ifndef VIGIL_OUTPUT_STATS_LOG_H
#define VIGIL_OUTPUT_STATS_LOG_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "runtime/stats-sample.h"

/* Suricata's outputs.stats options. */
struct stats_log_options {
    bool totals;       /* rows "<name> | Total | <value>" (default yes) */
    bool threads;      /* rows per thread, the thread name as TM Name (default no) */
    bool null_values;  /* also rows whose value is 0 (default no) */
};

struct stats_log;

/* Opens (creating, appending, mode 0640) <logdir>/<filename>; filename NULL
 * means "stats.log". On failure returns NULL with "<path>: <reason>" in err. */
struct stats_log *stats_log_open(const char *logdir, const char *filename,
                                 const struct stats_log_options *opt, char *err, size_t errlen);

/* Appends one block for s; the Date line shows wall (local time) and the
 * uptime s->uptime. Returns false with "<path>: <reason>" in err when the
 * write failed or memory ran out. Not thread-safe: one caller at a time. */
bool stats_log_write(struct stats_log *l, const struct stats_sample *s, time_t wall,
                     char *err, size_t errlen);

/* Closes and frees l (NULL is fine); false with the reason if close failed. */
bool stats_log_close(struct stats_log *l, char *err, size_t errlen);

const char *stats_log_path(const struct stats_log *l);

#endif
