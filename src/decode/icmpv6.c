/* ICMPv6 (RFC 4443 and neighbours): type/code checks, request/reply pairing
 * for the flow key, MLD hop-limit rule and quoted headers of errors. */
#include "decode/layers.h"

#define ICMPV6_HEADER_LEN 8
#define ICMPV6_QUOTE_IPV6_MIN 40

enum icmpv6_type {
    ICMPV6_DST_UNREACH = 1,
    ICMPV6_PACKET_TOO_BIG = 2,
    ICMPV6_TIME_EXCEEDED = 3,
    ICMPV6_PARAM_PROB = 4,
    ICMPV6_PRIVATE_EXP_1 = 100,
    ICMPV6_PRIVATE_EXP_2 = 101,
    ICMPV6_ERROR_RESERVED = 127,
    ICMPV6_ECHO_REQUEST = 128,
    ICMPV6_ECHO_REPLY = 129,
    ICMPV6_MLD_QUERY = 130,
    ICMPV6_MLD_REPORT = 131,
    ICMPV6_MLD_DONE = 132,
    ICMPV6_ROUTER_SOLICIT = 133,
    ICMPV6_ROUTER_ADVERT = 134,
    ICMPV6_NEIGHBOR_SOLICIT = 135,
    ICMPV6_NEIGHBOR_ADVERT = 136,
    ICMPV6_REDIRECT = 137,
    ICMPV6_MLDV2_REPORT = 143,
    ICMPV6_HOME_AGENT_AD_REQUEST = 144,
    ICMPV6_HOME_AGENT_AD_REPLY = 145,
    ICMPV6_MOBILE_PREFIX_SOLICIT = 146,
    ICMPV6_MOBILE_PREFIX_ADVERT = 147,
    ICMPV6_CERT_PATH_SOLICIT = 148,
    ICMPV6_CERT_PATH_ADVERT = 149,
    ICMPV6_DUPL_ADDR_REQUEST = 157,
    ICMPV6_DUPL_ADDR_CONFIRM = 158,
    ICMPV6_LAST_ASSIGNED = 161,
    ICMPV6_PRIVATE_EXP_3 = 200,
    ICMPV6_PRIVATE_EXP_4 = 201,
    ICMPV6_INFO_RESERVED = 255,
};

uint8_t decode_icmpv6_counterpart(uint8_t type)
{
    switch (type) {
    case ICMPV6_ECHO_REQUEST: return ICMPV6_ECHO_REPLY;
    case ICMPV6_ECHO_REPLY: return ICMPV6_ECHO_REQUEST;
    case ICMPV6_MLD_QUERY: return ICMPV6_MLD_REPORT;
    case ICMPV6_MLD_REPORT: return ICMPV6_MLD_QUERY;
    case ICMPV6_ROUTER_SOLICIT: return ICMPV6_ROUTER_ADVERT;
    case ICMPV6_ROUTER_ADVERT: return ICMPV6_ROUTER_SOLICIT;
    case ICMPV6_NEIGHBOR_SOLICIT: return ICMPV6_NEIGHBOR_ADVERT;
    case ICMPV6_NEIGHBOR_ADVERT: return ICMPV6_NEIGHBOR_SOLICIT;
    case ICMPV6_HOME_AGENT_AD_REQUEST: return ICMPV6_HOME_AGENT_AD_REPLY;
    case ICMPV6_HOME_AGENT_AD_REPLY: return ICMPV6_HOME_AGENT_AD_REQUEST;
    case ICMPV6_MOBILE_PREFIX_SOLICIT: return ICMPV6_MOBILE_PREFIX_ADVERT;
    case ICMPV6_MOBILE_PREFIX_ADVERT: return ICMPV6_MOBILE_PREFIX_SOLICIT;
    case ICMPV6_CERT_PATH_SOLICIT: return ICMPV6_CERT_PATH_ADVERT;
    case ICMPV6_CERT_PATH_ADVERT: return ICMPV6_CERT_PATH_SOLICIT;
    case ICMPV6_DUPL_ADDR_REQUEST: return ICMPV6_DUPL_ADDR_CONFIRM;
    case ICMPV6_DUPL_ADDR_CONFIRM: return ICMPV6_DUPL_ADDR_REQUEST;
    default: return type;
    }
}

static bool decode_icmpv6_is_experimental(uint8_t type)
{
    return type == ICMPV6_PRIVATE_EXP_1 || type == ICMPV6_PRIVATE_EXP_2 ||
           type == ICMPV6_PRIVATE_EXP_3 || type == ICMPV6_PRIVATE_EXP_4;
}

static void decode_icmpv6_check_type(struct decode_ctx *ctx, struct packet *p, uint8_t type,
                                     uint8_t code)
{
    if (decode_icmpv6_is_experimental(type)) {
        decode_set_event(ctx, p, DECODE_EV_ICMPV6_EXPERIMENTATION_TYPE);
    } else if (type == 0 || type == ICMPV6_ERROR_RESERVED || type == ICMPV6_INFO_RESERVED) {
        decode_set_event(ctx, p, DECODE_EV_ICMPV6_UNKNOWN_TYPE);
    } else if ((type > ICMPV6_PARAM_PROB && type < ICMPV6_ECHO_REQUEST) ||
               type > ICMPV6_LAST_ASSIGNED) {
        decode_set_event(ctx, p, DECODE_EV_ICMPV6_UNASSIGNED_TYPE);
    } else {
        int max_code = 0;
        if (type == ICMPV6_DST_UNREACH)
            max_code = 8;
        else if (type == ICMPV6_TIME_EXCEEDED)
            max_code = 1;
        else if (type == ICMPV6_PARAM_PROB)
            max_code = 10;
        else if (type > ICMPV6_REDIRECT)
            max_code = 255; /* router renumbering and later types define their own codes */
        if (code > max_code)
            decode_set_event(ctx, p, DECODE_EV_ICMPV6_UNKNOWN_CODE);
    }
}

/* MLD must stay on the link (RFC 2710): a hop limit other than 1 is forged. */
static void decode_icmpv6_check_mld(struct decode_ctx *ctx, struct packet *p, uint8_t type)
{
    if (type != ICMPV6_MLD_QUERY && type != ICMPV6_MLD_REPORT && type != ICMPV6_MLD_DONE &&
        type != ICMPV6_MLDV2_REPORT)
        return;
    if (p->l3 != NULL && p->l3[7] != 1)
        decode_set_event(ctx, p, DECODE_EV_ICMPV6_MLD_MESSAGE_WITH_INVALID_HL);
}

static void decode_icmpv6_quote(struct decode_ctx *ctx, struct packet *p, const uint8_t *q,
                                uint32_t len)
{
    if (len < ICMPV6_QUOTE_IPV6_MIN)
        decode_set_event(ctx, p, DECODE_EV_ICMPV6_IPV6_TRUNC_PKT);
    else if ((q[0] >> 4) != 6)
        decode_set_event(ctx, p, DECODE_EV_ICMPV6_IPV6_UNKNOWN_VERSION);
}

int decode_icmpv6(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.icmpv6++;
    if (len < ICMPV6_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ICMPV6_PKT_TOO_SMALL);
    const uint8_t type = pkt[0];
    decode_icmpv6_check_type(ctx, p, type, pkt[1]);
    decode_icmpv6_check_mld(ctx, p, type);

    p->icmp_type = type;
    p->icmp_code = pkt[1];
    p->sp = type;
    p->dp = decode_icmpv6_counterpart(type);
    p->payload = pkt + ICMPV6_HEADER_LEN;
    p->payload_len = len - ICMPV6_HEADER_LEN;
    /* Unlike ICMPv4 errors, ICMPv6 errors are ordinary flows keyed by type. */
    if (type >= ICMPV6_DST_UNREACH && type <= ICMPV6_PARAM_PROB)
        decode_icmpv6_quote(ctx, p, p->payload, p->payload_len);
    p->flags |= PKT_HAS_FLOW_KEY;
    return 0;
}
