/* Linux "cooked" capture v2 (DLT_LINUX_SLL2): 20-byte pseudo header that
 * starts with the ethertype. */
#include "decode/layers.h"

#define SLL2_HEADER_LEN 20

int decode_sll2(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.sll2++;
    if (len < SLL2_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_SLL2_PKT_TOO_SMALL);
    return decode_ethertype(ctx, p, decode_be16(pkt), pkt + SLL2_HEADER_LEN,
                            len - SLL2_HEADER_LEN);
}
