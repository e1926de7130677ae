/* Frame builders for the decoder tests: Ethernet/IPv4/IPv6 wrappers with
 * correct lengths around hand-written L4 bytes. */
#ifndef VIGIL_TEST_DECODE_FRAMES_H
#define VIGIL_TEST_DECODE_FRAMES_H

#include <stdint.h>
#include <string.h>

#include "decode/decode.h"

/* A byte list and its length, for the builders' (bytes, len) parameters. */
#define BYTES(...) (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__})

#define TF_IPV4_SRC 0x0a000001u /* 10.0.0.1 */
#define TF_IPV4_DST 0x0a000002u /* 10.0.0.2 */

static inline void tf_be16(uint8_t *b, uint16_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static inline void tf_be32(uint8_t *b, uint32_t v)
{
    tf_be16(b, (uint16_t)(v >> 16));
    tf_be16(b + 2, (uint16_t)v);
}

static inline uint32_t tf_eth(uint8_t *b, uint16_t type)
{
    memset(b, 0, 12);
    b[0] = 0x02;
    b[6] = 0x04;
    tf_be16(b + 12, type);
    return 14;
}

/* IPv4 header without options, total length covering l4len bytes. */
static inline uint32_t tf_ipv4_hdr(uint8_t *b, uint8_t proto, uint32_t l4len)
{
    memset(b, 0, 20);
    b[0] = 0x45;
    tf_be16(b + 2, (uint16_t)(20 + l4len));
    b[8] = 64;
    b[9] = proto;
    tf_be32(b + 12, TF_IPV4_SRC);
    tf_be32(b + 16, TF_IPV4_DST);
    return 20;
}

/* IPv6 header ::1 -> ::2 with payload length plen. */
static inline uint32_t tf_ipv6_hdr(uint8_t *b, uint8_t nh, uint32_t plen)
{
    memset(b, 0, 40);
    b[0] = 0x60;
    tf_be16(b + 4, (uint16_t)plen);
    b[6] = nh;
    b[7] = 64;
    b[23] = 1;
    b[39] = 2;
    return 40;
}

/* Ethernet + IPv4 + the given payload. */
static inline uint32_t tf_v4(uint8_t *b, uint8_t proto, const uint8_t *l4, uint32_t l4len)
{
    uint32_t n = tf_eth(b, 0x0800);
    n += tf_ipv4_hdr(b + n, proto, l4len);
    memcpy(b + n, l4, l4len);
    return n + l4len;
}

/* Ethernet + IPv6 + the given payload (extension headers included). */
static inline uint32_t tf_v6(uint8_t *b, uint8_t nh, const uint8_t *l4, uint32_t l4len)
{
    uint32_t n = tf_eth(b, 0x86dd);
    n += tf_ipv6_hdr(b + n, nh, l4len);
    memcpy(b + n, l4, l4len);
    return n + l4len;
}

/* Ethernet + the given bytes after an ethertype. */
static inline uint32_t tf_l2(uint8_t *b, uint16_t type, const uint8_t *rest, uint32_t len)
{
    uint32_t n = tf_eth(b, type);
    memcpy(b + n, rest, len);
    return n + len;
}

static inline void tf_decode(struct decode_ctx *ctx, struct packet *p, int linktype,
                             const uint8_t *b, uint32_t len)
{
    memset(p, 0, sizeof(*p));
    p->data = b;
    p->len = len;
    p->wire_len = len;
    p->linktype = linktype;
    p->pcap_cnt = 1;
    decode_packet(ctx, p);
}

#endif
