/* Internal interface between the per-protocol decoders: each one decodes its
 * header at pkt[0..len) inside p->data and hands the rest to the next layer. */
#ifndef VIGIL_DECODE_LAYERS_H
#define VIGIL_DECODE_LAYERS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/decode.h"

/* Layer decoders return 0 when decoding went on as far as it could, -1 when
 * it stopped on a malformation (the packet is then PKT_INVALID). */

static inline uint16_t decode_be16(const uint8_t *b)
{
    return (uint16_t)((b[0] << 8) | b[1]);
}

static inline uint32_t decode_be32(const uint8_t *b)
{
    return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

/* Raises ev, marks p invalid and returns -1, the common way a layer gives up. */
static inline int decode_invalid(struct decode_ctx *ctx, struct packet *p, enum decode_event ev)
{
    decode_set_event(ctx, p, ev);
    p->flags |= PKT_INVALID;
    return -1;
}

static inline uint32_t decode_offset(const struct packet *p, const uint8_t *pkt)
{
    return (uint32_t)(pkt - p->data);
}

/* Link layers. */
int decode_ethernet(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_ethertype(struct decode_ctx *ctx, struct packet *p, uint16_t type,
                     const uint8_t *pkt, uint32_t len);
int decode_vlan(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_pppoe_session(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_pppoe_discovery(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_ppp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_ppp_protocol(struct decode_ctx *ctx, struct packet *p, uint16_t proto,
                        const uint8_t *pkt, uint32_t len);
int decode_sll(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_sll2(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_null(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len,
                bool network_order);
int decode_raw(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_arp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_mpls(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);

/* Network layers. */
int decode_ipv4(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_ipv6(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
/* Decodes the IP payload of protocol proto (shared by IPv4 and IPv6). */
int decode_ip_payload(struct decode_ctx *ctx, struct packet *p, uint8_t proto,
                      const uint8_t *pkt, uint32_t len);

/* Transport layers. */
int decode_tcp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_udp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_icmpv4(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_icmpv6(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_sctp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_esp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);

/* Tunnels: they record the inner start in p, decode_tunnel_inner() does the rest. */
int decode_gre(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
bool decode_vxlan(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
bool decode_geneve(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
bool decode_teredo(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
void decode_set_tunnel(struct packet *p, enum packet_tunnel_type type, const uint8_t *inner);

/* ICMP type pairing: the type a reply (or request) to type has; type itself
 * when there is none. */
uint8_t decode_icmpv4_counterpart(uint8_t type);
uint8_t decode_icmpv6_counterpart(uint8_t type);

#endif
