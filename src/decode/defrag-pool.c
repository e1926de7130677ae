/* Defrag storage: free lists over arrays allocated once; fragment data lives
 * in chained fixed-size chunks so any payload size fits without fragmentation. */
#include "decode/defrag-pool.h"

#include <stdlib.h>
#include <string.h>

uint64_t defrag_pool_bytes_per_chunk(void)
{
    return DEFRAG_CHUNK_SIZE + sizeof(uint32_t);
}

uint64_t defrag_pool_bytes(uint32_t frag_count, uint32_t chunk_count)
{
    return (uint64_t)frag_count * sizeof(struct defrag_frag) +
           (uint64_t)chunk_count * defrag_pool_bytes_per_chunk();
}

bool defrag_pool_init(struct defrag_pool *pool, uint32_t frag_count, uint32_t chunk_count)
{
    memset(pool, 0, sizeof(*pool));
    pool->frags = calloc(frag_count ? frag_count : 1, sizeof(*pool->frags));
    pool->chunk_next = calloc(chunk_count ? chunk_count : 1, sizeof(*pool->chunk_next));
    /* Nothing is touched here: calloc leaves the pages uncommitted until
     * fragments first use them, whatever prealloc says (as Suricata's
     * prealloc covers its trackers, not the fragments). */
    pool->chunk_data = calloc(chunk_count ? chunk_count : 1, DEFRAG_CHUNK_SIZE);
    if (pool->frags == NULL || pool->chunk_next == NULL || pool->chunk_data == NULL) {
        defrag_pool_fini(pool);
        return false;
    }
    pool->frag_count = pool->frags_free = frag_count;
    pool->chunk_count = pool->chunks_free = chunk_count;
    pool->frag_free_head = pool->chunk_free_head = DEFRAG_NONE;
    return true;
}

void defrag_pool_fini(struct defrag_pool *pool)
{
    free(pool->frags);
    free(pool->chunk_next);
    free(pool->chunk_data);
    memset(pool, 0, sizeof(*pool));
}

uint32_t defrag_pool_frag_get(struct defrag_pool *pool)
{
    uint32_t idx = pool->frag_free_head;
    if (idx != DEFRAG_NONE)
        pool->frag_free_head = pool->frags[idx].next;
    else if (pool->frag_fresh < pool->frag_count)
        idx = pool->frag_fresh++;
    else
        return DEFRAG_NONE;
    pool->frags_free--;
    memset(&pool->frags[idx], 0, sizeof(pool->frags[idx]));
    pool->frags[idx].next = DEFRAG_NONE;
    pool->frags[idx].chunk = DEFRAG_NONE;
    return idx;
}

void defrag_pool_frag_put(struct defrag_pool *pool, uint32_t idx)
{
    defrag_pool_release(pool, pool->frags[idx].chunk);
    pool->frags[idx].chunk = DEFRAG_NONE;
    pool->frags[idx].next = pool->frag_free_head;
    pool->frag_free_head = idx;
    pool->frags_free++;
}

/* A free chunk; the caller has checked chunks_free. */
static uint32_t take_chunk(struct defrag_pool *pool)
{
    uint32_t c = pool->chunk_free_head;
    if (c != DEFRAG_NONE)
        pool->chunk_free_head = pool->chunk_next[c];
    else
        c = pool->chunk_fresh++;
    pool->chunks_free--;
    return c;
}

bool defrag_pool_store(struct defrag_pool *pool, const uint8_t *src, uint32_t len,
                       uint32_t *first)
{
    uint32_t needed = (len + DEFRAG_CHUNK_SIZE - 1) / DEFRAG_CHUNK_SIZE;
    *first = DEFRAG_NONE;
    if (needed > pool->chunks_free)
        return false;
    uint32_t *link = first;
    for (uint32_t done = 0; done < len; done += DEFRAG_CHUNK_SIZE) {
        uint32_t c = take_chunk(pool);
        uint32_t n = len - done < DEFRAG_CHUNK_SIZE ? len - done : DEFRAG_CHUNK_SIZE;
        memcpy(pool->chunk_data + (size_t)c * DEFRAG_CHUNK_SIZE, src + done, n);
        *link = c;
        link = &pool->chunk_next[c];
    }
    *link = DEFRAG_NONE;
    return true;
}

void defrag_pool_load(const struct defrag_pool *pool, uint32_t first, uint32_t skip,
                      uint32_t len, uint8_t *dst)
{
    uint32_t c = first;
    while (skip >= DEFRAG_CHUNK_SIZE && c != DEFRAG_NONE) {
        c = pool->chunk_next[c];
        skip -= DEFRAG_CHUNK_SIZE;
    }
    while (len > 0 && c != DEFRAG_NONE) {
        uint32_t n = DEFRAG_CHUNK_SIZE - skip;
        if (n > len)
            n = len;
        memcpy(dst, pool->chunk_data + (size_t)c * DEFRAG_CHUNK_SIZE + skip, n);
        dst += n;
        len -= n;
        skip = 0;
        c = pool->chunk_next[c];
    }
}

void defrag_pool_release(struct defrag_pool *pool, uint32_t first)
{
    uint32_t c = first;
    while (c != DEFRAG_NONE) {
        uint32_t next = pool->chunk_next[c];
        pool->chunk_next[c] = pool->chunk_free_head;
        pool->chunk_free_head = c;
        pool->chunks_free++;
        c = next;
    }
}
