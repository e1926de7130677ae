/* IP defragmentation: collects IPv4 and IPv6 fragments into per-datagram
 * trackers and hands back one reassembled pseudo-packet per complete datagram.
 *
 * Overlap policy: BSD (Suricata's default). Where fragments overlap, the byte
 * comes from the fragment with the lowest offset; between fragments starting
 * at the same offset, from the one that arrived first. A fragment that lies
 * wholly inside an earlier-or-equal-offset fragment can never win a byte, so
 * it is not stored (duplicates cost no memory). Any overlap counts as an
 * overlap event.
 *
 * Memory: hash buckets, trackers, fragment entries, fragment data (fixed-size
 * chunks) and the reassembled-packet pool are all sized once in
 * defrag_create() from defrag_config and must fit in memcap. Submitting a
 * fragment never allocates; when a pool is empty the fragment is dropped and
 * counted (max_trackers_reached, max_frags_reached, memcap_exceeded).
 *
 * Threads: a defrag_ctx belongs to one thread (the one decoding the
 * fragments); it takes no locks. All fragments of a datagram must reach the
 * same context. */
#ifndef VIGIL_DECODE_DEFRAG_H
#define VIGIL_DECODE_DEFRAG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/decode.h"
#include "decode/packet.h"

/* Link-layer bytes kept in front of a reassembled datagram; fragments with
 * more bytes before their IP header are dropped as invalid. */
#define DEFRAG_MAX_L2_LEN 128u

/* How many reassembled packets may be out (not yet released) at once. */
#define DEFRAG_OUTPUT_POOL_SIZE 8u

struct defrag_config {
    uint64_t memcap;        /* defrag.memcap: bound on everything defrag allocates */
    uint32_t hash_size;     /* defrag.hash-size: buckets, rounded up to a power of two */
    uint32_t trackers;      /* defrag.trackers: datagrams in reassembly at once */
    uint32_t max_frags;     /* defrag.max-frags: fragments stored at once, all trackers */
    uint32_t timeout_sec;   /* defrag.timeout: idle seconds before a tracker is dropped */
    bool prealloc;          /* defrag.prealloc: touch all memory at create time */
    uint32_t hash_seed;     /* random per run, so bucket choice cannot be aimed at */
};

/* Counters, owned by the context's thread. Names in defrag_stats_fields[]. */
struct defrag_stats {
    uint64_t ipv4_fragments;        /* defrag.ipv4.fragments */
    uint64_t ipv4_reassembled;      /* defrag.ipv4.reassembled */
    uint64_t ipv4_timeouts;         /* defrag.ipv4.timeouts */
    uint64_t ipv6_fragments;        /* defrag.ipv6.fragments */
    uint64_t ipv6_reassembled;      /* defrag.ipv6.reassembled */
    uint64_t ipv6_timeouts;         /* defrag.ipv6.timeouts */
    uint64_t max_trackers_reached;  /* defrag.max_trackers_reached */
    uint64_t max_frags_reached;     /* defrag.max_frags_reached */
    uint64_t memuse;                /* defrag.memuse: fixed tables + data chunks in use */
    uint64_t mgr_tracker_timeout;   /* defrag.mgr.tracker_timeout: by defrag_timeout() */
    uint64_t wrk_tracker_timeout;   /* defrag.wrk.tracker_timeout: found stale on submit */
    /* Not in the EVE schema. The four event counters mirror the decoder
     * events defrag raises, so they are visible even without a decode_ctx. */
    uint64_t memcap_exceeded;       /* no data chunk or output packet free */
    uint64_t invalid_fragments;     /* unparsable, truncated or empty fragments */
    uint64_t ipv4_frag_overlap;     /* decoder event ipv4.frag_overlap */
    uint64_t ipv6_frag_overlap;     /* decoder event ipv6.frag_overlap */
    uint64_t ipv4_frag_too_large;   /* decoder event ipv4.frag_pkt_too_large */
    uint64_t ipv6_frag_too_large;   /* decoder event ipv6.frag_pkt_too_large */
};

/* A named view of one defrag_stats field, Suricata's counter names. */
struct defrag_stats_field {
    const char *name;   /* e.g. "defrag.ipv4.fragments" */
    size_t offset;      /* offsetof(struct defrag_stats, ...) */
};
extern const struct defrag_stats_field defrag_stats_fields[];
extern const size_t defrag_stats_field_count;

struct defrag_ctx;

/* Suricata's defaults (32mb, 65536, 65535, 65535, 60 s, prealloc), seed 0. */
void defrag_config_set_defaults(struct defrag_config *cfg);

/* Bytes defrag_create() needs before any fragment data: compare with memcap
 * to explain a NULL from defrag_create(). */
uint64_t defrag_fixed_memory(const struct defrag_config *cfg);

/* Allocates every table and pool; the rest of memcap becomes fragment data
 * chunks. NULL when memcap is smaller than defrag_fixed_memory() or an
 * allocation fails. */
struct defrag_ctx *defrag_create(const struct defrag_config *cfg);
void defrag_destroy(struct defrag_ctx *ctx);

/* Takes one fragment (PKT_IS_FRAGMENT, l3/l3_len/l2_len set by the decoder)
 * and copies what it needs; frag is only written to record decoder events. Returns a reassembled frame when this fragment
 * completes its datagram, else NULL. The frame is the first fragment's
 * l2_len link bytes followed by the datagram with fragmentation removed;
 * flags = PKT_IS_REASSEMBLED (plus PKT_IS_TUNNEL_INNER and the tunnel tuple
 * when the fragment was a tunnel inner), ready for decode_packet(). It stays
 * owned by defrag until defrag_release(). Overlaps, oversize datagrams and
 * bad IPv6 fragment lengths are raised as decoder events on frag through
 * dctx (which may be NULL: then only defrag_stats count them). */
struct packet *defrag_submit(struct defrag_ctx *ctx, struct decode_ctx *dctx,
                             struct packet *frag);

/* Gives a packet returned by defrag_submit() back to its pool. */
void defrag_release(struct defrag_ctx *ctx, struct packet *reassembled);

/* Drops trackers idle for more than timeout_sec at now_us (packet time in
 * offline mode). Cost is proportional to the trackers dropped. */
void defrag_timeout(struct defrag_ctx *ctx, uint64_t now_us);

const struct defrag_stats *defrag_get_stats(const struct defrag_ctx *ctx);

/* Adds part's counters to sum (several workers' defrag in one summary). */
void defrag_stats_add(struct defrag_stats *sum, const struct defrag_stats *part);

#endif
