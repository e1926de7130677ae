/* cpu-capacity: how much work CPUs 0 and 1 do at once against each alone, and
 * how long a cache line takes to go from one to the other and back: autofp's
 * ratio to single rests on both, and on a shared host either can fall away. */
#include <pthread.h>
#include <sched.h>
#include <stdalign.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

/* About 60 ms of dependent multiplies: long enough to see the host's share,
 * short enough to run after every bench round. */
#define SPIN_STEPS 20000000u
#define TRIES 3

struct spinner {
    int cpu;
    double seconds;
};

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static bool pin_self(int cpu)
{
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(cpu, &cpus);
    return pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus) == 0;
}

/* No memory traffic: only the CPU's own speed and the host's share of it. */
static void *spin(void *arg)
{
    struct spinner *s = arg;
    if (!pin_self(s->cpu)) {
        s->seconds = -1;
        return NULL;
    }
    volatile uint64_t sink;
    uint64_t x = 1;
    double start = now_s();
    for (unsigned i = 0; i < SPIN_STEPS; i++)
        x = x * 6364136223846793005ULL + 1442695040888963407ULL;
    sink = x;
    (void)sink;
    s->seconds = now_s() - start;
    return NULL;
}

/* Runs count spinners at once, each on its own CPU; -1 if one failed. */
static int spin_together(struct spinner *s, int count)
{
    pthread_t threads[2];
    for (int i = 0; i < count; i++)
        if (pthread_create(&threads[i], NULL, spin, &s[i]) != 0)
            return -1;
    for (int i = 0; i < count; i++)
        pthread_join(threads[i], NULL);
    for (int i = 0; i < count; i++)
        if (s[i].seconds < 0)
            return -1;
    return 0;
}

static double best_alone(int cpu)
{
    double best = 0;
    for (int t = 0; t < TRIES; t++) {
        struct spinner s = { .cpu = cpu };
        if (spin_together(&s, 1) != 0)
            return -1;
        if (best == 0 || s.seconds < best)
            best = s.seconds;
    }
    return best;
}

/* Round trips timed: a few hundred ns each, about 40 ms in all. */
#define PING_PONGS 100000

struct ping_pong {
    alignas(64) atomic_uint turn;
};

/* CPU 1's side: answers each odd turn with the next even one. main has
 * run a thread there already; unpinned it would still answer, so CPU 0
 * never waits for ever. */
static void *pong(void *arg)
{
    struct ping_pong *pp = arg;
    (void)pin_self(1);
    for (unsigned i = 0; i < PING_PONGS; i++) {
        while (atomic_load_explicit(&pp->turn, memory_order_acquire) != 2 * i + 1)
            ;
        atomic_store_explicit(&pp->turn, 2 * i + 2, memory_order_release);
    }
    return NULL;
}

/* ns for one line to go from CPU 0 to CPU 1 and back, as an autofp ring
 * slot or packet does; -1 when the threads cannot run there. */
static double round_trip_ns(void)
{
    static struct ping_pong pp;
    pthread_t thread;
    if (!pin_self(0) || pthread_create(&thread, NULL, pong, &pp) != 0)
        return -1;
    double start = now_s();
    for (unsigned i = 0; i < PING_PONGS; i++) {
        atomic_store_explicit(&pp.turn, 2 * i + 1, memory_order_release);
        while (atomic_load_explicit(&pp.turn, memory_order_acquire) != 2 * i + 2)
            ;
    }
    double ns = (now_s() - start) / PING_PONGS * 1e9;
    pthread_join(thread, NULL);
    return ns;
}

int main(void)
{
    double alone[2] = { best_alone(0), best_alone(1) };
    if (alone[0] < 0 || alone[1] < 0) {
        fprintf(stderr, "cpu-capacity: cannot run on CPUs 0 and 1\n");
        return 1;
    }
    /* The best of a few tries together: what the two CPUs can give at once. */
    double best = 0, share[2] = { 0, 0 };
    for (int t = 0; t < TRIES; t++) {
        struct spinner s[2] = { { .cpu = 0 }, { .cpu = 1 } };
        if (spin_together(s, 2) != 0) {
            fprintf(stderr, "cpu-capacity: cannot run on CPUs 0 and 1\n");
            return 1;
        }
        double a = alone[0] / s[0].seconds, b = alone[1] / s[1].seconds;
        if (a + b > best) {
            best = a + b;
            share[0] = a;
            share[1] = b;
        }
    }
    printf("%.2f CPUs together (CPU 0 at %.2f, CPU 1 at %.2f of its speed alone), "
           "cache line CPU 0 -> 1 -> 0 in %.0f ns\n", best, share[0], share[1], round_trip_ns());
    return 0;
}
