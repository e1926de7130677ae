/* ERSPAN mirror encapsulations inside GRE (types I, II and III): each one
 * ends in an Ethernet frame, decoded as a tunnel. */
#ifndef VIGIL_DECODE_ERSPAN_H
#define VIGIL_DECODE_ERSPAN_H

#include "decode/decode.h"

int decode_erspan_i(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt);
int decode_erspan_ii(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);
int decode_erspan_iii(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len);

#endif
