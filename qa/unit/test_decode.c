/* Decoder good paths: flow keys, ports, ICMP pairing and errors, VLANs,
 * fragments, tunnels and link types, on hand-built frames. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "test_decode_frames.h"

#define TCP_SYN_OPTS                                                                   \
    0x04, 0xd2, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0xa0, 0x02, 0x72, 0x10, 0, 0, 0, 0, \
        2, 4, 0x05, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7
#define UDP_DNS 0x03, 0xe8, 0x00, 0x35, 0, 12, 0, 0, 1, 2, 3, 4

static struct decode_ctx ctx;
static struct packet p;
static uint8_t frame[512];

static int setup(void **state)
{
    (void)state;
    decode_ctx_init(&ctx, NULL);
    memset(frame, 0, sizeof(frame));
    return 0;
}

static void assert_v4_key(const struct packet *pk, uint8_t proto, uint16_t sp, uint16_t dp)
{
    assert_true(pk->flags & PKT_HAS_FLOW_KEY);
    assert_false(pk->flags & PKT_INVALID);
    assert_int_equal(pk->ip_version, 4);
    assert_int_equal(pk->proto, proto);
    assert_int_equal(pk->sp, sp);
    assert_int_equal(pk->dp, dp);
    const uint8_t src[4] = {10, 0, 0, 1}, dst[4] = {10, 0, 0, 2};
    assert_memory_equal(pk->src.b, src, 4);
    assert_memory_equal(pk->dst.b, dst, 4);
    assert_int_equal(pk->src.w[1] | pk->src.w[2] | pk->src.w[3], 0);
}

static void test_tcp_syn_options(void **state)
{
    (void)state;
    uint32_t len = tf_v4(frame, 6, BYTES(TCP_SYN_OPTS));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len + 6); /* + Ethernet padding */
    assert_v4_key(&p, 6, 1234, 80);
    assert_int_equal(p.tcp_flags, 0x02);
    assert_int_equal(p.tcp_mss, 1460);
    assert_int_equal(p.tcp_wscale, 7);
    assert_true(p.tcp_sack_permitted);
    assert_true(p.tcp_has_timestamps);
    assert_int_equal(p.tcp_seq, 1);
    assert_int_equal(p.tcp_window, 0x7210);
    assert_int_equal(p.l2_len, 14);
    assert_int_equal(p.l3_len, 20 + 40);
    assert_int_equal(p.flow_bytes, len + 6);
    assert_int_equal(p.payload_len, 0);
    assert_int_equal(p.event_count, 0);
    assert_int_equal(ctx.stats.pkts, 1);
    assert_int_equal(ctx.stats.bytes, len + 6);
    assert_int_equal(ctx.stats.tcp, 1);
}

static void test_tcp_without_options(void **state)
{
    (void)state;
    uint32_t len = tf_v4(frame, 6, BYTES(0, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, 0x10, 0, 0, 0, 0, 0, 0, 'x'));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 6, 1, 2);
    assert_int_equal(p.tcp_wscale, 0xff);
    assert_int_equal(p.tcp_mss, 0);
    assert_int_equal(p.payload_len, 1);
    assert_int_equal(p.payload[0], 'x');
}

static void test_udp_key(void **state)
{
    (void)state;
    uint32_t len = tf_v4(frame, 17, BYTES(UDP_DNS));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 17, 1000, 53);
    assert_int_equal(p.payload_len, 4);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_NONE);
}

static void test_icmp_counterparts(void **state)
{
    (void)state;
    uint32_t len = tf_v4(frame, 1, BYTES(8, 0, 0, 0, 0, 1, 0, 1));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 1, 8, 0);
    assert_int_equal(p.icmp_type, 8);
    len = tf_v4(frame, 1, BYTES(13, 0, 0, 0, 0, 1, 0, 1));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 1, 13, 14);
    len = tf_v4(frame, 1, BYTES(42, 0, 0, 0, 0, 0, 0, 0));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 1, 42, 42);
    len = tf_v6(frame, 58, BYTES(129, 0, 0, 0, 0, 0, 0, 0));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_true(p.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(p.sp, 129);
    assert_int_equal(p.dp, 128);
    assert_int_equal(p.dst.b[15], 2);
}

static void test_icmp_error_embedded(void **state)
{
    (void)state;
    uint8_t icmp[8 + 28] = {3, 3};
    tf_ipv4_hdr(icmp + 8, 17, 8);
    memcpy(icmp + 28, (const uint8_t[]){0xe3, 0x4a, 0x00, 0x35, 0, 8, 0, 0}, 8);
    uint32_t len = tf_v4(frame, 1, icmp, sizeof(icmp));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_true(p.flags & PKT_ICMP_ERROR);
    assert_false(p.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(p.embedded.proto, 17);
    assert_int_equal(p.embedded.ip_version, 4);
    assert_int_equal(p.embedded.sp, 0xe34a);
    assert_int_equal(p.embedded.dp, 53);
    assert_int_equal(p.embedded.src.b[3], 1);
    assert_int_equal(p.embedded.dst.b[3], 2);
    assert_int_equal(p.event_count, 0);
}

static void test_icmpv6_error_is_flow(void **state)
{
    (void)state;
    uint8_t icmp[8 + 40] = {1, 4};
    tf_ipv6_hdr(icmp + 8, 59, 0);
    uint32_t len = tf_v6(frame, 58, icmp, sizeof(icmp));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_true(p.flags & PKT_HAS_FLOW_KEY);
    assert_false(p.flags & PKT_ICMP_ERROR);
    assert_int_equal(p.sp, 1);
    assert_int_equal(p.dp, 1);
}

static void test_qinq_ids(void **state)
{
    (void)state;
    uint32_t n = tf_l2(frame, 0x88a8, BYTES(0x00, 100, 0x81, 0x00, 0x20, 200, 0x08, 0x00));
    n += tf_ipv4_hdr(frame + n, 17, 12);
    memcpy(frame + n, (const uint8_t[]){UDP_DNS}, 12);
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, n + 12);
    assert_v4_key(&p, 17, 1000, 53);
    assert_int_equal(p.vlan_count, 2);
    assert_int_equal(p.vlan_id[0], 100);
    assert_int_equal(p.vlan_id[1], 200);
    assert_int_equal(p.l2_len, 22);
    assert_int_equal(ctx.stats.vlan, 1);
    assert_int_equal(ctx.stats.vlan_qinq, 1);
}

static void test_ipv4_fragment(void **state)
{
    (void)state;
    uint32_t len = tf_v4(frame, 6, BYTES(TCP_SYN_OPTS));
    frame[14 + 6] = 0x20; /* MF */
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_true(p.flags & PKT_IS_FRAGMENT);
    assert_false(p.flags & PKT_HAS_FLOW_KEY);
    assert_ptr_equal(p.l3, frame + 14);
    assert_int_equal(p.l3_len, 60);
    assert_int_equal(ctx.stats.ipv4, 1);
    assert_int_equal(ctx.stats.tcp, 0);
}

static void test_ipv6_fragments(void **state)
{
    (void)state;
    uint32_t len = tf_v6(frame, 44, BYTES(17, 0, 0, 1, 0, 0, 0, 7, UDP_DNS, 0, 0, 0, 0));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_true(p.flags & PKT_IS_FRAGMENT);
    assert_false(p.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(p.proto, 17);
    /* An atomic fragment (offset 0, no MF) decodes like a whole packet. */
    len = tf_v6(frame, 44, BYTES(17, 0, 0, 0, 0, 0, 0, 7, UDP_DNS));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_false(p.flags & PKT_IS_FRAGMENT);
    assert_true(p.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(p.dp, 53);
}

static void test_ipv6_exthdr_chain(void **state)
{
    (void)state;
    /* Hop-by-hop with router alert + PadN(2), then destination options, then UDP. */
    uint32_t len = tf_v6(frame, 0, BYTES(60, 0, 5, 2, 0, 0, 1, 0, 17, 0, 0xc9, 0, 1, 2, 0, 0, UDP_DNS));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_true(p.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(p.proto, 17);
    assert_int_equal(p.sp, 1000);
    assert_int_equal(p.l3_len, 40 + 28);
}

static void test_esp_and_igmp(void **state)
{
    (void)state;
    uint32_t len = tf_v4(frame, 50, BYTES(0, 0, 1, 0, 0, 0, 0, 1, 9, 9));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 50, 0, 0);
    len = tf_v4(frame, 2, BYTES(0x11, 0, 0, 0, 0, 0, 0, 0));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_false(p.flags & (PKT_HAS_FLOW_KEY | PKT_INVALID));
    assert_int_equal(ctx.stats.igmp, 1);
}

/* VLAN 7, IPv4 GRE carrying IPv4/UDP, with 6 bytes of Ethernet padding. */
static uint32_t gre_frame(uint8_t *b)
{
    uint8_t inner[28 + 4];
    tf_ipv4_hdr(inner, 17, 12);
    memcpy(inner + 20, (const uint8_t[]){UDP_DNS}, 12);
    uint32_t n = tf_l2(b, 0x8100, BYTES(0, 7, 0x08, 0x00));
    n += tf_ipv4_hdr(b + n, 47, 4 + 32);
    memcpy(b + n, (const uint8_t[]){0, 0, 0x08, 0x00}, 4);
    memcpy(b + n + 4, inner, 32);
    return n + 36 + 6;
}

static void test_gre_tunnel(void **state)
{
    (void)state;
    uint32_t len = gre_frame(frame);
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_false(p.flags & (PKT_HAS_FLOW_KEY | PKT_INVALID));
    assert_int_equal(p.proto, 47);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_IPV4);
    assert_int_equal(p.tunnel_offset, 18 + 20 + 4);
    struct packet in;
    memset(&in, 0, sizeof(in));
    decode_tunnel_inner(&ctx, &p, &in);
    assert_int_equal(in.len, 32); /* datagram end, not the padded frame end */
    assert_int_equal(in.flow_bytes, 32);
    assert_true(in.flags & PKT_IS_TUNNEL_INNER);
    assert_int_equal(in.recursion_level, 1);
    assert_int_equal(in.linktype, DECODE_LINKTYPE_TUNNEL_IPV4);
    assert_int_equal(in.tunnel.proto, 47);
    assert_int_equal(in.tunnel.depth, 1);
    assert_int_equal(in.vlan_count, 1);
    assert_int_equal(in.vlan_id[0], 7);
    assert_v4_key(&in, 17, 1000, 53);
    assert_int_equal(ctx.stats.pkts, 1);
    assert_int_equal(ctx.stats.ipv4, 2);
}

static void test_tunnel_recursion_cap(void **state)
{
    (void)state;
    uint32_t len = gre_frame(frame);
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    p.recursion_level = PACKET_MAX_RECURSION;
    struct packet in;
    decode_tunnel_inner(&ctx, &p, &in);
    assert_true(in.flags & PKT_INVALID);
    assert_false(in.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(ctx.stats.too_many_layers, 1);
}

static void test_vxlan_tunnel(void **state)
{
    (void)state;
    uint8_t udp[8 + 8 + 14 + 28];
    memcpy(udp, (const uint8_t[]){0xc0, 0x00, 0x12, 0xb5, 0, sizeof(udp), 0, 0, 8, 0, 0, 0, 0, 0, 1, 0}, 16);
    tf_eth(udp + 16, 0x0800);
    tf_ipv4_hdr(udp + 30, 17, 8);
    memcpy(udp + 50, (const uint8_t[]){0, 7, 0, 9, 0, 8, 0, 0}, 8);
    uint32_t len = tf_v4(frame, 17, udp, sizeof(udp));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 17, 0xc000, 4789);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_ETHERNET);
    assert_int_equal(p.tunnel_offset, 14 + 20 + 16);
    struct packet in;
    decode_tunnel_inner(&ctx, &p, &in);
    assert_int_equal(in.linktype, DECODE_LINKTYPE_TUNNEL_ETHERNET);
    assert_v4_key(&in, 17, 7, 9);
    assert_int_equal(in.tunnel.dp, 4789);
    assert_int_equal(ctx.stats.vxlan, 1);
}

static uint32_t teredo_frame(uint8_t *b, uint8_t first)
{
    uint8_t udp[8 + 40];
    memcpy(udp, (const uint8_t[]){0x0d, 0xd8, 0x0e, 0xd5, 0, sizeof(udp), 0, 0}, 8);
    tf_ipv6_hdr(udp + 8, 59, 0);
    udp[8] = first;
    return tf_v4(b, 17, udp, sizeof(udp));
}

static void test_teredo_heuristics(void **state)
{
    (void)state;
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, teredo_frame(frame, 0x60));
    assert_true(p.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_IPV6);
    assert_int_equal(p.tunnel_offset, 14 + 20 + 8);
    /* Not an IPv6 header where one should be: plain UDP. */
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, teredo_frame(frame, 0x45));
    assert_true(p.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_NONE);
    assert_int_equal(ctx.stats.teredo, 1);
}

/* Teredo with an authentication indicator (client id 2 bytes, no auth
 * value) and an origin indication before an IPv6 bubble (next header 59). */
static uint32_t teredo_auth_frame(uint8_t *b, uint8_t auth_type)
{
    uint8_t udp[8 + 15 + 8 + 40];
    memcpy(udp, (const uint8_t[]){0x0d, 0xd8, 0x0e, 0xd5, 0, sizeof(udp), 0, 0}, 8);
    const uint8_t auth[15] = {0x00, auth_type, 2, 0, 0xaa, 0xbb, 1, 2, 3, 4, 5, 6, 7, 8, 0};
    memcpy(udp + 8, auth, sizeof(auth));
    memcpy(udp + 23, (const uint8_t[]){0, 0, 0x12, 0x34, 1, 2, 3, 4}, 8);
    tf_ipv6_hdr(udp + 31, 59, 0);
    return tf_v4(b, 17, udp, sizeof(udp));
}

static void test_teredo_authentication_and_bubble(void **state)
{
    (void)state;
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, teredo_auth_frame(frame, 1));
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_IPV6);
    assert_int_equal(p.tunnel_offset, 14 + 20 + 8 + 15 + 8);
    struct packet in;
    decode_tunnel_inner(&ctx, &p, &in);
    assert_int_equal(in.ip_version, 6);
    assert_int_equal(in.proto, 59);
    assert_true(in.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(in.sp, 0);
    /* Indicator type 0x0002 is not Teredo: plain UDP. */
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, teredo_auth_frame(frame, 2));
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_NONE);
}

/* Geneve with one 4-byte option, carrying IPv4/UDP 7 -> 9. */
static void test_geneve_tunnel(void **state)
{
    (void)state;
    uint8_t udp[8 + 12 + 28];
    memcpy(udp, (const uint8_t[]){0xc0, 0x01, 0x17, 0xc1, 0, sizeof(udp), 0, 0}, 8);
    memcpy(udp + 8, (const uint8_t[]){0x01, 0x00, 0x08, 0x00, 0, 0, 1, 0, 0x01, 0x02, 0x03, 0x00}, 12);
    tf_ipv4_hdr(udp + 20, 17, 8);
    memcpy(udp + 40, (const uint8_t[]){0, 7, 0, 9, 0, 8, 0, 0}, 8);
    uint32_t len = tf_v4(frame, 17, udp, sizeof(udp));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 17, 0xc001, 6081);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_IPV4);
    assert_int_equal(p.tunnel_offset, 14 + 20 + 8 + 12);
    struct packet in;
    decode_tunnel_inner(&ctx, &p, &in);
    assert_v4_key(&in, 17, 7, 9);
    assert_int_equal(in.tunnel.dp, 6081);
    assert_int_equal(ctx.stats.geneve, 1);
}

/* GRE with a sequence number and ERSPAN type II (session VLAN 5) carrying
 * an Ethernet frame with IPv4/TCP 1234 -> 80. */
static void test_erspan_ii_tunnel(void **state)
{
    (void)state;
    uint8_t gre[8 + 8 + 14 + 40];
    memcpy(gre, (const uint8_t[]){0x10, 0x00, 0x88, 0xbe, 0, 0, 0, 1}, 8);
    memcpy(gre + 8, (const uint8_t[]){0x10, 0x05, 0x00, 0x01, 0, 0, 0, 0}, 8);
    tf_eth(gre + 16, 0x0800);
    tf_ipv4_hdr(gre + 30, 6, 20);
    memset(gre + 50, 0, 20);
    memcpy(gre + 50, (const uint8_t[]){0x04, 0xd2, 0x00, 0x50}, 4);
    gre[62] = 5 << 4;
    gre[63] = 0x02;
    uint32_t len = tf_v4(frame, 47, gre, sizeof(gre));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_false(p.flags & PKT_HAS_FLOW_KEY); /* GRE itself makes no flow */
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_ETHERNET);
    assert_int_equal(p.tunnel_offset, 14 + 20 + 16);
    struct packet in;
    decode_tunnel_inner(&ctx, &p, &in);
    assert_v4_key(&in, 6, 1234, 80);
    assert_int_equal(in.tcp_flags, 0x02);
    assert_int_equal(in.vlan_count, 1);
    assert_int_equal(in.vlan_id[0], 5);
    assert_int_equal(ctx.stats.erspan, 1);
}

/* IPv6 in IPv4 (protocol 41): the outer makes a flow, the inner is IPv6. */
static void test_ipv6_in_ipv4_tunnel(void **state)
{
    (void)state;
    uint8_t inner[40 + 8];
    tf_ipv6_hdr(inner, 17, 8);
    memcpy(inner + 40, (const uint8_t[]){0, 5, 0, 6, 0, 8, 0, 0}, 8);
    uint32_t len = tf_v4(frame, 41, inner, sizeof(inner));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 41, 0, 0);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_IPV6);
    struct packet in;
    decode_tunnel_inner(&ctx, &p, &in);
    assert_true(in.flags & PKT_HAS_FLOW_KEY);
    assert_int_equal(in.ip_version, 6);
    assert_int_equal(in.proto, 17);
    assert_int_equal(in.sp, 5);
    assert_int_equal(in.flow_bytes, sizeof(inner));
    assert_int_equal(in.tunnel.proto, 41);
}

static void test_ipip_outer_key(void **state)
{
    (void)state;
    uint8_t inner[20 + 8];
    tf_ipv4_hdr(inner, 1, 8);
    memcpy(inner + 20, (const uint8_t[]){8, 0, 0, 0, 0, 1, 0, 1}, 8);
    uint32_t len = tf_v4(frame, 4, inner, sizeof(inner));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    assert_v4_key(&p, 4, 0, 0);
    assert_int_equal(p.tunnel_type, PACKET_TUNNEL_IPV4);
    struct packet in;
    decode_tunnel_inner(&ctx, &p, &in);
    assert_v4_key(&in, 1, 8, 0);
    assert_int_equal(ctx.stats.ipv4_in_ipv4, 1);
}

static void test_pppoe_session(void **state)
{
    (void)state;
    uint8_t ppp[2 + 32] = {0x00, 0x21};
    tf_ipv4_hdr(ppp + 2, 17, 12);
    memcpy(ppp + 22, (const uint8_t[]){UDP_DNS}, 12);
    uint32_t n = tf_l2(frame, 0x8864, BYTES(0x11, 0x00, 0x12, 0x34, 0, sizeof(ppp)));
    memcpy(frame + n, ppp, sizeof(ppp));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, n + sizeof(ppp));
    assert_v4_key(&p, 17, 1000, 53);
    assert_int_equal(p.l2_len, 14 + 8);
    assert_int_equal(ctx.stats.pppoe, 1);
}

static void test_link_types(void **state)
{
    (void)state;
    uint8_t ip[32];
    tf_ipv4_hdr(ip, 17, 12);
    memcpy(ip + 20, (const uint8_t[]){UDP_DNS}, 12);

    memset(frame, 0, 20);
    tf_be16(frame + 14, 0x0800);
    memcpy(frame + 16, ip, sizeof(ip));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_LINUX_SLL, frame, 16 + sizeof(ip));
    assert_v4_key(&p, 17, 1000, 53);

    memset(frame, 0, 20);
    tf_be16(frame, 0x0800);
    memcpy(frame + 20, ip, sizeof(ip));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_LINUX_SLL2, frame, 20 + sizeof(ip));
    assert_v4_key(&p, 17, 1000, 53);

    memcpy(frame, (const uint8_t[]){2, 0, 0, 0}, 4);
    memcpy(frame + 4, ip, sizeof(ip));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_NULL, frame, 4 + sizeof(ip));
    assert_v4_key(&p, 17, 1000, 53);
    memcpy(frame, (const uint8_t[]){0, 0, 0, 2}, 4);
    tf_decode(&ctx, &p, DECODE_LINKTYPE_LOOP, frame, 4 + sizeof(ip));
    assert_v4_key(&p, 17, 1000, 53);

    tf_decode(&ctx, &p, DECODE_LINKTYPE_RAW_101, ip, sizeof(ip));
    assert_v4_key(&p, 17, 1000, 53);
    assert_int_equal(p.l2_len, 0);
    tf_decode(&ctx, &p, DECODE_LINKTYPE_IPV4, ip, sizeof(ip));
    assert_v4_key(&p, 17, 1000, 53);
    assert_int_equal(ctx.stats.sll + ctx.stats.sll2 + ctx.stats.null + ctx.stats.raw, 5);
}

static void test_reset_keeps_inherited_state(void **state)
{
    (void)state;
    uint32_t len = tf_v4(frame, 6, BYTES(TCP_SYN_OPTS));
    tf_decode(&ctx, &p, DECODE_LINKTYPE_ETHERNET, frame, len);
    p.flags |= PKT_IS_REASSEMBLED;
    p.recursion_level = 2;
    p.tunnel.depth = 2;
    p.vlan_count = 3;
    p.linktype = DECODE_LINKTYPE_ETHERNET;
    decode_packet(&ctx, &p);
    assert_true(p.flags & PKT_IS_REASSEMBLED);
    assert_int_equal(p.recursion_level, 2);
    assert_int_equal(p.tunnel.depth, 2);
    assert_int_equal(p.vlan_count, 0);
    assert_int_equal(p.tcp_mss, 1460);
    /* The fragments of a reassembled packet were counted already. */
    assert_int_equal(ctx.stats.pkts, 1);
    assert_int_equal(ctx.stats.ipv4, 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_tcp_syn_options, setup),
        cmocka_unit_test_setup(test_tcp_without_options, setup),
        cmocka_unit_test_setup(test_udp_key, setup),
        cmocka_unit_test_setup(test_icmp_counterparts, setup),
        cmocka_unit_test_setup(test_icmp_error_embedded, setup),
        cmocka_unit_test_setup(test_icmpv6_error_is_flow, setup),
        cmocka_unit_test_setup(test_qinq_ids, setup),
        cmocka_unit_test_setup(test_ipv4_fragment, setup),
        cmocka_unit_test_setup(test_ipv6_fragments, setup),
        cmocka_unit_test_setup(test_ipv6_exthdr_chain, setup),
        cmocka_unit_test_setup(test_esp_and_igmp, setup),
        cmocka_unit_test_setup(test_gre_tunnel, setup),
        cmocka_unit_test_setup(test_tunnel_recursion_cap, setup),
        cmocka_unit_test_setup(test_vxlan_tunnel, setup),
        cmocka_unit_test_setup(test_teredo_heuristics, setup),
        cmocka_unit_test_setup(test_teredo_authentication_and_bubble, setup),
        cmocka_unit_test_setup(test_geneve_tunnel, setup),
        cmocka_unit_test_setup(test_erspan_ii_tunnel, setup),
        cmocka_unit_test_setup(test_ipv6_in_ipv4_tunnel, setup),
        cmocka_unit_test_setup(test_ipip_outer_key, setup),
        cmocka_unit_test_setup(test_pppoe_session, setup),
        cmocka_unit_test_setup(test_link_types, setup),
        cmocka_unit_test_setup(test_reset_keeps_inherited_state, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
