/* TCP (RFC 9293): header checks, ports, sequence numbers, flags and the
 * handshake options the flow engine tracks (MSS, window scale, SACK, TS). */
#include "decode/layers.h"

#define TCP_HEADER_LEN 20
#define TCP_OPTIONS_MAX 40

enum tcp_opt {
    TCP_OPT_EOL = 0,
    TCP_OPT_NOP = 1,
    TCP_OPT_MSS = 2,
    TCP_OPT_WS = 3,
    TCP_OPT_SACKOK = 4,
    TCP_OPT_SACK = 5,
    TCP_OPT_TS = 8,
};

/* Expected length of a fixed-size option, 0 for the variable SACK block. */
static bool decode_tcp_opt_len_ok(uint8_t type, uint8_t olen)
{
    switch (type) {
    case TCP_OPT_MSS:
        return olen == 4;
    case TCP_OPT_WS:
        return olen == 3;
    case TCP_OPT_SACKOK:
        return olen == 2;
    case TCP_OPT_TS:
        return olen == 10;
    case TCP_OPT_SACK:
        /* 1 to 4 blocks of two 32-bit edges. */
        return olen >= 10 && olen <= 34 && (olen - 2) % 8 == 0;
    default:
        return true;
    }
}

static void decode_tcp_opt_store(struct packet *p, const uint8_t *opt)
{
    switch (opt[0]) {
    case TCP_OPT_MSS:
        p->tcp_mss = decode_be16(opt + 2);
        break;
    case TCP_OPT_WS:
        p->tcp_wscale = opt[2];
        break;
    case TCP_OPT_SACKOK:
        p->tcp_sack_permitted = true;
        break;
    case TCP_OPT_TS:
        p->tcp_has_timestamps = true;
        break;
    default:
        break;
    }
}

/* Bad options only warn: the segment itself still counts for its flow. */
static void decode_tcp_options(struct decode_ctx *ctx, struct packet *p, const uint8_t *opts,
                               uint32_t len)
{
    uint32_t seen = 0;
    uint32_t off = 0;

    while (off < len) {
        const uint8_t type = opts[off];
        if (type == TCP_OPT_EOL)
            break;
        if (type == TCP_OPT_NOP) {
            off++;
            continue;
        }
        if (len - off < 2 || opts[off + 1] < 2 || opts[off + 1] > len - off) {
            decode_set_event(ctx, p, DECODE_EV_TCP_OPT_INVALID_LEN);
            return;
        }
        const uint8_t olen = opts[off + 1];
        if (!decode_tcp_opt_len_ok(type, olen)) {
            decode_set_event(ctx, p, DECODE_EV_TCP_OPT_INVALID_LEN);
        } else if (type < 32 && (seen & (1u << type))) {
            decode_set_event(ctx, p, DECODE_EV_TCP_OPT_DUPLICATE);
        } else {
            decode_tcp_opt_store(p, opts + off);
        }
        if (type < 32)
            seen |= 1u << type;
        off += olen;
    }
}

int decode_tcp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.tcp++;
    if (len < TCP_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_TCP_PKT_TOO_SMALL);
    const uint32_t hlen = (uint32_t)(pkt[12] >> 4) * 4;
    if (hlen > len)
        return decode_invalid(ctx, p, DECODE_EV_TCP_HLEN_TOO_SMALL);
    /* A data offset under 5 words leaves no room for options: Suricata
     * reports it as an invalid option length. */
    if (hlen < TCP_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_TCP_INVALID_OPTLEN);

    p->sp = decode_be16(pkt);
    p->dp = decode_be16(pkt + 2);
    p->tcp_seq = decode_be32(pkt + 4);
    p->tcp_ack = decode_be32(pkt + 8);
    p->tcp_flags = pkt[13];
    p->tcp_window = decode_be16(pkt + 14);
    decode_tcp_options(ctx, p, pkt + TCP_HEADER_LEN, hlen - TCP_HEADER_LEN);
    p->payload = pkt + hlen;
    p->payload_len = len - hlen;
    p->flags |= PKT_HAS_FLOW_KEY;
    return 0;
}
