/* libFuzzer target for the decoder: the first byte picks the link type, the
 * rest is one frame, and tunnels are followed the way the pipeline does. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "decode/decode.h"

static const int fuzz_linktypes[] = {
    DECODE_LINKTYPE_ETHERNET, DECODE_LINKTYPE_NULL, DECODE_LINKTYPE_PPP,
    DECODE_LINKTYPE_RAW, DECODE_LINKTYPE_LOOP, DECODE_LINKTYPE_LINUX_SLL,
    DECODE_LINKTYPE_IPV4, DECODE_LINKTYPE_IPV6, DECODE_LINKTYPE_LINUX_SLL2,
};

/* Two packets suffice: each inner only needs its direct outer. The decoder's
 * recursion cap ends the chain. */
static void fuzz_follow_tunnels(struct decode_ctx *ctx, const struct packet *outer)
{
    struct packet layers[2];
    const struct packet *p = outer;

    for (int i = 0; p->tunnel_type != PACKET_TUNNEL_NONE; i ^= 1) {
        memset(&layers[i], 0, sizeof(layers[i]));
        decode_tunnel_inner(ctx, p, &layers[i]);
        p = &layers[i];
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct decode_ctx ctx;
    static int initialised;
    if (!initialised) {
        decode_ctx_init(&ctx, NULL);
        initialised = 1;
    }
    if (size < 1)
        return 0;
    const size_t n = sizeof(fuzz_linktypes) / sizeof(fuzz_linktypes[0]);
    /* A private copy so ASan flags any read past the frame's end. */
    const size_t len = size - 1;
    uint8_t *frame = malloc(len ? len : 1);
    if (frame == NULL)
        return 0;
    memcpy(frame, data + 1, len);

    struct packet p;
    memset(&p, 0, sizeof(p));
    p.data = frame;
    p.len = (uint32_t)len;
    p.wire_len = (uint32_t)len;
    p.linktype = fuzz_linktypes[data[0] % n];
    p.pcap_cnt = 1;
    decode_packet(&ctx, &p);
    fuzz_follow_tunnels(&ctx, &p);
    free(frame);
    return 0;
}
