/* Huge-page backed allocations: aligned_alloc for the alignment a huge page
 * needs, madvise before the first touch so the faults come in 2 MiB pages. */
#include "util/huge-alloc.h"

#include <stdlib.h>
#include <sys/mman.h>

void *huge_alloc(size_t bytes)
{
    size_t rounded = (bytes + HUGE_ALLOC_PAGE - 1) / HUGE_ALLOC_PAGE * HUGE_ALLOC_PAGE;
    if (rounded < bytes)
        return NULL;
    if (rounded == 0)
        rounded = HUGE_ALLOC_PAGE;
    void *p = aligned_alloc(HUGE_ALLOC_PAGE, rounded);
    /* Advice only: without THP the memory works the same on small pages. */
    if (p != NULL)
        madvise(p, rounded, MADV_HUGEPAGE);
    return p;
}
