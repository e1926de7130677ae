/* Unit tests for the EVE writer: records read back line by line, batching
 * and write-through, threads sharing one writer, and error messages. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "output/eve-writer.h"

struct tmp {
    char dir[64];
    char path[128];
};

static void tmp_make(struct tmp *t)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/vigil-eve-writer-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/eve.json", t->dir);
}

static void tmp_remove(struct tmp *t)
{
    unlink(t->path);
    rmdir(t->dir);
}

static off_t file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? st.st_size : -1;
}

static char *read_all(const char *path)
{
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    char *buf = calloc(1, 1 << 22);
    size_t n = fread(buf, 1, (1 << 22) - 1, fp);
    buf[n] = '\0';
    fclose(fp);
    return buf;
}

/* A writer with a buffer of buffer_size bytes on a new file in t. */
static struct eve_writer *open_new(struct tmp *t, size_t buffer_size)
{
    tmp_make(t);
    char err[256];
    struct eve_writer *w = eve_writer_open(t->dir, "eve.json", buffer_size, err, sizeof(err));
    assert_non_null(w);
    return w;
}

static void test_lines_batching_and_write_through(void **state)
{
    (void)state;
    struct tmp t;
    char err[256];
    struct eve_writer *w = open_new(&t, 64);
    assert_string_equal(eve_writer_path(w), t.path);

    assert_true(eve_writer_write(w, "{\"a\":1}", 7));
    assert_true(eve_writer_write(w, "{\"b\":2}", 7));
    assert_int_equal(file_size(t.path), 0);  /* still buffered */

    char big[200];
    memset(big, 'x', sizeof(big));
    assert_true(eve_writer_write(w, big, sizeof(big)));  /* larger than the buffer */
    assert_int_equal(file_size(t.path), 16 + 201);

    assert_true(eve_writer_write(w, "{\"c\":3}", 7));
    assert_true(eve_writer_flush(w));
    assert_int_equal(file_size(t.path), 16 + 201 + 8);
    assert_int_equal(eve_writer_records(w), 4);
    assert_int_equal(eve_writer_dropped(w), 0);
    assert_false(eve_writer_error(w, err, sizeof(err)));
    assert_true(eve_writer_close(w, err, sizeof(err)));

    char *text = read_all(t.path);
    char want[512];
    snprintf(want, sizeof(want), "{\"a\":1}\n{\"b\":2}\n%.*s\n{\"c\":3}\n", (int)sizeof(big), big);
    assert_string_equal(text, want);
    free(text);

    /* Reopening appends, as Suricata does, instead of truncating. */
    w = eve_writer_open(t.dir, "eve.json", 0, err, sizeof(err));
    assert_true(eve_writer_write(w, "{\"d\":4}", 7));
    assert_true(eve_writer_close(w, err, sizeof(err)));
    text = read_all(t.path);
    assert_int_equal(strlen(text), strlen(want) + 8);
    assert_string_equal(text + strlen(want), "{\"d\":4}\n");
    free(text);
    tmp_remove(&t);
}

#define THREADS 4
#define PER_THREAD 5000
#define BATCH 10

struct worker {
    struct eve_writer *w;
    int id;
};

/* Varying lengths so records straddle buffer boundaries. */
static int format_record(char *out, size_t size, int tid, int i)
{
    return snprintf(out, size, "{\"t\":%d,\"i\":%d,\"pad\":\"%.*s\"}", tid, i, i % 50,
                    "..................................................");
}

static void *write_records(void *arg)
{
    struct worker *wk = arg;
    char rec[128];
    for (int i = 0; i < PER_THREAD; i++) {
        int n = format_record(rec, sizeof(rec), wk->id, i);
        eve_writer_write(wk->w, rec, (size_t)n);
    }
    return NULL;
}

/* Each thread hands its records over BATCH at a time. */
static void *write_batches(void *arg)
{
    struct worker *wk = arg;
    char batch[BATCH * 128];
    for (int first = 0; first < PER_THREAD; first += BATCH) {
        size_t len = 0;
        for (int i = first; i < first + BATCH; i++) {
            len += (size_t)format_record(batch + len, sizeof(batch) - len, wk->id, i);
            batch[len++] = '\n';
        }
        eve_writer_write_lines(wk->w, batch, len, BATCH);
    }
    return NULL;
}

/* THREADS threads run write_fn on one writer whose buffer is smaller than
 * two batches. Every record must come back whole, once, each thread's in
 * its order, and the `together` records a thread handed over at once must
 * follow each other. */
static void check_shared_writer(void *(*write_fn)(void *), int together)
{
    struct tmp t;
    char err[256];
    struct eve_writer *w = open_new(&t, 1000);
    pthread_t th[THREADS];
    struct worker wk[THREADS];
    for (int i = 0; i < THREADS; i++) {
        wk[i] = (struct worker){ w, i };
        pthread_create(&th[i], NULL, write_fn, &wk[i]);
    }
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    assert_int_equal(eve_writer_records(w), THREADS * PER_THREAD);
    assert_int_equal(eve_writer_dropped(w), 0);
    assert_true(eve_writer_close(w, err, sizeof(err)));

    char *text = read_all(t.path);
    int next[THREADS] = { 0 };
    int lines = 0, previous_tid = -1;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        int tid, idx;
        assert_int_equal(sscanf(line, "{\"t\":%d,\"i\":%d,", &tid, &idx), 2);
        assert_true(tid >= 0 && tid < THREADS);
        assert_int_equal(idx, next[tid]);
        if (idx % together != 0)
            assert_int_equal(tid, previous_tid);
        char want[128];
        format_record(want, sizeof(want), tid, idx);
        assert_string_equal(line, want);
        next[tid]++;
        previous_tid = tid;
        lines++;
    }
    assert_int_equal(lines, THREADS * PER_THREAD);
    free(text);
    tmp_remove(&t);
}

static void test_threads_never_interleave(void **state)
{
    (void)state;
    check_shared_writer(write_records, 1);
}

/* A batch reaches the file whole: no other thread's record comes between
 * its records. */
static void test_batches_are_never_cut_apart(void **state)
{
    (void)state;
    check_shared_writer(write_batches, BATCH);
}

/* A batch larger than the whole buffer goes straight to the file. */
static void test_batch_larger_than_buffer_is_written_through(void **state)
{
    (void)state;
    struct tmp t;
    char err[256];
    struct eve_writer *w = open_new(&t, 64);
    assert_true(eve_writer_write(w, "{\"a\":1}", 7));
    const char batch[] = "{\"b\":\"..............................\"}\n"
                         "{\"c\":\"..............................\"}\n"
                         "{\"d\":3}\n";
    assert_true(eve_writer_write_lines(w, batch, strlen(batch), 3));
    /* The record buffered before it is written first. */
    assert_int_equal(file_size(t.path), 8 + (off_t)strlen(batch));
    assert_int_equal(eve_writer_records(w), 4);
    assert_true(eve_writer_close(w, err, sizeof(err)));
    char *text = read_all(t.path);
    assert_memory_equal(text, "{\"a\":1}\n", 8);
    assert_string_equal(text + 8, batch);
    free(text);
    tmp_remove(&t);
}

static void test_open_error_names_path(void **state)
{
    (void)state;
    char err[256] = "";
    struct eve_writer *w = eve_writer_open("/nonexistent/vigil-logs", "eve.json", 0,
                                           err, sizeof(err));
    assert_null(w);
    char want[256];
    snprintf(want, sizeof(want), "/nonexistent/vigil-logs/eve.json: %s", strerror(ENOENT));
    assert_string_equal(err, want);
    assert_true(eve_writer_close(NULL, err, sizeof(err)));
}

/* /dev/full accepts open and fails every write with ENOSPC; a 64-byte
 * buffer holds 8 of the tests' records. */
static struct eve_writer *open_dev_full(void)
{
    char err[256] = "";
    return eve_writer_open("/dev", "full", 64, err, sizeof(err));
}

/* Closing reports the file's first error, as eve_writer_error does. */
static void assert_closes_with_enospc(struct eve_writer *w)
{
    char want[256], err[256] = "";
    snprintf(want, sizeof(want), "/dev/full: %s", strerror(ENOSPC));
    assert_true(eve_writer_error(w, err, sizeof(err)));
    assert_string_equal(err, want);
    err[0] = '\0';
    assert_false(eve_writer_close(w, err, sizeof(err)));
    assert_string_equal(err, want);
}

static void test_write_error_reported_at_close(void **state)
{
    (void)state;
    struct eve_writer *w = open_dev_full();
    if (w == NULL) {
        skip();
        return;
    }
    assert_true(eve_writer_write(w, "{\"a\":1}", 7));  /* buffered, not yet written */
    assert_false(eve_writer_flush(w));
    assert_false(eve_writer_write(w, "{\"b\":2}", 7));  /* the error is sticky */
    assert_int_equal(eve_writer_records(w), 2);
    assert_int_equal(eve_writer_dropped(w), 2);
    assert_closes_with_enospc(w);
}

/* A full buffer written outside the lock that fails drops every record it
 * held, and the error sticks for what comes after. */
static void test_failed_full_buffer_drops_its_records(void **state)
{
    (void)state;
    struct eve_writer *w = open_dev_full();
    if (w == NULL) {
        skip();
        return;
    }
    for (int i = 0; i < 20; i++)
        eve_writer_write(w, "{\"a\":1}", 7);
    assert_int_equal(eve_writer_records(w), 20);
    assert_int_equal(eve_writer_dropped(w), 20);
    assert_closes_with_enospc(w);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_batching_and_write_through),
        cmocka_unit_test(test_threads_never_interleave),
        cmocka_unit_test(test_batches_are_never_cut_apart),
        cmocka_unit_test(test_batch_larger_than_buffer_is_written_through),
        cmocka_unit_test(test_open_error_names_path),
        cmocka_unit_test(test_failed_full_buffer_drops_its_records),
        cmocka_unit_test(test_write_error_reported_at_close),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
