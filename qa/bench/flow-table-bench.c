/* flow-table-bench: lookups/s of live flows, inserts+expiries/s and bytes of
 * flow.memuse per tracked flow, on the real flow engine at several table sizes. */
#include <inttypes.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "flow/flow-engine.h"
#include "flow/flow-spare.h"
#include "runtime/config.h"
#include "util/hash.h"

#define T0_US 1700000000000000ULL
#define USEC 1000000ULL
/* Past every default UDP timeout (new 30 s, established 300 s). */
#define EXPIRE_AFTER_US (301 * USEC)
#define MANAGER_SLICE 1024 /* inserts between two manager slices */

struct bench_result {
    uint64_t flows;
    double insert_per_s;
    double lookup_per_s;          /* packets hashed before the burst */
    double lookup_own_hash_per_s; /* packets hashed by flow_handle_burst */
    double churn_per_s;
    double bytes_per_flow;
    uint64_t memuse;
    uint64_t ended;
};

static uint64_t ended_count;

static void count_end(void *log_ctx, const struct flow *f, uint64_t now_us)
{
    (void)log_ctx;
    (void)f;
    (void)now_us;
    ended_count++;
}

/* Packets per flow_handle_burst call, as a worker's ring hands them over. */
#define LOOKUP_BURST 32u

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Flow i: UDP from 10.0.0.0 + i to one server, source port from i as well. */
static void set_flow_packet(struct packet *p, uint64_t i, uint64_t ts_us)
{
    p->flags = PKT_HAS_FLOW_KEY;
    p->ts_us = ts_us;
    p->src.w[0] = htonl(0x0a000000u + (uint32_t)(i & 0xffffff));
    p->sp = (uint16_t)(1024 + (i >> 24));
    p->flow_bytes = 100;
}

static void init_packet(struct packet *p)
{
    memset(p, 0, sizeof(*p));
    p->ip_version = 4;
    p->proto = IPPROTO_UDP;
    p->dst.w[0] = htonl(0xac100001u);
    p->dp = 53;
}

/* The k-th flow looked up: uniformly random over 0..n-1 (the flow hash's
 * finaliser of k, scaled by a multiply-shift), so lookups miss the cache
 * as real traffic does. A fixed odd stride through a power of two, used before, visits
 * flows in an arithmetic progression whose luck depended on n: 5.7M
 * lookups/s at 8M flows, 12.7M at 10M, 8.8M at 16M. */
static uint64_t random_flow(uint64_t k, uint64_t n)
{
    return ((uint64_t)hash_finish(k) * n) >> 32;
}

/* One table under test: built once, then looked up in rounds that
 * alternate with the other sizes, so machine noise hits every size alike. */
struct bench_table {
    struct vigil_config cfg;
    struct flow_engine engine;
    struct flow_worker worker;
    bool failed;
    struct bench_result r;
};

static int table_build(struct bench_table *t, uint64_t flows)
{
    config_set_defaults(&t->cfg);
    t->cfg.flow.hash_size = (uint32_t)flows;
    t->cfg.flow.prealloc = 10000;
    t->cfg.flow.memcap = flow_table_bytes(t->cfg.flow.hash_size) + (flows + flows / 4 + 20000) * FLOW_MEMORY_SIZE;
    char err[256];
    if (flow_engine_init(&t->engine, &t->cfg, 0x5eed, count_end, err, sizeof(err)) != 0) {
        fprintf(stderr, "flow-table-bench: %s\n", err);
        config_free(&t->cfg);
        return -1;
    }
    flow_worker_init(&t->worker, &t->engine, NULL);
    t->r = (struct bench_result){.flows = flows};
    struct packet p;
    init_packet(&p);
    double start = now_s();
    for (uint64_t i = 0; i < flows; i++) {
        set_flow_packet(&p, i, T0_US);
        if (!flow_handle_packet(&t->worker, &p))
            t->failed = true;
    }
    t->r.insert_per_s = (double)flows / (now_s() - start);
    t->r.memuse = flow_engine_memuse(&t->engine);
    t->r.bytes_per_flow = (double)t->r.memuse / (double)flows;
    return 0;
}

/* Lookups go in bursts as a worker gets them from its ring, then
 * flow_handle_burst prefetches buckets and chains. Hashed first, as
 * autofp's capture thread does to pick one of several workers (the time
 * includes that hashing); or not, as single and a sole worker get them:
 * flow_handle_burst then makes each key and hash once. Keeps the best round. */
static void table_lookup_round(struct bench_table *t, uint64_t round, bool hashed)
{
    uint64_t flows = t->r.flows, lookups = flows < 2000000 ? 2000000 : flows;
    struct packet burst_packets[LOOKUP_BURST], *burst[LOOKUP_BURST];
    for (unsigned b = 0; b < LOOKUP_BURST; b++) {
        init_packet(&burst_packets[b]);
        burst[b] = &burst_packets[b];
    }
    uint64_t total_before = t->worker.stats.total, first = round * lookups;
    double start = now_s();
    for (uint64_t k = first; k < first + lookups; k += LOOKUP_BURST) {
        for (unsigned b = 0; b < LOOKUP_BURST; b++) {
            set_flow_packet(burst[b], random_flow(k + b, flows), T0_US + 1);
            if (hashed)
                flow_packet_hash(&t->engine, burst[b]);
        }
        flow_handle_burst(&t->worker, burst, LOOKUP_BURST);
    }
    double rate = (double)lookups / (now_s() - start);
    double *best = hashed ? &t->r.lookup_per_s : &t->r.lookup_own_hash_per_s;
    if (rate > *best)
        *best = rate;
    if (t->worker.stats.total != total_before)
        t->failed = true;
}

/* Every live flow is now past its timeout: each new flow is paid for by an
 * expiry, found by the manager slices or by the lookups on the way. */
static void table_churn(struct bench_table *t)
{
    uint64_t flows = t->r.flows, now = T0_US + EXPIRE_AFTER_US;
    uint32_t rows = t->cfg.flow.hash_size, per_slice = (uint32_t)((uint64_t)rows * MANAGER_SLICE / flows) + 1;
    uint32_t row = 0;
    struct packet p;
    init_packet(&p);
    ended_count = 0;
    double start = now_s();
    for (uint64_t i = 0; i < flows; i++) {
        set_flow_packet(&p, flows + i, now);
        if (!flow_handle_packet(&t->worker, &p))
            t->failed = true;
        if (i % MANAGER_SLICE == 0 && row < rows) {
            uint32_t last = row + per_slice > rows ? rows : row + per_slice;
            flow_manager_timeout_rows(&t->worker, row, last, now);
            row = last;
        }
    }
    t->r.churn_per_s = (double)flows / (now_s() - start);
    t->r.ended = ended_count;
    if (flow_engine_memuse(&t->engine) > t->cfg.flow.memcap)
        t->failed = true;
}

static void table_destroy(struct bench_table *t)
{
    flow_engine_shutdown_flows(&t->worker, T0_US + EXPIRE_AFTER_US);
    flow_worker_release(&t->worker);
    flow_engine_destroy(&t->engine);
    config_free(&t->cfg);
}

static void print_header(void)
{
    printf("flow struct %zu bytes, %zu of flow.memcap each (FLOW_MEMORY_SIZE)\n",
           sizeof(struct flow), (size_t)FLOW_MEMORY_SIZE);
    printf("%12s %14s %14s %14s %16s %12s %14s\n", "live flows", "inserts/s", "lookups/s", "own-hash/s",
           "insert+expire/s", "bytes/flow", "memuse MiB");
}

static void print_row(const struct bench_result *r)
{
    printf("%12" PRIu64 " %14.0f %14.0f %14.0f %16.0f %12.1f %14.1f\n", r->flows, r->insert_per_s,
           r->lookup_per_s, r->lookup_own_hash_per_s, r->churn_per_s, r->bytes_per_flow,
           (double)r->memuse / 1048576.0);
    fflush(stdout);
}

/* Rounds of lookups per size, from BENCH_ROUNDS (default 5). */
static uint64_t lookup_rounds(void)
{
    const char *env = getenv("BENCH_ROUNDS");
    uint64_t rounds = env ? strtoull(env, NULL, 10) : 0;
    return rounds ? rounds : 5;
}

static int parse_sizes(int argc, char **argv, uint64_t *sizes, size_t *count)
{
    static const uint64_t default_sizes[] = {10000, 1000000, 10000000};
    *count = argc > 1 ? (size_t)(argc - 1) : sizeof(default_sizes) / sizeof(default_sizes[0]);
    for (size_t i = 0; i < *count; i++) {
        sizes[i] = argc > 1 ? strtoull(argv[i + 1], NULL, 10) : default_sizes[i];
        if (sizes[i] == 0 || sizes[i] > UINT32_MAX) {
            fprintf(stderr, "usage: flow-table-bench [FLOWS...] (1..%u each; default 10000 1000000 10000000)\n",
                    UINT32_MAX);
            return -1;
        }
    }
    return 0;
}

#define MAX_SIZES 16

int main(int argc, char **argv)
{
    uint64_t sizes[MAX_SIZES];
    size_t count;
    if (argc - 1 > MAX_SIZES || parse_sizes(argc, argv, sizes, &count) != 0)
        return 2;
    static struct bench_table tables[MAX_SIZES];
    int status = 0;
    for (size_t i = 0; i < count; i++)
        if (table_build(&tables[i], sizes[i]) != 0)
            return 1;
    uint64_t rounds = lookup_rounds();
    for (uint64_t round = 0; round < rounds; round++)
        for (size_t i = 0; i < count; i++) {
            table_lookup_round(&tables[i], round, true);
            table_lookup_round(&tables[i], round, false);
        }
    print_header();
    for (size_t i = 0; i < count; i++) {
        struct bench_table *t = &tables[i];
        table_churn(t);
        print_row(&t->r);
        if (t->failed) {
            fprintf(stderr, "flow-table-bench: %" PRIu64 " flows: a packet found no flow, or memuse passed memcap\n",
                    t->r.flows);
            status = 1;
        }
        if (t->r.ended < t->r.flows)
            fprintf(stderr, "flow-table-bench: %" PRIu64 " flows: only %" PRIu64 " expired in the churn\n",
                    t->r.flows, t->r.ended);
        table_destroy(t);
    }
    if (count > 1) {
        const struct bench_result *small = &tables[0].r, *large = &tables[count - 1].r;
        printf("lookup cost %" PRIu64 " -> %" PRIu64 " flows: %.2f x (best of %" PRIu64 " rounds each)\n",
               sizes[0], sizes[count - 1], small->lookup_per_s / large->lookup_per_s, rounds);
        printf("lookup cost %" PRIu64 " -> %" PRIu64 " flows, own hash: %.2f x\n", sizes[0], sizes[count - 1],
               small->lookup_own_hash_per_s / large->lookup_own_hash_per_s);
    }
    return status;
}
