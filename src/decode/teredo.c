/* Teredo (RFC 4380): IPv6 in UDP. Nothing in the header proves it, so like
 * Suricata we only accept a payload that is exactly one IPv6 packet. */
#include "decode/layers.h"

#define TEREDO_ORIGIN_INDICATION_LEN 8
#define IPV6_HEADER_LEN 40

/* Skips the origin indication; returns NULL for authentication headers or
 * anything else that is not IPv6 where it should be. */
static const uint8_t *decode_teredo_ipv6_start(const uint8_t *pkt, uint32_t len)
{
    if (pkt[0] != 0)
        return pkt;
    if (pkt[1] != 0)
        return NULL;
    if (len < TEREDO_ORIGIN_INDICATION_LEN + IPV6_HEADER_LEN)
        return NULL;
    return pkt + TEREDO_ORIGIN_INDICATION_LEN;
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
