/* SPSC ring throughput: one producer and one consumer thread move N pointers
 * through a ring in bursts of 1, 8 and 32; prints objects per second. */
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "util/spinlock.h"
#include "util/spsc-ring.h"

#define BENCH_MAX_BURST 32
/* Spins before giving the CPU away: on a machine with fewer free cores than
 * threads, pure spinning would measure the scheduler. */
#define BENCH_SPINS_BEFORE_YIELD 1024

struct bench_run {
    struct spsc_ring ring;
    uint64_t objects;
    unsigned burst;
    int cpu;
    uint64_t checksum;
};

static void pin_to_cpu(int cpu)
{
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    /* Best effort: an unpinned run is still a valid, noisier, measurement. */
    (void)pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
}

static void wait_a_little(unsigned *idle)
{
    if (++*idle < BENCH_SPINS_BEFORE_YIELD) {
        cpu_relax();
    } else {
        *idle = 0;
        sched_yield();
    }
}

static void *bench_producer(void *arg)
{
    struct bench_run *run = arg;
    pin_to_cpu(run->cpu);
    void *buf[BENCH_MAX_BURST];
    uint64_t next = 1;
    unsigned idle = 0;
    while (next <= run->objects) {
        unsigned n = run->burst;
        if (next + n - 1 > run->objects)
            n = (unsigned)(run->objects - next + 1);
        for (unsigned i = 0; i < n; i++)
            buf[i] = (void *)(uintptr_t)(next + i);
        unsigned put = spsc_ring_enqueue_burst(&run->ring, buf, n);
        if (put == 0)
            wait_a_little(&idle);
        next += put;
    }
    return NULL;
}

static void *bench_consumer(void *arg)
{
    struct bench_run *run = arg;
    pin_to_cpu(run->cpu + 1);
    void *buf[BENCH_MAX_BURST];
    uint64_t received = 0, sum = 0;
    unsigned idle = 0;
    while (received < run->objects) {
        unsigned got = spsc_ring_dequeue_burst(&run->ring, buf, run->burst);
        if (got == 0)
            wait_a_little(&idle);
        for (unsigned i = 0; i < got; i++)
            sum += (uintptr_t)buf[i];
        received += got;
    }
    run->checksum = sum;
    return NULL;
}

static double now_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int bench_one(unsigned burst, uint64_t objects, uint32_t capacity)
{
    struct bench_run run = {.objects = objects, .burst = burst, .cpu = 0};
    if (spsc_ring_init(&run.ring, capacity) != 0) {
        fprintf(stderr, "ring-bench: cannot allocate a ring of %u slots\n", capacity);
        return -1;
    }
    pthread_t prod, cons;
    double start = now_seconds();
    if (pthread_create(&cons, NULL, bench_consumer, &run) != 0 ||
        pthread_create(&prod, NULL, bench_producer, &run) != 0) {
        fprintf(stderr, "ring-bench: cannot start threads\n");
        exit(1);
    }
    pthread_join(prod, NULL);
    pthread_join(cons, NULL);
    double secs = now_seconds() - start;
    spsc_ring_destroy(&run.ring);
    if (run.checksum != objects * (objects + 1) / 2) {
        fprintf(stderr, "ring-bench: burst %u lost or duplicated objects\n", burst);
        return -1;
    }
    printf("burst %2u: %12.0f objects/s  %6.2f ns/object  (%llu objects, ring %u, %.3f s)\n",
           burst, (double)objects / secs, secs * 1e9 / (double)objects,
           (unsigned long long)objects, capacity, secs);
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t objects = argc > 1 ? strtoull(argv[1], NULL, 10) : 50000000ULL;
    uint32_t capacity = argc > 2 ? (uint32_t)strtoul(argv[2], NULL, 10) : 1024;
    if (objects == 0 || capacity == 0) {
        fprintf(stderr, "usage: ring-bench [OBJECTS [RING_SLOTS]]\n");
        return 2;
    }
    static const unsigned bursts[] = {1, 8, 32};
    for (size_t i = 0; i < sizeof(bursts) / sizeof(bursts[0]); i++) {
        if (bench_one(bursts[i], objects, capacity) != 0)
            return 1;
    }
    return 0;
}
