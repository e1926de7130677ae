/* util/prefetch: PREFETCHW is used exactly where the CPU reports it, and a
 * write prefetch leaves the memory it names as it was. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "util/prefetch.h"

/* True when /proc/cpuinfo's first "flags" line lists flag; -1 when the
 * file or the line is missing. */
static int cpuinfo_has_flag(const char *flag)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (!f)
        return -1;
    char line[8192];
    int found = -1;
    while (found < 0 && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "flags", 5) != 0)
            continue;
        found = 0;
        for (char *word = strtok(strchr(line, ':') + 1, " \n"); word; word = strtok(NULL, " \n"))
            if (strcmp(word, flag) == 0)
                found = 1;
    }
    fclose(f);
    return found;
}

static void test_prefetchw_detected_as_the_kernel_reports(void **state)
{
    (void)state;
#if defined(__x86_64__) || defined(__i386__)
    /* Linux names CPUID 80000001h ECX bit 8 "3dnowprefetch". */
    int listed = cpuinfo_has_flag("3dnowprefetch");
    if (listed < 0)
        skip();
    assert_int_equal(prefetch_has_prefetchw, listed == 1);
#else
    assert_false(prefetch_has_prefetchw);
#endif
}

static void test_prefetch_for_write_changes_nothing(void **state)
{
    (void)state;
    uint8_t bytes[256];
    for (size_t i = 0; i < sizeof(bytes); i++)
        bytes[i] = (uint8_t)i;
    for (size_t i = 0; i < sizeof(bytes); i += 64)
        prefetch_for_write(bytes + i);
    for (size_t i = 0; i < sizeof(bytes); i++)
        assert_int_equal(bytes[i], (uint8_t)i);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_prefetchw_detected_as_the_kernel_reports),
        cmocka_unit_test(test_prefetch_for_write_changes_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
