/* The flow: one bidirectional conversation keyed by addresses, ports,
 * protocol, VLAN ids and tunnel depth, with its counters and TCP state. */
#ifndef VIGIL_FLOW_FLOW_H
#define VIGIL_FLOW_FLOW_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"

/* Suricata's flow states (EVE flow.state). */
enum flow_state {
    FLOW_STATE_NEW = 0,
    FLOW_STATE_ESTABLISHED,
    FLOW_STATE_CLOSED,
};

/* Why a flow ended (EVE flow.reason). */
enum flow_end_reason {
    FLOW_END_TIMEOUT = 0,
    FLOW_END_FORCED,
    FLOW_END_SHUTDOWN,
};

/* Suricata's TCP session states (EVE tcp.state). */
enum tcp_state {
    TCP_STATE_NONE = 0,
    TCP_STATE_SYN_SENT,
    TCP_STATE_SYN_RECV,
    TCP_STATE_ESTABLISHED,
    TCP_STATE_FIN_WAIT1,
    TCP_STATE_FIN_WAIT2,
    TCP_STATE_TIME_WAIT,
    TCP_STATE_LAST_ACK,
    TCP_STATE_CLOSE_WAIT,
    TCP_STATE_CLOSING,
    TCP_STATE_CLOSED,
};

struct flow_key {
    union vigil_addr src, dst;  /* src = sender of the first packet */
    uint16_t sp, dp;            /* ICMP: type and counterpart type */
    uint8_t proto;
    uint8_t ip_version;
    uint8_t recursion_level;
    uint8_t vlan_count;
    uint16_t vlan_id[PACKET_MAX_VLANS];
};

/* Laid out for the packet path: the fields every packet reads or writes
 * come first and fit in the first two cache lines (flows are 64-byte
 * aligned); what only creation and logging need comes after. Small enums
 * are stored in a byte so a flow stays within three cache lines. */
struct flow {
    struct flow_key key;
    uint32_t hash;              /* flow_key_hash, kept in the bucket's hints too */
    /* Packets in flight that point at this flow; the manager recycles only
     * flows with no users. */
    atomic_uint use_count;
    struct flow *hash_next;     /* chain in its bucket, under the bucket lock */
    uint64_t last_us;           /* latest packet time */
    uint64_t pkts_toserver, pkts_toclient;
    uint64_t bytes_toserver, bytes_toclient;
    uint8_t state;              /* enum flow_state */
    uint8_t tcp_state;          /* enum tcp_state */
    uint8_t tcp_flags_ts, tcp_flags_tc;
    uint8_t response_icmp_type, response_icmp_code;
    bool has_response_icmp;

    uint8_t end_reason;         /* enum flow_end_reason */
    uint8_t icmp_type, icmp_code;           /* first packet to server */
    bool emergency;             /* created or ended during emergency mode */
    bool alerted;
    bool has_tunnel;            /* created by a tunnel inner packet */
    uint8_t iface;              /* capture interface of its first packet */
    struct flow *queue_next;    /* spare / work / recycle queues */
    uint64_t flow_id;           /* EVE flow_id, unique per flow */
    uint64_t start_us;          /* first packet time */
    struct packet_tunnel_info tunnel;
};

#endif
