/* Unit tests for EVE timestamp formatting, checked against gmtime_r. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "output/eve-time.h"

static void check(uint64_t ts_us, const char *want)
{
    char got[EVE_TIME_LEN + 1];
    assert_int_equal(eve_time_format(got, ts_us), EVE_TIME_LEN);
    got[EVE_TIME_LEN] = '\0';
    assert_string_equal(got, want);
}

static void test_known_instants(void **state)
{
    (void)state;
    check(0, "1970-01-01T00:00:00.000000+0000");
    check(1704067200123456ULL, "2024-01-01T00:00:00.123456+0000");
    check(1588781447778571ULL, "2020-05-06T16:10:47.778571+0000");
    check(951782400000001ULL, "2000-02-29T00:00:00.000001+0000");   /* leap day, 400-year rule */
    check(4107542399999999ULL, "2100-02-28T23:59:59.999999+0000");  /* 2100 is not leap */
    check(4107542400000000ULL, "2100-03-01T00:00:00.000000+0000");
    check(253402300799999999ULL, "9999-12-31T23:59:59.999999+0000");
    check(UINT64_MAX, "9999-12-31T23:59:59.999999+0000");            /* clamped */
}

static void test_matches_gmtime_r(void **state)
{
    (void)state;
    srand(99);
    for (int i = 0; i < 200000; i++) {
        uint64_t secs = (((uint64_t)rand() << 31) ^ (uint64_t)rand()) % 253402300800ULL;
        if (i % 4 == 0)
            secs %= 4102444800ULL;  /* dense in 1970..2100 */
        unsigned usec = (unsigned)rand() % 1000000;
        time_t t = (time_t)secs;
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        char want[64];
        snprintf(want, sizeof(want), "%04d-%02d-%02dT%02d:%02d:%02d.%06u+0000",
                 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
                 tm.tm_sec, usec);
        check(secs * 1000000 + usec, want);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_known_instants),
        cmocka_unit_test(test_matches_gmtime_r),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
