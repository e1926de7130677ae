/* Defrag storage: fixed pools of fragment entries and of fixed-size data
 * chunks, allocated once, so storing a fragment never calls malloc. */
#ifndef VIGIL_DECODE_DEFRAG_POOL_H
#define VIGIL_DECODE_DEFRAG_POOL_H

#include <stdbool.h>
#include <stdint.h>

#define DEFRAG_NONE UINT32_MAX
/* Small enough that tiny fragments waste little, big enough that a 1500-byte
 * fragment is a handful of copies. */
#define DEFRAG_CHUNK_SIZE 256u

/* One stored fragment: its payload range in the datagram and its data chunks. */
struct defrag_frag {
    uint32_t next;     /* next entry of the tracker, by (offset, arrival) */
    uint32_t chunk;    /* first data chunk, DEFRAG_NONE when len is 0 */
    uint32_t offset;
    uint32_t len;
};

/* Entries and chunks never used yet start at the fresh index and are taken
 * from there once the free list is empty: nothing is touched, so nothing is
 * committed, until traffic needs it. */
struct defrag_pool {
    struct defrag_frag *frags;
    uint32_t frag_count;
    uint32_t frag_free_head;
    uint32_t frag_fresh;
    uint32_t frags_free;       /* on the free list or fresh */
    uint8_t *chunk_data;
    uint32_t *chunk_next;
    uint32_t chunk_count;
    uint32_t chunk_free_head;
    uint32_t chunk_fresh;
    uint32_t chunks_free;      /* on the free list or fresh */
};

/* Bytes a pool of frag_count entries and chunk_count chunks takes. */
uint64_t defrag_pool_bytes(uint32_t frag_count, uint32_t chunk_count);
uint64_t defrag_pool_bytes_per_chunk(void);

/* Allocates the arrays; their memory is committed as entries and chunks
 * are first used. */
bool defrag_pool_init(struct defrag_pool *pool, uint32_t frag_count, uint32_t chunk_count);
void defrag_pool_fini(struct defrag_pool *pool);

/* DEFRAG_NONE when no entry is free. */
uint32_t defrag_pool_frag_get(struct defrag_pool *pool);
/* Returns the entry and its chunks. */
void defrag_pool_frag_put(struct defrag_pool *pool, uint32_t idx);

/* Copies len bytes into fresh chunks; *first is DEFRAG_NONE for len 0.
 * All or nothing: false (and nothing taken) when too few chunks are free. */
bool defrag_pool_store(struct defrag_pool *pool, const uint8_t *src, uint32_t len,
                       uint32_t *first);
/* Copies len bytes starting skip bytes into the chain at first. */
void defrag_pool_load(const struct defrag_pool *pool, uint32_t first, uint32_t skip,
                      uint32_t len, uint8_t *dst);
void defrag_pool_release(struct defrag_pool *pool, uint32_t first);

static inline uint32_t defrag_pool_chunks_used(const struct defrag_pool *pool)
{
    return pool->chunk_count - pool->chunks_free;
}

#endif
