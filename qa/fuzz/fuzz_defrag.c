/* libFuzzer target for defrag: turns the input into a stream of IPv4/IPv6
 * fragments (well-formed headers around fuzzed offsets, ids and data, or raw
 * fuzzed bytes as the IP header) and submits them to a small defrag context. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/defrag.h"

/* Per fragment: flags, id, offset (8-byte units, 2 bytes), length, time step. */
#define RECORD 6u

struct cursor {
    const uint8_t *p;
    size_t left;
};

static uint32_t take(struct cursor *c, size_t n, const uint8_t **out)
{
    size_t k = n < c->left ? n : c->left;
    *out = c->p;
    c->p += k;
    c->left -= k;
    return (uint32_t)k;
}

static uint32_t build_ipv4(uint8_t *b, uint8_t id, uint32_t off8, int more, uint32_t plen)
{
    memset(b, 0, 20);
    b[0] = 0x45;
    b[2] = (uint8_t)((20 + plen) >> 8), b[3] = (uint8_t)(20 + plen);
    b[5] = id;
    uint32_t fo = (more ? 0x2000u : 0) | (off8 & 0x1fffu);
    b[6] = (uint8_t)(fo >> 8), b[7] = (uint8_t)fo;
    b[9] = 17;
    b[12] = 10, b[19] = 2;
    return 20;
}

static uint32_t build_ipv6(uint8_t *b, uint8_t id, uint32_t off8, int more, uint32_t plen,
                           int with_hbh)
{
    uint32_t ext = with_hbh ? 8u : 0u;
    memset(b, 0, 48 + ext);
    b[0] = 0x60;
    b[4] = (uint8_t)((ext + 8 + plen) >> 8), b[5] = (uint8_t)(ext + 8 + plen);
    b[6] = with_hbh ? 0 : 44;
    b[23] = 1, b[39] = 2;
    if (with_hbh)
        b[40] = 44;
    uint8_t *fh = b + 40 + ext;
    fh[0] = 6;
    uint32_t fo = ((off8 & 0x1fffu) << 3) | (more ? 1u : 0);
    fh[2] = (uint8_t)(fo >> 8), fh[3] = (uint8_t)fo;
    fh[7] = id;
    return 48 + ext;
}

static void submit_one(struct defrag_ctx *ctx, const uint8_t *rec, const uint8_t *data,
                       uint32_t dlen, uint64_t ts)
{
    uint8_t flags = rec[0];
    int v6 = flags & 1, more = (flags >> 1) & 1, raw = (flags >> 7) & 1;
    uint32_t off8 = (uint32_t)(rec[2] << 8 | rec[3]);
    uint32_t l2 = (flags >> 2) & 1 ? 14 : 0;
    uint8_t *buf = malloc(l2 + 56 + dlen);
    if (buf == NULL)
        return;
    memset(buf, 0xee, l2);
    uint32_t hlen = 0;
    if (!raw)
        hlen = v6 ? build_ipv6(buf + l2, rec[1], off8, more, dlen, (flags >> 3) & 1)
                  : build_ipv4(buf + l2, rec[1], off8, more, dlen);
    memcpy(buf + l2 + hlen, data, dlen);
    /* Shrink to the exact size so ASan catches any read past the frame. */
    uint32_t len = l2 + hlen + dlen;
    uint8_t *frame = malloc(len ? len : 1);
    if (frame != NULL) {
        memcpy(frame, buf, len);
        struct packet p;
        memset(&p, 0, sizeof(p));
        p.data = frame;
        p.len = p.wire_len = len;
        p.flags = PKT_IS_FRAGMENT;
        p.ip_version = v6 ? 6 : 4;
        p.l2_len = l2;
        p.l3 = frame + l2;
        p.l3_len = len - l2;
        p.ts_us = ts;
        p.vlan_count = (flags >> 4) & 1;
        p.vlan_id[0] = (flags >> 5) & 1;
        struct packet *r = defrag_submit(ctx, NULL, &p);
        if (r != NULL) {
            if (r->len == 0 || r->data == NULL || !(r->flags & PKT_IS_REASSEMBLED))
                abort();
            defrag_release(ctx, r);
        }
        free(frame);
    }
    free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct defrag_ctx *ctx;
    struct defrag_config cfg;
    defrag_config_set_defaults(&cfg);
    cfg.hash_size = 8;
    cfg.trackers = 4;
    cfg.max_frags = 32;
    cfg.timeout_sec = 2;
    cfg.memcap = defrag_fixed_memory(&cfg) + 64 * 1024;
    ctx = defrag_create(&cfg);
    if (ctx == NULL)
        abort();
    struct cursor c = { data, size };
    uint64_t ts = 1000000;
    while (c.left >= RECORD) {
        const uint8_t *rec, *payload;
        take(&c, RECORD, &rec);
        uint32_t want = rec[4] & 0x40 ? (uint32_t)rec[4] * 8u : rec[4];
        uint32_t dlen = take(&c, want, &payload);
        ts += (uint64_t)rec[5] * 100000u;
        submit_one(ctx, rec, payload, dlen, ts);
        if (rec[5] == 0xff)
            defrag_timeout(ctx, ts);
    }
    const struct defrag_stats *st = defrag_get_stats(ctx);
    if (st->memuse > cfg.memcap)
        abort();
    defrag_destroy(ctx);
    return 0;
}
