/* Teredo (RFC 4380): IPv6 in UDP. Nothing in the header proves it, so like
 * Suricata we only accept a payload that is exactly one IPv6 packet, after
 * the optional authentication and origin indicators. */
#include "decode/layers.h"

#define TEREDO_ORIGIN_INDICATION_LEN 8
#define TEREDO_AUTH_FIXED_LEN 13 /* type, id-len, au-len, nonce (8), confirmation */
#define IPV6_HEADER_LEN 40

/* Skips an authentication indicator (type 0x0001: lengths, client id,
 * authentication value, nonce, confirmation); NULL if it does not fit. */
static const uint8_t *teredo_skip_authentication(const uint8_t *pkt, uint32_t len)
{
    if (len < TEREDO_AUTH_FIXED_LEN)
        return NULL;
    const uint32_t skip = TEREDO_AUTH_FIXED_LEN + pkt[2] + pkt[3];
    return skip <= len ? pkt + skip : NULL;
}

/* Skips the indicators that may precede the IPv6 packet: an authentication
 * indicator (router solicitations and their answers carry one), then an
 * origin indication. NULL when they are malformed. */
static const uint8_t *decode_teredo_ipv6_start(const uint8_t *pkt, uint32_t len)
{
    const uint8_t *end = pkt + len;
    if (len >= 2 && pkt[0] == 0 && pkt[1] == 1) {
        pkt = teredo_skip_authentication(pkt, len);
        if (pkt == NULL)
            return NULL;
    }
    if ((uint32_t)(end - pkt) >= 2 && pkt[0] == 0) {
        if (pkt[1] != 0)
            return NULL;
        if ((uint32_t)(end - pkt) < TEREDO_ORIGIN_INDICATION_LEN + IPV6_HEADER_LEN)
            return NULL;
        pkt += TEREDO_ORIGIN_INDICATION_LEN;
    }
    return (uint32_t)(end - pkt) >= IPV6_HEADER_LEN ? pkt : NULL;
}

bool decode_teredo(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    if (!ctx->cfg.teredo_enabled ||
        (p->sp != ctx->cfg.teredo_port && p->dp != ctx->cfg.teredo_port))
        return false;
    if (len < IPV6_HEADER_LEN)
        return false;
    const uint8_t *ip6 = decode_teredo_ipv6_start(pkt, len);
    if (ip6 == NULL || (ip6[0] >> 4) != 6)
        return false;
    const uint32_t before = (uint32_t)(ip6 - pkt);
    if (len - before != IPV6_HEADER_LEN + (uint32_t)decode_be16(ip6 + 4))
        return false;
    ctx->stats.teredo++;
    decode_set_tunnel(p, PACKET_TUNNEL_IPV6, ip6);
    return true;
}
