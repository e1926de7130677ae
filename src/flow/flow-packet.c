/* A packet meets its flow: lookup under the bucket lock, unlinking timed-out
 * flows walked past, creation when none matches, then the per-direction
 * accounting and state update of the matched flow. */
#include <netinet/in.h>

#include "flow/flow-engine.h"
#include "flow/flow-hash.h"
#include "flow/flow-tcp.h"

static bool flow_may_create(struct flow_worker *w, const struct packet *p)
{
    if (p->flags & PKT_ICMP_ERROR)
        return false;
    if (!atomic_load_explicit(&w->engine->emergency, memory_order_relaxed))
        return true;
    if (p->proto != IPPROTO_TCP ||
        (p->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) == TCP_FLAG_SYN)
        return true;
    w->stats.emergency_refused++;
    return false;
}

static uint64_t flow_id_from_sequence(uint64_t seq)
{
    /* A bijection on 50 bits (odd multiply, xorshift, odd multiply) with bit
     * 50 set: ids are unique within a run, look random, keep the same width
     * and fit a JSON number exactly. */
    const uint64_t mask = (1ULL << 50) - 1;
    uint64_t x = (seq * 0x5851f42d4c957f2dULL) & mask;
    x ^= x >> 23;
    return ((x * 0x2545f4914f6cdd1dULL) & mask) | 1ULL << 50;
}

static void count_new_flow(struct flow_stats *st, uint8_t proto)
{
    st->total++;
    switch (proto) {
    case IPPROTO_TCP: st->tcp++; break;
    case IPPROTO_UDP: st->udp++; break;
    case IPPROTO_ICMP: st->icmpv4++; break;
    case IPPROTO_ICMPV6: st->icmpv6++; break;
    case IPPROTO_SCTP: st->sctp++; break;
    default: st->other++; break;
    }
}

static void flow_init_from_packet(struct flow_worker *w, struct flow *f, const struct packet *p,
                                  const struct flow_key *key, uint32_t hash)
{
    struct flow_engine *e = w->engine;
    f->key = *key;
    if (!e->use_vlan) {
        /* Not part of the key, but EVE still shows where the flow was seen. */
        f->key.vlan_count = p->vlan_count;
        for (unsigned i = 0; i < p->vlan_count; i++)
            f->key.vlan_id[i] = p->vlan_id[i];
    }
    f->hash = hash;
    f->flow_id = flow_id_from_sequence(atomic_fetch_add(&e->next_flow_seq, 1));
    f->start_us = f->last_us = p->ts_us;
    f->icmp_type = p->icmp_type;
    f->icmp_code = p->icmp_code;
    f->iface = p->iface;
    f->emergency = atomic_load_explicit(&e->emergency, memory_order_relaxed);
    atomic_fetch_add_explicit(&e->active_flows, 1, memory_order_relaxed);
    if (p->flags & PKT_IS_TUNNEL_INNER) {
        f->has_tunnel = true;
        f->tunnel = p->tunnel;
    }
    count_new_flow(&w->stats, key->proto);
}

static void flow_account(struct flow_worker *w, struct flow *f, const struct packet *p,
                         bool to_server)
{
    if (p->ts_us > f->last_us)
        f->last_us = p->ts_us;
    if (to_server) {
        f->pkts_toserver++;
        f->bytes_toserver += p->flow_bytes;
    } else {
        f->pkts_toclient++;
        f->bytes_toclient += p->flow_bytes;
    }
    if (p->flags & PKT_ICMP_ERROR) {
        w->stats.icmp_error_attached++;
        return;
    }
    if (p->proto == IPPROTO_TCP) {
        if (to_server)
            f->tcp_flags_ts |= p->tcp_flags;
        else
            f->tcp_flags_tc |= p->tcp_flags;
        uint8_t before = f->tcp_state;
        flow_tcp_update(f, p, to_server, &w->stats.tcp_counters);
        if (before == TCP_STATE_NONE && f->tcp_state != TCP_STATE_NONE)
            atomic_fetch_add_explicit(&w->engine->active_tcp_sessions, 1, memory_order_relaxed);
        return;
    }
    if ((p->proto == IPPROTO_ICMP || p->proto == IPPROTO_ICMPV6) && !to_server) {
        f->has_response_icmp = true;
        f->response_icmp_type = p->icmp_type;
        f->response_icmp_code = p->icmp_code;
    }
    if (f->pkts_toserver && f->pkts_toclient)
        f->state = FLOW_STATE_ESTABLISHED;
}

static bool is_port_reuse(const struct flow *f, const struct flow_key *key,
                          const struct packet *p, enum flow_match m)
{
    return key->proto == IPPROTO_TCP && !(p->flags & PKT_ICMP_ERROR) &&
           flow_tcp_is_port_reuse(f, p, m == FLOW_MATCH_TO_SERVER);
}

/* Walks the chain for key; flows found timed out, or TCP flows a new SYN
 * reuses, go to the worker's ended queue on the way. */
static struct flow *bucket_walk(struct flow_worker *w, struct flow_bucket *b,
                                const struct flow_key *key, uint32_t hash,
                                const struct packet *p, bool emergency, bool *to_server)
{
    struct flow_engine *e = w->engine;
    struct flow **link = &b->first[0];
    while (*link) {
        struct flow *f = *link;
        enum flow_match m = f->hash == hash ? flow_key_compare(&f->key, key) : FLOW_MATCH_NONE;
        bool idle = atomic_load_explicit(&f->use_count, memory_order_relaxed) == 0;
        bool ended = idle && flow_timed_out(&e->timeouts, f, p->ts_us, emergency);
        if (!ended && m != FLOW_MATCH_NONE && is_port_reuse(f, key, p, m)) {
            w->stats.tcp_reuse++;
            ended = true;
        }
        if (ended) {
            flow_bucket_unlink(b, link, f);
            w->stats.wrk_flows_evicted++;
            f->end_reason = FLOW_END_TIMEOUT;
            flow_queue_push(&w->ended, f);
            continue;
        }
        if (m != FLOW_MATCH_NONE) {
            *to_server = m == FLOW_MATCH_TO_SERVER;
            return f;
        }
        link = &f->hash_next;
    }
    return NULL;
}

/* The lookup when no flow of the row can have timed out yet: the walk
 * would end none of the flows it goes past, so the bucket's hints lead
 * straight to the packet's flow and the flows before it are not read.
 * False when the walk must decide: a chain longer than the hints, or a
 * new SYN that reuses the flow's ports. */
static bool bucket_find_hinted(struct flow_bucket *b, const struct flow_key *key, uint32_t hash,
                               const struct packet *p, struct flow **found, bool *to_server)
{
    for (unsigned i = 0; i < FLOW_BUCKET_HINTS; i++) {
        struct flow *f = b->first[i];
        if (!f) {
            *found = NULL;
            return true;
        }
        if (b->first_hash[i] != hash)
            continue;
        enum flow_match m = flow_key_compare(&f->key, key);
        if (m == FLOW_MATCH_NONE)
            continue;
        if (is_port_reuse(f, key, p, m))
            return false;
        *to_server = m == FLOW_MATCH_TO_SERVER;
        *found = f;
        return true;
    }
    return false;
}

static struct flow *bucket_find(struct flow_worker *w, struct flow_bucket *b,
                                const struct flow_key *key, uint32_t hash,
                                const struct packet *p, bool *to_server)
{
    struct flow *f;
    bool emergency = atomic_load_explicit(&w->engine->emergency, memory_order_relaxed);
    if (!emergency && p->ts_us < atomic_load_explicit(&b->next_timeout_us, memory_order_relaxed) &&
        bucket_find_hinted(b, key, hash, p, &f, to_server))
        return f;
    return bucket_walk(w, b, key, hash, p, emergency, to_server);
}

static bool makes_flow(const struct packet *p)
{
    return (p->flags & (PKT_HAS_FLOW_KEY | PKT_ICMP_ERROR)) && !(p->flags & PKT_INVALID);
}

/* The key of a packet that makes a flow, and its hash unless the capture
 * side computed it. Inlined into both lookups: as a call it cost
 * qa/bench/flow-table-bench's 10k-flow lookups 8 %. */
static inline __attribute__((always_inline)) bool
packet_flow_key(const struct flow_engine *e, struct packet *p, struct flow_key *key)
{
    if (!makes_flow(p))
        return false;
    flow_key_from_packet(p, e->use_vlan, key);
    if (!(p->flags & PKT_FLOW_HASHED)) {
        p->flow_hash = flow_key_hash(key, e->hash_seed);
        p->flags |= PKT_FLOW_HASHED;
    }
    return true;
}

bool flow_packet_hash(const struct flow_engine *e, struct packet *p)
{
    struct flow_key key;
    return packet_flow_key(e, p, &key);
}

/* Finds or creates p's flow and accounts p to it. The key is made here
 * unless key_made says the caller made it (and hashed p) already. */
static struct flow *handle_packet(struct flow_worker *w, struct packet *p, struct flow_key *key,
                                  bool key_made)
{
    struct flow_engine *e = w->engine;
    if (!key_made && !packet_flow_key(e, p, key))
        return NULL;
    uint32_t hash = p->flow_hash;
    struct flow_bucket *b = flow_table_bucket(&e->table, hash);
    bool to_server = true;
    flow_bucket_lock(&e->table, b);
    struct flow *f = bucket_find(w, b, key, hash, p, &to_server);
    if (!f && flow_may_create(w, p)) {
        f = flow_get_new(w, b, p->ts_us);
        if (f) {
            flow_init_from_packet(w, f, p, key, hash);
            flow_bucket_insert(b, f);
            flow_bucket_lower_timeout(b, flow_normal_timeout_at(&e->timeouts, f));
        }
    }
    if (f) {
        if (p->flags & PKT_ICMP_ERROR)
            to_server = p->src.w[0] == f->key.src.w[0] && p->src.w[1] == f->key.src.w[1] &&
                        p->src.w[2] == f->key.src.w[2] && p->src.w[3] == f->key.src.w[3];
        uint8_t state = f->state;
        flow_account(w, f, p, to_server);
        /* Closing can shorten the timeout (TCP: established 600 s, closed 60 s). */
        if (f->state != state)
            flow_bucket_lower_timeout(b, flow_normal_timeout_at(&e->timeouts, f));
    } else if (p->flags & PKT_ICMP_ERROR) {
        w->stats.icmp_error_unmatched++;
    }
    flow_bucket_unlock(&e->table, b);
    if (w->ended.head)
        flow_worker_flush_ended(w, p->ts_us);
    return f;
}

struct flow *flow_handle_packet(struct flow_worker *w, struct packet *p)
{
    struct flow_key key;
    return handle_packet(w, p, &key, false);
}

/* Packets whose misses are overlapped together; callers' bursts are cut
 * into chunks of this many. */
#define FLOW_BURST_CHUNK 32u

static void prefetch_flow_lines(const struct flow *f)
{
    /* The key and link line, and the counters line after it. */
    __builtin_prefetch(f, 1);
    __builtin_prefetch((const char *)f + 64, 1);
}

/* In a row where a flow may have timed out, and in emergency mode, the
 * lookup walks the chain: the flows before the packet's are asked for too. */
static void prefetch_walk(const struct flow_bucket *b, const struct flow *mine)
{
    for (unsigned i = 0; i < FLOW_BUCKET_HINTS; i++) {
        const struct flow *f = __atomic_load_n(&b->first[i], __ATOMIC_RELAXED);
        if (!f || f == mine)
            return;
        prefetch_flow_lines(f);
    }
}

/* Reads the bucket's hints without the lock: at worst a prefetch of a flow
 * that moved on, and the lookup under the lock decides. The flow with the
 * packet's hash is picked without a branch: a branch on the bucket's
 * contents waits for its line, and a mispredicted one throws away the
 * requests issued after it (qa/bench/flow-table-bench at 10M flows: a
 * loop that stopped at the match looked up 6.5M flows/s, this one 10.5M). */
static void prefetch_chain(struct flow_table *table, const struct packet *p, bool emergency)
{
    const struct flow_bucket *b = flow_table_bucket(table, p->flow_hash);
    const struct flow *mine = NULL;
    for (unsigned i = FLOW_BUCKET_HINTS; i-- > 0;) {
        const struct flow *f = __atomic_load_n(&b->first[i], __ATOMIC_RELAXED);
        mine = __atomic_load_n(&b->first_hash[i], __ATOMIC_RELAXED) == p->flow_hash ? f : mine;
    }
    if (mine)
        prefetch_flow_lines(mine);
    if (emergency || p->ts_us >= atomic_load_explicit(&b->next_timeout_us, memory_order_relaxed))
        prefetch_walk(b, mine);
}

/* Overlaps the cache misses of a burst in three passes: every bucket is
 * requested, then the flow each bucket's hints name for its packet (the
 * hints are read once all buckets are on their way), then the packets are
 * handled. A packet the capture side did not hash is hashed in the first
 * pass, and the key made for that is kept for its lookup; a hashed one
 * gets its key made at its lookup, so the bucket requests of a hashed
 * burst go out back to back. Pipelines that interleave requests with
 * handling (bucket 16 packets ahead and flow 8, or bucket 24 and chain 12)
 * were slower on qa/bench/flow-table-bench at 10M flows (2.8 to 3.7 x the
 * 10k cost against 2.1 to 2.2 x); requests issued back to back keep a
 * burst's misses in flight together. */
static void handle_chunk(struct flow_worker *w, struct packet **packets, unsigned n)
{
    struct flow_table *table = &w->engine->table;
    struct flow_key keys[FLOW_BURST_CHUNK];
    bool keyed[FLOW_BURST_CHUNK];
    for (unsigned i = 0; i < n; i++) {
        struct packet *p = packets[i];
        keyed[i] = !(p->flags & PKT_FLOW_HASHED) && packet_flow_key(w->engine, p, &keys[i]);
        if (makes_flow(p))
            __builtin_prefetch(flow_table_bucket(table, p->flow_hash), 1);
    }
    bool emergency = atomic_load_explicit(&w->engine->emergency, memory_order_relaxed);
    for (unsigned i = 0; i < n; i++)
        if (makes_flow(packets[i]))
            prefetch_chain(table, packets[i], emergency);
    struct flow_key key;
    for (unsigned i = 0; i < n; i++)
        handle_packet(w, packets[i], keyed[i] ? &keys[i] : &key, keyed[i]);
}

void flow_handle_burst(struct flow_worker *w, struct packet **packets, unsigned n)
{
    for (unsigned done = 0; done < n; done += FLOW_BURST_CHUNK)
        handle_chunk(w, packets + done, n - done < FLOW_BURST_CHUNK ? n - done : FLOW_BURST_CHUNK);
}
