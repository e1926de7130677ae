/* Unit tests for the packet pool: get/put/return accounting, disjoint buffers,
 * and 1M packet cycles between one owner and three returning threads. */
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "capture/packet-pool.h"
#include "util/spsc-ring.h"

static int compare_buffers(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)(*(struct packet *const *)a)->buffer;
    uintptr_t y = (uintptr_t)(*(struct packet *const *)b)->buffer;
    return x < y ? -1 : x > y;
}

/* Takes every packet out, checks each buffer is its own, puts them all back. */
static void assert_buffers_disjoint(struct packet_pool *pool, uint32_t buffer_size)
{
    uint32_t count = packet_pool_count(pool);
    struct packet **all = calloc(count, sizeof(*all));
    assert_non_null(all);
    for (uint32_t i = 0; i < count; i++) {
        all[i] = packet_pool_get(pool);
        assert_non_null(all[i]);
        assert_ptr_equal(all[i]->pool, pool);
        assert_int_equal(all[i]->buffer_size, buffer_size);
        assert_non_null(all[i]->buffer);
        memset(all[i]->buffer, (int)i, buffer_size);
    }
    assert_null(packet_pool_get(pool));
    qsort(all, count, sizeof(*all), compare_buffers);
    for (uint32_t i = 0; i + 1 < count; i++) {
        assert_true(all[i] != all[i + 1]);
        assert_true(all[i]->buffer + buffer_size <= all[i + 1]->buffer);
    }
    for (uint32_t i = 0; i < count; i++)
        packet_pool_put(pool, all[i]);
    free(all);
}

static void test_create_rejects_bad_sizes(void **state)
{
    (void)state;
    assert_null(packet_pool_create(0, 2048, 1));
    assert_null(packet_pool_create(16, 2048, 0));
    assert_null(packet_pool_create(SPSC_RING_MAX_CAPACITY + 1, 64, 1));
    /* 2^52 bytes of buffers cannot be mapped: creation fails and frees the rest. */
    assert_null(packet_pool_create(1u << 20, UINT32_MAX, 1));
    struct packet_pool *pool = packet_pool_create(3, 0, 1);
    assert_non_null(pool);
    struct packet *p = packet_pool_get(pool);
    assert_non_null(p);
    assert_null(p->buffer);
    assert_int_equal(p->buffer_size, 0);
    packet_pool_put(pool, p);
    packet_pool_destroy(pool);
}

static void test_get_put_return_accounting(void **state)
{
    (void)state;
    struct packet_pool *pool = packet_pool_create(4, 100, 2);
    assert_non_null(pool);
    assert_int_equal(packet_pool_count(pool), 4);
    assert_int_equal(packet_pool_available(pool), 4);
    struct packet *p[4];
    for (int i = 0; i < 4; i++) {
        p[i] = packet_pool_get(pool);
        assert_non_null(p[i]);
        for (int j = 0; j < i; j++)
            assert_true(p[i] != p[j]);
    }
    assert_null(packet_pool_get(pool));
    assert_int_equal(packet_pool_available(pool), 0);

    packet_pool_put(pool, p[2]);
    assert_int_equal(packet_pool_available(pool), 1);
    assert_ptr_equal(packet_pool_get(pool), p[2]);

    assert_true(packet_pool_return(pool, 1, p[0]));
    assert_false(packet_pool_return(pool, 2, p[1]));  /* no such ring */
    assert_int_equal(packet_pool_available(pool), 1);
    struct packet *back = packet_pool_get(pool);
    assert_ptr_equal(back, p[0]);
    assert_ptr_equal(back->pool, pool);

    /* A caller that scribbled over the ownership fields gets them back. */
    back->buffer = NULL;
    back->buffer_size = 1;
    uint8_t *buffer0 = p[1]->buffer;
    struct packet *burst[4] = {back, p[1], p[2], p[3]};
    assert_int_equal(packet_pool_return_burst(pool, 0, burst, 4), 4);
    assert_int_equal(packet_pool_available(pool), 4);
    for (int i = 0; i < 4; i++) {
        struct packet *q = packet_pool_get(pool);
        assert_non_null(q);
        assert_non_null(q->buffer);
        assert_int_equal(q->buffer_size, 100);
        if (q == p[1])
            assert_ptr_equal(q->buffer, buffer0);
    }
    assert_null(packet_pool_get(pool));
    for (int i = 0; i < 4; i++)
        packet_pool_put(pool, p[i]);
    assert_buffers_disjoint(pool, 100);
    assert_int_equal(packet_pool_available(pool), 4);
    packet_pool_destroy(pool);
}

/* Every ring holds the whole pool: all packets can wait in one ring at once. */
static void *released[8];
static unsigned released_count;

static void note_released(void **frames, unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        released[released_count++] = frames[i];
}

/* A packet that points into a capture buffer gives it back when the owner
 * takes the packet back, never while a consumer still has it. */
static void test_frames_released_when_taken_back(void **state)
{
    (void)state;
    static int frame_a, frame_b;
    released_count = 0;
    struct packet_pool *pool = packet_pool_create(2, 0, 1);
    assert_non_null(pool);
    packet_pool_set_frame_release(pool, note_released);
    struct packet *a = packet_pool_get(pool);
    struct packet *b = packet_pool_get(pool);
    a->frame = &frame_a;
    b->frame = &frame_b;
    assert_true(packet_pool_return(pool, 0, a));
    assert_int_equal(released_count, 0);
    packet_pool_reclaim(pool);
    assert_int_equal(released_count, 1);
    assert_ptr_equal(released[0], &frame_a);
    assert_null(a->frame);
    assert_true(packet_pool_return(pool, 0, b));
    packet_pool_destroy(pool);
    assert_int_equal(released_count, 2);
    assert_ptr_equal(released[1], &frame_b);
}

static void test_one_ring_holds_every_packet(void **state)
{
    (void)state;
    struct packet_pool *pool = packet_pool_create(100, 64, 3);
    assert_non_null(pool);
    struct packet *all[100];
    for (int i = 0; i < 100; i++)
        all[i] = packet_pool_get(pool);
    for (int i = 0; i < 100; i++)
        assert_true(packet_pool_return(pool, 2, all[i]));
    assert_int_equal(packet_pool_available(pool), 100);
    assert_buffers_disjoint(pool, 64);
    packet_pool_destroy(pool);
}

#define CYCLES 1000000u
#define RETURNERS 3
#define POOL_PACKETS 64
#define POOL_BUFFER 200

/* The test's own per-packet bookkeeping, indexed by an id the owner keeps in
 * p->flow_hash. Plain memory on purpose: the only thing ordering the owner's
 * and the returners' accesses is the rings, so ThreadSanitizer checks them. */
struct cycle_run {
    struct packet_pool *pool;
    struct spsc_ring to_returner[RETURNERS];
    struct packet *known[POOL_PACKETS];
    uint32_t known_count;
    uint8_t out[POOL_PACKETS];             /* 1 while a returner holds it */
    uint64_t gets[POOL_PACKETS];
    uint64_t puts[POOL_PACKETS];
    uint64_t returns[RETURNERS][POOL_PACKETS];
    uint64_t bad_buffers[RETURNERS];
    uint64_t double_returns[RETURNERS];
};

static struct packet stop_marker;

struct returner_arg {
    struct cycle_run *run;
    uint32_t ring;
};

static bool buffer_holds(const struct packet *p, uint8_t byte)
{
    for (uint32_t i = 0; i < p->buffer_size; i++)
        if (p->buffer[i] != byte)
            return false;
    return true;
}

static void *returner(void *arg)
{
    struct returner_arg *a = arg;
    struct cycle_run *run = a->run;
    struct packet *batch[16];
    unsigned turn = 0;
    for (;;) {
        unsigned got = spsc_ring_dequeue_burst(&run->to_returner[a->ring], (void **)batch,
                                               1 + turn++ % 16);
        if (got == 0) {
            sched_yield();
            continue;
        }
        bool stop = false;
        unsigned keep = 0;
        for (unsigned i = 0; i < got; i++) {
            struct packet *p = batch[i];
            if (p == &stop_marker) {
                stop = true;
                continue;
            }
            if (!buffer_holds(p, (uint8_t)p->pcap_cnt))
                run->bad_buffers[a->ring]++;
            if (run->out[p->flow_hash] != 1)
                run->double_returns[a->ring]++;
            run->out[p->flow_hash] = 0;
            run->returns[a->ring][p->flow_hash]++;
            batch[keep++] = p;
        }
        if (turn % 2 == 0) {
            unsigned sent = 0;
            while (sent < keep)
                sent += packet_pool_return_burst(run->pool, a->ring, batch + sent, keep - sent);
        } else {
            for (unsigned i = 0; i < keep; i++)
                while (!packet_pool_return(run->pool, a->ring, batch[i]))
                    sched_yield();
        }
        if (stop)
            return NULL;
    }
}

static uint32_t packet_id(struct cycle_run *run, struct packet *p)
{
    for (uint32_t i = 0; i < run->known_count; i++)
        if (run->known[i] == p) {
            assert_int_equal(p->flow_hash, i);
            return i;
        }
    assert_true(run->known_count < POOL_PACKETS);
    run->known[run->known_count] = p;
    p->flow_hash = run->known_count;
    return run->known_count++;
}

static struct packet *get_waiting(struct packet_pool *pool)
{
    struct packet *p;
    while ((p = packet_pool_get(pool)) == NULL)
        sched_yield();
    return p;
}

static void send_to_returner(struct cycle_run *run, uint32_t ring, struct packet *p)
{
    while (spsc_ring_enqueue_burst(&run->to_returner[ring], (void *const *)&p, 1) == 0)
        sched_yield();
}

static void owner_cycles(struct cycle_run *run)
{
    for (uint64_t seq = 0; seq < CYCLES; seq++) {
        struct packet *p = get_waiting(run->pool);
        uint32_t id = packet_id(run, p);
        assert_ptr_equal(p->pool, run->pool);
        assert_int_equal(p->buffer_size, POOL_BUFFER);
        assert_int_equal(run->out[id], 0);
        run->gets[id]++;
        p->pcap_cnt = seq;
        memset(p->buffer, (uint8_t)seq, POOL_BUFFER);
        if (seq % 11 == 0) {
            assert_true(buffer_holds(p, (uint8_t)seq));
            run->puts[id]++;
            packet_pool_put(run->pool, p);
            continue;
        }
        run->out[id] = 1;
        send_to_returner(run, (uint32_t)(seq % RETURNERS), p);
    }
}

static void test_owner_and_three_returners(void **state)
{
    (void)state;
    struct cycle_run *run = calloc(1, sizeof(*run));
    assert_non_null(run);
    run->pool = packet_pool_create(POOL_PACKETS, POOL_BUFFER, RETURNERS);
    assert_non_null(run->pool);
    pthread_t threads[RETURNERS];
    struct returner_arg args[RETURNERS];
    for (uint32_t i = 0; i < RETURNERS; i++) {
        assert_int_equal(spsc_ring_init(&run->to_returner[i], 16), 0);
        args[i] = (struct returner_arg){.run = run, .ring = i};
        assert_int_equal(pthread_create(&threads[i], NULL, returner, &args[i]), 0);
    }
    owner_cycles(run);
    for (uint32_t i = 0; i < RETURNERS; i++)
        send_to_returner(run, i, &stop_marker);
    for (uint32_t i = 0; i < RETURNERS; i++)
        assert_int_equal(pthread_join(threads[i], NULL), 0);

    assert_int_equal(packet_pool_available(run->pool), POOL_PACKETS);
    /* The free stack hands out the warmest packet first: not all need be seen. */
    assert_in_range(run->known_count, 2 * RETURNERS, POOL_PACKETS);
    uint64_t total_gets = 0, total_back = 0;
    for (uint32_t id = 0; id < POOL_PACKETS; id++) {
        uint64_t back = run->puts[id];
        for (uint32_t r = 0; r < RETURNERS; r++)
            back += run->returns[r][id];
        assert_int_equal(back, run->gets[id]);
        assert_int_equal(run->out[id], 0);
        total_gets += run->gets[id];
        total_back += back;
    }
    assert_int_equal(total_gets, CYCLES);
    assert_int_equal(total_back, CYCLES);
    for (uint32_t r = 0; r < RETURNERS; r++) {
        assert_int_equal(run->bad_buffers[r], 0);
        assert_int_equal(run->double_returns[r], 0);
    }
    assert_buffers_disjoint(run->pool, POOL_BUFFER);
    for (uint32_t i = 0; i < RETURNERS; i++)
        spsc_ring_destroy(&run->to_returner[i]);
    packet_pool_destroy(run->pool);
    free(run);
}

/* Frames bigger than the packets' own buffers borrow a large one, which
 * comes back with the packet (returned through a ring or put back) while
 * the packet gets its own small buffer again at its next get. */
static void test_large_buffers_lent_and_taken_back(void **state)
{
    (void)state;
    struct packet_pool *pool = packet_pool_create(4, 64, 1);
    assert_non_null(pool);
    struct packet *a = packet_pool_get(pool);
    assert_false(packet_pool_attach_large(pool, a)); /* none added */
    assert_true(packet_pool_add_large_buffers(pool, 2, 4096));
    assert_true(packet_pool_attach_large(pool, a));
    assert_int_equal(a->buffer_size, 4096);
    memset(a->buffer, 0xa, 4096);
    struct packet *b = packet_pool_get(pool);
    uint8_t *b_own = b->buffer;
    assert_true(packet_pool_attach_large(pool, b));
    assert_true(b->buffer != a->buffer);
    memset(b->buffer, 0xb, 4096);
    struct packet *c = packet_pool_get(pool);
    assert_false(packet_pool_attach_large(pool, c)); /* both lent */
    /* a comes back through the consumer ring: its large buffer is free again. */
    assert_true(packet_pool_return(pool, 0, a));
    assert_true(packet_pool_attach_large(pool, c));
    assert_int_equal(c->buffer_size, 4096);
    /* b is put back by the owner: its large buffer too. */
    packet_pool_put(pool, b);
    struct packet *again = packet_pool_get(pool);
    assert_ptr_equal(again, b);
    assert_ptr_equal(again->buffer, b_own);
    assert_int_equal(again->buffer_size, 64);
    assert_true(packet_pool_attach_large(pool, again));
    packet_pool_put(pool, again);
    packet_pool_put(pool, c);
    struct packet *d = packet_pool_get(pool);
    assert_int_equal(d->buffer_size, 64);
    packet_pool_put(pool, d);
    packet_pool_reclaim(pool);
    assert_int_equal(packet_pool_available(pool), 4);
    packet_pool_destroy(pool);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_rejects_bad_sizes),
        cmocka_unit_test(test_get_put_return_accounting),
        cmocka_unit_test(test_one_ring_holds_every_packet),
        cmocka_unit_test(test_frames_released_when_taken_back),
        cmocka_unit_test(test_large_buffers_lent_and_taken_back),
        cmocka_unit_test(test_owner_and_three_returners),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
