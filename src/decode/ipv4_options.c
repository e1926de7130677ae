/* IPv4 header options (RFC 791 and later registrations): length and layout
 * checks per option, duplicates and unknown options as warnings. */
#include "decode/ipv4_options.h"
#include "decode/layers.h"

enum ipv4_opt {
    IPV4_OPT_EOL = 0,
    IPV4_OPT_NOP = 1,
    IPV4_OPT_RR = 7,
    IPV4_OPT_QS = 25,
    IPV4_OPT_TS = 68,
    IPV4_OPT_SEC = 130,
    IPV4_OPT_LSRR = 131,
    IPV4_OPT_CIPSO = 134,
    IPV4_OPT_SID = 136,
    IPV4_OPT_SSRR = 137,
    IPV4_OPT_RTRALT = 148,
};

/* Bit per known option, to notice duplicates; 0 for unknown options. */
static uint32_t decode_ipv4_opt_bit(uint8_t type)
{
    switch (type) {
    case IPV4_OPT_RR: return 1u << 0;
    case IPV4_OPT_QS: return 1u << 1;
    case IPV4_OPT_TS: return 1u << 2;
    case IPV4_OPT_SEC: return 1u << 3;
    case IPV4_OPT_LSRR: return 1u << 4;
    case IPV4_OPT_CIPSO: return 1u << 5;
    case IPV4_OPT_SID: return 1u << 6;
    case IPV4_OPT_SSRR: return 1u << 7;
    case IPV4_OPT_RTRALT: return 1u << 8;
    default: return 0;
    }
}

/* Route options: a pointer (1-based, >= 4) into a list of 4-byte addresses. */
static bool decode_ipv4_opt_route_ok(const uint8_t *opt, uint8_t olen)
{
    return olen >= 3 && (olen - 3) % 4 == 0 && opt[2] >= 4 && (opt[2] - 4) % 4 == 0 &&
           opt[2] <= olen + 1;
}

static bool decode_ipv4_opt_valid(const uint8_t *opt, uint8_t olen)
{
    switch (opt[0]) {
    case IPV4_OPT_RR:
    case IPV4_OPT_LSRR:
    case IPV4_OPT_SSRR:
        return decode_ipv4_opt_route_ok(opt, olen);
    case IPV4_OPT_QS:
        return olen == 8;
    case IPV4_OPT_TS:
        /* Pointer (1-based) starts at 5, past type, length, pointer and flags. */
        return olen >= 4 && opt[2] >= 5;
    case IPV4_OPT_SEC:
        return olen >= 3;
    case IPV4_OPT_CIPSO:
        /* Domain of interpretation (4 bytes) after type and length. */
        return olen >= 6;
    case IPV4_OPT_SID:
    case IPV4_OPT_RTRALT:
        return olen == 4;
    default:
        return true;
    }
}

int decode_ipv4_options(struct decode_ctx *ctx, struct packet *p, const uint8_t *opts,
                        uint32_t len)
{
    uint32_t seen = 0;
    uint32_t off = 0;

    while (off < len) {
        const uint8_t type = opts[off];
        if (type == IPV4_OPT_EOL)
            break;
        if (type == IPV4_OPT_NOP) {
            off++;
            continue;
        }
        if (len - off < 2)
            return decode_invalid(ctx, p, DECODE_EV_IPV4_OPT_MALFORMED);
        const uint8_t olen = opts[off + 1];
        if (olen < 2 || olen > len - off)
            return decode_invalid(ctx, p, DECODE_EV_IPV4_OPT_INVALID_LEN);
        const uint32_t bit = decode_ipv4_opt_bit(type);
        if (bit == 0)
            decode_set_event(ctx, p, DECODE_EV_IPV4_OPT_UNKNOWN);
        else if (seen & bit)
            decode_set_event(ctx, p, DECODE_EV_IPV4_OPT_DUPLICATE);
        seen |= bit;
        if (!decode_ipv4_opt_valid(opts + off, olen))
            return decode_invalid(ctx, p, DECODE_EV_IPV4_OPT_INVALID);
        off += olen;
    }
    return 0;
}
