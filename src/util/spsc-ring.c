/* Setting up and tearing down an SPSC ring; the hot operations are inline in
 * spsc-ring.h. */
#include "util/spsc-ring.h"

#include <stdlib.h>

static uint32_t round_up_pow2(uint32_t v)
{
    uint32_t p = 1;
    while (p < v)
        p <<= 1;
    return p;
}

int spsc_ring_init(struct spsc_ring *r, uint32_t capacity)
{
    if (capacity == 0 || capacity > SPSC_RING_MAX_CAPACITY)
        return -1;
    uint32_t slots = round_up_pow2(capacity);
    /* Whole cache lines, so no neighbouring allocation shares the slots' lines. */
    size_t bytes = ((size_t)slots * sizeof(void *) + SPSC_RING_CACHE_LINE - 1) &
                   ~(size_t)(SPSC_RING_CACHE_LINE - 1);
    r->slots = aligned_alloc(SPSC_RING_CACHE_LINE, bytes);
    if (r->slots == NULL)
        return -1;
    r->capacity = slots;
    r->mask = slots - 1;
    atomic_init(&r->tail, 0);
    atomic_init(&r->head, 0);
    r->head_cache = 0;
    r->tail_cache = 0;
    return 0;
}

void spsc_ring_destroy(struct spsc_ring *r)
{
    free(r->slots);
    r->slots = NULL;
    r->capacity = 0;
    r->mask = 0;
}
