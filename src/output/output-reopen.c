/* The reopen generation: a lock-free atomic, so requesting a reopen is safe
 * from a signal handler and costs writers one relaxed load. */
#include "output/output-reopen.h"

#include <stdatomic.h>

static atomic_uint reopen_generation;

_Static_assert(ATOMIC_INT_LOCK_FREE == 2, "a signal handler may only touch lock-free atomics");

void output_request_reopen(void)
{
    atomic_fetch_add_explicit(&reopen_generation, 1, memory_order_relaxed);
}

unsigned output_reopen_generation(void)
{
    return atomic_load_explicit(&reopen_generation, memory_order_relaxed);
}
