/* Unit tests for the counter registry and sampling: publish and collect,
 * sum and max merging, gauges, stable name order, concurrent publishers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>

#include <cmocka.h>

#include "runtime/counters.h"
#include "runtime/stats-sample.h"

struct demo_stats {
    uint64_t pkts, bytes, max_size;
};

static const struct counter_field demo_fields[] = {
    {"decoder.pkts", offsetof(struct demo_stats, pkts)},
    {"decoder.bytes", offsetof(struct demo_stats, bytes)},
    {"decoder.max_pkt_size", offsetof(struct demo_stats, max_size)},
};

struct other_stats {
    uint64_t total, tcp;
};

static const struct counter_field other_fields[] = {
    {"flow.total", offsetof(struct other_stats, total)},
    {"flow.tcp", offsetof(struct other_stats, tcp)},
};

static enum counter_merge demo_merge(const char *name)
{
    return strcmp(name, "decoder.max_pkt_size") == 0 ? COUNTER_MAX : COUNTER_SUM;
}

static uint64_t gauge_value(void *arg)
{
    return *(const uint64_t *)arg;
}

static uint64_t total_of(const struct stats_sample *s, const char *name)
{
    long i = stats_sample_find(s, name);
    assert_true(i >= 0);
    return s->totals[i];
}

static void test_publish_and_merge(void **state)
{
    (void)state;
    struct counter_registry r;
    counter_registry_init(&r);
    struct counter_set *a = counter_set_register_merged(&r, "W#01", demo_fields, 3,
                                                        sizeof(struct demo_stats), demo_merge);
    struct counter_set *b = counter_set_register_merged(&r, "W#02", demo_fields, 3,
                                                        sizeof(struct demo_stats), demo_merge);
    assert_non_null(a);
    assert_non_null(b);

    struct stats_sample s;
    stats_sample_init(&s);
    assert_true(stats_sample_collect(&s, &r, 0));
    assert_int_equal(s.name_count, 3);
    assert_int_equal(total_of(&s, "decoder.pkts"), 0);

    struct demo_stats live_a = {10, 1000, 1514}, live_b = {5, 300, 60};
    counter_set_publish(a, &live_a);
    counter_set_publish(b, &live_b);
    live_a.pkts = 999;  /* not published: the sample must not see it */
    assert_true(stats_sample_collect(&s, &r, 42));
    assert_int_equal(s.uptime, 42);
    assert_int_equal(total_of(&s, "decoder.pkts"), 15);
    assert_int_equal(total_of(&s, "decoder.bytes"), 1300);
    assert_int_equal(total_of(&s, "decoder.max_pkt_size"), 1514);

    assert_int_equal(s.thread_count, 2);
    assert_string_equal(s.thread_names[0], "W#01");
    assert_string_equal(s.thread_names[1], "W#02");
    size_t pkts = (size_t)stats_sample_find(&s, "decoder.pkts");
    assert_true(stats_sample_thread_has(&s, 0, pkts));
    assert_int_equal(stats_sample_thread_value(&s, 0, pkts), 10);
    assert_int_equal(stats_sample_thread_value(&s, 1, pkts), 5);

    stats_sample_free(&s);
    counter_registry_destroy(&r);
}

static void test_default_merge_is_sum(void **state)
{
    (void)state;
    struct counter_registry r;
    counter_registry_init(&r);
    struct counter_set *a = counter_set_register(&r, "W#01", demo_fields, 3,
                                                 sizeof(struct demo_stats));
    struct counter_set *b = counter_set_register(&r, "W#02", demo_fields, 3,
                                                 sizeof(struct demo_stats));
    struct demo_stats one = {1, 2, 100}, two = {3, 4, 200};
    counter_set_publish(a, &one);
    counter_set_publish(b, &two);
    struct stats_sample s;
    stats_sample_init(&s);
    assert_true(stats_sample_collect(&s, &r, 0));
    assert_int_equal(total_of(&s, "decoder.max_pkt_size"), 300);
    stats_sample_free(&s);
    counter_registry_destroy(&r);
}

/* Two sets of one thread (decoder and flow counters of W#01) make one
 * thread row; a set registered later appends its names after the others. */
static void test_threads_and_order(void **state)
{
    (void)state;
    struct counter_registry r;
    counter_registry_init(&r);
    uint64_t memuse = 4096;
    assert_int_equal(counter_gauge_register(&r, "flow.memuse", gauge_value, &memuse), 0);
    struct counter_set *dec = counter_set_register(&r, "W#01", demo_fields, 3,
                                                   sizeof(struct demo_stats));
    struct stats_sample s;
    stats_sample_init(&s);
    assert_true(stats_sample_collect(&s, &r, 0));
    assert_int_equal(s.name_count, 4);
    assert_string_equal(s.names[3], "flow.memuse");
    assert_true(s.is_gauge[3]);
    assert_int_equal(s.totals[3], 4096);

    struct counter_set *flow = counter_set_register(&r, "W#01", other_fields, 2,
                                                    sizeof(struct other_stats));
    struct other_stats fs = {7, 6};
    struct demo_stats ds = {9, 900, 90};
    counter_set_publish(flow, &fs);
    counter_set_publish(dec, &ds);
    memuse = 8192;
    assert_true(stats_sample_collect(&s, &r, 0));
    assert_int_equal(s.thread_count, 1);
    assert_int_equal(s.name_count, 6);
    const char *expect[] = {"decoder.pkts", "decoder.bytes", "decoder.max_pkt_size",
                            "flow.memuse", "flow.total", "flow.tcp"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(s.names[i], expect[i]);
    assert_int_equal(s.totals[3], 8192);
    assert_false(stats_sample_thread_has(&s, 0, 3));  /* a gauge has no thread */
    assert_int_equal(stats_sample_thread_value(&s, 0, 4), 7);
    assert_int_equal(stats_sample_thread_value(&s, 0, 0), 9);
    stats_sample_free(&s);
    counter_registry_destroy(&r);
}

static void test_limits(void **state)
{
    (void)state;
    struct counter_registry r;
    counter_registry_init(&r);
    for (size_t i = 0; i < COUNTER_MAX_SETS; i++)
        assert_non_null(counter_set_register(&r, "W", demo_fields, 3, sizeof(struct demo_stats)));
    assert_null(counter_set_register(&r, "W", demo_fields, 3, sizeof(struct demo_stats)));
    uint64_t v = 0;
    for (size_t i = 0; i < COUNTER_MAX_GAUGES; i++)
        assert_int_equal(counter_gauge_register(&r, "g", gauge_value, &v), 0);
    assert_int_equal(counter_gauge_register(&r, "g", gauge_value, &v), -1);
    assert_int_equal(counter_gauge_register(&r, NULL, gauge_value, &v), -1);
    counter_registry_destroy(&r);
}

/* A field whose offset does not fit the struct is ignored, never read. */
static void test_field_outside_struct(void **state)
{
    (void)state;
    static const struct counter_field bad[] = {
        {"decoder.pkts", 0},
        {"decoder.bytes", sizeof(uint64_t)},
    };
    struct counter_registry r;
    counter_registry_init(&r);
    uint64_t live = 5;
    struct counter_set *s1 = counter_set_register(&r, "W#01", bad, 2, sizeof(uint64_t));
    counter_set_publish(s1, &live);
    struct stats_sample s;
    stats_sample_init(&s);
    assert_true(stats_sample_collect(&s, &r, 0));
    assert_int_equal(total_of(&s, "decoder.pkts"), 5);
    assert_int_equal(total_of(&s, "decoder.bytes"), 0);
    stats_sample_free(&s);
    counter_registry_destroy(&r);
}

#define PUBLISH_ROUNDS 20000

struct publisher {
    struct counter_set *set;
    atomic_bool *go;
};

/* Publishes pkts = bytes / 10 every round, so any torn snapshot shows. */
static void *publisher_main(void *arg)
{
    struct publisher *p = arg;
    struct demo_stats live = {0, 0, 0};
    while (!atomic_load(p->go))
        ;
    for (uint64_t i = 1; i <= PUBLISH_ROUNDS; i++) {
        live.pkts = i;
        live.bytes = i * 10;
        live.max_size = i;
        counter_set_publish(p->set, &live);
    }
    return NULL;
}

static void test_concurrent_publish(void **state)
{
    (void)state;
    struct counter_registry r;
    counter_registry_init(&r);
    atomic_bool go = false;
    struct publisher p[2];
    pthread_t th[2];
    for (int i = 0; i < 2; i++) {
        p[i].set = counter_set_register_merged(&r, i == 0 ? "W#01" : "W#02", demo_fields, 3,
                                               sizeof(struct demo_stats), demo_merge);
        p[i].go = &go;
        assert_int_equal(pthread_create(&th[i], NULL, publisher_main, &p[i]), 0);
    }
    struct stats_sample s;
    stats_sample_init(&s);
    atomic_store(&go, true);
    uint64_t last = 0;
    for (int round = 0; round < 2000; round++) {
        assert_true(stats_sample_collect(&s, &r, 0));
        for (size_t t = 0; t < s.thread_count; t++)
            assert_int_equal(stats_sample_thread_value(&s, t, 0) * 10,
                             stats_sample_thread_value(&s, t, 1));
        assert_true(s.totals[0] >= last);
        last = s.totals[0];
    }
    for (int i = 0; i < 2; i++)
        pthread_join(th[i], NULL);
    assert_true(stats_sample_collect(&s, &r, 0));
    assert_int_equal(s.totals[0], 2 * PUBLISH_ROUNDS);
    assert_int_equal(s.totals[2], PUBLISH_ROUNDS);
    stats_sample_free(&s);
    counter_registry_destroy(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_publish_and_merge),
        cmocka_unit_test(test_default_merge_is_sum),
        cmocka_unit_test(test_threads_and_order),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_field_outside_struct),
        cmocka_unit_test(test_concurrent_publish),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
