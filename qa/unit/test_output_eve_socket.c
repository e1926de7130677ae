/* Unit tests for the EVE writer's sinks: reopening after a rename, Unix stream
 * and datagram readers, and readers that are absent, stalled or gone. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "output/eve-writer.h"
#include "output/output-reopen.h"

struct tmp {
    char dir[64];
    char path[128];
};

static void tmp_make(struct tmp *t, const char *name)
{
    snprintf(t->dir, sizeof(t->dir), "/tmp/vigil-eve-sock-XXXXXX");
    assert_non_null(mkdtemp(t->dir));
    snprintf(t->path, sizeof(t->path), "%s/%s", t->dir, name);
}

static void tmp_remove(struct tmp *t)
{
    char cmd[160];
    snprintf(cmd, sizeof(cmd), "rm -rf %s", t->dir);
    assert_int_equal(system(cmd), 0);
}

static size_t count_lines(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return 0;
    size_t lines = 0;
    for (int c; (c = fgetc(fp)) != EOF;)
        lines += c == '\n';
    fclose(fp);
    return lines;
}

static int listen_on(const char *path, int type)
{
    int fd = socket(AF_UNIX, type, 0);
    assert_true(fd >= 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    if (type == SOCK_STREAM)
        assert_int_equal(listen(fd, 4), 0);
    return fd;
}

static void record(char *buf, size_t size, unsigned n)
{
    snprintf(buf, size, "{\"event_type\":\"flow\",\"flow_id\":%u,\"pad\":\"%070u\"}", n, n);
}

static struct eve_writer *open_writer(const struct tmp *t, enum eve_filetype type,
                                      size_t buffer_size)
{
    char err[256];
    struct eve_writer *w = eve_writer_open_type(t->dir, strrchr(t->path, '/') + 1, type,
                                                buffer_size, err, sizeof(err));
    assert_non_null(w);
    return w;
}

static void write_records(struct eve_writer *w, unsigned from, unsigned to)
{
    char rec[128];
    for (unsigned i = from; i < to; i++) {
        record(rec, sizeof(rec), i);
        assert_true(eve_writer_write(w, rec, strlen(rec)));
    }
}

/* Reads everything up to EOF; returns the number of lines, each checked whole. */
static size_t read_stream(int fd)
{
    size_t size = 1 << 20, len = 0;
    char *buf = malloc(size);
    for (ssize_t n; (n = read(fd, buf + len, size - len)) > 0;) {
        len += (size_t)n;
        if (len == size)
            buf = realloc(buf, size *= 2);
    }
    size_t lines = 0;
    for (char *p = buf, *end; p < buf + len; p = end + 1) {
        end = memchr(p, '\n', (size_t)(buf + len - p));
        assert_non_null(end);
        assert_true(p[0] == '{' && end[-1] == '}');
        lines++;
    }
    free(buf);
    return lines;
}

struct closer {
    struct eve_writer *w;
    bool ok;
};

static void *close_writer(void *arg)
{
    struct closer *c = arg;
    char err[256];
    c->ok = eve_writer_close(c->w, err, sizeof(err));
    return NULL;
}

/* Run on a thread, so the test can read (until EOF) while close drains. */
static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

static void test_reopen_after_rename(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t, "eve.json");
    char err[256], rotated[160], rec[128];
    snprintf(rotated, sizeof(rotated), "%s.1", t.path);
    struct eve_writer *w = eve_writer_open(t.dir, "eve.json", 4096, err, sizeof(err));
    assert_non_null(w);
    for (unsigned i = 0; i < 5; i++) {
        record(rec, sizeof(rec), i);
        assert_true(eve_writer_write(w, rec, strlen(rec)));
        if (i == 2)
            assert_true(eve_writer_flush(w));
    }
    assert_int_equal(rename(t.path, rotated), 0);
    output_request_reopen();
    write_records(w, 5, 8);
    assert_true(eve_writer_close(w, err, sizeof(err)));
    /* Buffered before the request: the old file; after it: the new one. */
    assert_int_equal(count_lines(rotated), 5);
    assert_int_equal(count_lines(t.path), 3);
    tmp_remove(&t);
}

static void test_unix_stream_reader_gets_every_record(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t, "eve.sock");
    int listener = listen_on(t.path, SOCK_STREAM);
    char err[256];
    struct eve_writer *w = open_writer(&t, EVE_FILETYPE_UNIX_STREAM, 4096);
    int reader = accept(listener, NULL, NULL);
    assert_true(reader >= 0);
    write_records(w, 0, 1000);
    assert_int_equal(eve_writer_dropped(w), 0);
    assert_true(eve_writer_close(w, err, sizeof(err)));
    assert_int_equal(read_stream(reader), 1000);
    close(reader);
    close(listener);
    tmp_remove(&t);
}

/* The reader never reads: the writer must not block, and every record is
 * either received whole or counted as dropped. */
static void test_stalled_stream_reader_drops_and_counts(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t, "eve.sock");
    int listener = listen_on(t.path, SOCK_STREAM);
    struct eve_writer *w = open_writer(&t, EVE_FILETYPE_UNIX_STREAM, 8192);
    int reader = accept(listener, NULL, NULL);
    int tiny = 1024;
    setsockopt(reader, SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny));
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    const unsigned total = 50000;
    write_records(w, 0, total);
    assert_true(seconds_since(&start) < 3.0);
    uint64_t dropped = eve_writer_dropped(w);
    assert_true(dropped > 0);
    assert_int_equal(eve_writer_records(w), total);
    /* The reader wakes up: what was kept is delivered whole at close. */
    struct closer c = {.w = w};
    pthread_t thread;
    assert_int_equal(pthread_create(&thread, NULL, close_writer, &c), 0);
    size_t received = read_stream(reader);
    pthread_join(thread, NULL);
    assert_true(c.ok);
    assert_int_equal(received + dropped, total);
    close(reader);
    close(listener);
    tmp_remove(&t);
}

static void test_unix_dgram_one_record_per_datagram(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t, "eve.sock");
    int reader = listen_on(t.path, SOCK_DGRAM);
    char err[256], rec[128], got[256];
    struct eve_writer *w = open_writer(&t, EVE_FILETYPE_UNIX_DGRAM, 4096);
    write_records(w, 0, 5);
    assert_true(eve_writer_flush(w));
    for (unsigned i = 0; i < 5; i++) {
        record(rec, sizeof(rec), i);
        ssize_t n = recv(reader, got, sizeof(got), MSG_DONTWAIT);
        assert_int_equal(n, strlen(rec) + 1);
        assert_memory_equal(got, rec, strlen(rec));
        assert_int_equal(got[n - 1], '\n');
    }
    assert_true(eve_writer_close(w, err, sizeof(err)));
    close(reader);
    tmp_remove(&t);
}

/* A thread's batch of records still goes one record per datagram. */
static void test_unix_dgram_batch_is_split_into_records(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t, "eve.sock");
    int reader = listen_on(t.path, SOCK_DGRAM);
    char err[256], rec[128], got[256], batch[1024];
    struct eve_writer *w = open_writer(&t, EVE_FILETYPE_UNIX_DGRAM, 4096);
    size_t len = 0;
    for (unsigned i = 0; i < 5; i++) {
        record(rec, sizeof(rec), i);
        len += (size_t)snprintf(batch + len, sizeof(batch) - len, "%s\n", rec);
    }
    assert_true(eve_writer_write_lines(w, batch, len, 5));
    assert_true(eve_writer_flush(w));
    assert_int_equal(eve_writer_records(w), 5);
    for (unsigned i = 0; i < 5; i++) {
        record(rec, sizeof(rec), i);
        ssize_t n = recv(reader, got, sizeof(got), MSG_DONTWAIT);
        assert_int_equal(n, strlen(rec) + 1);
        assert_memory_equal(got, rec, strlen(rec));
    }
    assert_int_equal(recv(reader, got, sizeof(got), MSG_DONTWAIT), -1);
    assert_true(eve_writer_close(w, err, sizeof(err)));
    close(reader);
    tmp_remove(&t);
}

static void test_stalled_dgram_reader_drops_and_counts(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t, "eve.sock");
    int reader = listen_on(t.path, SOCK_DGRAM);
    int tiny = 1024;
    setsockopt(reader, SOL_SOCKET, SO_RCVBUF, &tiny, sizeof(tiny));
    char err[256], got[256];
    struct eve_writer *w = open_writer(&t, EVE_FILETYPE_UNIX_DGRAM, 4096);
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    const unsigned total = 5000;
    write_records(w, 0, total);
    assert_true(seconds_since(&start) < 3.0);
    uint64_t dropped = eve_writer_dropped(w);
    assert_true(dropped > 0);
    size_t received = 0;
    for (int round = 0; round < 100; round++) {
        assert_true(eve_writer_flush(w));
        while (recv(reader, got, sizeof(got), MSG_DONTWAIT) > 0)
            received++;
    }
    assert_int_equal(eve_writer_dropped(w), dropped);
    assert_int_equal(received + dropped, total);
    assert_true(eve_writer_close(w, err, sizeof(err)));
    close(reader);
    tmp_remove(&t);
}

/* No reader at open, then one arrives: records before are dropped and counted,
 * the writer connects on its own within the retry interval. */
static void test_reader_absent_then_back(void **state)
{
    (void)state;
    struct tmp t;
    tmp_make(&t, "eve.sock");
    char err[256], rec[128];
    struct eve_writer *w = open_writer(&t, EVE_FILETYPE_UNIX_STREAM, 4096);
    record(rec, sizeof(rec), 0);
    assert_true(eve_writer_write(w, rec, strlen(rec)));
    assert_true(eve_writer_flush(w));
    assert_int_equal(eve_writer_dropped(w), 1);

    int listener = listen_on(t.path, SOCK_STREAM);
    usleep(EVE_SINK_RETRY_NS / 1000 + 100000);
    record(rec, sizeof(rec), 1);
    assert_true(eve_writer_write(w, rec, strlen(rec)));
    assert_true(eve_writer_flush(w));
    int reader = accept(listener, NULL, NULL);
    assert_true(reader >= 0);

    close(reader);  /* the reader goes away: records are dropped, nothing blocks */
    for (unsigned i = 2; i < 5; i++) {
        record(rec, sizeof(rec), i);
        assert_true(eve_writer_write(w, rec, strlen(rec)));
        assert_true(eve_writer_flush(w));
    }
    assert_int_equal(eve_writer_dropped(w), 4);
    assert_true(eve_writer_close(w, err, sizeof(err)));
    close(listener);
    tmp_remove(&t);
}

static void test_socket_path_too_long(void **state)
{
    (void)state;
    char name[200], err[512];
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = '\0';
    assert_null(eve_writer_open_type("/tmp", name, EVE_FILETYPE_UNIX_DGRAM, 0, err, sizeof(err)));
    assert_non_null(strstr(err, "File name too long"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reopen_after_rename),
        cmocka_unit_test(test_unix_stream_reader_gets_every_record),
        cmocka_unit_test(test_stalled_stream_reader_drops_and_counts),
        cmocka_unit_test(test_unix_dgram_one_record_per_datagram),
        cmocka_unit_test(test_unix_dgram_batch_is_split_into_records),
        cmocka_unit_test(test_stalled_dgram_reader_drops_and_counts),
        cmocka_unit_test(test_reader_absent_then_back),
        cmocka_unit_test(test_socket_path_too_long),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
