/* Runs stats reports on a timer in their own thread; its stop_wait makes
 * stop immediate instead of a sleep loop. */
#include "runtime/stats-thread.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/cpu-affinity.h"
#include "util/log.h"
#include "util/stop-wait.h"

struct stats_thread {
    struct stats_reporter *reporter;
    uint32_t interval;
    pthread_t thread;
    struct stop_wait stop;
    bool final_ok;             /* written by the thread before it exits */
    char final_err[256];
};

/* Logs a failed report once, and again only after a report succeeded. */
static void report(struct stats_thread *t, bool *failing)
{
    char err[256];
    if (stats_write_now(t->reporter, err, sizeof(err))) {
        *failing = false;
    } else if (!*failing) {
        log_warning("stats: %s", err);
        *failing = true;
    }
}

static void *stats_thread_main(void *arg)
{
    struct stats_thread *t = arg;
    pthread_setname_np(pthread_self(), "ST");
    cpu_affinity_pin_self(CPU_AFFINITY_MANAGEMENT, CPU_AFFINITY_SLOT_ST, "ST");
    bool failing = false;
    struct timespec next;
    clock_gettime(CLOCK_MONOTONIC, &next);

    for (;;) {
        next.tv_sec += (time_t)t->interval;
        if (stop_wait_until(&t->stop, &next))
            break;
        report(t, &failing);
    }

    t->final_ok = stats_write_now(t->reporter, t->final_err, sizeof(t->final_err));
    return NULL;
}

static void stats_thread_free(struct stats_thread *t)
{
    stop_wait_destroy(&t->stop);
    stats_reporter_free(t->reporter);
    free(t);
}

struct stats_thread *stats_thread_start(const struct stats_thread_config *cfg, char *err,
                                        size_t errlen)
{
    struct stats_thread *t = calloc(1, sizeof(*t));
    if (t == NULL || (t->reporter = stats_reporter_new(cfg)) == NULL) {
        free(t);
        snprintf(err, errlen, "stats thread: out of memory");
        return NULL;
    }
    t->interval = cfg->interval > 0 ? cfg->interval : 1;
    stop_wait_init(&t->stop);

    int rc = pthread_create(&t->thread, NULL, stats_thread_main, t);
    if (rc != 0) {
        snprintf(err, errlen, "stats thread: %s", strerror(rc));
        stats_thread_free(t);
        return NULL;
    }
    return t;
}

bool stats_thread_stop(struct stats_thread *t, char *err, size_t errlen)
{
    if (t == NULL)
        return true;
    stop_wait_stop(&t->stop);
    pthread_join(t->thread, NULL);
    bool ok = t->final_ok;
    if (!ok)
        snprintf(err, errlen, "%s", t->final_err);
    stats_thread_free(t);
    return ok;
}
