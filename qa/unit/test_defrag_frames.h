/* Hand-built IPv4 / IPv6 fragments for the defrag tests, with the packet
 * fields filled the way the decoder fills them for PKT_IS_FRAGMENT. */
#ifndef VIGIL_QA_TEST_DEFRAG_FRAMES_H
#define VIGIL_QA_TEST_DEFRAG_FRAMES_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"
#include "decode/packet.h"

#define TF_MAX 70000u

/* One frame in an exactly sized heap block, so ASan sees any overread. */
struct tf {
    struct packet p;
    uint8_t *buf;
};

static const uint8_t tf_eth[14] = {
    0x08, 0x00, 0x27, 0xe2, 0x9f, 0xa6, 0x08, 0x00, 0x27, 0xfc, 0x6a, 0xc9, 0x08, 0x00,
};

static void tf_finish(struct tf *f, const uint8_t *frame, uint32_t len, uint32_t l2_len,
                      uint8_t ip_version, int linktype)
{
    f->buf = malloc(len ? len : 1);
    memcpy(f->buf, frame, len);
    memset(&f->p, 0, sizeof(f->p));
    f->p.data = f->buf;
    f->p.len = f->p.wire_len = len;
    f->p.linktype = linktype;
    f->p.flags = PKT_IS_FRAGMENT;
    f->p.ip_version = ip_version;
    f->p.l2_len = l2_len;
    f->p.l3 = f->buf + l2_len;
    f->p.l3_len = len - l2_len;
    f->p.ts_us = 1000000;
    f->p.pcap_cnt = 1;
}

static void tf_free(struct tf *f)
{
    free(f->buf);
    f->buf = NULL;
}

static void tf_put16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

/* Ethernet + 20-byte IPv4 header 10.0.0.1 -> 10.0.0.2, offset in bytes. */
static void tf_ipv4(struct tf *f, uint16_t id, uint8_t proto, uint32_t offset, int more,
                    const uint8_t *payload, uint32_t plen)
{
    static uint8_t frame[TF_MAX];
    memcpy(frame, tf_eth, sizeof(tf_eth));
    uint8_t *ip = frame + sizeof(tf_eth);
    memset(ip, 0, 20);
    ip[0] = 0x45;
    tf_put16(ip + 2, 20 + plen);
    tf_put16(ip + 4, id);
    tf_put16(ip + 6, (more ? 0x2000u : 0) | (offset / 8));
    ip[8] = 64;
    ip[9] = proto;
    ip[12] = 10, ip[15] = 1;
    ip[16] = 10, ip[19] = 2;
    memcpy(ip + 20, payload, plen);
    tf_finish(f, frame, 14 + 20 + plen, 14, 4, DECODE_LINKTYPE_ETHERNET);
}

/* Raw IPv6 ::1 -> ::2 with ext (whole extension headers, next-header bytes
 * already chained, the last one naming 44) before the Fragment header. */
static void tf_ipv6(struct tf *f, const uint8_t *ext, uint32_t ext_len, uint8_t first_nh,
                    uint32_t id, uint8_t nh, uint32_t offset, int more,
                    const uint8_t *payload, uint32_t plen)
{
    static uint8_t frame[TF_MAX];
    uint8_t *ip = frame;
    memset(ip, 0, 40);
    ip[0] = 0x60;
    tf_put16(ip + 4, ext_len + 8 + plen);
    ip[6] = ext_len ? first_nh : 44;
    ip[7] = 64;
    ip[23] = 1;
    ip[39] = 2;
    if (ext_len > 0)
        memcpy(ip + 40, ext, ext_len);
    uint8_t *fh = ip + 40 + ext_len;
    fh[0] = nh;
    fh[1] = 0;
    tf_put16(fh + 2, offset | (more ? 1u : 0));
    fh[4] = (uint8_t)(id >> 24), fh[5] = (uint8_t)(id >> 16);
    fh[6] = (uint8_t)(id >> 8), fh[7] = (uint8_t)id;
    memcpy(fh + 8, payload, plen);
    tf_finish(f, frame, 40 + ext_len + 8 + plen, 0, 6, DECODE_LINKTYPE_IPV6);
}

#endif
