/* Linux "cooked" capture v1 (DLT_LINUX_SLL): 16-byte pseudo header whose
 * last field is the ethertype. */
#include "decode/layers.h"

#define SLL_HEADER_LEN 16

int decode_sll(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.sll++;
    if (len < SLL_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_SLL_PKT_TOO_SMALL);
    return decode_ethertype(ctx, p, decode_be16(pkt + 14), pkt + SLL_HEADER_LEN,
                            len - SLL_HEADER_LEN);
}
