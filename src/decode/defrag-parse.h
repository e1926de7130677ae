/* Fragment parsing for defrag: reads an IPv4 header or an IPv6 header chain
 * up to the Fragment header, bounded by the decoder's l3_len, into one struct. */
#ifndef VIGIL_DECODE_DEFRAG_PARSE_H
#define VIGIL_DECODE_DEFRAG_PARSE_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/packet.h"

struct defrag_frag_info {
    uint8_t ip_version;
    uint8_t proto;            /* IPv4: protocol; IPv6: the Fragment header's next header */
    union vigil_addr src, dst;
    uint32_t id;              /* IPv4 identification or IPv6 fragment id */
    uint32_t offset;          /* payload position in the datagram, bytes */
    bool more;                /* MF / M flag */
    const uint8_t *payload;   /* fragment data, inside the packet */
    uint32_t payload_len;
    uint32_t header_len;      /* IPv4 header, or IPv6 unfragmentable part */
    uint32_t nh_offset;       /* IPv6: from l3, the next-header byte naming the Fragment header */
};

enum defrag_parse_result {
    DEFRAG_PARSE_OK,
    DEFRAG_PARSE_INVALID,      /* not a well-formed, fully captured IP fragment */
    DEFRAG_PARSE_BAD_LENGTH,   /* a non-last fragment empty or not a multiple of 8 */
};

/* Fills fi from p->l3[0..l3_len). */
enum defrag_parse_result defrag_parse(const struct packet *p, struct defrag_frag_info *fi);

#endif
