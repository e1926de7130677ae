/* Unit tests for the SPSC ring: order, wrap-around, full and empty, partial
 * bursts, and 10M objects through two threads without loss or reordering. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "util/spsc-ring.h"

#define SEQ(v) ((void *)(uintptr_t)(v))

static void test_init_rounds_to_power_of_two(void **state)
{
    (void)state;
    struct spsc_ring r;
    assert_int_equal(spsc_ring_init(&r, 5), 0);
    assert_int_equal(r.capacity, 8);
    assert_int_equal(spsc_ring_free_count(&r), 8);
    spsc_ring_destroy(&r);
    assert_int_equal(spsc_ring_init(&r, 1), 0);
    assert_int_equal(r.capacity, 1);
    spsc_ring_destroy(&r);
    assert_int_equal(spsc_ring_init(&r, 0), -1);
    assert_int_equal(spsc_ring_init(&r, SPSC_RING_MAX_CAPACITY + 1), -1);
}

static void test_full_and_empty(void **state)
{
    (void)state;
    struct spsc_ring r;
    assert_int_equal(spsc_ring_init(&r, 4), 0);
    void *out[8];
    assert_int_equal(spsc_ring_dequeue_burst(&r, out, 1), 0);
    assert_int_equal(spsc_ring_count(&r), 0);
    for (uintptr_t i = 0; i < 4; i++) {
        void *obj = SEQ(i + 1);
        assert_int_equal(spsc_ring_enqueue_burst(&r, &obj, 1), 1);
    }
    void *extra = SEQ(99);
    assert_int_equal(spsc_ring_enqueue_burst(&r, &extra, 1), 0);
    assert_int_equal(spsc_ring_count(&r), 4);
    assert_int_equal(spsc_ring_free_count(&r), 0);
    assert_int_equal(spsc_ring_dequeue_burst(&r, out, 8), 4);
    for (uintptr_t i = 0; i < 4; i++)
        assert_ptr_equal(out[i], SEQ(i + 1));
    assert_int_equal(spsc_ring_dequeue_burst(&r, out, 8), 0);
    assert_int_equal(spsc_ring_free_count(&r), 4);
    assert_int_equal(spsc_ring_enqueue_burst(&r, out, 0), 0);
    spsc_ring_destroy(&r);
}

static void test_burst_larger_than_space(void **state)
{
    (void)state;
    struct spsc_ring r;
    assert_int_equal(spsc_ring_init(&r, 8), 0);
    void *in[20], *out[20];
    for (uintptr_t i = 0; i < 20; i++)
        in[i] = SEQ(i);
    assert_int_equal(spsc_ring_enqueue_burst(&r, in, 5), 5);
    assert_int_equal(spsc_ring_enqueue_burst(&r, in + 5, 10), 3);
    assert_int_equal(spsc_ring_dequeue_burst(&r, out, 2), 2);
    assert_int_equal(spsc_ring_enqueue_burst(&r, in + 8, 12), 2);
    assert_int_equal(spsc_ring_dequeue_burst(&r, out + 2, 20), 8);
    for (uintptr_t i = 0; i < 10; i++)
        assert_ptr_equal(out[i], SEQ(i));
    spsc_ring_destroy(&r);
}

/* Mixed burst sizes walk the slot index across the end of the array many times. */
static void test_order_across_wrap(void **state)
{
    (void)state;
    struct spsc_ring r;
    assert_int_equal(spsc_ring_init(&r, 8), 0);
    uintptr_t next_in = 0, next_out = 0;
    void *buf[8];
    for (unsigned round = 0; round < 5000; round++) {
        unsigned want = 1 + round % 7;
        for (unsigned i = 0; i < want; i++)
            buf[i] = SEQ(next_in + i);
        unsigned put = spsc_ring_enqueue_burst(&r, buf, want);
        assert_true(put <= want);
        next_in += put;
        assert_int_equal(spsc_ring_count(&r), next_in - next_out);
        unsigned got = spsc_ring_dequeue_burst(&r, buf, 1 + round % 5);
        for (unsigned i = 0; i < got; i++)
            assert_ptr_equal(buf[i], SEQ(next_out + i));
        next_out += got;
    }
    assert_true(next_in > 10000);
    spsc_ring_destroy(&r);
}

/* The free-running 32-bit indices overflow after 2^32 objects; start just before. */
static void test_index_overflow(void **state)
{
    (void)state;
    struct spsc_ring r;
    assert_int_equal(spsc_ring_init(&r, 16), 0);
    uint32_t start = UINT32_MAX - 5;
    atomic_store(&r.head, start);
    atomic_store(&r.tail, start);
    r.head_cache = start;
    r.tail_cache = start;
    void *in[16], *out[16];
    for (uintptr_t i = 0; i < 16; i++)
        in[i] = SEQ(i + 100);
    assert_int_equal(spsc_ring_enqueue_burst(&r, in, 16), 16);
    assert_int_equal(spsc_ring_count(&r), 16);
    assert_int_equal(spsc_ring_enqueue_burst(&r, in, 1), 0);
    assert_int_equal(spsc_ring_dequeue_burst(&r, out, 10), 10);
    assert_int_equal(spsc_ring_enqueue_burst(&r, in, 10), 10);
    assert_int_equal(spsc_ring_dequeue_burst(&r, out + 10, 6), 6);
    for (uintptr_t i = 0; i < 16; i++)
        assert_ptr_equal(out[i], SEQ(i + 100));
    assert_int_equal(spsc_ring_dequeue_burst(&r, out, 16), 10);
    for (uintptr_t i = 0; i < 10; i++)
        assert_ptr_equal(out[i], SEQ(i + 100));
    assert_true(atomic_load(&r.head) < start);
    spsc_ring_destroy(&r);
}

struct threaded_run {
    struct spsc_ring ring;
    uintptr_t objects;
    uint32_t max_burst;
    uintptr_t received;
    uintptr_t out_of_order;
};

static void *threaded_producer(void *arg)
{
    struct threaded_run *run = arg;
    void *buf[64];
    uintptr_t next = 1;
    unsigned burst = 1;
    while (next <= run->objects) {
        burst = burst % run->max_burst + 1;
        unsigned n = burst;
        if (next + n - 1 > run->objects)
            n = (unsigned)(run->objects - next + 1);
        for (unsigned i = 0; i < n; i++)
            buf[i] = SEQ(next + i);
        unsigned put = spsc_ring_enqueue_burst(&run->ring, buf, n);
        if (put == 0)
            sched_yield();
        next += put;
    }
    return NULL;
}

static void *threaded_consumer(void *arg)
{
    struct threaded_run *run = arg;
    void *buf[64];
    uintptr_t expect = 1;
    unsigned burst = 3;
    while (expect <= run->objects) {
        burst = burst % (run->max_burst + 5) + 1;
        unsigned got = spsc_ring_dequeue_burst(&run->ring, buf, burst);
        if (got == 0)
            sched_yield();
        for (unsigned i = 0; i < got; i++) {
            if (buf[i] != SEQ(expect))
                run->out_of_order++;
            expect++;
        }
    }
    run->received = expect - 1;
    return NULL;
}

static void run_threaded(uintptr_t objects, uint32_t capacity, uint32_t max_burst)
{
    struct threaded_run run = {.objects = objects, .max_burst = max_burst};
    assert_int_equal(spsc_ring_init(&run.ring, capacity), 0);
    pthread_t prod, cons;
    assert_int_equal(pthread_create(&cons, NULL, threaded_consumer, &run), 0);
    assert_int_equal(pthread_create(&prod, NULL, threaded_producer, &run), 0);
    assert_int_equal(pthread_join(prod, NULL), 0);
    assert_int_equal(pthread_join(cons, NULL), 0);
    assert_int_equal(run.received, objects);
    assert_int_equal(run.out_of_order, 0);
    assert_int_equal(spsc_ring_count(&run.ring), 0);
    spsc_ring_destroy(&run.ring);
}

static void test_two_threads_10m_in_order(void **state)
{
    (void)state;
    run_threaded(10000000, 1024, 32);
}

/* A ring smaller than the bursts keeps both sides on the full and empty edges. */
static void test_two_threads_tiny_ring(void **state)
{
    (void)state;
    run_threaded(1000000, 4, 7);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_init_rounds_to_power_of_two),
        cmocka_unit_test(test_full_and_empty),
        cmocka_unit_test(test_burst_larger_than_space),
        cmocka_unit_test(test_order_across_wrap),
        cmocka_unit_test(test_index_overflow),
        cmocka_unit_test(test_two_threads_10m_in_order),
        cmocka_unit_test(test_two_threads_tiny_ring),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
