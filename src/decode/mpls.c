/* MPLS label stacks (RFC 3032): labels are skipped, the payload after the
 * bottom of stack is IPv4, IPv6 or an Ethernet pseudowire. */
#include "decode/layers.h"

#define MPLS_LABEL_LEN 4
#define MPLS_LABEL_IPV4_NULL 0
#define MPLS_LABEL_IPV6_NULL 2
#define MPLS_LABEL_IMPLICIT_NULL 3
#define MPLS_LABEL_RESERVED_MAX 15
#define MPLS_PW_CONTROL_WORD_LEN 4
#define MPLS_ETHERNET_MIN 14

static void decode_mpls_check_label(struct decode_ctx *ctx, struct packet *p, uint32_t label)
{
    /* Implicit null is only signalled, never put on the wire. */
    if (label == MPLS_LABEL_IMPLICIT_NULL)
        decode_set_event(ctx, p, DECODE_EV_MPLS_BAD_LABEL_IMPLICIT_NULL);
    else if (label > MPLS_LABEL_IMPLICIT_NULL && label <= MPLS_LABEL_RESERVED_MAX)
        decode_set_event(ctx, p, DECODE_EV_MPLS_BAD_LABEL_RESERVED);
}

static int decode_mpls_payload(struct decode_ctx *ctx, struct packet *p, uint32_t label,
                               const uint8_t *pkt, uint32_t len)
{
    if (len < 1)
        return decode_invalid(ctx, p, DECODE_EV_MPLS_PKT_TOO_SMALL);
    if (label == MPLS_LABEL_IPV4_NULL)
        return decode_ipv4(ctx, p, pkt, len);
    if (label == MPLS_LABEL_IPV6_NULL)
        return decode_ipv6(ctx, p, pkt, len);
    switch (pkt[0] >> 4) {
    case 4:
        return decode_ipv4(ctx, p, pkt, len);
    case 6:
        return decode_ipv6(ctx, p, pkt, len);
    case 0:
        if (len < MPLS_PW_CONTROL_WORD_LEN + MPLS_ETHERNET_MIN)
            return decode_invalid(ctx, p, DECODE_EV_MPLS_PKT_TOO_SMALL);
        return decode_ethernet(ctx, p, pkt + MPLS_PW_CONTROL_WORD_LEN,
                               len - MPLS_PW_CONTROL_WORD_LEN);
    default:
        return decode_invalid(ctx, p, DECODE_EV_MPLS_UNKNOWN_PAYLOAD_TYPE);
    }
}

int decode_mpls(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.mpls++;
    for (;;) {
        if (len < MPLS_LABEL_LEN)
            return decode_invalid(ctx, p, DECODE_EV_MPLS_HEADER_TOO_SMALL);
        const uint32_t entry = decode_be32(pkt);
        const uint32_t label = entry >> 12;
        const bool bottom = (entry >> 8) & 1;
        pkt += MPLS_LABEL_LEN;
        len -= MPLS_LABEL_LEN;
        decode_mpls_check_label(ctx, p, label);
        if (bottom)
            return decode_mpls_payload(ctx, p, label, pkt, len);
    }
}
