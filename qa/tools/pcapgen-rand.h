/* Deterministic pseudo-random numbers for the pcap generator: splitmix64, so a
 * seed reproduces the exact same capture on every machine and libc. */
#ifndef VIGIL_QA_PCAPGEN_RAND_H
#define VIGIL_QA_PCAPGEN_RAND_H

#include <stdint.h>

struct pcapgen_rand {
    uint64_t state;
};

static inline uint64_t pcapgen_rand_next(struct pcapgen_rand *r)
{
    uint64_t z = (r->state += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

/* Uniform in [0, n): multiply-shift avoids the bias and the division of `%`. */
static inline uint32_t pcapgen_rand_below(struct pcapgen_rand *r, uint32_t n)
{
    return (uint32_t)(((pcapgen_rand_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* True with the given probability in percent. */
static inline int pcapgen_rand_percent(struct pcapgen_rand *r, uint32_t percent)
{
    return pcapgen_rand_below(r, 100) < percent;
}

#endif
