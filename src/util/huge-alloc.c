/* Huge-page backed allocations: aligned_alloc for the alignment a huge page
 * needs, madvise before the first touch so the faults come in 2 MiB pages. */
#include "util/huge-alloc.h"

#include <stdlib.h>
#include <sys/mman.h>

/* A cache line: what the flow table's buckets need. */
#define SMALL_ALIGN 64u

void *huge_alloc(size_t bytes)
{
    /* Below one huge page a huge page would commit more than it saves:
     * a 4-tracker defrag context took 2 MiB and its fuzz target ran 20
     * times slower. */
    if (bytes < HUGE_ALLOC_PAGE) {
        size_t rounded = (bytes + SMALL_ALIGN - 1) / SMALL_ALIGN * SMALL_ALIGN;
        return aligned_alloc(SMALL_ALIGN, rounded ? rounded : SMALL_ALIGN);
    }
    size_t rounded = (bytes + HUGE_ALLOC_PAGE - 1) / HUGE_ALLOC_PAGE * HUGE_ALLOC_PAGE;
    if (rounded < bytes)
        return NULL;
    void *p = aligned_alloc(HUGE_ALLOC_PAGE, rounded);
    /* Advice only: without THP the memory works the same on small pages. */
    if (p != NULL)
        madvise(p, rounded, MADV_HUGEPAGE);
    return p;
}
