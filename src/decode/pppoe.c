/* PPPoE (RFC 2516): session frames carry PPP (and so IP), discovery frames
 * are only checked for a valid code and tag layout. */
#include "decode/layers.h"

#define PPPOE_HEADER_LEN 6
#define PPPOE_TAG_HEADER_LEN 4

enum pppoe_code {
    PPPOE_CODE_PADO = 0x07,
    PPPOE_CODE_PADI = 0x09,
    PPPOE_CODE_PADR = 0x19,
    PPPOE_CODE_PADS = 0x65,
    PPPOE_CODE_PADT = 0xa7,
};

int decode_pppoe_session(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.pppoe++;
    /* Session header plus at least the one-byte compressed PPP protocol. */
    if (len < PPPOE_HEADER_LEN + 1)
        return decode_invalid(ctx, p, DECODE_EV_PPPOE_PKT_TOO_SMALL);
    const uint8_t *ppp = pkt + PPPOE_HEADER_LEN;
    uint32_t ppp_len = len - PPPOE_HEADER_LEN;
    const uint16_t declared = decode_be16(pkt + 4);
    if (declared < ppp_len)
        ppp_len = declared;
    if (ppp_len == 0)
        return 0;
    /* RFC 1661 protocol-field compression: an odd first byte is the whole field. */
    if (ppp[0] & 0x01)
        return decode_ppp_protocol(ctx, p, ppp[0], ppp + 1, ppp_len - 1);
    if (ppp_len < 2)
        return decode_invalid(ctx, p, DECODE_EV_PPPOE_PKT_TOO_SMALL);
    return decode_ppp_protocol(ctx, p, decode_be16(ppp), ppp + 2, ppp_len - 2);
}

static bool decode_pppoe_known_code(uint8_t code)
{
    return code == PPPOE_CODE_PADI || code == PPPOE_CODE_PADO || code == PPPOE_CODE_PADR ||
           code == PPPOE_CODE_PADS || code == PPPOE_CODE_PADT;
}

int decode_pppoe_discovery(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.pppoe++;
    if (len < PPPOE_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_PPPOE_PKT_TOO_SMALL);
    if (!decode_pppoe_known_code(pkt[1]))
        return decode_invalid(ctx, p, DECODE_EV_PPPOE_WRONG_CODE);
    uint32_t tags_len = decode_be16(pkt + 4);
    if (tags_len > len - PPPOE_HEADER_LEN)
        tags_len = len - PPPOE_HEADER_LEN;
    const uint8_t *tag = pkt + PPPOE_HEADER_LEN;
    while (tags_len >= PPPOE_TAG_HEADER_LEN) {
        const uint32_t tag_len = PPPOE_TAG_HEADER_LEN + decode_be16(tag + 2);
        if (tag_len > tags_len)
            return decode_invalid(ctx, p, DECODE_EV_PPPOE_MALFORMED_TAGS);
        tag += tag_len;
        tags_len -= tag_len;
    }
    return 0;
}
