/* The slabs behind the spare pool: mapped zeroed and 2 MiB aligned, carved
 * in runs, given back flows kept per slab, empty slabs unmapped. */
#include "flow/flow-slab.h"

#include <stddef.h>
#include <sys/mman.h>

/* Huge pages matter: with 4 KiB pages a lookup in a large table pays a TLB
 * miss on top of the cache miss. A slab's flows are zero until first
 * carved, being an anonymous mapping. */
struct flow_slab {
    struct flow_slab *next, *prev;             /* flow_slabs.newest list */
    struct flow_slab *partial_next, *partial_prev;
    struct flow *free;                         /* given back, by queue_next */
    uint32_t free_count;
    uint32_t carved;                           /* flows handed out from the top */
};

_Static_assert(sizeof(struct flow_slab) <= FLOW_ALIGN, "a slab's header fits its first line");

static struct flow *slab_flow(struct flow_slab *slab, size_t i)
{
    return (struct flow *)((char *)slab + FLOW_ALIGN + i * FLOW_MEMORY_SIZE);
}

/* Slabs are aligned to their size, so a flow's address names its slab. */
static struct flow_slab *slab_of(const struct flow *f)
{
    return (struct flow_slab *)((uintptr_t)f & ~(uintptr_t)(FLOW_SLAB_BYTES - 1));
}

/* A huge page can back the slab only when it is aligned: twice the size is
 * mapped and the ends around the aligned part unmapped. */
static struct flow_slab *slab_map(void)
{
    size_t span = 2 * FLOW_SLAB_BYTES;
    char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED)
        return NULL;
    char *slab = (char *)(((uintptr_t)raw + FLOW_SLAB_BYTES - 1) & ~(uintptr_t)(FLOW_SLAB_BYTES - 1));
    if (slab > raw)
        munmap(raw, (size_t)(slab - raw));
    if (raw + span > slab + FLOW_SLAB_BYTES)
        munmap(slab + FLOW_SLAB_BYTES, (size_t)(raw + span - (slab + FLOW_SLAB_BYTES)));
    madvise(slab, FLOW_SLAB_BYTES, MADV_HUGEPAGE);
    return (struct flow_slab *)slab;
}

/* Links each of the n flows from first to the next one in the slab. */
static void link_run(struct flow_slab *slab, size_t first, size_t n)
{
    for (size_t i = first; i + 1 < first + n; i++)
        slab_flow(slab, i)->queue_next = slab_flow(slab, i + 1);
}

void flow_slabs_init(struct flow_slabs *s)
{
    pthread_mutex_init(&s->lock, NULL);
    s->newest = s->partial = s->ready = NULL;
    s->newest_linked = false;
    s->count = 0;
    s->given_back = 0;
}

void flow_slabs_destroy(struct flow_slabs *s)
{
    struct flow_slab *slab = s->newest;
    while (slab) {
        struct flow_slab *next = slab->next;
        munmap(slab, FLOW_SLAB_BYTES);
        slab = next;
    }
    if (s->ready)
        munmap(s->ready, FLOW_SLAB_BYTES);
    s->newest = s->partial = s->ready = NULL;
    s->count = 0;
    s->given_back = 0;
    pthread_mutex_destroy(&s->lock);
}

/* Takes the ready slab (its flows linked already), if any, else maps one
 * whose pages fault in as flows are carved. */
static bool slab_add(struct flow_slabs *s)
{
    struct flow_slab *slab = s->ready;
    s->ready = NULL;
    s->newest_linked = slab != NULL;
    if (!slab && !(slab = slab_map()))
        return false;
    slab->next = s->newest;
    if (s->newest)
        s->newest->prev = slab;
    s->newest = slab;
    s->count++;
    return true;
}

static void partial_add(struct flow_slabs *s, struct flow_slab *slab)
{
    slab->partial_prev = NULL;
    slab->partial_next = s->partial;
    if (s->partial)
        s->partial->partial_prev = slab;
    s->partial = slab;
}

static void partial_remove(struct flow_slabs *s, struct flow_slab *slab)
{
    if (slab->partial_prev)
        slab->partial_prev->partial_next = slab->partial_next;
    else
        s->partial = slab->partial_next;
    if (slab->partial_next)
        slab->partial_next->partial_prev = slab->partial_prev;
}

/* A slab whose flows are all back, other than the newest, is unmapped. */
static void slab_unmap(struct flow_slabs *s, struct flow_slab *slab)
{
    partial_remove(s, slab);
    s->given_back -= slab->free_count;
    slab->prev->next = slab->next;
    if (slab->next)
        slab->next->prev = slab->prev;
    s->count--;
    munmap(slab, FLOW_SLAB_BYTES);
}

/* Reuses flows given back, partial slab by partial slab. */
static uint32_t carve_given_back(struct flow_slabs *s, struct flow_queue *out, uint32_t n)
{
    uint32_t carved = 0;
    while (carved < n && s->partial) {
        struct flow_slab *slab = s->partial;
        while (carved < n && slab->free) {
            struct flow *f = slab->free;
            slab->free = f->queue_next;
            slab->free_count--;
            flow_queue_push(out, f);
            carved++;
        }
        if (!slab->free)
            partial_remove(s, slab);
    }
    s->given_back -= carved;
    return carved;
}

/* Appends the next n never-used flows of the newest slab to out: a run of
 * consecutive flows, linked already when the slab was the ready one, so
 * only its last flow is written then. */
static void carve_run(struct flow_slabs *s, struct flow_queue *out, uint32_t n)
{
    struct flow_slab *slab = s->newest;
    if (!s->newest_linked)
        link_run(slab, slab->carved, n);
    struct flow_queue run = {
        .head = slab_flow(slab, slab->carved),
        .tail = slab_flow(slab, slab->carved + n - 1),
        .len = n,
    };
    run.tail->queue_next = NULL;
    flow_queue_append(out, &run);
    slab->carved += n;
}

uint32_t flow_slabs_carve(struct flow_slabs *s, struct flow_queue *out, uint32_t n)
{
    pthread_mutex_lock(&s->lock);
    uint32_t carved = carve_given_back(s, out, n);
    while (carved < n && ((s->newest && s->newest->carved < FLOW_SLAB_FLOWS) || slab_add(s))) {
        uint32_t left = FLOW_SLAB_FLOWS - s->newest->carved;
        uint32_t take = n - carved < left ? n - carved : left;
        carve_run(s, out, take);
        carved += take;
    }
    pthread_mutex_unlock(&s->lock);
    return carved;
}

void flow_slabs_give_back(struct flow_slabs *s, struct flow_queue *q)
{
    pthread_mutex_lock(&s->lock);
    struct flow *f;
    while ((f = flow_queue_pop(q)) != NULL) {
        struct flow_slab *slab = slab_of(f);
        f->queue_next = slab->free;
        slab->free = f;
        if (slab->free_count++ == 0)
            partial_add(s, slab);
        s->given_back++;
        if (slab->free_count == slab->carved && slab != s->newest)
            slab_unmap(s, slab);
    }
    pthread_mutex_unlock(&s->lock);
}

/* True when no slab is ready and more flows may be carved than the
 * present slabs still hold. */
static bool slab_wanted(struct flow_slabs *s, uint64_t room)
{
    pthread_mutex_lock(&s->lock);
    uint64_t held = s->given_back + (s->newest ? FLOW_SLAB_FLOWS - s->newest->carved : 0);
    bool wanted = !s->ready && room > held;
    pthread_mutex_unlock(&s->lock);
    return wanted;
}

void flow_slabs_prepare(struct flow_slabs *s, uint64_t room)
{
    if (!slab_wanted(s, room))
        return;
    struct flow_slab *slab = slab_map();
    if (!slab)
        return;
    /* Linking every flow faults the slab in and leaves the carving that
     * takes it only a run's last flow to write. */
    link_run(slab, 0, FLOW_SLAB_FLOWS);
    pthread_mutex_lock(&s->lock);
    if (!s->ready) {
        s->ready = slab;
        slab = NULL;
    }
    pthread_mutex_unlock(&s->lock);
    if (slab)
        munmap(slab, FLOW_SLAB_BYTES);
}
