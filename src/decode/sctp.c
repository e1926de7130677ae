/* SCTP (RFC 9260): common header for the flow key, then a walk over the
 * chunks reporting malformed or suspicious ones. */
#include "decode/layers.h"

#define SCTP_HEADER_LEN 12
#define SCTP_CHUNK_HEADER_LEN 4
#define SCTP_CHUNK_DATA 0
#define SCTP_CHUNK_INIT 1

/* Chunk problems only warn: the association's packets still count. */
static void decode_sctp_chunks(struct decode_ctx *ctx, struct packet *p, uint32_t vtag,
                               const uint8_t *c, uint32_t len)
{
    uint32_t chunks = 0;
    bool init = false;

    while (len > 0) {
        if (len < SCTP_CHUNK_HEADER_LEN) {
            decode_set_event(ctx, p, DECODE_EV_SCTP_CHUNK_TOO_SMALL);
            return;
        }
        const uint32_t clen = decode_be16(c + 2);
        if (clen < SCTP_CHUNK_HEADER_LEN || clen > len) {
            decode_set_event(ctx, p, DECODE_EV_SCTP_CHUNK_LEN_INVALID);
            return;
        }
        if (c[0] == SCTP_CHUNK_INIT) {
            init = true;
            if (vtag != 0)
                decode_set_event(ctx, p, DECODE_EV_SCTP_INIT_WITH_NON_ZERO_VTAG);
        } else if (c[0] == SCTP_CHUNK_DATA && vtag == 0) {
            decode_set_event(ctx, p, DECODE_EV_SCTP_DATA_WITH_ZERO_VTAG);
        }
        chunks++;
        /* Chunks are padded to 4 bytes; the last one's padding may be absent. */
        const uint32_t padded = (clen + 3u) & ~3u;
        const uint32_t step = padded < len ? padded : len;
        c += step;
        len -= step;
    }
    /* RFC 9260 3.3.2: INIT must be the only chunk in its packet. */
    if (init && chunks > 1)
        decode_set_event(ctx, p, DECODE_EV_SCTP_INIT_CHUNK_BUNDLED);
}

int decode_sctp(struct decode_ctx *ctx, struct packet *p, const uint8_t *pkt, uint32_t len)
{
    ctx->stats.sctp++;
    if (len < SCTP_HEADER_LEN)
        return decode_invalid(ctx, p, DECODE_EV_SCTP_PKT_TOO_SMALL);
    p->sp = decode_be16(pkt);
    p->dp = decode_be16(pkt + 2);
    decode_sctp_chunks(ctx, p, decode_be32(pkt + 4), pkt + SCTP_HEADER_LEN, len - SCTP_HEADER_LEN);
    p->payload = pkt + SCTP_HEADER_LEN;
    p->payload_len = len - SCTP_HEADER_LEN;
    p->flags |= PKT_HAS_FLOW_KEY;
    return 0;
}
