/* Names of the decoder counters (Suricata's "decoder.*") mapped onto
 * struct decode_stats, for stats output and counter dumps. */
#include <stddef.h>

#include "decode/decode.h"

#define DECODE_FIELD(name, member) { "decoder." name, offsetof(struct decode_stats, member) }
#define DECODE_EVENT_FIELD(id, name) \
    { "decoder.event." name, offsetof(struct decode_stats, events) + (id) * sizeof(uint64_t) },

const struct decode_stats_field decode_stats_fields[] = {
    DECODE_FIELD("pkts", pkts),
    DECODE_FIELD("bytes", bytes),
    DECODE_FIELD("invalid", invalid),
    DECODE_FIELD("ipv4", ipv4),
    DECODE_FIELD("ipv6", ipv6),
    DECODE_FIELD("ethernet", ethernet),
    DECODE_FIELD("arp", arp),
    DECODE_FIELD("unknown_ethertype", unknown_ethertype),
    DECODE_FIELD("chdlc", chdlc),
    DECODE_FIELD("raw", raw),
    DECODE_FIELD("null", null),
    DECODE_FIELD("sll", sll),
    DECODE_FIELD("sll2", sll2),
    DECODE_FIELD("tcp", tcp),
    DECODE_FIELD("udp", udp),
    DECODE_FIELD("sctp", sctp),
    DECODE_FIELD("esp", esp),
    DECODE_FIELD("icmpv4", icmpv4),
    DECODE_FIELD("icmpv6", icmpv6),
    DECODE_FIELD("igmp", igmp),
    DECODE_FIELD("ppp", ppp),
    DECODE_FIELD("pppoe", pppoe),
    DECODE_FIELD("geneve", geneve),
    DECODE_FIELD("gre", gre),
    DECODE_FIELD("vlan", vlan),
    DECODE_FIELD("vlan_qinq", vlan_qinq),
    DECODE_FIELD("vlan_qinqinq", vlan_qinqinq),
    DECODE_FIELD("vxlan", vxlan),
    DECODE_FIELD("vntag", vntag),
    DECODE_FIELD("ieee8021ah", ieee8021ah),
    DECODE_FIELD("teredo", teredo),
    DECODE_FIELD("ipv4_in_ipv4", ipv4_in_ipv4),
    DECODE_FIELD("ipv4_in_ipv6", ipv4_in_ipv6),
    DECODE_FIELD("ipv6_in_ipv4", ipv6_in_ipv4),
    DECODE_FIELD("ipv6_in_ipv6", ipv6_in_ipv6),
    DECODE_FIELD("mpls", mpls),
    DECODE_FIELD("erspan", erspan),
    DECODE_FIELD("etag", etag),
    DECODE_FIELD("nsh", nsh),
    DECODE_FIELD("max_pkt_size", max_pkt_size),
    DECODE_FIELD("too_many_layers", too_many_layers),
    DECODE_EVENT_LIST(DECODE_EVENT_FIELD)
};

const size_t decode_stats_field_count =
    sizeof(decode_stats_fields) / sizeof(decode_stats_fields[0]);

_Static_assert(sizeof(struct decode_stats) % sizeof(uint64_t) == 0,
               "decode_stats holds only uint64_t counters");

void decode_stats_add(struct decode_stats *sum, const struct decode_stats *part)
{
    uint64_t largest = sum->max_pkt_size > part->max_pkt_size ? sum->max_pkt_size
                                                              : part->max_pkt_size;
    uint64_t *to = (uint64_t *)sum;
    const uint64_t *from = (const uint64_t *)part;
    for (size_t i = 0; i < sizeof(*sum) / sizeof(uint64_t); i++)
        to[i] += from[i];
    sum->max_pkt_size = largest;
}
