/* Defrag tracker: stores fragments in (offset, arrival) order, which is the
 * BSD policy's priority, and decides when a datagram is complete. */
#include "decode/defrag-tracker.h"

#include <string.h>

static uint32_t chunks_for(uint32_t len)
{
    return (len + DEFRAG_CHUNK_SIZE - 1) / DEFRAG_CHUNK_SIZE;
}

/* Scans the stored ranges once: reports any overlap, whether an earlier or
 * same-offset entry already covers [off, end) (then the newcomer can win no
 * byte), and the link after which the newcomer sorts. */
static uint32_t *scan_entries(struct defrag_tracker *t, struct defrag_pool *pool,
                              uint32_t off, uint32_t end, bool *overlap, bool *covered)
{
    uint32_t *link = &t->frag_head;
    *overlap = false;
    *covered = false;
    for (uint32_t i = t->frag_head; i != DEFRAG_NONE; i = pool->frags[i].next) {
        const struct defrag_frag *e = &pool->frags[i];
        uint32_t e_end = e->offset + e->len;
        if (e->offset < end && off < e_end)
            *overlap = true;
        if (e->offset <= off && e_end >= end)
            *covered = true;
        if (e->offset <= off)
            link = &pool->frags[i].next;
    }
    return link;
}

static void note_last(struct defrag_tracker *t, const struct defrag_frag_info *fi)
{
    /* The first last-fragment fixes the length; later ones cannot move it. */
    if (!fi->more && !t->seen_last) {
        t->seen_last = true;
        t->datagram_len = fi->offset + fi->payload_len;
    }
}

/* Chunks were counted by the caller, so the stores cannot fail. */
static void save_prefix(struct defrag_tracker *t, struct defrag_pool *pool,
                        const struct defrag_frag_info *fi, const struct defrag_frame *fr)
{
    defrag_pool_store(pool, fr->l2, fr->l2_len, &t->l2_chunk);
    defrag_pool_store(pool, fr->l3, fi->header_len, &t->ip_chunk);
    t->prefix_l2_len = fr->l2_len;
    t->prefix_ip_len = fi->header_len;
    t->nh_offset = fi->nh_offset;
    t->first_proto = fi->proto;
    t->linktype = fr->linktype;
    t->have_first = true;
}

static void link_entry(struct defrag_pool *pool, uint32_t *link, uint32_t idx,
                       const struct defrag_frag_info *fi, uint32_t chunk)
{
    struct defrag_frag *e = &pool->frags[idx];
    e->offset = fi->offset;
    e->len = fi->payload_len;
    e->chunk = chunk;
    e->next = *link;
    *link = idx;
}

enum defrag_insert_result defrag_tracker_insert(struct defrag_tracker *t,
                                                struct defrag_pool *pool,
                                                const struct defrag_frag_info *fi,
                                                const struct defrag_frame *frame,
                                                bool *overlap)
{
    uint32_t end = fi->offset + fi->payload_len;
    bool covered;
    uint32_t *link = scan_entries(t, pool, fi->offset, end, overlap, &covered);
    bool store_data = fi->payload_len > 0 && !covered;
    bool store_prefix = fi->offset == 0 && !t->have_first;
    uint32_t chunks = 0;
    if (store_data)
        chunks += chunks_for(fi->payload_len);
    if (store_prefix)
        chunks += chunks_for(frame->l2_len) + chunks_for(fi->header_len);
    if (store_data && pool->frags_free == 0)
        return DEFRAG_INSERT_NO_ENTRY;
    if (chunks > pool->chunks_free)
        return DEFRAG_INSERT_NO_MEMORY;
    if (store_prefix)
        save_prefix(t, pool, fi, frame);
    if (store_data) {
        uint32_t chunk;
        defrag_pool_store(pool, fi->payload, fi->payload_len, &chunk);
        link_entry(pool, link, defrag_pool_frag_get(pool), fi, chunk);
    }
    note_last(t, fi);
    return DEFRAG_INSERT_OK;
}

bool defrag_tracker_complete(const struct defrag_tracker *t, const struct defrag_pool *pool)
{
    if (!t->seen_last || !t->have_first)
        return false;
    uint32_t covered = 0;
    for (uint32_t i = t->frag_head; i != DEFRAG_NONE; i = pool->frags[i].next) {
        const struct defrag_frag *e = &pool->frags[i];
        if (e->offset > covered)
            return false;
        if (e->offset + e->len > covered)
            covered = e->offset + e->len;
        if (covered >= t->datagram_len)
            return true;
    }
    return covered >= t->datagram_len;
}

bool defrag_tracker_empty(const struct defrag_tracker *t)
{
    return t->frag_head == DEFRAG_NONE && !t->have_first && !t->seen_last;
}

void defrag_tracker_clear(struct defrag_tracker *t, struct defrag_pool *pool)
{
    uint32_t i = t->frag_head;
    while (i != DEFRAG_NONE) {
        uint32_t next = pool->frags[i].next;
        defrag_pool_frag_put(pool, i);
        i = next;
    }
    if (t->have_first) {
        defrag_pool_release(pool, t->l2_chunk);
        defrag_pool_release(pool, t->ip_chunk);
    }
    t->frag_head = DEFRAG_NONE;
    t->l2_chunk = DEFRAG_NONE;
    t->ip_chunk = DEFRAG_NONE;
    t->have_first = false;
    t->seen_last = false;
    t->datagram_len = 0;
}
