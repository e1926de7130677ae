/* Defrag tracker: one datagram under reassembly, its key, its fragment list
 * ordered for the BSD overlap policy, and the saved first-fragment headers. */
#ifndef VIGIL_DECODE_DEFRAG_TRACKER_H
#define VIGIL_DECODE_DEFRAG_TRACKER_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/defrag-parse.h"
#include "decode/defrag-pool.h"
#include "decode/packet.h"

struct defrag_key {
    union vigil_addr src, dst;
    uint32_t id;
    uint16_t vlan_id[PACKET_MAX_VLANS];
    uint8_t vlan_count;
    uint8_t recursion_level;
    uint8_t ip_version;
    uint8_t proto;            /* IPv4 only: IPv6 fragments are matched without it (RFC 8200) */
};

struct defrag_tracker {
    struct defrag_key key;
    uint32_t hash_next;       /* bucket chain, or free list when unused */
    uint32_t lru_prev, lru_next;
    bool seen_last;
    bool have_first;
    uint64_t last_seen_us;
    uint32_t frag_head;       /* entries ordered by (offset, arrival) */
    uint32_t datagram_len;    /* payload bytes, from the last fragment */
    /* From the offset-0 fragment: link bytes + IP header / unfragmentable part. */
    uint32_t l2_chunk;
    uint32_t ip_chunk;
    uint32_t prefix_l2_len;
    uint32_t prefix_ip_len;
    uint32_t nh_offset;       /* IPv6: from the IP header, the byte to point past the Fragment header */
    uint8_t first_proto;      /* IPv6: next header carried by the offset-0 Fragment header */
    int linktype;
};

enum defrag_insert_result {
    DEFRAG_INSERT_OK,
    DEFRAG_INSERT_NO_ENTRY,   /* fragment entry pool empty: max-frags */
    DEFRAG_INSERT_NO_MEMORY,  /* too few data chunks: memcap */
};

/* What the fragment brings besides fi: the frame it came in. */
struct defrag_frame {
    const uint8_t *l2;
    uint32_t l2_len;
    const uint8_t *l3;
    int linktype;
};

/* Adds one fragment; *overlap tells whether it overlapped stored data. */
enum defrag_insert_result defrag_tracker_insert(struct defrag_tracker *t,
                                                struct defrag_pool *pool,
                                                const struct defrag_frag_info *fi,
                                                const struct defrag_frame *frame,
                                                bool *overlap);

/* All bytes 0..datagram_len present, and the first fragment's headers. */
bool defrag_tracker_complete(const struct defrag_tracker *t, const struct defrag_pool *pool);

/* True when the tracker holds nothing (a failed first insert). */
bool defrag_tracker_empty(const struct defrag_tracker *t);

/* Returns every entry and chunk to the pool and resets the reassembly state. */
void defrag_tracker_clear(struct defrag_tracker *t, struct defrag_pool *pool);

/* Writes the frame (link bytes, fixed IP header, data) into buf of cap bytes.
 * Returns its length, or 0 when the datagram would exceed 65535 bytes. */
uint32_t defrag_tracker_build(const struct defrag_tracker *t, const struct defrag_pool *pool,
                              uint8_t *buf, uint32_t cap);

#endif
