/* Toeplitz hash: the bitwise definition, its per-byte lookup tables, and the
 * RSS input tuples. */
#include "util/toeplitz.h"

#include <string.h>

const uint8_t TOEPLITZ_SYMMETRIC_KEY[TOEPLITZ_KEY_LEN] = {
    0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
    0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
    0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
    0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a, 0x6d, 0x5a,
};

static uint32_t key_bit(const uint8_t *key, size_t key_len, size_t bit)
{
    if (bit / 8 >= key_len)
        return 0;
    return (key[bit / 8] >> (7 - bit % 8)) & 1u;
}

/* The 32 key bits starting at key bit `bit`, most significant first. */
static uint32_t key_window(const uint8_t *key, size_t key_len, size_t bit)
{
    uint32_t window = 0;
    for (size_t i = 0; i < 32; i++)
        window = (window << 1) | key_bit(key, key_len, bit + i);
    return window;
}

uint32_t toeplitz_hash(const uint8_t *key, size_t key_len,
                       const uint8_t *input, size_t input_len)
{
    uint32_t hash = 0;
    uint32_t window = key_window(key, key_len, 0);
    for (size_t bit = 0; bit < input_len * 8; bit++) {
        if ((input[bit / 8] >> (7 - bit % 8)) & 1u)
            hash ^= window;
        window = (window << 1) | key_bit(key, key_len, bit + 32);
    }
    return hash;
}

int toeplitz_table_init(struct toeplitz_table *table, const uint8_t *key, size_t key_len,
                        size_t max_input_len)
{
    if (max_input_len > TOEPLITZ_TABLE_MAX_INPUT)
        return -1;
    table->max_input_len = max_input_len;
    for (size_t pos = 0; pos < max_input_len; pos++) {
        uint32_t bit_window[8];
        for (unsigned b = 0; b < 8; b++)
            bit_window[b] = key_window(key, key_len, pos * 8 + b);
        for (unsigned value = 0; value < 256; value++) {
            uint32_t h = 0;
            for (unsigned b = 0; b < 8; b++)
                if (value & (0x80u >> b))
                    h ^= bit_window[b];
            table->by_position[pos][value] = h;
        }
    }
    return 0;
}

uint32_t toeplitz_table_hash(const struct toeplitz_table *table, const uint8_t *input, size_t len)
{
    uint32_t hash = 0;
    for (size_t pos = 0; pos < len; pos++)
        hash ^= table->by_position[pos][input[pos]];
    return hash;
}

static void put_be16(uint8_t *out, uint16_t v)
{
    out[0] = (uint8_t)(v >> 8);
    out[1] = (uint8_t)v;
}

static void put_tuple(uint8_t *out, const uint8_t *src, const uint8_t *dst, size_t addr_len,
                      uint16_t src_port, uint16_t dst_port)
{
    memcpy(out, src, addr_len);
    memcpy(out + addr_len, dst, addr_len);
    put_be16(out + 2 * addr_len, src_port);
    put_be16(out + 2 * addr_len + 2, dst_port);
}

void toeplitz_ipv4_tuple(uint8_t out[TOEPLITZ_IPV4_L4_LEN], const uint8_t src[4],
                         const uint8_t dst[4], uint16_t src_port, uint16_t dst_port)
{
    put_tuple(out, src, dst, 4, src_port, dst_port);
}

void toeplitz_ipv6_tuple(uint8_t out[TOEPLITZ_IPV6_L4_LEN], const uint8_t src[16],
                         const uint8_t dst[16], uint16_t src_port, uint16_t dst_port)
{
    put_tuple(out, src, dst, 16, src_port, dst_port);
}
