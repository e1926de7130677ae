/* Seed source for the flow hash: one getrandom() call at start-up,
 * falling back to time and pid if the kernel cannot provide entropy. */
#include "util/hash.h"

#include <sys/random.h>
#include <time.h>
#include <unistd.h>

uint32_t hash_random_seed(void)
{
    uint32_t seed;
    if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) == sizeof(seed))
        return seed;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    return hash_finish(hash_mix((uint64_t)now.tv_nsec, (uint64_t)getpid()));
}
