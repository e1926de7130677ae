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
    __atomic_store_n(&f->hash, hash, __ATOMIC_RELAXED);
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

/* Walks the chain for key; flows found timed out, or TCP flows a new SYN
 * reuses, go to the worker's ended queue on the way. */
static struct flow *bucket_find(struct flow_worker *w, struct flow_bucket *b,
                                const struct flow_key *key, uint32_t hash,
                                const struct packet *p, bool *to_server)
{
    struct flow_engine *e = w->engine;
    bool emergency = atomic_load_explicit(&e->emergency, memory_order_relaxed);
    struct flow **link = &b->head;
    while (*link) {
        struct flow *f = *link;
        enum flow_match m = f->hash == hash ? flow_key_compare(&f->key, key) : FLOW_MATCH_NONE;
        bool idle = atomic_load_explicit(&f->use_count, memory_order_relaxed) == 0;
        bool ended = idle && flow_timed_out(&e->timeouts, f, p->ts_us, emergency);
        if (!ended && m != FLOW_MATCH_NONE && key->proto == IPPROTO_TCP &&
            !(p->flags & PKT_ICMP_ERROR) &&
            flow_tcp_is_port_reuse(f, p, m == FLOW_MATCH_TO_SERVER)) {
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

bool flow_packet_hash(const struct flow_engine *e, struct packet *p)
{
    if (!(p->flags & (PKT_HAS_FLOW_KEY | PKT_ICMP_ERROR)) || (p->flags & PKT_INVALID))
        return false;
    struct flow_key key;
    flow_key_from_packet(p, e->use_vlan, &key);
    p->flow_hash = flow_key_hash(&key, e->hash_seed);
    p->flags |= PKT_FLOW_HASHED;
    return true;
}

struct flow *flow_handle_packet(struct flow_worker *w, struct packet *p)
{
    if (!(p->flags & (PKT_HAS_FLOW_KEY | PKT_ICMP_ERROR)) || (p->flags & PKT_INVALID))
        return NULL;
    struct flow_engine *e = w->engine;
    struct flow_key key;
    flow_key_from_packet(p, e->use_vlan, &key);
    uint32_t hash = (p->flags & PKT_FLOW_HASHED) ? p->flow_hash : flow_key_hash(&key, e->hash_seed);
    p->flow_hash = hash;

    struct flow_bucket *b = flow_table_bucket(&e->table, hash);
    bool to_server = true;
    flow_bucket_lock(&e->table, b);
    struct flow *f = bucket_find(w, b, &key, hash, p, &to_server);
    if (!f && flow_may_create(w, p)) {
        f = flow_get_new(w, b, p->ts_us);
        if (f) {
            flow_init_from_packet(w, f, p, &key, hash);
            flow_bucket_insert(b, f);
            flow_bucket_lower_timeout(b, flow_earliest_timeout(&e->timeouts, f));
        }
    }
    if (f) {
        if (p->flags & PKT_ICMP_ERROR)
            to_server = p->src.w[0] == f->key.src.w[0] && p->src.w[1] == f->key.src.w[1] &&
                        p->src.w[2] == f->key.src.w[2] && p->src.w[3] == f->key.src.w[3];
        flow_account(w, f, p, to_server);
    } else if (p->flags & PKT_ICMP_ERROR) {
        w->stats.icmp_error_unmatched++;
    }
    flow_bucket_unlock(&e->table, b);
    if (w->ended.head)
        flow_worker_flush_ended(w, p->ts_us);
    return f;
}

/* Packets whose misses are overlapped together; callers' bursts are cut
 * into chunks of this many. */
#define FLOW_BURST_CHUNK 32u

static bool burst_packet_hashed(const struct packet *p)
{
    return (p->flags & PKT_FLOW_HASHED) && !(p->flags & PKT_INVALID);
}

static void prefetch_flow_lines(const struct flow *f)
{
    /* The key and link line, and the counters line after it. */
    __builtin_prefetch(f, 1);
    __builtin_prefetch((const char *)f + 64, 1);
}

/* Reads the bucket's hints without the lock: at worst a prefetch of a flow
 * that moved on, and the lookup under the lock decides. Returns the second
 * flow when the head is not the packet's. */
static const struct flow *prefetch_chain(struct flow_table *table, const struct packet *p)
{
    if (!burst_packet_hashed(p))
        return NULL;
    struct flow_bucket *b = flow_table_bucket(table, p->flow_hash);
    struct flow *head = __atomic_load_n(&b->head, __ATOMIC_RELAXED);
    if (!head)
        return NULL;
    prefetch_flow_lines(head);
    if (__atomic_load_n(&b->head_hash, __ATOMIC_RELAXED) == p->flow_hash)
        return NULL;
    struct flow *second = __atomic_load_n(&b->second, __ATOMIC_RELAXED);
    if (second)
        prefetch_flow_lines(second);
    return second;
}

/* The second flow had its lines prefetched but is not the packet's own
 * either: the third is asked for too (at load factor 1 one lookup in ten
 * goes that far, and would otherwise wait on it alone). The second's hash
 * and link are read without the lock: the flow may have moved on, and the
 * lookup under the lock decides. Slabs are never freed while the engine
 * runs, so the read is of a flow, if not of this chain's. */
static void prefetch_chain_third(const struct flow *second, const struct packet *p)
{
    if (!second || __atomic_load_n(&second->hash, __ATOMIC_RELAXED) == p->flow_hash)
        return;
    const struct flow *third = __atomic_load_n(&second->hash_next, __ATOMIC_RELAXED);
    if (third)
        prefetch_flow_lines(third);
}

/* Overlaps the cache misses of a burst in four passes: every bucket is
 * requested, then the first two flows of every chain (a bucket's hints are
 * read once all buckets are on their way), then the third where the second
 * is not the packet's, then the packets are handled. A software pipeline
 * (bucket 24 packets ahead, chain 12) spent most of a 32-packet burst
 * filling and draining; the passes keep all of a burst's misses in flight
 * together (qa/bench/flow-table-bench at 10M flows: the chain pass about
 * 10 % more lookups/s, the third-flow pass 5 to 15 % more again). */
static void handle_chunk(struct flow_worker *w, struct packet **packets, unsigned n)
{
    struct flow_table *table = &w->engine->table;
    for (unsigned i = 0; i < n; i++)
        if (burst_packet_hashed(packets[i]))
            __builtin_prefetch(flow_table_bucket(table, packets[i]->flow_hash), 1);
    const struct flow *second[FLOW_BURST_CHUNK];
    for (unsigned i = 0; i < n; i++)
        second[i] = prefetch_chain(table, packets[i]);
    for (unsigned i = 0; i < n; i++)
        prefetch_chain_third(second[i], packets[i]);
    for (unsigned i = 0; i < n; i++)
        flow_handle_packet(w, packets[i]);
}

void flow_handle_burst(struct flow_worker *w, struct packet **packets, unsigned n)
{
    for (unsigned done = 0; done < n; done += FLOW_BURST_CHUNK)
        handle_chunk(w, packets + done, n - done < FLOW_BURST_CHUNK ? n - done : FLOW_BURST_CHUNK);
}
