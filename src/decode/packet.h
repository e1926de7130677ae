/* The packet: one captured frame (or a tunnel / reassembly pseudo-packet) and
 * everything the decoder learned about it, in a fixed-size struct from a pool. */
#ifndef VIGIL_DECODE_PACKET_H
#define VIGIL_DECODE_PACKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define PACKET_MAX_VLANS 3
/* Suricata caps tunnel recursion likewise; deeper layers raise decoder.too_many_layers. */
#define PACKET_MAX_RECURSION 16
/* Decoder events remembered per packet (the counters see all of them). */
#define PACKET_MAX_EVENTS 8

/* IPv4 lives in w[0] with w[1..3] zero, so one compare serves both families. */
union vigil_addr {
    uint8_t b[16];
    uint32_t w[4];
};

enum packet_tunnel_type {
    PACKET_TUNNEL_NONE = 0,
    PACKET_TUNNEL_IPV4,     /* inner starts with an IPv4 header */
    PACKET_TUNNEL_IPV6,     /* inner starts with an IPv6 header */
    PACKET_TUNNEL_ETHERNET, /* inner starts with an Ethernet header (VXLAN, Geneve, GRE TEB, ERSPAN) */
};

/* The outer tuple an inner packet was carried in, for EVE's `tunnel` object. */
struct packet_tunnel_info {
    union vigil_addr src, dst;
    uint16_t sp, dp;
    uint8_t proto;
    uint8_t ip_version;
    uint8_t depth;
};

/* Header of an IP packet quoted in an ICMP error: the flow it belongs to. */
struct packet_embedded {
    union vigil_addr src, dst;
    uint16_t sp, dp;
    uint8_t proto;
    uint8_t ip_version;
};

enum packet_flags {
    PKT_HAS_FLOW_KEY = 1u << 0,    /* src/dst/sp/dp/proto valid: may create a flow */
    PKT_IS_FRAGMENT = 1u << 1,     /* an IP fragment: handed to defrag, never a flow */
    PKT_ICMP_ERROR = 1u << 2,      /* ICMP error with a valid embedded header: lookup only */
    PKT_INVALID = 1u << 3,         /* decoder event stopped decoding: no flow */
    PKT_IS_TUNNEL_INNER = 1u << 4, /* pseudo-packet decoded from a tunnel payload */
    PKT_IS_REASSEMBLED = 1u << 5,  /* pseudo-packet rebuilt by defrag */
    PKT_FLOW_HASHED = 1u << 6,     /* flow_hash already computed for dispatch */
};

struct packet_pool;

struct packet {
    /* Ownership: a packet from a pool carries its own frame buffer and goes
     * back to that pool when done; stack packets have pool NULL. */
    struct packet_pool *pool;
    uint8_t *buffer;         /* buffer_size bytes owned by the pool */
    uint32_t buffer_size;

    /* Capture side: set before decoding, in the first cache line with the
     * pool's fields (but for frame), so autofp's capture thread writes no
     * line of a packet that the worker's decoding writes too. */
    uint64_t ts_us;          /* packet time, microseconds since the epoch */
    const uint8_t *data;     /* start of the bytes this (pseudo-)packet decodes */
    uint32_t len;            /* bytes available at data (never read past it) */
    uint32_t wire_len;       /* original length on the wire */
    int linktype;            /* DLT_* of data; tunnel inners use a pseudo value */
    uint8_t iface;           /* index of the capture interface (EVE in_iface) */
    uint64_t pcap_cnt;       /* 1-based frame number in the capture */
    /* The capture's own buffer data points into (a DPDK mbuf), released
     * when the packet returns to its pool; NULL when data is a copy. */
    void *frame;

    /* Decoder results. */
    uint32_t flags;
    uint32_t flow_bytes;     /* bytes this packet adds to its flow (Suricata's GET_PKT_LEN) */
    uint8_t ip_version;      /* 4 or 6, 0 when not IP */
    uint8_t proto;           /* IP protocol of the flow layer */
    uint16_t sp, dp;         /* ports; ICMP: type and counterpart type */
    union vigil_addr src, dst;
    uint16_t vlan_id[PACKET_MAX_VLANS];
    uint8_t vlan_count;
    uint8_t recursion_level;

    uint8_t tcp_flags;
    uint8_t tcp_wscale;      /* 0xff when the option is absent */
    bool tcp_sack_permitted;
    bool tcp_has_timestamps;
    uint16_t tcp_mss;        /* 0 when the option is absent */
    uint16_t tcp_window;
    uint32_t tcp_seq, tcp_ack;
    uint8_t icmp_type, icmp_code;

    const uint8_t *l3;       /* IP header, for defrag and tunnels */
    uint32_t l3_len;         /* bytes from l3 to the end of the IP datagram (caplen-capped) */
    uint32_t l2_len;         /* bytes before l3 (link + VLAN + PPPoE headers) */
    const uint8_t *payload;  /* L4 payload */
    uint32_t payload_len;

    /* Tunnel found while decoding: the pipeline decodes it as a new packet. */
    enum packet_tunnel_type tunnel_type;
    uint32_t tunnel_offset;  /* inner start, offset from data */

    uint8_t event_count;     /* how many of events[] are set; saturates */
    uint32_t flow_hash;      /* symmetric, seeded; valid with PKT_HAS_FLOW_KEY or PKT_ICMP_ERROR */

    /* Not cleared between packets (decoding a packet clears everything from
     * `flags` up to here): each field is valid only under its flag or count
     * and is written whole when that is set. */
    uint16_t events[PACKET_MAX_EVENTS];  /* first decoder events raised (enum decode_event) */
    struct packet_tunnel_info tunnel;    /* valid when PKT_IS_TUNNEL_INNER */
    struct packet_embedded embedded;     /* valid when PKT_ICMP_ERROR */
};

_Static_assert(offsetof(struct packet, pcap_cnt) + sizeof(uint64_t) <= 64,
               "the capture side fills no more than the first cache line");

/* What a frame must not inherit from its packet's last use: decoding keeps
 * these (a tunnel's inner packet or a reassembled datagram comes with its
 * own). */
static inline void packet_clear_decode_marks(struct packet *p)
{
    p->flags = 0;
    p->recursion_level = 0;
}

/* A capture's frame before its fields are filled in: no pool, no buffer,
 * no frame of the capture's own, interface 0, no flags inherited. Every
 * capture starts its frames here, so none hands on a field left unset. */
static inline void packet_capture_init(struct packet *p)
{
    memset(p, 0, offsetof(struct packet, flags));
    packet_clear_decode_marks(p);
}

#endif
