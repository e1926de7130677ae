/* IPsec ESP (RFC 4303): only SPI and sequence are readable; the flow is
 * keyed by addresses alone (ports 0), as Suricata does. */
#include "decode/layers.h"

#define ESP_HEADER_LEN 8

int decode_esp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.esp++;
    if (len < ESP_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ESP_PKT_TOO_SMALL);
    p->sp = 0;
    p->dp = 0;
    p->payload = pkt + ESP_HEADER_LEN;
    p->payload_len = len - ESP_HEADER_LEN;
    p->flags |= PKT_HAS_FLOW_KEY;
    return 0;
}
