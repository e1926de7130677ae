/* ARP over Ethernet for IPv4: counted and checked, never a flow. */
#include "decode/layers.h"

#define ARP_FIXED_LEN 8
#define ARP_ETHER_IPV4_LEN 28
#define ARP_HW_ETHERNET 1
#define ARP_PROTO_IPV4 0x0800
/* Opcodes 1..4: ARP request/reply and RARP request/reply. */
#define ARP_OPCODE_MAX 4

int decode_arp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.arp++;
    if (len < ARP_FIXED_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ARP_PKT_TOO_SMALL);
    if (decode_be16(pkt) != ARP_HW_ETHERNET)
        return decode_invalid(ctx, p, DECODE_EV_ARP_UNSUPPORTED_HARDWARE);
    if (decode_be16(pkt + 2) != ARP_PROTO_IPV4)
        return decode_invalid(ctx, p, DECODE_EV_ARP_UNSUPPORTED_PROTOCOL);
    if (pkt[4] != 6)
        return decode_invalid(ctx, p, DECODE_EV_ARP_INVALID_HARDWARE_SIZE);
    if (pkt[5] != 4)
        return decode_invalid(ctx, p, DECODE_EV_ARP_INVALID_PROTOCOL_SIZE);
    const uint16_t opcode = decode_be16(pkt + 6);
    if (opcode == 0 || opcode > ARP_OPCODE_MAX)
        return decode_invalid(ctx, p, DECODE_EV_ARP_UNSUPPORTED_OPCODE);
    if (len < ARP_ETHER_IPV4_LEN)
        return decode_invalid(ctx, p, DECODE_EV_ARP_PKT_TOO_SMALL);
    return 0;
}
