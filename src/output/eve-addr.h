/* EVE address text: IPv4 dotted quad, IPv6 in Suricata's default fixed form
 * (eight 4-digit lowercase hex groups, no "::" compression). */
#ifndef VIGIL_OUTPUT_EVE_ADDR_H
#define VIGIL_OUTPUT_EVE_ADDR_H

#include <stddef.h>
#include <stdint.h>

#include "decode/packet.h"

/* Longest text: 8 groups of 4 hex digits and 7 colons. */
#define EVE_ADDR_MAX 39

/* Writes the address (IPv6 when ip_version is 6, else IPv4 from b[0..3] in
 * network order) to out without a NUL and returns its length. */
size_t eve_addr_format(char *out, const union vigil_addr *a, uint8_t ip_version);

#endif
