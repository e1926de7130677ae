/* The idle wait of polling threads (capture, workers): a yield keeps the
 * latency low while work is near, a 50 us sleep frees the core when not. */
#include "util/idle-wait.h"

#include <sched.h>
#include <time.h>

void idle_wait(unsigned empty_polls)
{
    if (empty_polls < 64) {
        sched_yield();
        return;
    }
    struct timespec pause = { .tv_sec = 0, .tv_nsec = 50 * 1000 };
    nanosleep(&pause, NULL);
}
