/* Flow tuples and their hash: endpoints are ordered before hashing so both
 * directions land in one bucket; the seed is chosen at start-up. */
#include "flow/flow-hash.h"

#include <string.h>

#include "util/hash.h"

static void copy_vlans(const struct packet *p, bool use_vlan, struct flow_key *key)
{
    if (!use_vlan)
        return;
    key->vlan_count = p->vlan_count;
    for (unsigned i = 0; i < p->vlan_count && i < PACKET_MAX_VLANS; i++)
        key->vlan_id[i] = p->vlan_id[i];
}

void flow_key_from_packet(const struct packet *p, bool use_vlan, struct flow_key *key)
{
    memset(key, 0, sizeof(*key));
    if (p->flags & PKT_ICMP_ERROR) {
        key->src = p->embedded.src;
        key->dst = p->embedded.dst;
        key->sp = p->embedded.sp;
        key->dp = p->embedded.dp;
        key->proto = p->embedded.proto;
        key->ip_version = p->embedded.ip_version;
    } else {
        key->src = p->src;
        key->dst = p->dst;
        key->sp = p->sp;
        key->dp = p->dp;
        key->proto = p->proto;
        key->ip_version = p->ip_version;
    }
    key->recursion_level = p->recursion_level;
    copy_vlans(p, use_vlan, key);
}

static int endpoint_order(const union vigil_addr *a, uint16_t ap,
                          const union vigil_addr *b, uint16_t bp)
{
    for (int i = 0; i < 4; i++)
        if (a->w[i] != b->w[i])
            return a->w[i] < b->w[i] ? -1 : 1;
    return (int)ap - (int)bp;
}

static uint64_t hash_address(uint64_t h, const union vigil_addr *a)
{
    h = hash_mix(h, (uint64_t)a->w[0] << 32 | a->w[1]);
    return hash_mix(h, (uint64_t)a->w[2] << 32 | a->w[3]);
}

uint32_t flow_key_hash(const struct flow_key *key, uint32_t seed)
{
    const union vigil_addr *lo = &key->src, *hi = &key->dst;
    uint16_t lo_port = key->sp, hi_port = key->dp;
    if (endpoint_order(lo, lo_port, hi, hi_port) > 0) {
        lo = &key->dst;
        hi = &key->src;
        lo_port = key->dp;
        hi_port = key->sp;
    }
    uint64_t h = hash_mix(seed, (uint64_t)lo_port << 16 | hi_port);
    h = hash_address(h, lo);
    h = hash_address(h, hi);
    h = hash_mix(h, (uint64_t)key->proto << 8 | key->recursion_level);
    for (unsigned i = 0; i < key->vlan_count; i++)
        h = hash_mix(h, key->vlan_id[i]);
    return hash_finish(h);
}

static bool same_context(const struct flow_key *a, const struct flow_key *b)
{
    if (a->proto != b->proto || a->ip_version != b->ip_version ||
        a->recursion_level != b->recursion_level || a->vlan_count != b->vlan_count)
        return false;
    for (unsigned i = 0; i < a->vlan_count; i++)
        if (a->vlan_id[i] != b->vlan_id[i])
            return false;
    return true;
}

static bool same_address(const union vigil_addr *a, const union vigil_addr *b)
{
    return ((a->w[0] ^ b->w[0]) | (a->w[1] ^ b->w[1]) | (a->w[2] ^ b->w[2]) |
            (a->w[3] ^ b->w[3])) == 0;
}

enum flow_match flow_key_compare(const struct flow_key *flow_key, const struct flow_key *pkt_key)
{
    if (!same_context(flow_key, pkt_key))
        return FLOW_MATCH_NONE;
    if (flow_key->sp == pkt_key->sp && flow_key->dp == pkt_key->dp &&
        same_address(&flow_key->src, &pkt_key->src) && same_address(&flow_key->dst, &pkt_key->dst))
        return FLOW_MATCH_TO_SERVER;
    if (flow_key->sp == pkt_key->dp && flow_key->dp == pkt_key->sp &&
        same_address(&flow_key->src, &pkt_key->dst) && same_address(&flow_key->dst, &pkt_key->src))
        return FLOW_MATCH_TO_CLIENT;
    return FLOW_MATCH_NONE;
}
