/* Prefetching a line the caller is about to write: asked for owned, not
 * shared, so the store does not wait on another core giving the line up. */
#ifndef VIGIL_UTIL_PREFETCH_H
#define VIGIL_UTIL_PREFETCH_H

#include <stdbool.h>

/* Set at start-up: the CPU has PREFETCHW (CPUID 80000001h ECX bit 8). */
extern bool prefetch_has_prefetchw;

/* __builtin_prefetch(p, 1) is PREFETCHT0 on baseline x86-64, which brings a
 * line another core wrote in shared: the store after it still has to wait
 * for that core to invalidate its copy. */
static inline void prefetch_for_write(const void *p)
{
#if defined(__x86_64__) || defined(__i386__)
    if (prefetch_has_prefetchw) {
        __asm__ volatile("prefetchw %0" : : "m"(*(const char *)p));
        return;
    }
#endif
    __builtin_prefetch(p, 1);
}

#endif
