/* Single-producer single-consumer lock-free ring of pointers: the hand-off
 * between two threads (capture to flow worker, worker back to a packet pool).
 *
 * Memory ordering. `tail` is written only by the producer, `head` only by the
 * consumer; both are free-running 32-bit counters (slot = index & mask), so
 * tail - head is the fill level even across wrap-around and all `capacity`
 * slots are usable.
 *  - The producer stores the objects into their slots with plain stores, then
 *    publishes them with a release store of `tail`. The consumer's acquire load
 *    of `tail` therefore sees those slot stores before it reads the slots.
 *  - The consumer reads the slots, then frees them with a release store of
 *    `head`. The producer's acquire load of `head` therefore orders its later
 *    stores into those slots after the consumer's reads (no slot is overwritten
 *    while still being read).
 *  - Each side loads its own index relaxed: no other thread writes it.
 * Each side keeps a private copy of the other side's index (`head_cache`,
 * `tail_cache`) on its own cache line and reloads the shared one only when the
 * copy says the burst does not fit, so a burst reads the other side's line at
 * most once and an uncontended run of bursts does not touch it at all.
 * No locks, no syscalls, no allocation after spsc_ring_init. */
#ifndef VIGIL_UTIL_SPSC_RING_H
#define VIGIL_UTIL_SPSC_RING_H

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>

#define SPSC_RING_CACHE_LINE 64
/* Free-running 32-bit indices tell full from empty only up to 2^31 slots. */
#define SPSC_RING_MAX_CAPACITY (1u << 31)

struct spsc_ring {
    /* Written once by spsc_ring_init, then only read by both sides. */
    alignas(SPSC_RING_CACHE_LINE) void **slots;
    uint32_t mask;
    uint32_t capacity;

    /* Producer's line. */
    alignas(SPSC_RING_CACHE_LINE) _Atomic uint32_t tail;
    uint32_t head_cache;

    /* Consumer's line. */
    alignas(SPSC_RING_CACHE_LINE) _Atomic uint32_t head;
    uint32_t tail_cache;
};

/* Capacity is rounded up to a power of two (read it back from r->capacity).
 * Returns 0, or -1 when capacity is 0 or above SPSC_RING_MAX_CAPACITY or the
 * slots cannot be allocated. Not thread-safe: call before both sides start. */
int spsc_ring_init(struct spsc_ring *r, uint32_t capacity);
/* Frees the slots; the objects still in the ring are the caller's business. */
void spsc_ring_destroy(struct spsc_ring *r);

/* Producer only. Enqueues the first k of objs, k = min(n, free slots), in
 * order, and returns k. */
static inline unsigned spsc_ring_enqueue_burst(struct spsc_ring *r, void *const *objs,
                                               unsigned n)
{
    uint32_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
    uint32_t room = r->capacity - (tail - r->head_cache);
    if (room < n) {
        r->head_cache = atomic_load_explicit(&r->head, memory_order_acquire);
        room = r->capacity - (tail - r->head_cache);
        if (room < n)
            n = room;
    }
    if (n == 0)
        return 0;
    uint32_t start = tail & r->mask;
    uint32_t first = r->capacity - start;
    if (first > n)
        first = n;
    for (uint32_t i = 0; i < first; i++)
        r->slots[start + i] = objs[i];
    for (uint32_t i = first; i < n; i++)
        r->slots[i - first] = objs[i];
    atomic_store_explicit(&r->tail, tail + n, memory_order_release);
    return n;
}

/* Consumer only. Dequeues k = min(n, queued) objects, oldest first, into
 * objs and returns k. */
static inline unsigned spsc_ring_dequeue_burst(struct spsc_ring *r, void **objs, unsigned n)
{
    uint32_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
    uint32_t ready = r->tail_cache - head;
    if (ready < n) {
        r->tail_cache = atomic_load_explicit(&r->tail, memory_order_acquire);
        ready = r->tail_cache - head;
        if (ready < n)
            n = ready;
    }
    if (n == 0)
        return 0;
    uint32_t start = head & r->mask;
    uint32_t first = r->capacity - start;
    if (first > n)
        first = n;
    for (uint32_t i = 0; i < first; i++)
        objs[i] = r->slots[start + i];
    for (uint32_t i = first; i < n; i++)
        objs[i] = r->slots[i - first];
    atomic_store_explicit(&r->head, head + n, memory_order_release);
    return n;
}

/* Objects queued. Called by the consumer it can only be low (the producer may
 * add more meanwhile), by the producer only high; from a third thread it is a
 * snapshot. */
static inline uint32_t spsc_ring_count(const struct spsc_ring *r)
{
    /* head first: tail read later is never behind it, so no negative count; a
     * head that moved in between could make it exceed capacity, hence the clamp. */
    uint32_t head = atomic_load_explicit(&r->head, memory_order_acquire);
    uint32_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
    uint32_t count = tail - head;
    return count > r->capacity ? r->capacity : count;
}

/* Free slots: never more than really free when called by the producer. */
static inline uint32_t spsc_ring_free_count(const struct spsc_ring *r)
{
    return r->capacity - spsc_ring_count(r);
}

#endif
