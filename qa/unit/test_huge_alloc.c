/* util/huge-alloc: large blocks are 2 MiB aligned and whole huge pages, small
 * ones stay small and cache-line aligned, and all of it is usable memory. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util/huge-alloc.h"

static void fill_and_check(unsigned char *p, size_t bytes)
{
    memset(p, 0xa5, bytes);
    assert_int_equal(p[0], 0xa5);
    assert_int_equal(p[bytes - 1], 0xa5);
}

static void test_large_blocks_are_huge_page_aligned(void **state)
{
    (void)state;
    size_t sizes[] = { HUGE_ALLOC_PAGE, HUGE_ALLOC_PAGE + 1, 3 * HUGE_ALLOC_PAGE + 4096 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *p = huge_alloc(sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % HUGE_ALLOC_PAGE, 0);
        fill_and_check(p, sizes[i]);
        free(p);
    }
}

/* A 4-tracker defrag context or a 64-bucket flow table must not cost a
 * 2 MiB page each: small blocks keep only the buckets' 64-byte alignment. */
static void test_small_blocks_stay_small(void **state)
{
    (void)state;
    size_t sizes[] = { 0, 1, 448, 4096, HUGE_ALLOC_PAGE - 1 };
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        unsigned char *p = huge_alloc(sizes[i]);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 64, 0);
        if (sizes[i] > 0)
            fill_and_check(p, sizes[i]);
        free(p);
    }
}

static void test_overflowing_size_is_refused(void **state)
{
    (void)state;
    assert_null(huge_alloc(SIZE_MAX - 10));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_large_blocks_are_huge_page_aligned),
        cmocka_unit_test(test_small_blocks_stay_small),
        cmocka_unit_test(test_overflowing_size_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
