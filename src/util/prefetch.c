/* Whether the CPU can prefetch a line for writing (PREFETCHW), read once
 * before main so prefetch_for_write needs no set-up call. */
#include "util/prefetch.h"

#if defined(__x86_64__) || defined(__i386__)
#include <cpuid.h>
#endif

bool prefetch_has_prefetchw;

__attribute__((constructor)) static void prefetch_detect(void)
{
#if defined(__x86_64__) || defined(__i386__)
    unsigned eax, ebx, ecx, edx;
    if (__get_cpuid(0x80000001u, &eax, &ebx, &ecx, &edx))
        prefetch_has_prefetchw = (ecx & (1u << 8)) != 0;
#endif
}
