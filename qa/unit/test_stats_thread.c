/* Unit tests for stats reports and the stats thread: both outputs written
 * with the run's clocks, a report per interval, an immediate stop that
 * writes the final report, and the thread's name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>
#include <jansson.h>

#include "runtime/stats-thread.h"

struct demo_stats {
    uint64_t pkts;
};

static const struct counter_field demo_fields[] = {
    {"decoder.pkts", offsetof(struct demo_stats, pkts)},
};

struct fixture {
    char dir[64], log_path[128], eve_path[128];
    struct counter_registry reg;
    struct counter_set *set;
    struct stats_log *log;
    struct eve_writer *eve;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof(*f));
    assert_non_null(f);
    snprintf(f->dir, sizeof(f->dir), "/tmp/vigil-stats-thread-XXXXXX");
    assert_non_null(mkdtemp(f->dir));
    snprintf(f->log_path, sizeof(f->log_path), "%s/stats.log", f->dir);
    snprintf(f->eve_path, sizeof(f->eve_path), "%s/eve.json", f->dir);
    counter_registry_init(&f->reg);
    f->set = counter_set_register(&f->reg, "W#01", demo_fields, 1, sizeof(struct demo_stats));
    struct demo_stats live = {77};
    counter_set_publish(f->set, &live);
    char err[256];
    struct stats_log_options opt = {.totals = true};
    f->log = stats_log_open(f->dir, NULL, &opt, err, sizeof(err));
    f->eve = eve_writer_open(f->dir, "eve.json", 0, err, sizeof(err));
    assert_non_null(f->log);
    assert_non_null(f->eve);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    char err[256];
    stats_log_close(f->log, err, sizeof(err));
    eve_writer_close(f->eve, err, sizeof(err));
    unlink(f->log_path);
    unlink(f->eve_path);
    rmdir(f->dir);
    counter_registry_destroy(&f->reg);
    free(f);
    return 0;
}

static size_t count_in_file(const char *path, const char *needle)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return 0;
    static char buf[65536];
    size_t n = fread(buf, 1, sizeof(buf) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    size_t count = 0;
    for (const char *p = buf; (p = strstr(p, needle)) != NULL; p++)
        count++;
    return count;
}

static uint64_t fixed_uptime(void *arg)
{
    (void)arg;
    return 61;
}

static uint64_t fixed_wall(void *arg)
{
    (void)arg;
    return 1795315472000001ull;
}

static struct stats_thread_config config_of(struct fixture *f, uint32_t interval)
{
    return (struct stats_thread_config){
        .registry = &f->reg,
        .interval = interval,
        .stats_log = f->log,
        .eve = f->eve,
        .eve_options = {.totals = true},
    };
}

static void test_write_now_with_clocks(void **state)
{
    struct fixture *f = *state;
    struct stats_thread_config cfg = config_of(f, 8);
    cfg.uptime = fixed_uptime;
    cfg.wall_us = fixed_wall;
    struct stats_reporter *r = stats_reporter_new(&cfg);
    assert_non_null(r);
    char err[256];
    assert_true(stats_write_now(r, err, sizeof(err)));
    assert_int_equal(stats_reporter_sample(r)->totals[0], 77);
    stats_reporter_free(r);

    assert_int_equal(count_in_file(f->log_path, "(uptime: 0d, 00h 01m 01s)"), 1);
    assert_int_equal(count_in_file(f->log_path, "| Total                     | 77\n"), 1);
    /* Flushed at once: readable before the writer is closed. */
    json_error_t error;
    json_t *rec = json_load_file(f->eve_path, 0, &error);
    assert_non_null(rec);
    assert_string_equal(json_string_value(json_object_get(rec, "timestamp")),
                        "2026-11-22T02:44:32.000001+0000");
    json_t *stats = json_object_get(rec, "stats");
    assert_int_equal(json_integer_value(json_object_get(stats, "uptime")), 61);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(stats, "decoder"),
                                                        "pkts")), 77);
    json_decref(rec);
}

static double now_sec(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool thread_named_st_exists(void)
{
    DIR *d = opendir("/proc/self/task");
    if (d == NULL)
        return false;
    bool found = false;
    for (struct dirent *e; !found && (e = readdir(d)) != NULL;) {
        char path[300], comm[32] = "";
        snprintf(path, sizeof(path), "/proc/self/task/%s/comm", e->d_name);
        FILE *fp = fopen(path, "r");
        if (fp == NULL)
            continue;
        found = fgets(comm, sizeof(comm), fp) != NULL && strcmp(comm, "ST\n") == 0;
        fclose(fp);
    }
    closedir(d);
    return found;
}

static void test_stop_is_immediate_and_final(void **state)
{
    struct fixture *f = *state;
    struct stats_thread_config cfg = config_of(f, 3600);
    char err[256];
    struct stats_thread *t = stats_thread_start(&cfg, err, sizeof(err));
    assert_non_null(t);
    bool named = false;
    for (int i = 0; i < 100 && !named; i++) {
        named = thread_named_st_exists();
        if (!named)
            usleep(10000);
    }
    assert_true(named);
    double before = now_sec();
    assert_true(stats_thread_stop(t, err, sizeof(err)));
    assert_true(now_sec() - before < 1.0);
    assert_int_equal(count_in_file(f->log_path, "Date: "), 1);
    assert_int_equal(count_in_file(f->eve_path, "\"event_type\":\"stats\""), 1);
}

static void test_report_every_interval(void **state)
{
    struct fixture *f = *state;
    struct stats_thread_config cfg = config_of(f, 1);
    char err[256];
    struct stats_thread *t = stats_thread_start(&cfg, err, sizeof(err));
    assert_non_null(t);
    double deadline = now_sec() + 5.0;
    while (count_in_file(f->log_path, "Date: ") < 2 && now_sec() < deadline)
        usleep(20000);
    assert_int_equal(count_in_file(f->log_path, "Date: "), 2);
    struct demo_stats live = {78};
    counter_set_publish(f->set, &live);
    assert_true(stats_thread_stop(t, err, sizeof(err)));
    assert_true(count_in_file(f->log_path, "Date: ") >= 3);
    assert_int_equal(count_in_file(f->log_path, "| 78\n"), 1);  /* the final report */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_now_with_clocks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_is_immediate_and_final, setup, teardown),
        cmocka_unit_test_setup_teardown(test_report_every_interval, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
