/* BSD loopback (DLT_NULL, host byte order) and DLT_LOOP (network byte order):
 * a 4-byte address family in front of the IP packet. */
#include "decode/layers.h"

#define NULL_HEADER_LEN 4
#define NULL_AF_INET 2
/* AF_INET6 differs between the BSDs: NetBSD/OpenBSD 24, FreeBSD 28, Darwin 30. */
#define NULL_AF_INET6_BSD 24
#define NULL_AF_INET6_FREEBSD 28
#define NULL_AF_INET6_DARWIN 30

static uint32_t decode_le32(const uint8_t *b)
{
    return ((uint32_t)b[3] << 24) | ((uint32_t)b[2] << 16) | ((uint32_t)b[1] << 8) | b[0];
}

static bool decode_null_is_ipv6(uint32_t af)
{
    return af == NULL_AF_INET6_BSD || af == NULL_AF_INET6_FREEBSD || af == NULL_AF_INET6_DARWIN;
}

static bool decode_null_known(uint32_t af)
{
    return af == NULL_AF_INET || decode_null_is_ipv6(af);
}

int decode_null(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len,
                bool network_order)
{
    ctx->stats.null++;
    if (len < NULL_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_LTNULL_PKT_TOO_SMALL);
    /* DLT_NULL is in the capturing host's order, which the file does not
     * record: accept whichever order names a known family. */
    uint32_t af = network_order ? decode_be32(pkt) : decode_le32(pkt);
    if (!network_order && !decode_null_known(af))
        af = decode_be32(pkt);
    if (af == NULL_AF_INET)
        return decode_ipv4(ctx, p, pkt + NULL_HEADER_LEN, len - NULL_HEADER_LEN);
    if (decode_null_is_ipv6(af))
        return decode_ipv6(ctx, p, pkt + NULL_HEADER_LEN, len - NULL_HEADER_LEN);
    return decode_invalid(ctx, p, DECODE_EV_LTNULL_UNSUPPORTED_TYPE);
}
