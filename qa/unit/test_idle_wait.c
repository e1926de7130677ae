/* util/idle-wait: an idle streak yields for IDLE_WAIT_SPIN_NS, measured in
 * time rather than polls, and sleeps after that. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <cmocka.h>

#include "util/idle-wait.h"

static uint64_t monotonic_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void test_streak_yields_then_sleeps(void **state)
{
    (void)state;
    assert_false(idle_wait_should_sleep(0));
    assert_false(idle_wait_should_sleep(IDLE_WAIT_SPIN_NS - 1));
    assert_true(idle_wait_should_sleep(IDLE_WAIT_SPIN_NS));
}

/* However many polls: a streak that began more than the spin time ago
 * sleeps (at least the 50 us asked; only a lower bound is certain). */
static void test_old_streak_sleeps(void **state)
{
    (void)state;
    idle_wait(1);
    uint64_t start = monotonic_ns();
    while (monotonic_ns() - start <= IDLE_WAIT_SPIN_NS)
        ;
    uint64_t before = monotonic_ns();
    idle_wait(2);
    assert_true(monotonic_ns() - before >= 50000u);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streak_yields_then_sleeps),
        cmocka_unit_test(test_old_streak_sleeps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
