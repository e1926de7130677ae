/* Seeded hashing of flow tuples. The flow hash is symmetric: both directions
 * of a conversation hash alike, so either direction finds the same bucket. */
#ifndef VIGIL_UTIL_HASH_H
#define VIGIL_UTIL_HASH_H

#include <stdint.h>

/* One mixing step; callers fold words in with it and finish with hash_finish. */
static inline uint64_t hash_mix(uint64_t h, uint64_t word)
{
    h ^= word;
    h *= 0x9e3779b97f4a7c15ULL;
    return h ^ (h >> 29);
}

static inline uint32_t hash_finish(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return (uint32_t)h;
}

/* A random seed (getrandom) so an attacker cannot aim traffic at one bucket. */
uint32_t hash_random_seed(void);

#endif
