/* Large allocations asked for on transparent huge pages: memory read at
 * random misses the TLB less, and is faulted in 2 MiB at a time. */
#ifndef VIGIL_UTIL_HUGE_ALLOC_H
#define VIGIL_UTIL_HUGE_ALLOC_H

#include <stddef.h>

#define HUGE_ALLOC_PAGE (2u << 20)

/* bytes of uninitialised memory: from 2 MiB up, 2 MiB aligned and rounded
 * up to 2 MiB, on huge pages; below, 64-byte aligned on ordinary pages.
 * NULL when out of memory. Free with free(). */
void *huge_alloc(size_t bytes);

#endif
