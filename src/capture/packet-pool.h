/* A capture thread's pool of preallocated packets with their frame buffers;
 * consumer threads hand packets back through one lock-free return ring each. */
#ifndef VIGIL_CAPTURE_PACKET_POOL_H
#define VIGIL_CAPTURE_PACKET_POOL_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"

struct packet_pool;

/* `count` packets (>= 1), each owning `buffer_size` bytes (0: no buffer, for
 * sources that point at their own frames), and `return_rings` rings (>= 1),
 * one per consumer thread, each able to hold every packet. Untouched packets
 * and buffers cost address space, not memory. NULL on bad sizes or no memory. */
struct packet_pool *packet_pool_create(uint32_t count, uint32_t buffer_size,
                                       uint32_t return_rings);
/* Every packet must be back (packet_pool_available == packet_pool_count). */
void packet_pool_destroy(struct packet_pool *pool);

/* Owner thread only. A free packet with pool, buffer and buffer_size set and
 * every other field as its last user left it; NULL when all are out. */
struct packet *packet_pool_get(struct packet_pool *pool);
/* Owner thread only: a packet it got back without handing it to a consumer. */
void packet_pool_put(struct packet_pool *pool, struct packet *p);

/* Consumer `ring` only (each consumer thread uses its own ring index). Never
 * fails while each packet is returned once per get: the rings hold them all. */
bool packet_pool_return(struct packet_pool *pool, uint32_t ring, struct packet *p);
/* The same for n packets at once (one release store); returns how many went. */
unsigned packet_pool_return_burst(struct packet_pool *pool, uint32_t ring,
                                  struct packet **ps, unsigned n);

/* Owner thread only, before the first get: `count` (>= 1) extra buffers of
 * `size` bytes for the few frames bigger than a packet's own buffer, so the
 * packets' buffers can be small and dense. Returns false when it cannot map
 * them. */
bool packet_pool_add_large_buffers(struct packet_pool *pool, uint32_t count, uint32_t size);
/* Owner thread only: swaps p's buffer for a free large one (buffer and
 * buffer_size set), which goes back to the pool with p. False when none is
 * free (one comes back with the packet holding it) or none were added. */
bool packet_pool_attach_large(struct packet_pool *pool, struct packet *p);

/* Frees capture buffers in bulk (rte_pktmbuf_free_bulk for DPDK mbufs). */
typedef void (*packet_frame_release_fn)(void **frames, unsigned n);

/* Owner thread only, before the first get: packets that come back with
 * `frame` set have it released when the owner takes them back, so frames
 * are freed by the thread that received them, in bursts. */
void packet_pool_set_frame_release(struct packet_pool *pool, packet_frame_release_fn release);

/* Owner thread only: takes back every returned packet, releasing frames. */
void packet_pool_reclaim(struct packet_pool *pool);

/* Owner thread only: packets free plus packets waiting in the return rings. */
uint32_t packet_pool_available(const struct packet_pool *pool);
uint32_t packet_pool_count(const struct packet_pool *pool);

#endif
