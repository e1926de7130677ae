/* The stop flag of periodic threads (stats, the DPDK flow manager): a
 * condition variable on the monotonic clock instead of a sleep loop. */
#include "util/stop-wait.h"

#include <errno.h>

void monotonic_cond_init(pthread_cond_t *cond)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(cond, &attr);
    pthread_condattr_destroy(&attr);
}

void stop_wait_init(struct stop_wait *w)
{
    pthread_mutex_init(&w->lock, NULL);
    monotonic_cond_init(&w->wake);
    w->stopped = false;
}

void stop_wait_destroy(struct stop_wait *w)
{
    pthread_cond_destroy(&w->wake);
    pthread_mutex_destroy(&w->lock);
}

void stop_wait_stop(struct stop_wait *w)
{
    pthread_mutex_lock(&w->lock);
    w->stopped = true;
    pthread_cond_signal(&w->wake);
    pthread_mutex_unlock(&w->lock);
}

bool stop_wait_until(struct stop_wait *w, const struct timespec *deadline)
{
    pthread_mutex_lock(&w->lock);
    int rc = 0;
    while (!w->stopped && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&w->wake, &w->lock, deadline);
    bool stopped = w->stopped;
    pthread_mutex_unlock(&w->lock);
    return stopped;
}
