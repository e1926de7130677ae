/* IPv4 header options: validated the way Suricata does, raising
 * ipv4.opt_* events. */
#ifndef VIGIL_DECODE_IPV4_OPTIONS_H
#define VIGIL_DECODE_IPV4_OPTIONS_H

#include "decode/decode.h"

/* Walks the options at opts[0..len); returns -1 (packet invalid) when they
 * cannot be parsed, 0 otherwise (unknown or duplicate options only warn). */
int decode_ipv4_options(struct decode_ctx *ctx, struct packet *p, const uint8_t *opts,
                        uint32_t len);

#endif
