/* IPv6 extension headers: each one is bounds-checked, duplicates and odd
 * options are reported, a real fragment stops decoding for defrag. */
#include "decode/ipv6_exthdr.h"
#include "decode/layers.h"

enum ipv6_nh {
    IPV6_NH_HOPOPTS = 0,
    IPV6_NH_ROUTING = 43,
    IPV6_NH_FRAGMENT = 44,
    IPV6_NH_ESP = 50,
    IPV6_NH_AH = 51,
    IPV6_NH_NONE = 59,
    IPV6_NH_DSTOPTS = 60,
};

enum ipv6_opt {
    IPV6_OPT_PAD1 = 0x00,
    IPV6_OPT_PADN = 0x01,
    IPV6_OPT_RA = 0x05,
    IPV6_OPT_JUMBO = 0xc2,
    IPV6_OPT_HAO = 0xc9,
};

#define IPV6_FRAG_HEADER_LEN 8

/* Events of one options header kind (hop-by-hop or destination). */
struct ipv6_opt_events {
    enum decode_event unknown_opt;
    enum decode_event only_padding;
};

static const struct ipv6_opt_events ipv6_hop_events = {
    DECODE_EV_IPV6_HOPOPTS_UNKNOWN_OPT, DECODE_EV_IPV6_HOPOPTS_ONLY_PADDING};
static const struct ipv6_opt_events ipv6_dst_events = {
    DECODE_EV_IPV6_DSTOPTS_UNKNOWN_OPT, DECODE_EV_IPV6_DSTOPTS_ONLY_PADDING};

static bool decode_ipv6_opt_known(uint8_t type)
{
    return type == IPV6_OPT_RA || type == IPV6_OPT_JUMBO || type == IPV6_OPT_HAO;
}

/* Options follow the 2-byte next-header/length prefix of the header. */
static void decode_ipv6_options(struct decode_ctx *ctx, struct packet *p, const uint8_t *opts,
                                uint32_t len, const struct ipv6_opt_events *ev)
{
    bool only_padding = true;
    uint32_t off = 0;

    while (off < len) {
        const uint8_t type = opts[off];
        if (type == IPV6_OPT_PAD1) {
            off++;
            continue;
        }
        if (len - off < 2 || (uint32_t)opts[off + 1] + 2 > len - off) {
            decode_set_event(ctx, p, DECODE_EV_IPV6_EXTHDR_INVALID_OPTLEN);
            return;
        }
        const uint8_t olen = opts[off + 1];
        if (type == IPV6_OPT_PADN) {
            if (olen == 0)
                decode_set_event(ctx, p, DECODE_EV_IPV6_ZERO_LEN_PADN);
        } else {
            only_padding = false;
            if (!decode_ipv6_opt_known(type))
                decode_set_event(ctx, p, ev->unknown_opt);
        }
        off += 2u + olen;
    }
    if (only_padding)
        decode_set_event(ctx, p, ev->only_padding);
}

struct ipv6_walk {
    uint8_t seen_hop, seen_dst, seen_rh, seen_fh, seen_ah;
};

static void decode_ipv6_dup(struct decode_ctx *ctx, struct packet *p, uint8_t *seen,
                            enum decode_event ev)
{
    if (*seen)
        decode_set_event(ctx, p, ev);
    *seen = 1;
}

/* A fragment header: returns 1 when this is a real fragment (decoding
 * stops), 0 for an atomic fragment that decodes like an unfragmented packet. */
static int decode_ipv6_fragment(struct decode_ctx *ctx, struct packet *p, const uint8_t *fh,
                                uint32_t len)
{
    const uint16_t off_field = decode_be16(fh + 2);
    const bool more = off_field & 1;
    const uint16_t offset = off_field >> 3;

    if (fh[1] != 0 || (off_field & 0x6) != 0)
        decode_set_event(ctx, p, DECODE_EV_IPV6_FH_NON_ZERO_RESERVED_FIELD);
    if (offset == 0 && !more) {
        decode_set_event(ctx, p, DECODE_EV_IPV6_EXTHDR_USELESS_FH);
        return 0;
    }
    /* All fragments but the last carry a multiple of 8 bytes. */
    if (more && (len - IPV6_FRAG_HEADER_LEN) % 8 != 0)
        return decode_invalid(ctx, p, DECODE_EV_IPV6_FRAG_INVALID_LENGTH);
    p->proto = fh[0];
    p->flags |= PKT_IS_FRAGMENT;
    return 1;
}

/* Length of the extension header nh at pkt, or 0 when it does not fit. */
static uint32_t decode_ipv6_exthdr_len(uint8_t nh, const uint8_t *pkt, uint32_t len)
{
    if (len < 8)
        return 0;
    uint32_t hlen;
    if (nh == IPV6_NH_FRAGMENT)
        hlen = IPV6_FRAG_HEADER_LEN;
    else if (nh == IPV6_NH_AH)
        hlen = ((uint32_t)pkt[1] + 2) * 4;
    else
        hlen = ((uint32_t)pkt[1] + 1) * 8;
    return hlen <= len ? hlen : 0;
}

/* Checks one extension header; returns 1 to stop (fragment), -1 invalid, 0 go on. */
static int decode_ipv6_one_exthdr(struct decode_ctx *ctx, struct packet *p, struct ipv6_walk *w,
                                  uint8_t nh, const uint8_t *hdr, uint32_t hlen, uint32_t len)
{
    switch (nh) {
    case IPV6_NH_HOPOPTS:
        decode_ipv6_dup(ctx, p, &w->seen_hop, DECODE_EV_IPV6_EXTHDR_DUPL_HH);
        decode_ipv6_options(ctx, p, hdr + 2, hlen - 2, &ipv6_hop_events);
        return 0;
    case IPV6_NH_DSTOPTS:
        decode_ipv6_dup(ctx, p, &w->seen_dst, DECODE_EV_IPV6_EXTHDR_DUPL_DH);
        decode_ipv6_options(ctx, p, hdr + 2, hlen - 2, &ipv6_dst_events);
        return 0;
    case IPV6_NH_ROUTING:
        decode_ipv6_dup(ctx, p, &w->seen_rh, DECODE_EV_IPV6_EXTHDR_DUPL_RH);
        /* Type 0 was deprecated (RFC 5095) for its amplification abuse. */
        if (hdr[2] == 0)
            decode_set_event(ctx, p, DECODE_EV_IPV6_RH_TYPE_0);
        return 0;
    case IPV6_NH_AH:
        decode_ipv6_dup(ctx, p, &w->seen_ah, DECODE_EV_IPV6_EXTHDR_DUPL_AH);
        if (hdr[2] != 0 || hdr[3] != 0)
            decode_set_event(ctx, p, DECODE_EV_IPV6_EXTHDR_AH_RES_NOT_NULL);
        return 0;
    default: /* IPV6_NH_FRAGMENT */
        decode_ipv6_dup(ctx, p, &w->seen_fh, DECODE_EV_IPV6_EXTHDR_DUPL_FH);
        return decode_ipv6_fragment(ctx, p, hdr, len);
    }
}

static bool decode_ipv6_is_exthdr(uint8_t nh)
{
    return nh == IPV6_NH_HOPOPTS || nh == IPV6_NH_DSTOPTS || nh == IPV6_NH_ROUTING ||
           nh == IPV6_NH_FRAGMENT || nh == IPV6_NH_AH;
}

int decode_ipv6_exthdrs(struct decode_ctx *ctx, struct packet *p, uint8_t nh,
                        const uint8_t *pkt, uint32_t len)
{
    struct ipv6_walk w = {0};

    /* Every header is at least 8 bytes long, so the walk ends. */
    while (decode_ipv6_is_exthdr(nh)) {
        const uint32_t hlen = decode_ipv6_exthdr_len(nh, pkt, len);
        if (hlen == 0)
            return decode_invalid(ctx, p, DECODE_EV_IPV6_TRUNC_EXTHDR);
        const int rc = decode_ipv6_one_exthdr(ctx, p, &w, nh, pkt, hlen, len);
        if (rc != 0)
            return rc < 0 ? -1 : 0;
        nh = pkt[0];
        pkt += hlen;
        len -= hlen;
    }
    p->proto = nh;
    if (nh == IPV6_NH_NONE) {
        if (len > 0)
            decode_set_event(ctx, p, DECODE_EV_IPV6_DATA_AFTER_NONE_HEADER);
        /* Suricata keeps a flow (ports 0) for packets with no next header,
         * such as Teredo bubbles. */
        p->sp = p->dp = 0;
        p->flags |= PKT_HAS_FLOW_KEY;
        return 0;
    }
    return decode_ip_payload(ctx, p, nh, pkt, len);
}
