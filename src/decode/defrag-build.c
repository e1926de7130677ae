/* Defrag output: lays out a complete tracker as one frame and rewrites the
 * IP header so the datagram no longer looks fragmented. */
#include "decode/defrag-tracker.h"

#define IP_MAX_DATAGRAM 65535u
#define IPV6_HEADER 40u
#define IPV4_KEEP_FLAGS 0xc000u   /* reserved and DF survive; MF and offset go */

static void write_be16(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 8);
    b[1] = (uint8_t)v;
}

static uint16_t ipv4_checksum(const uint8_t *h, uint32_t len)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i + 1 < len; i += 2)
        sum += (uint32_t)(h[i] << 8 | h[i + 1]);
    while (sum >> 16)
        sum = (sum & 0xffffu) + (sum >> 16);
    return (uint16_t)~sum;
}

static void fix_ipv4(uint8_t *ip, uint32_t hlen, uint32_t total)
{
    write_be16(ip + 2, total);
    write_be16(ip + 6, (uint32_t)((ip[6] << 8 | ip[7]) & IPV4_KEEP_FLAGS));
    write_be16(ip + 10, 0);
    write_be16(ip + 10, ipv4_checksum(ip, hlen));
}

/* The data of each entry fills what the entries before it (lower offset, or
 * same offset and earlier) left open: that is the BSD winner of every byte. */
static void copy_data(const struct defrag_tracker *t, const struct defrag_pool *pool,
                      uint8_t *out)
{
    uint32_t filled = 0;
    for (uint32_t i = t->frag_head; i != DEFRAG_NONE && filled < t->datagram_len;
         i = pool->frags[i].next) {
        const struct defrag_frag *e = &pool->frags[i];
        uint32_t start = e->offset > filled ? e->offset : filled;
        uint32_t end = e->offset + e->len;
        if (end > t->datagram_len)
            end = t->datagram_len;
        if (end <= start)
            continue;
        defrag_pool_load(pool, e->chunk, start - e->offset, end - start, out + start);
        filled = end;
    }
}

uint32_t defrag_tracker_build(const struct defrag_tracker *t, const struct defrag_pool *pool,
                              uint8_t *buf, uint32_t cap)
{
    uint32_t ip_len = t->prefix_ip_len + t->datagram_len;
    uint32_t counted = t->key.ip_version == 4 ? ip_len : ip_len - IPV6_HEADER;
    if (counted > IP_MAX_DATAGRAM || t->prefix_l2_len + ip_len > cap)
        return 0;
    uint8_t *ip = buf + t->prefix_l2_len;
    defrag_pool_load(pool, t->l2_chunk, 0, t->prefix_l2_len, buf);
    defrag_pool_load(pool, t->ip_chunk, 0, t->prefix_ip_len, ip);
    copy_data(t, pool, ip + t->prefix_ip_len);
    if (t->key.ip_version == 4) {
        fix_ipv4(ip, t->prefix_ip_len, ip_len);
    } else {
        ip[t->nh_offset] = t->first_proto;
        write_be16(ip + 4, counted);
    }
    return t->prefix_l2_len + ip_len;
}
