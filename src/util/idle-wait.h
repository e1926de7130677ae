/* Waiting for work in a polling loop without a syscall per empty poll:
 * yield first, then sleep a little once polls have come back empty a while. */
#ifndef VIGIL_UTIL_IDLE_WAIT_H
#define VIGIL_UTIL_IDLE_WAIT_H

#include <stdbool.h>
#include <stdint.h>

/* How long an idle streak yields before it starts to sleep. */
#define IDLE_WAIT_SPIN_NS 1000000u

/* empty_polls: how many polls in a row found nothing (1 for the first,
 * which starts the streak). */
void idle_wait(unsigned empty_polls);

/* The policy idle_wait follows: sleep once the streak has lasted this long. */
static inline bool idle_wait_should_sleep(uint64_t idle_ns)
{
    return idle_ns >= IDLE_WAIT_SPIN_NS;
}

#endif
