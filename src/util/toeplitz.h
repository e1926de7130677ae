/* The Toeplitz hash NICs use for RSS, in software: a plain bitwise form, a
 * table form for the hot path, and the IPv4/IPv6 input tuples NICs hash. */
#ifndef VIGIL_UTIL_TOEPLITZ_H
#define VIGIL_UTIL_TOEPLITZ_H

#include <stddef.h>
#include <stdint.h>

#define TOEPLITZ_KEY_LEN 40

/* Input tuple lengths in bytes: addresses only (L3), then with the ports (L4).
 * The L3 input is the L4 tuple's prefix. */
#define TOEPLITZ_IPV4_L3_LEN 8
#define TOEPLITZ_IPV4_L4_LEN 12
#define TOEPLITZ_IPV6_L3_LEN 32
#define TOEPLITZ_IPV6_L4_LEN 36

/* 0x6D, 0x5A repeated (Woo and Park, "Scalable TCP Session Monitoring with
 * Symmetric Receive-side Scaling"). Input bit i is hashed with the 32 key
 * bits starting at key bit i; a key that repeats every 16 bits gives bit i
 * and bit i + 16k the same window. Swapping source and destination moves
 * address bits by 32 or 128 and port bits by 16, all multiples of 16, so
 * both directions of a flow hash alike. This pattern keeps the spread of
 * the hash good, which most 16-bit periods (e.g. all zeros) would not. */
extern const uint8_t TOEPLITZ_SYMMETRIC_KEY[TOEPLITZ_KEY_LEN];

/* Key bits past key_len count as zero; a key needs input_len + 4 bytes for
 * every input bit to get a full window, as NICs require. */
uint32_t toeplitz_hash(const uint8_t *key, size_t key_len,
                       const uint8_t *input, size_t input_len);

/* The largest input the table form takes: an IPv6 L4 tuple. */
#define TOEPLITZ_TABLE_MAX_INPUT TOEPLITZ_IPV6_L4_LEN

/* For each input byte position and byte value, the XOR of the key windows of
 * that byte's set bits: a hash is one lookup and XOR per input byte. */
struct toeplitz_table {
    size_t max_input_len;
    uint32_t by_position[TOEPLITZ_TABLE_MAX_INPUT][256];
};

/* -1 when max_input_len exceeds TOEPLITZ_TABLE_MAX_INPUT. */
int toeplitz_table_init(struct toeplitz_table *table, const uint8_t *key, size_t key_len,
                        size_t max_input_len);

/* Equal to toeplitz_hash with the table's key; len <= max_input_len. */
uint32_t toeplitz_table_hash(const struct toeplitz_table *table, const uint8_t *input, size_t len);

/* The tuples in network byte order, the layout NICs hash: source address,
 * destination address, source port, destination port. Addresses are the
 * packet's bytes (network order), ports host order. Hash the first
 * TOEPLITZ_IPV*_L3_LEN bytes for an addresses-only hash. */
void toeplitz_ipv4_tuple(uint8_t out[TOEPLITZ_IPV4_L4_LEN], const uint8_t src[4],
                         const uint8_t dst[4], uint16_t src_port, uint16_t dst_port);
void toeplitz_ipv6_tuple(uint8_t out[TOEPLITZ_IPV6_L4_LEN], const uint8_t src[16],
                         const uint8_t dst[16], uint16_t src_port, uint16_t dst_port);

#endif
