/* A test-and-test-and-set spinlock, inline so taking an uncontended bucket
 * lock costs one atomic exchange and no call. For short critical sections
 * that never sleep (the flow table's bucket locks). */
#ifndef VIGIL_UTIL_SPINLOCK_H
#define VIGIL_UTIL_SPINLOCK_H

#include <stdatomic.h>
#include <stdbool.h>

typedef struct {
    atomic_int held;
} spinlock_t;

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

static inline void spinlock_init(spinlock_t *l)
{
    atomic_init(&l->held, 0);
}

static inline bool spinlock_trylock(spinlock_t *l)
{
    return atomic_load_explicit(&l->held, memory_order_relaxed) == 0 &&
           atomic_exchange_explicit(&l->held, 1, memory_order_acquire) == 0;
}

static inline void spinlock_lock(spinlock_t *l)
{
    while (atomic_exchange_explicit(&l->held, 1, memory_order_acquire) != 0) {
        while (atomic_load_explicit(&l->held, memory_order_relaxed) != 0)
            cpu_relax();
    }
}

static inline void spinlock_unlock(spinlock_t *l)
{
    atomic_store_explicit(&l->held, 0, memory_order_release);
}

#endif
