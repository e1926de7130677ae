/* ICMPv4 (RFC 792): type/code checks, request/reply pairing for the flow
 * key, and the quoted header of error messages (which never make a flow). */
#include <string.h>

#include "decode/layers.h"

#define ICMPV4_HEADER_LEN 8
#define ICMPV4_QUOTE_IPV4_MIN 20
#define ICMPV4_QUOTE_L4_LEN 8

enum icmpv4_type {
    ICMPV4_ECHO_REPLY = 0,
    ICMPV4_DEST_UNREACH = 3,
    ICMPV4_SOURCE_QUENCH = 4,
    ICMPV4_REDIRECT = 5,
    ICMPV4_ECHO = 8,
    ICMPV4_ROUTER_ADVERT = 9,
    ICMPV4_ROUTER_SOLICIT = 10,
    ICMPV4_TIME_EXCEEDED = 11,
    ICMPV4_PARAM_PROBLEM = 12,
    ICMPV4_TIMESTAMP = 13,
    ICMPV4_TIMESTAMP_REPLY = 14,
    ICMPV4_INFO_REQUEST = 15,
    ICMPV4_INFO_REPLY = 16,
    ICMPV4_ADDRESS = 17,
    ICMPV4_ADDRESS_REPLY = 18,
};

uint8_t decode_icmpv4_counterpart(uint8_t type)
{
    switch (type) {
    case ICMPV4_ECHO: return ICMPV4_ECHO_REPLY;
    case ICMPV4_ECHO_REPLY: return ICMPV4_ECHO;
    case ICMPV4_TIMESTAMP: return ICMPV4_TIMESTAMP_REPLY;
    case ICMPV4_TIMESTAMP_REPLY: return ICMPV4_TIMESTAMP;
    case ICMPV4_INFO_REQUEST: return ICMPV4_INFO_REPLY;
    case ICMPV4_INFO_REPLY: return ICMPV4_INFO_REQUEST;
    case ICMPV4_ADDRESS: return ICMPV4_ADDRESS_REPLY;
    case ICMPV4_ADDRESS_REPLY: return ICMPV4_ADDRESS;
    case ICMPV4_ROUTER_SOLICIT: return ICMPV4_ROUTER_ADVERT;
    case ICMPV4_ROUTER_ADVERT: return ICMPV4_ROUTER_SOLICIT;
    default: return type;
    }
}

/* Highest code defined for a known type; -1 for an unknown type. */
static int decode_icmpv4_max_code(uint8_t type)
{
    switch (type) {
    case ICMPV4_DEST_UNREACH: return 15;
    case ICMPV4_REDIRECT: return 3;
    case ICMPV4_TIME_EXCEEDED: return 1;
    case ICMPV4_PARAM_PROBLEM: return 2;
    case ICMPV4_ROUTER_ADVERT: return 16; /* 16: does not route common traffic */
    case ICMPV4_ECHO_REPLY:
    case ICMPV4_SOURCE_QUENCH:
    case ICMPV4_ECHO:
    case ICMPV4_ROUTER_SOLICIT:
    case ICMPV4_TIMESTAMP:
    case ICMPV4_TIMESTAMP_REPLY:
    case ICMPV4_INFO_REQUEST:
    case ICMPV4_INFO_REPLY:
    case ICMPV4_ADDRESS:
    case ICMPV4_ADDRESS_REPLY:
        return 0;
    default:
        return -1;
    }
}

static bool decode_icmpv4_is_error(uint8_t type)
{
    return type == ICMPV4_DEST_UNREACH || type == ICMPV4_SOURCE_QUENCH ||
           type == ICMPV4_REDIRECT || type == ICMPV4_TIME_EXCEEDED ||
           type == ICMPV4_PARAM_PROBLEM;
}

static void decode_icmpv4_quoted_ports(struct packet_embedded *e, const uint8_t *l4)
{
    switch (e->proto) {
    case 6:   /* TCP */
    case 17:  /* UDP */
    case 132: /* SCTP */
        e->sp = decode_be16(l4);
        e->dp = decode_be16(l4 + 2);
        break;
    case 1:
        e->sp = l4[0];
        e->dp = decode_icmpv4_counterpart(l4[0]);
        break;
    default:
        e->sp = 0;
        e->dp = 0;
        break;
    }
}

/* The quoted datagram of an error: its IPv4 header and first 8 bytes. A
 * broken quote is reported but leaves the ICMP packet itself valid. */
static void decode_icmpv4_quote(struct decode_ctx *ctx, struct packet *p, const uint8_t *q,
                                uint32_t len)
{
    if (len < ICMPV4_QUOTE_IPV4_MIN) {
        decode_set_event(ctx, p, DECODE_EV_ICMPV4_IPV4_TRUNC_PKT);
        return;
    }
    if ((q[0] >> 4) != 4) {
        decode_set_event(ctx, p, DECODE_EV_ICMPV4_IPV4_UNKNOWN_VER);
        return;
    }
    const uint32_t hlen = (uint32_t)(q[0] & 0x0f) * 4;
    if (hlen < ICMPV4_QUOTE_IPV4_MIN || len < hlen + ICMPV4_QUOTE_L4_LEN) {
        decode_set_event(ctx, p, DECODE_EV_ICMPV4_IPV4_TRUNC_PKT);
        return;
    }
    struct packet_embedded *e = &p->embedded;
    memset(e, 0, sizeof(*e));
    e->ip_version = 4;
    e->proto = q[9];
    memcpy(&e->src.w[0], q + 12, 4);
    memcpy(&e->dst.w[0], q + 16, 4);
    decode_icmpv4_quoted_ports(e, q + hlen);
    p->flags |= PKT_ICMP_ERROR;
}

int decode_icmpv4(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.icmpv4++;
    if (len < ICMPV4_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ICMPV4_PKT_TOO_SMALL);
    const uint8_t type = pkt[0];
    const uint8_t code = pkt[1];
    const int max_code = decode_icmpv4_max_code(type);
    if (max_code < 0)
        decode_set_event(ctx, p, DECODE_EV_ICMPV4_UNKNOWN_TYPE);
    else if (code > max_code)
        decode_set_event(ctx, p, DECODE_EV_ICMPV4_UNKNOWN_CODE);

    p->icmp_type = type;
    p->icmp_code = code;
    p->sp = type;
    p->dp = decode_icmpv4_counterpart(type);
    p->payload = pkt + ICMPV4_HEADER_LEN;
    p->payload_len = len - ICMPV4_HEADER_LEN;
    if (decode_icmpv4_is_error(type)) {
        /* Errors belong to the quoted flow, if any: never a flow of their own. */
        decode_icmpv4_quote(ctx, p, p->payload, p->payload_len);
        return 0;
    }
    p->flags |= PKT_HAS_FLOW_KEY;
    return 0;
}
