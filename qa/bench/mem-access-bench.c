/* mem-access-bench: ns per random 64-byte read of this machine's memory, and per
 * lookup of the flow table's access pattern, at the flow-table bench's footprints. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>

#define LINE 64u
#define HUGE_PAGE (2u << 20)
/* Reads timed per size and kind: enough to leave the start-up behind. */
#define READS 4000000u

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static uint64_t xorshift(uint64_t *state)
{
    uint64_t x = *state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return *state = x;
}

/* bytes of huge-page memory (as the flow slabs and the table ask for),
 * every line naming the next of one random cycle through all of them
 * (Sattolo's shuffle), so a chase cannot be predicted or prefetched. */
static uint8_t *build_cycle(size_t bytes, size_t lines, void **mapping)
{
    void *raw = mmap(NULL, bytes + HUGE_PAGE, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    uint32_t *order = malloc(lines * sizeof(*order));
    if (raw == MAP_FAILED || order == NULL) {
        if (raw != MAP_FAILED)
            munmap(raw, bytes + HUGE_PAGE);
        free(order);
        return NULL;
    }
    *mapping = raw;
    uint8_t *mem = (uint8_t *)(((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1));
    madvise(mem, bytes, MADV_HUGEPAGE);
    for (size_t i = 0; i < lines; i++)
        order[i] = (uint32_t)i;
    uint64_t state = 0x9e3779b97f4a7c15ULL;
    for (size_t i = lines - 1; i > 0; i--) {
        size_t j = xorshift(&state) % i;
        uint32_t t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    for (size_t i = 0; i < lines; i++)
        *(uint64_t *)(mem + (size_t)order[i] * LINE) = (uint64_t)order[(i + 1) % lines] * LINE;
    free(order);
    return mem;
}

/* Each read waits for the one before: the full latency of a miss. */
static double dependent_ns(const uint8_t *mem)
{
    uint64_t at = 0;
    double start = now_s();
    for (unsigned i = 0; i < READS; i++)
        at = *(const volatile uint64_t *)(mem + at);
    double ns = (now_s() - start) / READS * 1e9;
    return at == UINT64_MAX ? 0 : ns;
}

/* Reads of lines known in advance, as a burst's prefetched lookups are:
 * the misses overlap as far as the machine lets them. */
static double independent_ns(const uint8_t *mem, size_t lines)
{
    uint64_t state = 0x2545f4914f6cdd1dULL, sum = 0;
    double start = now_s();
    for (unsigned i = 0; i < READS; i++)
        sum += *(const volatile uint64_t *)(mem + (xorshift(&state) % lines) * LINE);
    double ns = (now_s() - start) / READS * 1e9;
    return sum == 1 ? 0 : ns;
}

/* Flows per lookup-pattern burst, as flow_handle_burst's chunk. */
#define BURST 32u

/* The flow lookup's accesses with none of its work, as flow_handle_burst
 * makes them at a table of this footprint (a quarter buckets, the rest
 * flows): a burst's random bucket lines are requested, then the two
 * adjacent lines of the flow each bucket names, then the flows are read
 * and one counter written. What a lookup costs the machine here. */
static double lookup_pattern_ns(uint8_t *mem, size_t lines)
{
    uint64_t state = 0x9e3779b97f4a7c15ULL, sum = 0;
    size_t buckets = lines / 4;
    const uint8_t *bucket[BURST];
    uint8_t *flow[BURST];
    double start = now_s();
    for (unsigned done = 0; done < READS; done += BURST) {
        for (unsigned i = 0; i < BURST; i++) {
            bucket[i] = mem + (xorshift(&state) % buckets) * LINE;
            __builtin_prefetch(bucket[i], 1);
        }
        for (unsigned i = 0; i < BURST; i++) {
            /* The cycle's link is a random line; the flow is it and the next. */
            size_t at = *(const uint64_t *)bucket[i] % ((lines - 1) * LINE);
            flow[i] = mem + at;
            __builtin_prefetch(flow[i], 1);
            __builtin_prefetch(flow[i] + LINE, 1);
        }
        for (unsigned i = 0; i < BURST; i++) {
            sum += *(const volatile uint64_t *)flow[i];
            (*(volatile uint64_t *)(flow[i] + LINE + 8))++;
        }
    }
    double ns = (now_s() - start) / READS * 1e9;
    return sum == 1 ? 0 : ns;
}

int main(int argc, char **argv)
{
    static const double default_mib[] = {2.5, 256, 2560};
    size_t count = argc > 1 ? (size_t)(argc - 1) : sizeof(default_mib) / sizeof(default_mib[0]);
    printf("%12s %16s %18s %18s\n", "MiB", "dependent ns", "independent ns", "lookup pattern ns");
    for (size_t i = 0; i < count; i++) {
        double mib = argc > 1 ? strtod(argv[i + 1], NULL) : default_mib[i];
        size_t lines = (size_t)(mib * 1048576.0) / LINE;
        if (mib <= 0 || lines < 8 || lines > UINT32_MAX) {
            fprintf(stderr, "usage: mem-access-bench [MIB...] (default 2.5 256 2560)\n");
            return 2;
        }
        size_t bytes = lines * LINE;
        void *mapping;
        uint8_t *mem = build_cycle(bytes, lines, &mapping);
        if (mem == NULL) {
            fprintf(stderr, "mem-access-bench: no memory for %.1f MiB\n", mib);
            return 1;
        }
        printf("%12.1f %16.1f %18.1f %18.1f\n", mib, dependent_ns(mem), independent_ns(mem, lines),
               lookup_pattern_ns(mem, lines));
        fflush(stdout);
        munmap(mapping, bytes + HUGE_PAGE);
    }
    return 0;
}
