/* Decoder events: one crafted frame per event, asserting that exactly that
 * event is counted and whether the frame was dropped as invalid. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <cmocka.h>

#include "test_decode_frames.h"

struct event_case {
    enum decode_event ev;
    bool invalid;
    int linktype;
    uint32_t (*build)(uint8_t *b);
};

#define TCP_HDR(off) 0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, off, 0x02, 0xff, 0xff, 0, 0, 0, 0
#define UDP_HDR(ulen_hi, ulen_lo) 0x03, 0xe8, 0x00, 0x35, ulen_hi, ulen_lo, 0, 0

/* IPv4 with options; proto 253 (experimental) so nothing follows. */
static uint32_t v4opts(uint8_t *b, const uint8_t *opts, uint32_t optlen)
{
    uint32_t n = tf_eth(b, 0x0800);
    tf_ipv4_hdr(b + n, 253, optlen);
    b[n] = (uint8_t)(0x40 | (5 + optlen / 4));
    memcpy(b + n + 20, opts, optlen);
    return n + 20 + optlen;
}

/* PPPoE session frame around PPP protocol and payload. */
static uint32_t pppoe(uint8_t *b, const uint8_t *ppp, uint32_t len)
{
    uint32_t n = tf_eth(b, 0x8864);
    const uint8_t hdr[6] = {0x11, 0x00, 0x00, 0x01, (uint8_t)(len >> 8), (uint8_t)len};
    memcpy(b + n, hdr, 6);
    memcpy(b + n + 6, ppp, len);
    return n + 6 + len;
}

/* GRE with sequence number carrying ERSPAN bytes. */
static uint32_t erspan(uint8_t *b, const uint8_t *e, uint32_t len)
{
    uint8_t gre[64] = {0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1};
    memcpy(gre + 8, e, len);
    return tf_v4(b, 47, gre, 8 + len);
}

static uint32_t eth_short(uint8_t *b) { memset(b, 0, 10); return 10; }
static uint32_t eth_unknown(uint8_t *b) { return tf_l2(b, 0x1234, BYTES(1, 2, 3, 4)); }
static uint32_t vlan_short(uint8_t *b) { return tf_l2(b, 0x8100, BYTES(0, 5)); }
static uint32_t vlan_too_many(uint8_t *b)
{
    return tf_l2(b, 0x8100, BYTES(0, 1, 0x81, 0, 0, 2, 0x81, 0, 0, 3, 0x81, 0, 0, 4, 0x08, 0));
}
static uint32_t pppoe_short(uint8_t *b) { return tf_l2(b, 0x8864, BYTES(0x11, 0, 0, 1)); }
static uint32_t pppoe_code(uint8_t *b) { return tf_l2(b, 0x8863, BYTES(0x11, 0x33, 0, 0, 0, 0)); }
static uint32_t pppoe_tags(uint8_t *b)
{
    return tf_l2(b, 0x8863, BYTES(0x11, 0x09, 0, 0, 0, 6, 0x01, 0x01, 0x00, 0x10, 0, 0));
}
static uint32_t ppp_short(uint8_t *b) { b[0] = 0x21; return 1; }
static uint32_t ppp_ip4_short(uint8_t *b) { return pppoe(b, BYTES(0x00, 0x21, 0x45, 0, 0, 0)); }
static uint32_t ppp_ip6_short(uint8_t *b) { return pppoe(b, BYTES(0x00, 0x57, 0x60, 0, 0, 0)); }
static uint32_t ppp_wrong_type(uint8_t *b)
{
    return pppoe(b, BYTES(0x00, 0x21, 0x65, 0, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}
static uint32_t ppp_unsup(uint8_t *b) { return pppoe(b, BYTES(0x00, 0x31, 1, 2, 3, 4)); }
static uint32_t ppp_vj(uint8_t *b) { return pppoe(b, BYTES(0x00, 0x2d, 1, 2, 3, 4)); }
static uint32_t short10(uint8_t *b) { memset(b, 0, 10); return 10; }
static uint32_t null_short(uint8_t *b) { b[0] = 2; b[1] = 0; return 2; }
static uint32_t null_unsup(uint8_t *b)
{
    memcpy(b, (const uint8_t[]){7, 0, 0, 0}, 4);
    return 4 + tf_ipv4_hdr(b + 4, 253, 0);
}
static uint32_t raw_version(uint8_t *b) { memset(b, 0, 20); b[0] = 0x50; return 20; }
static uint32_t arp_short(uint8_t *b) { return tf_l2(b, 0x0806, BYTES(0, 1, 8, 0)); }
static uint32_t arp_with(uint8_t *b, uint16_t hw, uint16_t proto, uint8_t hs, uint8_t ps, uint16_t op)
{
    uint8_t a[28] = {0};
    tf_be16(a, hw);
    tf_be16(a + 2, proto);
    a[4] = hs;
    a[5] = ps;
    tf_be16(a + 6, op);
    return tf_l2(b, 0x0806, a, sizeof(a));
}
static uint32_t arp_hw(uint8_t *b) { return arp_with(b, 6, 0x0800, 6, 4, 1); }
static uint32_t arp_proto(uint8_t *b) { return arp_with(b, 1, 0x86dd, 6, 4, 1); }
static uint32_t arp_hsize(uint8_t *b) { return arp_with(b, 1, 0x0800, 5, 4, 1); }
static uint32_t arp_psize(uint8_t *b) { return arp_with(b, 1, 0x0800, 6, 16, 1); }
static uint32_t arp_opcode(uint8_t *b) { return arp_with(b, 1, 0x0800, 6, 4, 9); }
static uint32_t mpls_short(uint8_t *b) { return tf_l2(b, 0x8847, BYTES(0, 1)); }
static uint32_t mpls_empty(uint8_t *b) { return tf_l2(b, 0x8847, BYTES(0x00, 0x01, 0x01, 0x40)); }
static uint32_t mpls_unknown(uint8_t *b)
{
    return tf_l2(b, 0x8847, BYTES(0x00, 0x01, 0x01, 0x40, 0x50, 0, 0, 0));
}
static uint32_t mpls_label(uint8_t *b, uint8_t label)
{
    uint32_t n = tf_l2(b, 0x8847, BYTES(0x00, 0x00, 0x00, 0x40, 0x00, 0x01, 0x01, 0x40));
    b[16] = (uint8_t)(label << 4);
    return n + tf_ipv4_hdr(b + n, 253, 0);
}
static uint32_t mpls_implicit(uint8_t *b) { return mpls_label(b, 3); }
static uint32_t mpls_reserved(uint8_t *b) { return mpls_label(b, 5); }
static uint32_t ip4_short(uint8_t *b) { return tf_l2(b, 0x0800, BYTES(0x45, 0, 0, 10, 0, 0, 0, 0, 64, 6)); }
static uint32_t ip4_field(uint8_t *b, int off, uint8_t val)
{
    uint32_t n = tf_v4(b, 253, BYTES(0, 0, 0, 0));
    b[14 + off] = val;
    return n;
}
static uint32_t ip4_version(uint8_t *b) { return ip4_field(b, 0, 0x55); }
static uint32_t ip4_hlen(uint8_t *b) { return ip4_field(b, 0, 0x44); }
static uint32_t ip4_iplen(uint8_t *b) { return ip4_field(b, 3, 10); }
static uint32_t ip4_trunc(uint8_t *b) { return ip4_field(b, 3, 100); }
static uint32_t opt_malformed(uint8_t *b) { return v4opts(b, BYTES(0x01, 0x01, 0x01, 0x07)); }
static uint32_t opt_invalid_len(uint8_t *b) { return v4opts(b, BYTES(0x07, 0x01, 0, 0)); }
static uint32_t opt_unknown(uint8_t *b) { return v4opts(b, BYTES(0x1e, 0x04, 0, 0)); }
static uint32_t opt_dup(uint8_t *b) { return v4opts(b, BYTES(0x94, 4, 0, 0, 0x94, 4, 0, 0)); }
static uint32_t opt_invalid(uint8_t *b) { return v4opts(b, BYTES(0x94, 3, 0, 1)); }
static uint32_t ip4_icmpv6(uint8_t *b) { return tf_v4(b, 58, BYTES(128, 0, 0, 0, 0, 0, 0, 0)); }
static uint32_t ip6_short(uint8_t *b) { return tf_l2(b, 0x86dd, BYTES(0x60, 0, 0, 0, 0, 0, 59, 64)); }
static uint32_t ip6_version(uint8_t *b)
{
    uint32_t n = tf_v6(b, 59, BYTES(0));
    b[14] = 0x40;
    return n;
}
static uint32_t ip6_trunc(uint8_t *b)
{
    uint32_t n = tf_v6(b, 59, BYTES(0));
    b[14 + 5] = 100;
    return n;
}
static uint32_t ext_trunc(uint8_t *b) { return tf_v6(b, 0, BYTES(59, 0, 1, 0)); }
static uint32_t ext_dupl_hh(uint8_t *b)
{
    return tf_v6(b, 0, BYTES(0, 0, 1, 4, 0, 0, 0, 0, 59, 0, 1, 4, 0, 0, 0, 0));
}
static uint32_t ext_dupl_dh(uint8_t *b)
{
    return tf_v6(b, 60, BYTES(60, 0, 5, 2, 0, 0, 1, 0, 59, 0, 5, 2, 0, 0, 1, 0));
}
static uint32_t ext_dupl_rh(uint8_t *b)
{
    return tf_v6(b, 43, BYTES(43, 0, 2, 0, 0, 0, 0, 0, 59, 0, 2, 0, 0, 0, 0, 0));
}
static uint32_t ext_dupl_fh(uint8_t *b)
{
    return tf_v6(b, 44, BYTES(44, 0, 0, 0, 0, 0, 0, 1, 59, 0, 0, 0, 0, 0, 0, 1));
}
static uint32_t ext_dupl_ah(uint8_t *b)
{
    return tf_v6(b, 51, BYTES(51, 0, 0, 0, 0, 0, 0, 1, 59, 0, 0, 0, 0, 0, 0, 1));
}
static uint32_t ext_rh0(uint8_t *b) { return tf_v6(b, 43, BYTES(59, 0, 0, 0, 0, 0, 0, 0)); }
static uint32_t hop_unknown(uint8_t *b) { return tf_v6(b, 0, BYTES(59, 0, 0x3e, 4, 0, 0, 0, 0)); }
static uint32_t hop_padding(uint8_t *b) { return tf_v6(b, 0, BYTES(59, 0, 1, 4, 0, 0, 0, 0)); }
static uint32_t dst_unknown(uint8_t *b) { return tf_v6(b, 60, BYTES(59, 0, 0x3e, 4, 0, 0, 0, 0)); }
static uint32_t dst_padding(uint8_t *b) { return tf_v6(b, 60, BYTES(59, 0, 0, 0, 0, 0, 0, 0)); }
static uint32_t padn_zero(uint8_t *b) { return tf_v6(b, 0, BYTES(59, 0, 5, 2, 0, 0, 1, 0)); }
static uint32_t opt_overrun(uint8_t *b) { return tf_v6(b, 0, BYTES(59, 0, 5, 9, 0, 0, 0, 0)); }
static uint32_t fh_reserved(uint8_t *b) { return tf_v6(b, 44, BYTES(59, 1, 0, 0, 0, 0, 0, 1)); }
static uint32_t fh_useless(uint8_t *b) { return tf_v6(b, 44, BYTES(59, 0, 0, 0, 0, 0, 0, 1)); }
static uint32_t fh_length(uint8_t *b) { return tf_v6(b, 44, BYTES(17, 0, 0, 1, 0, 0, 0, 1, 1, 2, 3, 4)); }
static uint32_t ah_reserved(uint8_t *b) { return tf_v6(b, 51, BYTES(59, 0, 1, 0, 0, 0, 0, 1)); }
static uint32_t none_data(uint8_t *b) { return tf_v6(b, 59, BYTES(1, 2, 3, 4)); }
static uint32_t nh_unknown(uint8_t *b) { return tf_v6(b, 0x8f, BYTES(1, 2, 3, 4)); }
static uint32_t ip6_icmpv4(uint8_t *b) { return tf_v6(b, 1, BYTES(8, 0, 0, 0, 0, 0, 0, 0)); }
static uint32_t ip4in6_short(uint8_t *b) { return tf_v6(b, 4, BYTES(0x45, 0, 0, 0)); }
static uint32_t ip4in6_version(uint8_t *b)
{
    uint32_t n = tf_eth(b, 0x86dd);
    n += tf_ipv6_hdr(b + n, 4, 20);
    n += tf_ipv4_hdr(b + n, 253, 0);
    b[n - 20] = 0x65;
    return n;
}
static uint32_t ip6in6_short(uint8_t *b) { return tf_v6(b, 41, BYTES(0x60, 0, 0, 0)); }
static uint32_t ip6in6_version(uint8_t *b)
{
    uint32_t n = tf_eth(b, 0x86dd);
    n += tf_ipv6_hdr(b + n, 41, 40);
    n += tf_ipv6_hdr(b + n, 59, 0);
    b[n - 40] = 0x40;
    return n;
}
static uint32_t tcp_short(uint8_t *b) { return tf_v4(b, 6, BYTES(0x04, 0xd2, 0, 80, 0, 0, 0, 0, 0, 0)); }
static uint32_t tcp_hlen(uint8_t *b) { return tf_v4(b, 6, BYTES(TCP_HDR(0x60))); }
static uint32_t tcp_optlen(uint8_t *b) { return tf_v4(b, 6, BYTES(TCP_HDR(0x40))); }
static uint32_t tcp_opt_len(uint8_t *b) { return tf_v4(b, 6, BYTES(TCP_HDR(0x60), 2, 3, 0, 0)); }
static uint32_t tcp_opt_dup(uint8_t *b)
{
    return tf_v4(b, 6, BYTES(TCP_HDR(0x70), 2, 4, 5, 0xb4, 2, 4, 5, 0xb4));
}
static uint32_t udp_short(uint8_t *b) { return tf_v4(b, 17, BYTES(0x03, 0xe8, 0, 53)); }
static uint32_t udp_pkt_short(uint8_t *b) { return tf_v4(b, 17, BYTES(UDP_HDR(0, 20))); }
static uint32_t udp_trailing(uint8_t *b) { return tf_v4(b, 17, BYTES(UDP_HDR(0, 8), 1, 2, 3, 4)); }
static uint32_t udp_len(uint8_t *b) { return tf_v4(b, 17, BYTES(UDP_HDR(0, 4))); }
static uint32_t icmp4_short(uint8_t *b) { return tf_v4(b, 1, BYTES(8, 0, 0, 0)); }
static uint32_t icmp4_type(uint8_t *b) { return tf_v4(b, 1, BYTES(44, 0, 0, 0, 0, 0, 0, 0)); }
static uint32_t icmp4_code(uint8_t *b) { return tf_v4(b, 1, BYTES(0, 5, 0, 0, 0, 0, 0, 0)); }
static uint32_t icmp4_quote_short(uint8_t *b)
{
    return tf_v4(b, 1, BYTES(3, 1, 0, 0, 0, 0, 0, 0, 0x45, 0, 0, 0, 0, 0, 0, 0, 0, 0));
}
static uint32_t icmp4_quote_version(uint8_t *b)
{
    uint8_t icmp[36] = {3, 1};
    tf_ipv4_hdr(icmp + 8, 17, 8);
    icmp[8] = 0x65;
    return tf_v4(b, 1, icmp, sizeof(icmp));
}
static uint32_t icmp6(uint8_t *b, uint8_t type, uint8_t code)
{
    return tf_v6(b, 58, BYTES(type, code, 0, 0, 0, 0, 0, 0));
}
static uint32_t icmp6_short(uint8_t *b) { return tf_v6(b, 58, BYTES(128, 0, 0, 0)); }
static uint32_t icmp6_unknown(uint8_t *b) { return icmp6(b, 127, 0); }
static uint32_t icmp6_unassigned(uint8_t *b) { return icmp6(b, 50, 0); }
static uint32_t icmp6_exp(uint8_t *b) { return icmp6(b, 100, 0); }
static uint32_t icmp6_code(uint8_t *b) { return icmp6(b, 128, 1); }
static uint32_t icmp6_mld(uint8_t *b) { return icmp6(b, 130, 0); }
static uint32_t icmp6_quote_short(uint8_t *b)
{
    return tf_v6(b, 58, BYTES(1, 0, 0, 0, 0, 0, 0, 0, 0x60, 0, 0, 0));
}
static uint32_t icmp6_quote_version(uint8_t *b)
{
    uint8_t icmp[48] = {1, 0};
    tf_ipv6_hdr(icmp + 8, 59, 0);
    icmp[8] = 0x45;
    return tf_v6(b, 58, icmp, sizeof(icmp));
}
#define SCTP_HDR(vtag) 0x13, 0x88, 0x13, 0x89, 0, 0, 0, vtag, 0, 0, 0, 0
static uint32_t sctp_short(uint8_t *b) { return tf_v4(b, 132, BYTES(0x13, 0x88, 0x13, 0x89, 0, 0, 0, 0)); }
static uint32_t sctp_chunk_short(uint8_t *b) { return tf_v4(b, 132, BYTES(SCTP_HDR(1), 0, 0)); }
static uint32_t sctp_chunk_len(uint8_t *b) { return tf_v4(b, 132, BYTES(SCTP_HDR(1), 3, 0, 0, 2)); }
static uint32_t sctp_init_vtag(uint8_t *b) { return tf_v4(b, 132, BYTES(SCTP_HDR(1), 1, 0, 0, 4)); }
static uint32_t sctp_data_vtag(uint8_t *b) { return tf_v4(b, 132, BYTES(SCTP_HDR(0), 0, 0, 0, 4)); }
static uint32_t sctp_bundled(uint8_t *b)
{
    return tf_v4(b, 132, BYTES(SCTP_HDR(0), 1, 0, 0, 4, 3, 0, 0, 4));
}
static uint32_t esp_short(uint8_t *b) { return tf_v4(b, 50, BYTES(0, 0, 1, 0)); }
static uint32_t gre_short(uint8_t *b) { return tf_v4(b, 47, BYTES(0, 0)); }
static uint32_t gre(uint8_t *b, uint8_t f0, uint8_t f1, uint16_t proto)
{
    return tf_v4(b, 47, BYTES(f0, f1, (uint8_t)(proto >> 8), (uint8_t)proto, 0, 0, 0, 0));
}
static uint32_t gre_version(uint8_t *b) { return gre(b, 0, 2, 0x0800); }
static uint32_t gre0_recur(uint8_t *b) { return gre(b, 0x01, 0, 0x0800); }
static uint32_t gre0_flags(uint8_t *b) { return gre(b, 0, 0x08, 0x0800); }
static uint32_t gre0_big(uint8_t *b) { return tf_v4(b, 47, BYTES(0xb0, 0, 8, 0, 0, 0, 0, 0)); }
static uint32_t gre0_sre(uint8_t *b) { return tf_v4(b, 47, BYTES(0x40, 0, 8, 0, 0, 0, 0, 0, 8, 0, 0, 10)); }
static uint32_t gre1_chksum(uint8_t *b) { return gre(b, 0xa0, 0x01, 0x880b); }
static uint32_t gre1_route(uint8_t *b) { return gre(b, 0x60, 0x01, 0x880b); }
static uint32_t gre1_ssr(uint8_t *b) { return gre(b, 0x28, 0x01, 0x880b); }
static uint32_t gre1_recur(uint8_t *b) { return gre(b, 0x21, 0x01, 0x880b); }
static uint32_t gre1_flags(uint8_t *b) { return gre(b, 0x20, 0x09, 0x880b); }
static uint32_t gre1_proto(uint8_t *b) { return gre(b, 0x20, 0x01, 0x0800); }
static uint32_t gre1_nokey(uint8_t *b) { return gre(b, 0x00, 0x01, 0x880b); }
static uint32_t gre1_big(uint8_t *b) { return gre(b, 0x30, 0x01, 0x880b); }
static uint32_t erspan_short(uint8_t *b) { return erspan(b, BYTES(0x10, 0, 0, 0)); }
static uint32_t erspan_version(uint8_t *b) { return erspan(b, BYTES(0x20, 0, 0, 0, 0, 0, 0, 0)); }
static uint32_t erspan_vlans(uint8_t *b)
{
    uint8_t inner[256];
    const uint32_t n = erspan(inner, BYTES(0x10, 5, 0, 0, 0, 0, 0, 0));
    uint32_t m = tf_l2(b, 0x8100, BYTES(0, 1, 0x81, 0, 0, 2, 0x81, 0, 0, 3));
    memcpy(b + m, inner + 12, n - 12);
    return m + n - 12;
}
static uint32_t vxlan_payload(uint8_t *b)
{
    return tf_v4(b, 17, BYTES(0x03, 0xe8, 0x12, 0xb5, 0, 30, 0, 0, 8, 0, 0, 0, 0, 0, 1, 0,
                              0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 2, 0x12, 0x34));
}
static uint32_t geneve_payload(uint8_t *b)
{
    return tf_v4(b, 17, BYTES(0x03, 0xe8, 0x17, 0xc1, 0, 20, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 1, 0,
                              1, 2, 3, 4));
}

#define EV(id, inv, fn) {DECODE_EV_##id, inv, DECODE_LINKTYPE_ETHERNET, fn}
#define EVL(id, inv, lt, fn) {DECODE_EV_##id, inv, lt, fn}

static const struct event_case cases[] = {
    EV(ETHERNET_PKT_TOO_SMALL, true, eth_short),
    EV(ETHERNET_UNKNOWN_ETHERTYPE, false, eth_unknown),
    EV(VLAN_HEADER_TOO_SMALL, true, vlan_short),
    EV(VLAN_TOO_MANY_LAYERS, true, vlan_too_many),
    EV(PPPOE_PKT_TOO_SMALL, true, pppoe_short),
    EV(PPPOE_WRONG_CODE, true, pppoe_code),
    EV(PPPOE_MALFORMED_TAGS, true, pppoe_tags),
    EVL(PPP_PKT_TOO_SMALL, true, DECODE_LINKTYPE_PPP, ppp_short),
    EV(PPP_IP4_PKT_TOO_SMALL, true, ppp_ip4_short),
    EV(PPP_IP6_PKT_TOO_SMALL, true, ppp_ip6_short),
    EV(PPP_WRONG_TYPE, true, ppp_wrong_type),
    EV(PPP_UNSUP_PROTO, true, ppp_unsup),
    EV(PPP_VJU_PKT_TOO_SMALL, true, ppp_vj),
    EVL(SLL_PKT_TOO_SMALL, true, DECODE_LINKTYPE_LINUX_SLL, short10),
    EVL(SLL2_PKT_TOO_SMALL, true, DECODE_LINKTYPE_LINUX_SLL2, short10),
    EVL(LTNULL_PKT_TOO_SMALL, true, DECODE_LINKTYPE_NULL, null_short),
    EVL(LTNULL_UNSUPPORTED_TYPE, true, DECODE_LINKTYPE_NULL, null_unsup),
    EVL(IPRAW_INVALID_IP_VERSION, true, DECODE_LINKTYPE_RAW, raw_version),
    EV(ARP_PKT_TOO_SMALL, true, arp_short),
    EV(ARP_UNSUPPORTED_HARDWARE, true, arp_hw),
    EV(ARP_UNSUPPORTED_PROTOCOL, true, arp_proto),
    EV(ARP_INVALID_HARDWARE_SIZE, true, arp_hsize),
    EV(ARP_INVALID_PROTOCOL_SIZE, true, arp_psize),
    EV(ARP_UNSUPPORTED_OPCODE, true, arp_opcode),
    EV(MPLS_HEADER_TOO_SMALL, true, mpls_short),
    EV(MPLS_PKT_TOO_SMALL, true, mpls_empty),
    EV(MPLS_UNKNOWN_PAYLOAD_TYPE, true, mpls_unknown),
    EV(MPLS_BAD_LABEL_IMPLICIT_NULL, false, mpls_implicit),
    EV(MPLS_BAD_LABEL_RESERVED, false, mpls_reserved),
    EV(IPV4_PKT_TOO_SMALL, true, ip4_short),
    EV(IPV4_WRONG_IP_VERSION, true, ip4_version),
    EV(IPV4_HLEN_TOO_SMALL, true, ip4_hlen),
    EV(IPV4_IPLEN_SMALLER_THAN_HLEN, true, ip4_iplen),
    EV(IPV4_TRUNC_PKT, true, ip4_trunc),
    EV(IPV4_OPT_MALFORMED, true, opt_malformed),
    EV(IPV4_OPT_INVALID_LEN, true, opt_invalid_len),
    EV(IPV4_OPT_UNKNOWN, false, opt_unknown),
    EV(IPV4_OPT_DUPLICATE, false, opt_dup),
    EV(IPV4_OPT_INVALID, true, opt_invalid),
    EV(IPV4_ICMPV6, true, ip4_icmpv6),
    EV(IPV6_PKT_TOO_SMALL, true, ip6_short),
    EV(IPV6_WRONG_IP_VERSION, true, ip6_version),
    EV(IPV6_TRUNC_PKT, true, ip6_trunc),
    EV(IPV6_TRUNC_EXTHDR, true, ext_trunc),
    EV(IPV6_EXTHDR_DUPL_HH, false, ext_dupl_hh),
    EV(IPV6_EXTHDR_DUPL_DH, false, ext_dupl_dh),
    EV(IPV6_EXTHDR_DUPL_RH, false, ext_dupl_rh),
    EV(IPV6_EXTHDR_DUPL_FH, false, ext_dupl_fh),
    EV(IPV6_EXTHDR_DUPL_AH, false, ext_dupl_ah),
    EV(IPV6_RH_TYPE_0, false, ext_rh0),
    EV(IPV6_HOPOPTS_UNKNOWN_OPT, false, hop_unknown),
    EV(IPV6_HOPOPTS_ONLY_PADDING, false, hop_padding),
    EV(IPV6_DSTOPTS_UNKNOWN_OPT, false, dst_unknown),
    EV(IPV6_DSTOPTS_ONLY_PADDING, false, dst_padding),
    EV(IPV6_ZERO_LEN_PADN, false, padn_zero),
    EV(IPV6_EXTHDR_INVALID_OPTLEN, false, opt_overrun),
    EV(IPV6_FH_NON_ZERO_RESERVED_FIELD, false, fh_reserved),
    EV(IPV6_EXTHDR_USELESS_FH, false, fh_useless),
    EV(IPV6_FRAG_INVALID_LENGTH, true, fh_length),
    EV(IPV6_EXTHDR_AH_RES_NOT_NULL, false, ah_reserved),
    EV(IPV6_DATA_AFTER_NONE_HEADER, false, none_data),
    EV(IPV6_UNKNOWN_NEXT_HEADER, false, nh_unknown),
    EV(IPV6_ICMPV4, true, ip6_icmpv4),
    EV(IPV6_IPV4_IN_IPV6_TOO_SMALL, true, ip4in6_short),
    EV(IPV6_IPV4_IN_IPV6_WRONG_VERSION, true, ip4in6_version),
    EV(IPV6_IPV6_IN_IPV6_TOO_SMALL, true, ip6in6_short),
    EV(IPV6_IPV6_IN_IPV6_WRONG_VERSION, true, ip6in6_version),
    EV(TCP_PKT_TOO_SMALL, true, tcp_short),
    EV(TCP_HLEN_TOO_SMALL, true, tcp_hlen),
    EV(TCP_INVALID_OPTLEN, true, tcp_optlen),
    EV(TCP_OPT_INVALID_LEN, false, tcp_opt_len),
    EV(TCP_OPT_DUPLICATE, false, tcp_opt_dup),
    EV(UDP_HLEN_TOO_SMALL, true, udp_short),
    EV(UDP_PKT_TOO_SMALL, true, udp_pkt_short),
    EV(UDP_HLEN_INVALID, false, udp_trailing),
    EV(UDP_LEN_INVALID, true, udp_len),
    EV(ICMPV4_PKT_TOO_SMALL, true, icmp4_short),
    EV(ICMPV4_UNKNOWN_TYPE, false, icmp4_type),
    EV(ICMPV4_UNKNOWN_CODE, false, icmp4_code),
    EV(ICMPV4_IPV4_TRUNC_PKT, false, icmp4_quote_short),
    EV(ICMPV4_IPV4_UNKNOWN_VER, false, icmp4_quote_version),
    EV(ICMPV6_PKT_TOO_SMALL, true, icmp6_short),
    EV(ICMPV6_UNKNOWN_TYPE, false, icmp6_unknown),
    EV(ICMPV6_UNASSIGNED_TYPE, false, icmp6_unassigned),
    EV(ICMPV6_EXPERIMENTATION_TYPE, false, icmp6_exp),
    EV(ICMPV6_UNKNOWN_CODE, false, icmp6_code),
    EV(ICMPV6_MLD_MESSAGE_WITH_INVALID_HL, false, icmp6_mld),
    EV(ICMPV6_IPV6_TRUNC_PKT, false, icmp6_quote_short),
    EV(ICMPV6_IPV6_UNKNOWN_VERSION, false, icmp6_quote_version),
    EV(SCTP_PKT_TOO_SMALL, true, sctp_short),
    EV(SCTP_CHUNK_TOO_SMALL, false, sctp_chunk_short),
    EV(SCTP_CHUNK_LEN_INVALID, false, sctp_chunk_len),
    EV(SCTP_INIT_WITH_NON_ZERO_VTAG, false, sctp_init_vtag),
    EV(SCTP_DATA_WITH_ZERO_VTAG, false, sctp_data_vtag),
    EV(SCTP_INIT_CHUNK_BUNDLED, false, sctp_bundled),
    EV(ESP_PKT_TOO_SMALL, true, esp_short),
    EV(GRE_PKT_TOO_SMALL, true, gre_short),
    EV(GRE_WRONG_VERSION, true, gre_version),
    EV(GRE_VERSION0_RECUR, true, gre0_recur),
    EV(GRE_VERSION0_FLAGS, true, gre0_flags),
    EV(GRE_VERSION0_HDR_TOO_BIG, true, gre0_big),
    EV(GRE_VERSION0_MALFORMED_SRE_HDR, true, gre0_sre),
    EV(GRE_VERSION1_CHKSUM, true, gre1_chksum),
    EV(GRE_VERSION1_ROUTE, true, gre1_route),
    EV(GRE_VERSION1_SSR, true, gre1_ssr),
    EV(GRE_VERSION1_RECUR, true, gre1_recur),
    EV(GRE_VERSION1_FLAGS, true, gre1_flags),
    EV(GRE_VERSION1_WRONG_PROTOCOL, true, gre1_proto),
    EV(GRE_VERSION1_NO_KEY, true, gre1_nokey),
    EV(GRE_VERSION1_HDR_TOO_BIG, true, gre1_big),
    EV(ERSPAN_HEADER_TOO_SMALL, true, erspan_short),
    EV(ERSPAN_UNSUPPORTED_VERSION, true, erspan_version),
    EV(ERSPAN_TOO_MANY_VLAN_LAYERS, true, erspan_vlans),
    EV(VXLAN_UNKNOWN_PAYLOAD_TYPE, false, vxlan_payload),
    EV(GENEVE_UNKNOWN_PAYLOAD_TYPE, false, geneve_payload),
};

static bool packet_has_event(const struct packet *p, enum decode_event ev)
{
    for (uint8_t i = 0; i < p->event_count; i++)
        if (p->events[i] == ev)
            return true;
    return false;
}

static void test_each_event(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct event_case *c = &cases[i];
        uint8_t frame[512];
        struct decode_ctx ctx;
        struct packet p;
        decode_ctx_init(&ctx, NULL);
        const uint32_t len = c->build(frame);
        tf_decode(&ctx, &p, c->linktype, frame, len);
        print_message("%-40s invalid=%d\n", decode_event_name(c->ev), !!(p.flags & PKT_INVALID));
        assert_int_equal(ctx.stats.events[c->ev], 1);
        assert_true(packet_has_event(&p, c->ev));
        assert_int_equal(!!(p.flags & PKT_INVALID), c->invalid);
        assert_int_equal(ctx.stats.invalid, c->invalid ? 1 : 0);
        if (c->invalid)
            assert_false(p.flags & (PKT_HAS_FLOW_KEY | PKT_ICMP_ERROR));
    }
}

static void test_event_names_match_stats(void **state)
{
    (void)state;
    assert_string_equal(decode_event_name(DECODE_EV_IPV4_TRUNC_PKT), "ipv4.trunc_pkt");
    assert_null(decode_event_name(DECODE_EVENT_COUNT));
    size_t events = 0;
    for (size_t i = 0; i < decode_stats_field_count; i++) {
        const char *name = decode_stats_fields[i].name;
        assert_memory_equal(name, "decoder.", 8);
        if (strncmp(name, "decoder.event.", 14) != 0)
            continue;
        const size_t idx = (decode_stats_fields[i].offset - offsetof(struct decode_stats, events)) /
                           sizeof(uint64_t);
        assert_string_equal(name + 14, decode_event_name((enum decode_event)idx));
        events++;
    }
    assert_int_equal(events, DECODE_EVENT_COUNT);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_each_event),
        cmocka_unit_test(test_event_names_match_stats),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
