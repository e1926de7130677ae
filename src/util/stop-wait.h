/* A stop flag that a periodic thread sleeps on: its timed waits end at once
 * when the flag is set, so stopping never waits for the next period. */
#ifndef VIGIL_UTIL_STOP_WAIT_H
#define VIGIL_UTIL_STOP_WAIT_H

#include <pthread.h>
#include <stdbool.h>
#include <time.h>

struct stop_wait {
    pthread_mutex_t lock;
    pthread_cond_t wake;       /* on CLOCK_MONOTONIC */
    bool stopped;              /* under lock */
};

/* A condition variable whose timed waits take CLOCK_MONOTONIC deadlines,
 * which a change of the wall clock cannot stretch or cut short. */
void monotonic_cond_init(pthread_cond_t *cond);

void stop_wait_init(struct stop_wait *w);
void stop_wait_destroy(struct stop_wait *w);

/* Sets the flag and wakes the sleeper. */
void stop_wait_stop(struct stop_wait *w);

/* Sleeps until deadline (CLOCK_MONOTONIC) or the flag; true when stopped. */
bool stop_wait_until(struct stop_wait *w, const struct timespec *deadline);

#endif
