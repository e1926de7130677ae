/* Unit tests for the Toeplitz hash: Microsoft's RSS verification vectors, the
 * table form against the plain form, symmetry, and DPDK's rte_softrss. */
#include "config.h"

#include <arpa/inet.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "util/toeplitz.h"

#ifdef HAVE_DPDK
#include <rte_thash.h>
#endif

#define RANDOM_TUPLES 10000

/* rte_softrss reads the key as 32-bit words, so it must be word aligned. */
union key_words {
    uint8_t b[TOEPLITZ_KEY_LEN];
    uint32_t w[TOEPLITZ_KEY_LEN / 4];
};

/* Microsoft's standard RSS key, the one the verification suite uses. */
static const union key_words ms_key = {.b = {
    0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
    0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
    0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
    0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
}};

/* "Verifying the RSS Hash Calculation" (Microsoft), also in Intel's 82599
 * datasheet: each row is a packet from src to dst with its addresses-only
 * and addresses-and-ports hashes. */
struct ms_vector {
    const char *src, *dst;
    uint16_t src_port, dst_port;
    uint32_t hash_l3, hash_l4;
};

static const struct ms_vector ms_ipv4[] = {
    {"66.9.149.187", "161.142.100.80", 2794, 1766, 0x323e8fc2, 0x51ccc178},
    {"199.92.111.2", "65.69.140.83", 14230, 4739, 0xd718262a, 0xc626b0ea},
    {"24.19.198.95", "12.22.207.184", 12898, 38024, 0xd2d0a5de, 0x5c2b394a},
    {"38.27.205.30", "209.142.163.6", 48228, 2217, 0x82989176, 0xafc7327f},
    {"153.39.163.191", "202.188.127.2", 44251, 1303, 0x5d1809c5, 0x10e828a2},
};

static const struct ms_vector ms_ipv6[] = {
    {"3ffe:2501:200:1fff::7", "3ffe:2501:200:3::1", 2794, 1766, 0x2cc18cd5, 0x40207d3d},
    {"3ffe:501:8::260:97ff:fe40:efab", "ff02::1", 14230, 4739, 0x0f0c461c, 0xdde51bbf},
    {"3ffe:1900:4545:3:200:f8ff:fe21:67cf", "fe80::200:f8ff:fe21:67cf", 44251, 38024,
     0x4b61e985, 0x02d1feef},
};

/* A fixed-seed generator so a failure reproduces. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng_next(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void rng_fill(uint8_t *out, size_t len)
{
    for (size_t i = 0; i < len; i++)
        out[i] = (uint8_t)rng_next();
}

struct tuple {
    uint8_t src[16], dst[16];
    uint16_t src_port, dst_port;
};

static struct tuple random_tuple(void)
{
    struct tuple t;
    rng_fill(t.src, sizeof t.src);
    rng_fill(t.dst, sizeof t.dst);
    t.src_port = (uint16_t)rng_next();
    t.dst_port = (uint16_t)rng_next();
    return t;
}

static struct tuple reversed(const struct tuple *t)
{
    struct tuple r = *t;
    memcpy(r.src, t->dst, sizeof r.src);
    memcpy(r.dst, t->src, sizeof r.dst);
    r.src_port = t->dst_port;
    r.dst_port = t->src_port;
    return r;
}

static struct tuple parse_vector(const struct ms_vector *v, int family)
{
    struct tuple t = {.src_port = v->src_port, .dst_port = v->dst_port};
    assert_int_equal(inet_pton(family, v->src, t.src), 1);
    assert_int_equal(inet_pton(family, v->dst, t.dst), 1);
    return t;
}

static uint32_t hash_ipv4(const uint8_t *key, const struct tuple *t, size_t len)
{
    uint8_t in[TOEPLITZ_IPV4_L4_LEN];
    toeplitz_ipv4_tuple(in, t->src, t->dst, t->src_port, t->dst_port);
    return toeplitz_hash(key, TOEPLITZ_KEY_LEN, in, len);
}

static uint32_t hash_ipv6(const uint8_t *key, const struct tuple *t, size_t len)
{
    uint8_t in[TOEPLITZ_IPV6_L4_LEN];
    toeplitz_ipv6_tuple(in, t->src, t->dst, t->src_port, t->dst_port);
    return toeplitz_hash(key, TOEPLITZ_KEY_LEN, in, len);
}

static void test_microsoft_vectors(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof ms_ipv4 / sizeof ms_ipv4[0]; i++) {
        struct tuple t = parse_vector(&ms_ipv4[i], AF_INET);
        assert_int_equal(hash_ipv4(ms_key.b, &t, TOEPLITZ_IPV4_L3_LEN), ms_ipv4[i].hash_l3);
        assert_int_equal(hash_ipv4(ms_key.b, &t, TOEPLITZ_IPV4_L4_LEN), ms_ipv4[i].hash_l4);
    }
    for (size_t i = 0; i < sizeof ms_ipv6 / sizeof ms_ipv6[0]; i++) {
        struct tuple t = parse_vector(&ms_ipv6[i], AF_INET6);
        assert_int_equal(hash_ipv6(ms_key.b, &t, TOEPLITZ_IPV6_L3_LEN), ms_ipv6[i].hash_l3);
        assert_int_equal(hash_ipv6(ms_key.b, &t, TOEPLITZ_IPV6_L4_LEN), ms_ipv6[i].hash_l4);
    }
}

static void test_table_equals_plain(void **state)
{
    (void)state;
    static struct toeplitz_table table;
    uint8_t key[TOEPLITZ_KEY_LEN];
    uint8_t in[TOEPLITZ_TABLE_MAX_INPUT];
    for (int round = 0; round < 20; round++) {
        rng_fill(key, sizeof key);
        assert_int_equal(toeplitz_table_init(&table, key, sizeof key, sizeof in), 0);
        for (size_t len = 0; len <= sizeof in; len++) {
            for (int i = 0; i < 50; i++) {
                rng_fill(in, len);
                assert_int_equal(toeplitz_table_hash(&table, in, len),
                                 toeplitz_hash(key, sizeof key, in, len));
            }
        }
    }
}

static void test_table_refuses_long_input(void **state)
{
    (void)state;
    static struct toeplitz_table table;
    assert_int_equal(toeplitz_table_init(&table, TOEPLITZ_SYMMETRIC_KEY, TOEPLITZ_KEY_LEN,
                                         TOEPLITZ_TABLE_MAX_INPUT + 1), -1);
}

static void test_symmetric_key_is_symmetric(void **state)
{
    (void)state;
    const uint8_t *key = TOEPLITZ_SYMMETRIC_KEY;
    for (int i = 0; i < RANDOM_TUPLES; i++) {
        struct tuple a = random_tuple();
        struct tuple b = reversed(&a);
        assert_int_equal(hash_ipv4(key, &a, TOEPLITZ_IPV4_L4_LEN),
                         hash_ipv4(key, &b, TOEPLITZ_IPV4_L4_LEN));
        assert_int_equal(hash_ipv4(key, &a, TOEPLITZ_IPV4_L3_LEN),
                         hash_ipv4(key, &b, TOEPLITZ_IPV4_L3_LEN));
        assert_int_equal(hash_ipv6(key, &a, TOEPLITZ_IPV6_L4_LEN),
                         hash_ipv6(key, &b, TOEPLITZ_IPV6_L4_LEN));
        assert_int_equal(hash_ipv6(key, &a, TOEPLITZ_IPV6_L3_LEN),
                         hash_ipv6(key, &b, TOEPLITZ_IPV6_L3_LEN));
    }
}

/* The symmetry test above means something only if an ordinary key fails it. */
static void test_standard_key_is_not_symmetric(void **state)
{
    (void)state;
    int differ = 0;
    for (int i = 0; i < 100; i++) {
        struct tuple a = random_tuple();
        struct tuple b = reversed(&a);
        if (hash_ipv4(ms_key.b, &a, TOEPLITZ_IPV4_L4_LEN) !=
            hash_ipv4(ms_key.b, &b, TOEPLITZ_IPV4_L4_LEN))
            differ++;
    }
    assert_true(differ > 90);
}

#ifdef HAVE_DPDK
/* rte_softrss hashes 32-bit words in host order: the IPv4 addresses as
 * rte_be_to_cpu_32 of the header's, the IPv6 addresses word-swapped by
 * rte_thash_load_v6_addrs, and the last word holding sport in its high half
 * and dport in its low half. Reading Vigil's network-order byte tuple as
 * big-endian words gives exactly those words, so both hash one bit string.
 * The tuples here are filled the way DPDK documents, not from Vigil's bytes,
 * so a layout mistake on either side shows. */
static void dpdk_ipv4_tuple(union rte_thash_tuple *out, const struct tuple *t)
{
    uint32_t src, dst;
    memcpy(&src, t->src, 4);
    memcpy(&dst, t->dst, 4);
    out->v4.src_addr = rte_be_to_cpu_32(src);
    out->v4.dst_addr = rte_be_to_cpu_32(dst);
    out->v4.sport = t->src_port;
    out->v4.dport = t->dst_port;
}

static void dpdk_ipv6_tuple(union rte_thash_tuple *out, const struct tuple *t)
{
    struct rte_ipv6_hdr ip;
    memcpy(ip.src_addr, t->src, 16);
    memcpy(ip.dst_addr, t->dst, 16);
    rte_thash_load_v6_addrs(&ip, out);
    out->v6.sport = t->src_port;
    out->v6.dport = t->dst_port;
}

static void test_microsoft_vectors_rte_softrss(void **state)
{
    (void)state;
    union rte_thash_tuple dt;
    for (size_t i = 0; i < sizeof ms_ipv4 / sizeof ms_ipv4[0]; i++) {
        struct tuple t = parse_vector(&ms_ipv4[i], AF_INET);
        dpdk_ipv4_tuple(&dt, &t);
        assert_int_equal(rte_softrss((uint32_t *)&dt.v4, RTE_THASH_V4_L3_LEN, ms_key.b),
                         ms_ipv4[i].hash_l3);
        assert_int_equal(rte_softrss((uint32_t *)&dt.v4, RTE_THASH_V4_L4_LEN, ms_key.b),
                         ms_ipv4[i].hash_l4);
    }
    for (size_t i = 0; i < sizeof ms_ipv6 / sizeof ms_ipv6[0]; i++) {
        struct tuple t = parse_vector(&ms_ipv6[i], AF_INET6);
        dpdk_ipv6_tuple(&dt, &t);
        uint32_t *words = (uint32_t *)&dt.v6;
        assert_int_equal(rte_softrss(words, RTE_THASH_V6_L3_LEN, ms_key.b), ms_ipv6[i].hash_l3);
        assert_int_equal(rte_softrss(words, RTE_THASH_V6_L4_LEN, ms_key.b), ms_ipv6[i].hash_l4);
    }
}

/* Vigil's plain and table hashes against rte_softrss and rte_softrss_be for
 * one direction of a tuple. */
static void assert_matches_dpdk(const struct toeplitz_table *v4_table,
                                const struct toeplitz_table *v6_table,
                                const union key_words *key, const union key_words *be_key,
                                const struct tuple *t)
{
    union rte_thash_tuple dt;
    uint8_t in[TOEPLITZ_IPV6_L4_LEN];

    dpdk_ipv4_tuple(&dt, t);
    toeplitz_ipv4_tuple(in, t->src, t->dst, t->src_port, t->dst_port);
    uint32_t v4 = hash_ipv4(key->b, t, TOEPLITZ_IPV4_L4_LEN);
    assert_int_equal(v4, rte_softrss((uint32_t *)&dt.v4, RTE_THASH_V4_L4_LEN, key->b));
    assert_int_equal(v4, rte_softrss_be((uint32_t *)&dt.v4, RTE_THASH_V4_L4_LEN, be_key->b));
    assert_int_equal(v4, toeplitz_table_hash(v4_table, in, TOEPLITZ_IPV4_L4_LEN));

    dpdk_ipv6_tuple(&dt, t);
    toeplitz_ipv6_tuple(in, t->src, t->dst, t->src_port, t->dst_port);
    uint32_t *words = (uint32_t *)&dt.v6;
    uint32_t v6 = hash_ipv6(key->b, t, TOEPLITZ_IPV6_L4_LEN);
    assert_int_equal(v6, rte_softrss(words, RTE_THASH_V6_L4_LEN, key->b));
    assert_int_equal(v6, rte_softrss_be(words, RTE_THASH_V6_L4_LEN, be_key->b));
    assert_int_equal(v6, toeplitz_table_hash(v6_table, in, TOEPLITZ_IPV6_L4_LEN));
}

static void compare_with_rte_softrss(const uint8_t key_bytes[TOEPLITZ_KEY_LEN])
{
    static struct toeplitz_table v4_table, v6_table;
    union key_words key, be_key;
    memcpy(key.b, key_bytes, TOEPLITZ_KEY_LEN);
    rte_convert_rss_key(key.w, be_key.w, TOEPLITZ_KEY_LEN);
    assert_int_equal(toeplitz_table_init(&v4_table, key.b, TOEPLITZ_KEY_LEN,
                                         TOEPLITZ_IPV4_L4_LEN), 0);
    assert_int_equal(toeplitz_table_init(&v6_table, key.b, TOEPLITZ_KEY_LEN,
                                         TOEPLITZ_IPV6_L4_LEN), 0);
    for (int i = 0; i < RANDOM_TUPLES; i++) {
        struct tuple a = random_tuple();
        struct tuple b = reversed(&a);
        assert_matches_dpdk(&v4_table, &v6_table, &key, &be_key, &a);
        assert_matches_dpdk(&v4_table, &v6_table, &key, &be_key, &b);
    }
}

static void test_symmetric_key_matches_rte_softrss(void **state)
{
    (void)state;
    compare_with_rte_softrss(TOEPLITZ_SYMMETRIC_KEY);
}

/* The symmetric key hashes a tuple with its ports (or addresses) swapped
 * alike, so it cannot show a field-order mistake; a random key can. */
static void test_random_key_matches_rte_softrss(void **state)
{
    (void)state;
    uint8_t key[TOEPLITZ_KEY_LEN];
    rng_fill(key, sizeof key);
    compare_with_rte_softrss(key);
}
#else
static void test_rte_softrss_comparison(void **state)
{
    (void)state;
    print_message("built without DPDK: no comparison with rte_softrss\n");
    skip();
}
#endif

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_microsoft_vectors),
        cmocka_unit_test(test_table_equals_plain),
        cmocka_unit_test(test_table_refuses_long_input),
        cmocka_unit_test(test_symmetric_key_is_symmetric),
        cmocka_unit_test(test_standard_key_is_not_symmetric),
#ifdef HAVE_DPDK
        cmocka_unit_test(test_microsoft_vectors_rte_softrss),
        cmocka_unit_test(test_symmetric_key_matches_rte_softrss),
        cmocka_unit_test(test_random_key_matches_rte_softrss),
#else
        cmocka_unit_test(test_rte_softrss_comparison),
#endif
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
