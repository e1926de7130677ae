/* IPv6 extension header chain: hop-by-hop, routing, destination options,
 * fragment and AH, then the upper-layer payload. */
#ifndef VIGIL_DECODE_IPV6_EXTHDR_H
#define VIGIL_DECODE_IPV6_EXTHDR_H

#include "decode/decode.h"

/* Walks the chain starting with next header nh at pkt[0..len) (the IPv6
 * payload) and decodes what follows it. */
int decode_ipv6_exthdrs(struct decode_ctx *ctx, struct packet *p, uint8_t nh,
                        const uint8_t *pkt, uint32_t len);

#endif
