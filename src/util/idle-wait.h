/* Waiting for work in a polling loop without a syscall per empty poll:
 * yield first, then sleep a little once polls have come back empty a while. */
#ifndef VIGIL_UTIL_IDLE_WAIT_H
#define VIGIL_UTIL_IDLE_WAIT_H

/* empty_polls: how many polls in a row found nothing (1 for the first). */
void idle_wait(unsigned empty_polls);

#endif
