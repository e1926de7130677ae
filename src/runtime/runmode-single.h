/* The single runmode: one thread reads, decodes, tracks flows and writes
 * EVE, the reference every threaded runmode must agree with. */
#ifndef VIGIL_RUNTIME_RUNMODE_SINGLE_H
#define VIGIL_RUNTIME_RUNMODE_SINGLE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <time.h>

#include "runtime/config.h"

struct offline_run {
    const char *input;        /* -r file or directory */
    const char *log_dir;      /* where eve.json goes */
    bool show_progress;
    const atomic_int *stop;     /* set by a signal handler: stop reading */
};

/* Replays the input and logs every flow. Returns the process exit code:
 * 0 success, 1 configuration refused at start-up, 2 runtime failure
 * (unreadable or corrupt capture, failed EVE writes). */
int runmode_single_offline(const struct vigil_config *cfg, const struct offline_run *run);

/* Seconds of wall time since t0 (CLOCK_MONOTONIC), for run summaries. */
double runmode_elapsed_since(const struct timespec *t0);

#endif
