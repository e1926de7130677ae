/* The flow tuple of a packet, its seeded symmetric hash, and the
 * bidirectional compare of a packet against a flow's key. */
#ifndef VIGIL_FLOW_FLOW_HASH_H
#define VIGIL_FLOW_FLOW_HASH_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"
#include "flow/flow.h"

/* The key a packet belongs to: its own tuple, or for an ICMP error the
 * tuple of the packet it quotes. VLAN ids are zeroed unless tracked. */
void flow_key_from_packet(const struct packet *p, bool use_vlan, struct flow_key *key);

/* Symmetric: a key and its reverse hash alike. */
uint32_t flow_key_hash(const struct flow_key *key, uint32_t seed);

enum flow_match {
    FLOW_MATCH_NONE = 0,
    FLOW_MATCH_TO_SERVER, /* same direction as the flow's first packet */
    FLOW_MATCH_TO_CLIENT,
};

enum flow_match flow_key_compare(const struct flow_key *flow_key, const struct flow_key *pkt_key);

#endif
