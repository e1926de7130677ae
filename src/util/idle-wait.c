/* The idle wait of polling threads (capture, workers): a yield keeps the
 * latency low while work is near, a 50 us sleep frees the core when not. */
#include "util/idle-wait.h"

#include <sched.h>
#include <time.h>

/* The streak is measured in time, not polls: a yield costs 0.5 us here and
 * a "50 us" sleep 124 us (timer slack and the VM), and a thread that fell
 * asleep after 64 yields (32 us) slept through the gaps of a busy pipeline:
 * autofp(1)'s worker then held up the capture thread and the other way
 * round (bench pcap, 25 alternated runs: median 234 ms, 212 ms spinning for
 * 1 ms; 2000 polls measured the same). Live threads idle for long still
 * sleep after the first millisecond. */
static __thread uint64_t streak_start_ns;

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void idle_wait(unsigned empty_polls)
{
    uint64_t now = monotonic_ns();
    if (empty_polls <= 1)
        streak_start_ns = now;
    if (!idle_wait_should_sleep(now - streak_start_ns)) {
        sched_yield();
        return;
    }
    struct timespec pause = { .tv_sec = 0, .tv_nsec = 50 * 1000 };
    nanosleep(&pause, NULL);
}
