/* Per-capture-thread packet pool: a private free stack for the owner, fed back
 * by one SPSC return ring per consumer thread, so nothing on the path locks. */
#include "capture/packet-pool.h"

#include <stdalign.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "util/log.h"
#include "util/prefetch.h"
#include "util/spsc-ring.h"

/* A packet on its own cache lines: the owner fills one packet while a worker
 * reads the one next to it. */
struct pool_slot {
    alignas(SPSC_RING_CACHE_LINE) struct packet packet;
};

struct packet_pool {
    /* Set at creation, then only read, by the consumers too (return rings). */
    alignas(SPSC_RING_CACHE_LINE) struct spsc_ring *rings; /* consumer i produces into rings[i] */
    uint32_t ring_count;
    uint32_t count;
    uint32_t buffer_size;
    size_t buffer_stride;
    struct pool_slot *slots;    /* count slots, mmap'ed */
    size_t slots_bytes;
    uint8_t *buffers;           /* count * buffer_stride bytes, mmap'ed; NULL if buffer_size 0 */
    size_t buffers_bytes;

    /* The owner's, written on every get and put: kept off the line above so
     * consumers returning packets do not pull it away from the owner. */
    alignas(SPSC_RING_CACHE_LINE) uint32_t free_top; /* packets on free_stack */
    uint32_t fresh;             /* slots[fresh..count) were never handed out */
    struct packet **free_stack; /* count entries */
    packet_frame_release_fn release_frame;

    /* Owner only: the large buffers (packet_pool_add_large_buffers). */
    uint8_t *large;             /* large_count * large_size bytes, mmap'ed */
    uint32_t large_count, large_size;
    uint8_t **large_free;       /* large_free_top free ones */
    uint32_t large_free_top;
};

/* Anonymous mappings are zero pages until written: a pool sized for bursts
 * costs memory only for the packets a run really uses. */
static void *map_zeroed(size_t bytes)
{
    void *p = mmap(NULL, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void destroy_rings(struct packet_pool *pool, uint32_t initialised)
{
    for (uint32_t i = 0; i < initialised; i++)
        spsc_ring_destroy(&pool->rings[i]);
    free(pool->rings);
}

static void free_pool(struct packet_pool *pool, uint32_t rings_initialised)
{
    if (pool->rings != NULL)
        destroy_rings(pool, rings_initialised);
    if (pool->buffers != NULL)
        munmap(pool->buffers, pool->buffers_bytes);
    if (pool->slots != NULL)
        munmap(pool->slots, pool->slots_bytes);
    if (pool->large != NULL)
        munmap(pool->large, (size_t)pool->large_count * pool->large_size);
    free(pool->large_free);
    free(pool->free_stack);
    free(pool);
}

static bool alloc_storage(struct packet_pool *pool)
{
    pool->free_stack = malloc((size_t)pool->count * sizeof(*pool->free_stack));
    pool->slots_bytes = (size_t)pool->count * sizeof(struct pool_slot);
    pool->slots = map_zeroed(pool->slots_bytes);
    if (pool->free_stack == NULL || pool->slots == NULL)
        return false;
    if (pool->buffer_size == 0)
        return true;
    pool->buffers_bytes = (size_t)pool->count * pool->buffer_stride;
    pool->buffers = map_zeroed(pool->buffers_bytes);
    return pool->buffers != NULL;
}

struct packet_pool *packet_pool_create(uint32_t count, uint32_t buffer_size,
                                       uint32_t return_rings)
{
    if (count == 0 || count > SPSC_RING_MAX_CAPACITY || return_rings == 0)
        return NULL;
    struct packet_pool *pool = aligned_alloc(SPSC_RING_CACHE_LINE, sizeof(*pool));
    if (pool == NULL)
        return NULL;
    memset(pool, 0, sizeof(*pool));
    pool->count = count;
    pool->buffer_size = buffer_size;
    pool->ring_count = return_rings;
    /* Whole cache lines per buffer, for the same reason as pool_slot, and
     * an odd number of them: buffer sizes are powers of two, and buffers a
     * power of two apart would all start in the same few cache sets, so the
     * first lines of every packet would evict each other. */
    size_t lines = ((size_t)buffer_size + SPSC_RING_CACHE_LINE - 1) / SPSC_RING_CACHE_LINE;
    pool->buffer_stride = (lines | 1u) * SPSC_RING_CACHE_LINE;
    if (!alloc_storage(pool)) {
        free_pool(pool, 0);
        return NULL;
    }
    pool->rings = aligned_alloc(SPSC_RING_CACHE_LINE, return_rings * sizeof(struct spsc_ring));
    if (pool->rings == NULL) {
        free_pool(pool, 0);
        return NULL;
    }
    for (uint32_t i = 0; i < return_rings; i++) {
        if (spsc_ring_init(&pool->rings[i], count) != 0) {
            free_pool(pool, i);
            return NULL;
        }
    }
    return pool;
}

/* Frames of packets free_stack[from, free_top) go back to the capture. */
static void release_frames(struct packet_pool *pool, uint32_t from)
{
    void *frames[64];
    unsigned n = 0;
    for (uint32_t i = from; i < pool->free_top; i++) {
        struct packet *p = pool->free_stack[i];
        if (p->frame == NULL)
            continue;
        frames[n++] = p->frame;
        p->frame = NULL;
        if (n == 64) {
            pool->release_frame(frames, n);
            n = 0;
        }
    }
    if (n > 0)
        pool->release_frame(frames, n);
}

static bool holds_large(const struct packet_pool *pool, const struct packet *p)
{
    uintptr_t at = (uintptr_t)p->buffer, large = (uintptr_t)pool->large;
    return pool->large != NULL && at >= large &&
           at - large < (uintptr_t)pool->large_count * pool->large_size;
}

/* Large buffers of packets free_stack[from, free_top) become free again
 * (the packets get their own buffers back at their next get). */
static void release_large(struct packet_pool *pool, uint32_t from)
{
    for (uint32_t i = from; i < pool->free_top && pool->large_free_top < pool->large_count;
         i++) {
        struct packet *p = pool->free_stack[i];
        if (holds_large(pool, p)) {
            pool->large_free[pool->large_free_top++] = p->buffer;
            p->buffer = NULL;
        }
    }
}

/* Takes back everything the consumers returned; the stack has room for all. */
static void drain_return_rings(struct packet_pool *pool)
{
    uint32_t from = pool->free_top;
    for (uint32_t i = 0; i < pool->ring_count; i++) {
        /* void ** and struct packet ** share representation and, in GCC and
         * Clang, alias set: the ring stores the very pointers returned. */
        void **dst = (void **)(pool->free_stack + pool->free_top);
        pool->free_top += spsc_ring_dequeue_burst(&pool->rings[i], dst,
                                                  pool->count - pool->free_top);
    }
    if (pool->release_frame != NULL)
        release_frames(pool, from);
    if (pool->large_free_top < pool->large_count)
        release_large(pool, from);
}

bool packet_pool_add_large_buffers(struct packet_pool *pool, uint32_t count, uint32_t size)
{
    if (pool->large != NULL || count == 0 || size == 0)
        return false;
    pool->large_free = malloc((size_t)count * sizeof(*pool->large_free));
    pool->large = map_zeroed((size_t)count * size);
    if (pool->large_free == NULL || pool->large == NULL) {
        free(pool->large_free);
        pool->large_free = NULL;
        pool->large = NULL;
        return false;
    }
    pool->large_count = count;
    pool->large_size = size;
    for (uint32_t i = 0; i < count; i++)
        pool->large_free[i] = pool->large + (size_t)(count - 1 - i) * size;
    pool->large_free_top = count;
    return true;
}

bool packet_pool_attach_large(struct packet_pool *pool, struct packet *p)
{
    if (pool->large_free_top == 0)
        drain_return_rings(pool);
    if (pool->large_free_top == 0)
        return false;
    p->buffer = pool->large_free[--pool->large_free_top];
    p->buffer_size = pool->large_size;
    return true;
}

void packet_pool_set_frame_release(struct packet_pool *pool, packet_frame_release_fn release)
{
    pool->release_frame = release;
}

void packet_pool_reclaim(struct packet_pool *pool)
{
    drain_return_rings(pool);
}

void packet_pool_destroy(struct packet_pool *pool)
{
    if (pool == NULL)
        return;
    drain_return_rings(pool);
    uint32_t missing = pool->count - packet_pool_available(pool);
    if (missing != 0)
        log_error("packet pool destroyed with %u of %u packets still in use", missing,
                  pool->count);
    free_pool(pool, pool->ring_count);
}

/* A get asks for the lines of the packet six gets later: its first line,
 * which the capture writes, and the first lines of its buffer, where the
 * frame's headers go. A consumer on another core last read those lines, so
 * a store to them waits for that core to give them up; a write prefetch
 * early enough hides that wait. How early depends on how long the host
 * takes to move a line between cores: on an earlier host two gets ahead was
 * best (autofp(1) min / p25 185 / 208 ms against 191 / 224 for none, 30
 * alternated runs); on one where a round trip takes 450 to 500 ns (the
 * cpu-capacity line of qa/bench/run.sh) six is, in 15 paired rounds: 4 %
 * less time than two and 3 % less than four, while eight and twelve lose
 * 2 and 5 % against six. */
#define PACKET_POOL_PREFETCH_AHEAD 6u
#define PACKET_POOL_PREFETCH_BUFFER_LINES 3u

static void prefetch_coming_get(const struct packet_pool *pool)
{
    if (pool->free_top < PACKET_POOL_PREFETCH_AHEAD)
        return;
    const struct packet *next = pool->free_stack[pool->free_top - PACKET_POOL_PREFETCH_AHEAD];
    prefetch_for_write(next);
    if (pool->buffers == NULL)
        return;
    size_t index = (size_t)((const struct pool_slot *)next - pool->slots);
    const uint8_t *buffer = pool->buffers + index * pool->buffer_stride;
    for (unsigned line = 0; line < PACKET_POOL_PREFETCH_BUFFER_LINES; line++)
        prefetch_for_write(buffer + line * SPSC_RING_CACHE_LINE);
}

struct packet *packet_pool_get(struct packet_pool *pool)
{
    if (pool->free_top == 0)
        drain_return_rings(pool);
    uint32_t index;
    if (pool->free_top > 0) {
        struct packet *p = pool->free_stack[--pool->free_top];
        index = (uint32_t)((struct pool_slot *)p - pool->slots);
        prefetch_coming_get(pool);
    } else if (pool->fresh < pool->count) {
        index = pool->fresh++;
    } else {
        return NULL;
    }
    struct packet *p = &pool->slots[index].packet;
    p->pool = pool;
    p->buffer = pool->buffers == NULL ? NULL : pool->buffers + index * pool->buffer_stride;
    p->buffer_size = pool->buffer_size;
    return p;
}

void packet_pool_put(struct packet_pool *pool, struct packet *p)
{
    /* More puts than gets would write past the stack: a caller bug, stop here. */
    if (pool->free_top >= pool->fresh)
        abort();
    pool->free_stack[pool->free_top++] = p;
    if (holds_large(pool, p))
        release_large(pool, pool->free_top - 1);
}

bool packet_pool_return(struct packet_pool *pool, uint32_t ring, struct packet *p)
{
    return packet_pool_return_burst(pool, ring, &p, 1) == 1;
}

unsigned packet_pool_return_burst(struct packet_pool *pool, uint32_t ring,
                                  struct packet **ps, unsigned n)
{
    if (ring >= pool->ring_count)
        return 0;
    return spsc_ring_enqueue_burst(&pool->rings[ring], (void *const *)ps, n);
}

uint32_t packet_pool_available(const struct packet_pool *pool)
{
    uint32_t available = pool->free_top + (pool->count - pool->fresh);
    for (uint32_t i = 0; i < pool->ring_count; i++)
        available += spsc_ring_count(&pool->rings[i]);
    return available;
}

uint32_t packet_pool_count(const struct packet_pool *pool)
{
    return pool->count;
}
