/* Decoder API: turns a captured frame into a decoded struct packet, counting
 * every protocol seen and every malformation as a named decoder event. */
#ifndef VIGIL_DECODE_DECODE_H
#define VIGIL_DECODE_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/events.h"
#include "decode/packet.h"

/* Link types as libpcap's pcap_datalink() reports them (DLT_* values). */
enum decode_linktype {
    DECODE_LINKTYPE_NULL = 0,
    DECODE_LINKTYPE_ETHERNET = 1,
    DECODE_LINKTYPE_PPP = 9,
    DECODE_LINKTYPE_RAW = 12,       /* DLT_RAW on Linux; LINKTYPE_RAW 101 in files */
    DECODE_LINKTYPE_RAW_OPENBSD = 14,
    DECODE_LINKTYPE_RAW_101 = 101,
    DECODE_LINKTYPE_LOOP = 108,
    DECODE_LINKTYPE_LINUX_SLL = 113,
    DECODE_LINKTYPE_IPV4 = 228,
    DECODE_LINKTYPE_IPV6 = 229,
    DECODE_LINKTYPE_LINUX_SLL2 = 276,
    /* Pseudo link types of tunnel inners, outside the DLT range so that an
     * inner is never counted as a raw-IP capture (decoder.raw). */
    DECODE_LINKTYPE_TUNNEL_IPV4 = 0x10004,
    DECODE_LINKTYPE_TUNNEL_IPV6 = 0x10006,
    DECODE_LINKTYPE_TUNNEL_ETHERNET = 0x10001,
};

/* Per-thread decoder counters, Suricata's names (decoder.*) in the comments
 * of decode_stats_names[]. Written only by the owning thread. */
struct decode_stats {
    uint64_t pkts, bytes, invalid;
    uint64_t ipv4, ipv6, ethernet, arp, unknown_ethertype, chdlc, raw, null, sll, sll2;
    uint64_t tcp, udp, sctp, esp, icmpv4, icmpv6, igmp;
    uint64_t ppp, pppoe, geneve, gre, vlan, vlan_qinq, vlan_qinqinq, vxlan, vntag;
    uint64_t ieee8021ah, teredo, ipv4_in_ipv4, ipv4_in_ipv6, ipv6_in_ipv4, ipv6_in_ipv6;
    uint64_t mpls, erspan, etag, nsh;
    uint64_t max_pkt_size, too_many_layers;
    uint64_t events[DECODE_EVENT_COUNT];
};

/* A named view of one decode_stats field, for stats output and summaries. */
struct decode_stats_field {
    const char *name;   /* e.g. "decoder.ipv4" */
    size_t offset;      /* offsetof(struct decode_stats, ...) */
};

/* Adds part's counters to sum; max_pkt_size keeps the larger. */
void decode_stats_add(struct decode_stats *sum, const struct decode_stats *part);
extern const struct decode_stats_field decode_stats_fields[];
extern const size_t decode_stats_field_count;

struct decode_config {
    bool vlan_use_for_tracking;  /* vlan.use-for-tracking */
    bool vxlan_enabled;          /* decoder.vxlan.enabled, port 4789 */
    uint16_t vxlan_port;
    bool geneve_enabled;         /* decoder.geneve.enabled, port 6081 */
    uint16_t geneve_port;
    bool teredo_enabled;         /* decoder.teredo.enabled, port 3544 */
    uint16_t teredo_port;
};

struct decode_ctx {
    struct decode_config cfg;
    struct decode_stats stats;
};

void decode_config_set_defaults(struct decode_config *cfg);
void decode_ctx_init(struct decode_ctx *ctx, const struct decode_config *cfg);

/* Decodes p->data[0..p->len) as p->linktype. Resets and fills every decoder
 * result in p; never reads past p->len. Counts decoder.pkts/bytes, except for
 * PKT_IS_REASSEMBLED pseudo-packets, whose fragments were counted already. */
void decode_packet(struct decode_ctx *ctx, struct packet *p);

/* Sets up inner as the payload of outer's tunnel (outer->tunnel_type) one
 * recursion level deeper, with outer's tuple as inner->tunnel, and decodes it.
 * Past PACKET_MAX_RECURSION it counts decoder.too_many_layers and marks inner
 * PKT_INVALID. */
void decode_tunnel_inner(struct decode_ctx *ctx, const struct packet *outer,
                         struct packet *inner);

/* Counts ev on p and in ctx; Suricata keeps decoding after some events and
 * stops after others, the caller decides by also setting PKT_INVALID. */
void decode_set_event(struct decode_ctx *ctx, struct packet *p, enum decode_event ev);

#endif
