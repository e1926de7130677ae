/* EVE "proto" values: the protocol names Suricata prints for IP protocol
 * numbers, and the decimal number for protocols without a name. */
#ifndef VIGIL_OUTPUT_EVE_PROTO_H
#define VIGIL_OUTPUT_EVE_PROTO_H

#include <stdint.h>

/* Returns the name, or formats the number into numbuf and returns numbuf. */
const char *eve_proto_name(uint8_t proto, char numbuf[4]);

#endif
