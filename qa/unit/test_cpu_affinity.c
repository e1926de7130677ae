/* Unit tests of the CPU sets: list items, their errors, formatting, each
 * thread's share in exclusive and balanced mode, and pinning a thread. */
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include <cmocka.h>

#include "util/cpu-affinity.h"

static cpu_set_t first_cpus(int count)
{
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    for (int cpu = 0; cpu < count; cpu++)
        CPU_SET(cpu, &cpus);
    return cpus;
}

static void expect_list(const cpu_set_t *cpus, const char *list)
{
    char text[256];
    cpu_list_format(cpus, text, sizeof(text));
    assert_string_equal(text, list);
}

/* Parses items in turn into one set, which must read back as list. */
static void expect_items(int online_count, const char *const *items, const char *list)
{
    cpu_set_t online = first_cpus(online_count), out;
    char why[256] = "";
    CPU_ZERO(&out);
    for (; *items != NULL; items++)
        if (cpu_list_item_parse(*items, &online, &out, why, sizeof(why)) != 0)
            fail_msg("%s: %s", *items, why);
    expect_list(&out, list);
}

static void expect_item_error(int online_count, const char *item, const char *reason)
{
    cpu_set_t online = first_cpus(online_count), out;
    char why[256] = "";
    CPU_ZERO(&out);
    assert_int_equal(cpu_list_item_parse(item, &online, &out, why, sizeof(why)), -1);
    assert_string_equal(why, reason);
    assert_int_equal(CPU_COUNT(&out), 0);
}

static void test_items(void **state)
{
    (void)state;
    expect_items(2, (const char *const[]){"all", NULL}, "0-1");
    expect_items(16, (const char *const[]){"all", NULL}, "0-15");
    expect_items(8, (const char *const[]){"3", NULL}, "3");
    expect_items(8, (const char *const[]){"1-3", NULL}, "1-3");
    expect_items(8, (const char *const[]){"0", "2-3", "6", "5-5", NULL}, "0,2-3,5-6");
    expect_items(8, (const char *const[]){"2", "1-3", NULL}, "1-3");
}

static void test_item_errors(void **state)
{
    (void)state;
    expect_item_error(2, "99", "CPU 99 is not online (online CPUs: 0-1)");
    expect_item_error(4, "2-5", "CPU 4 is not online (online CPUs: 0-3)");
    expect_item_error(4, "3-1", "\"3-1\" is not a range: it starts after it ends");
    expect_item_error(4, "99999999999999999999",
                      "\"99999999999999999999\" is out of range (CPUs 0..1023)");
    expect_item_error(4, "0-5000", "\"0-5000\" is out of range (CPUs 0..1023)");
    static const char *const not_cpus[] = {"", "-1", "1-", "a", "1-2-3", " 1", "1.5", "All"};
    for (size_t i = 0; i < sizeof(not_cpus) / sizeof(not_cpus[0]); i++) {
        char reason[128];
        snprintf(reason, sizeof(reason),
                 "\"%s\" is not a CPU number, a range such as \"1-3\", or \"all\"", not_cpus[i]);
        expect_item_error(4, not_cpus[i], reason);
    }
}

static void test_format(void **state)
{
    (void)state;
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    expect_list(&cpus, "none");
    CPU_SET(5, &cpus);
    expect_list(&cpus, "5");
    CPU_SET(0, &cpus);
    CPU_SET(1, &cpus);
    CPU_SET(2, &cpus);
    CPU_SET(CPU_SETSIZE - 1, &cpus);
    expect_list(&cpus, "0-2,5,1023");
}

static void test_online(void **state)
{
    (void)state;
    cpu_set_t online;
    cpu_affinity_online(&online);
    assert_int_equal(CPU_COUNT(&online), sysconf(_SC_NPROCESSORS_ONLN));
}

static void test_defaults(void **state)
{
    (void)state;
    cpu_set_t all = first_cpus(4);
    struct cpu_affinity_config cfg;
    cpu_affinity_defaults(&cfg, &all);
    assert_false(cfg.enabled);
    for (int role = 0; role < CPU_AFFINITY_ROLE_COUNT; role++) {
        assert_true(CPU_EQUAL(&cfg.sets[role].cpus, &all));
        assert_int_equal(cfg.sets[role].prio, CPU_PRIO_MEDIUM);
    }
    assert_int_equal(cfg.sets[CPU_AFFINITY_WORKER].mode, CPU_AFFINITY_EXCLUSIVE);
    assert_int_equal(cfg.sets[CPU_AFFINITY_RECEIVE].mode, CPU_AFFINITY_EXCLUSIVE);
    assert_int_equal(cfg.sets[CPU_AFFINITY_MANAGEMENT].mode, CPU_AFFINITY_BALANCED);
    assert_int_equal(cfg.sets[CPU_AFFINITY_VERDICT].mode, CPU_AFFINITY_BALANCED);
}

static struct cpu_affinity_set set_of(const char *item, enum cpu_affinity_mode mode)
{
    struct cpu_affinity_config cfg;
    cpu_set_t online = first_cpus(8);
    char why[256];
    cpu_affinity_defaults(&cfg, &online);
    struct cpu_affinity_set set = cfg.sets[CPU_AFFINITY_WORKER];
    CPU_ZERO(&set.cpus);
    assert_int_equal(cpu_list_item_parse(item, &online, &set.cpus, why, sizeof(why)), 0);
    set.mode = mode;
    return set;
}

static void expect_share(const struct cpu_affinity_set *set, unsigned index, const char *list,
                         int nice_increment)
{
    struct cpu_affinity_choice choice;
    assert_true(cpu_affinity_assign(set, index, &choice));
    expect_list(&choice.cpus, list);
    assert_int_equal(choice.nice_increment, nice_increment);
}

static void test_exclusive_round_robin(void **state)
{
    (void)state;
    struct cpu_affinity_set set = set_of("2-4", CPU_AFFINITY_EXCLUSIVE);
    expect_share(&set, 0, "2", 0);
    expect_share(&set, 1, "3", 0);
    expect_share(&set, 2, "4", 0);
    expect_share(&set, 3, "2", 0);
    expect_share(&set, 7, "3", 0);
    /* "all" on a machine of 8 CPUs: thread i on CPU i mod 8. */
    struct cpu_affinity_set all = set_of("all", CPU_AFFINITY_EXCLUSIVE);
    for (unsigned i = 0; i < 20; i++) {
        char expected[8];
        snprintf(expected, sizeof(expected), "%u", i % 8);
        expect_share(&all, i, expected, 0);
    }
}

static void test_balanced_whole_set(void **state)
{
    (void)state;
    struct cpu_affinity_set set = set_of("1-6", CPU_AFFINITY_BALANCED);
    for (unsigned i = 0; i < 10; i++)
        expect_share(&set, i, "1-6", 0);
    set.prio = CPU_PRIO_HIGH;
    expect_share(&set, 0, "1-6", -2);
}

/* Exclusive: a CPU listed under a prio gives its thread that prio. */
static void test_prio(void **state)
{
    (void)state;
    struct cpu_affinity_set set = set_of("0-3", CPU_AFFINITY_EXCLUSIVE);
    set.prio = CPU_PRIO_LOW;
    CPU_SET(1, &set.prio_cpus[CPU_PRIO_MEDIUM]);
    CPU_SET(2, &set.prio_cpus[CPU_PRIO_HIGH]);
    expect_share(&set, 0, "0", 2);
    expect_share(&set, 1, "1", 0);
    expect_share(&set, 2, "2", -2);
    expect_share(&set, 3, "3", 2);
}

static void test_empty_set(void **state)
{
    (void)state;
    struct cpu_affinity_set set = set_of("0", CPU_AFFINITY_BALANCED);
    CPU_ZERO(&set.cpus);
    struct cpu_affinity_choice choice;
    assert_false(cpu_affinity_assign(&set, 0, &choice));
}

struct pin_case {
    enum cpu_affinity_role role;
    unsigned index;
    bool pinned;
    cpu_set_t before, after;
    int nice_before, nice_after;
};

static void *pin_thread(void *arg)
{
    struct pin_case *c = arg;
    pthread_getaffinity_np(pthread_self(), sizeof(c->before), &c->before);
    c->nice_before = getpriority(PRIO_PROCESS, (id_t)gettid());
    c->pinned = cpu_affinity_pin_self(c->role, c->index, "T#01");
    pthread_getaffinity_np(pthread_self(), sizeof(c->after), &c->after);
    c->nice_after = getpriority(PRIO_PROCESS, (id_t)gettid());
    return NULL;
}

static struct pin_case pin_in_thread(const struct cpu_affinity_config *cfg,
                                     enum cpu_affinity_role role, unsigned index)
{
    struct pin_case c = {.role = role, .index = index};
    pthread_t thread;
    cpu_affinity_configure(cfg);
    assert_int_equal(pthread_create(&thread, NULL, pin_thread, &c), 0);
    assert_int_equal(pthread_join(thread, NULL), 0);
    return c;
}

/* Sets of the online CPUs this process may use (a cgroup may allow fewer). */
static struct cpu_affinity_config online_config(bool enabled)
{
    struct cpu_affinity_config cfg;
    cpu_set_t online, allowed;
    cpu_affinity_online(&online);
    assert_int_equal(sched_getaffinity(0, sizeof(allowed), &allowed), 0);
    CPU_AND(&online, &online, &allowed);
    cpu_affinity_defaults(&cfg, &online);
    cfg.enabled = enabled;
    return cfg;
}

static void test_pin_disabled(void **state)
{
    (void)state;
    struct cpu_affinity_config cfg = online_config(false);
    struct pin_case c = pin_in_thread(&cfg, CPU_AFFINITY_WORKER, 0);
    assert_true(c.pinned);
    assert_true(CPU_EQUAL(&c.before, &c.after));
}

/* The last online CPU: thread index count-1 of an exclusive "all". */
static void test_pin_exclusive(void **state)
{
    (void)state;
    struct cpu_affinity_config cfg = online_config(true);
    const cpu_set_t *online = &cfg.sets[CPU_AFFINITY_WORKER].cpus;
    int last = -1;
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, online))
            last = cpu;
    struct pin_case c =
        pin_in_thread(&cfg, CPU_AFFINITY_WORKER, (unsigned)CPU_COUNT(online) - 1);
    assert_true(c.pinned);
    assert_int_equal(CPU_COUNT(&c.after), 1);
    assert_true(CPU_ISSET(last, &c.after));
    assert_int_equal(c.nice_after, c.nice_before);
}

/* prio low is Suricata's nice increment of 2, for that thread alone. */
static void test_pin_low_prio(void **state)
{
    (void)state;
    struct cpu_affinity_config cfg = online_config(true);
    cfg.sets[CPU_AFFINITY_WORKER].prio = CPU_PRIO_LOW;
    int main_nice = getpriority(PRIO_PROCESS, (id_t)gettid());
    struct pin_case c = pin_in_thread(&cfg, CPU_AFFINITY_WORKER, 0);
    assert_true(c.pinned);
    assert_int_equal(c.nice_after, c.nice_before + 2);
    assert_int_equal(getpriority(PRIO_PROCESS, (id_t)gettid()), main_nice);
}

static void test_pin_balanced(void **state)
{
    (void)state;
    struct cpu_affinity_config cfg = online_config(true);
    struct pin_case c = pin_in_thread(&cfg, CPU_AFFINITY_MANAGEMENT, CPU_AFFINITY_SLOT_CS);
    assert_true(c.pinned);
    assert_true(CPU_EQUAL(&c.after, &cfg.sets[CPU_AFFINITY_MANAGEMENT].cpus));
}

/* A CPU the kernel refuses: a warning, and the thread runs on as before. */
static void test_pin_refused(void **state)
{
    (void)state;
    struct cpu_affinity_config cfg = online_config(true);
    CPU_ZERO(&cfg.sets[CPU_AFFINITY_RECEIVE].cpus);
    CPU_SET(CPU_SETSIZE - 1, &cfg.sets[CPU_AFFINITY_RECEIVE].cpus);
    struct pin_case c = pin_in_thread(&cfg, CPU_AFFINITY_RECEIVE, 0);
    assert_false(c.pinned);
    assert_true(CPU_EQUAL(&c.before, &c.after));
    CPU_ZERO(&cfg.sets[CPU_AFFINITY_RECEIVE].cpus);
    c = pin_in_thread(&cfg, CPU_AFFINITY_RECEIVE, 0);
    assert_false(c.pinned);
    assert_true(CPU_EQUAL(&c.before, &c.after));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_items),
        cmocka_unit_test(test_item_errors),
        cmocka_unit_test(test_format),
        cmocka_unit_test(test_online),
        cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_exclusive_round_robin),
        cmocka_unit_test(test_balanced_whole_set),
        cmocka_unit_test(test_prio),
        cmocka_unit_test(test_empty_set),
        cmocka_unit_test(test_pin_disabled),
        cmocka_unit_test(test_pin_exclusive),
        cmocka_unit_test(test_pin_low_prio),
        cmocka_unit_test(test_pin_balanced),
        cmocka_unit_test(test_pin_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
