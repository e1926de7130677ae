/* vigil-pcapgen: writes a deterministic synthetic capture of many interleaved
 * TCP/UDP/ICMP flows and a reference file of the flow records an engine must log. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "pcapgen-gen.h"
#include "pcapgen-pcap.h"
#include "pcapgen-probe.h"
#include "pcapgen-reference.h"
#include "pcapgen-synflood.h"

#define DEFAULT_FLOWS 1000
#define DEFAULT_CONCURRENCY 1000
#define DEMO_FLOWS 200
#define DEMO_CONCURRENCY 40
#define DEFAULT_START_TIME 1700000000ULL /* 2023-11-14T22:13:20Z */

enum scenario { SCENARIO_MIX, SCENARIO_SYN_FLOOD, SCENARIO_TIMEOUT_PROBE };

struct options {
    uint64_t flows;       /* 0: default */
    uint64_t seed;
    uint64_t start_time;
    uint64_t concurrency; /* 0: default */
    uint64_t syns;
    const char *out_path;
    const char *reference_path;
    struct pcapgen_mix mix;
    enum scenario scenario;
    bool emergency_probe;
    bool demo;
    bool quiet;
};
static const struct pcapgen_mix default_mix = {
    .tcp_percent = 70,
    .udp_percent = 20,
    .ipv6_percent = 25,
    .vlan_percent = 10,
    .tcp_rst_percent = 15,
    .udp_oneway_percent = 10,
};


static void usage(FILE *out)
{
    fputs("usage: vigil-pcapgen --out FILE.pcap [--reference FLOWS.jsonl] [--flows N] [--seed S]\n"
          "                     [--start-time EPOCH] [--mix default] [--ipv6-percent P]\n"
          "                     [--vlan-percent P] [--concurrency K] [--demo] [--quiet]\n"
          "                     [--syn-flood N | --timeout-probe[=normal|emergency]]\n"
          "  --flows N          flows to generate (default 1000; 100000 gives about 1.1M packets)\n"
          "  --seed S           random seed (default 1): same options, same bytes\n"
          "  --start-time EPOCH time of the first packet (default 1700000000)\n"
          "  --mix default      70% TCP (handshake, data, FIN or 15% RST), 20% UDP, 10% ICMP echo\n"
          "  --ipv6-percent P   share of IPv6 flows (default 25)\n"
          "  --vlan-percent P   share of flows inside an 802.1Q VLAN (default 10)\n"
          "  --concurrency K    flows open at once (default 1000)\n"
          "  --demo             small mixed capture: 200 flows, about 2000 packets\n"
          "  --syn-flood N      N spoofed one-packet TCP SYN flows in the middle of the mix\n"
          "                     (the --flows mix flows come before, during and after it)\n"
          "  --timeout-probe[=normal|emergency]\n"
          "                     flows idle for 1 s less and 1 s more than each flow\n"
          "                     timeout (default or emergency-* values), over background\n"
          "  --quiet            no summary on stderr\n",
          out);
}

static int parse_number(const char *text, const char *option, uint64_t max, uint64_t *value)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(text, &end, 10);
    if (errno || end == text || *end || text[0] == '-' || v > max) {
        fprintf(stderr, "vigil-pcapgen: %s: invalid value '%s' (0..%" PRIu64 ")\n", option, text, max);
        return -1;
    }
    *value = v;
    return 0;
}

static int parse_percent(const char *text, const char *option, uint32_t *value)
{
    uint64_t v;
    if (parse_number(text, option, 100, &v))
        return -1;
    *value = (uint32_t)v;
    return 0;
}

static int parse_option(struct options *o, int opt, const char *arg)
{
    switch (opt) {
    case 'f':
        return parse_number(arg, "--flows", PCAPGEN_MAX_FLOWS, &o->flows);
    case 's':
        return parse_number(arg, "--seed", UINT64_MAX, &o->seed);
    case 't':
        return parse_number(arg, "--start-time", UINT32_MAX - 3600, &o->start_time);
    case 'c':
        return parse_number(arg, "--concurrency", PCAPGEN_MAX_FLOWS, &o->concurrency);
    case 'o':
        o->out_path = arg;
        return 0;
    case 'r':
        o->reference_path = arg;
        return 0;
    case 'm':
        if (strcmp(arg, "default") == 0)
            return 0;
        fprintf(stderr, "vigil-pcapgen: --mix: unknown mix '%s' (known: default)\n", arg);
        return -1;
    case '6':
        return parse_percent(arg, "--ipv6-percent", &o->mix.ipv6_percent);
    case 'v':
        return parse_percent(arg, "--vlan-percent", &o->mix.vlan_percent);
    case 'd':
        o->demo = true;
        return 0;
    case 'S':
        o->scenario = SCENARIO_SYN_FLOOD;
        return parse_number(arg, "--syn-flood", PCAPGEN_MAX_SYNS, &o->syns);
    case 'T':
        o->scenario = SCENARIO_TIMEOUT_PROBE;
        if (!arg || strcmp(arg, "normal") == 0)
            return 0;
        o->emergency_probe = strcmp(arg, "emergency") == 0;
        if (!o->emergency_probe)
            fprintf(stderr, "vigil-pcapgen: --timeout-probe: unknown set '%s' (normal, emergency)\n", arg);
        return o->emergency_probe ? 0 : -1;
    case 'q':
        o->quiet = true;
        return 0;
    default:
        return -1;
    }
}

static int parse_options(int argc, char **argv, struct options *o)
{
    static const struct option long_options[] = {
        {"flows", required_argument, NULL, 'f'},
        {"seed", required_argument, NULL, 's'},
        {"start-time", required_argument, NULL, 't'},
        {"concurrency", required_argument, NULL, 'c'},
        {"out", required_argument, NULL, 'o'},
        {"reference", required_argument, NULL, 'r'},
        {"mix", required_argument, NULL, 'm'},
        {"ipv6-percent", required_argument, NULL, '6'},
        {"vlan-percent", required_argument, NULL, 'v'},
        {"demo", no_argument, NULL, 'd'},
        {"syn-flood", required_argument, NULL, 'S'},
        {"timeout-probe", optional_argument, NULL, 'T'},
        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    *o = (struct options){.seed = 1, .start_time = DEFAULT_START_TIME, .mix = default_mix};
    int opt;
    while ((opt = getopt_long(argc, argv, "", long_options, NULL)) != -1) {
        if (opt == 'h') {
            usage(stdout);
            exit(0);
        }
        if (parse_option(o, opt, optarg)) {
            usage(stderr);
            return -1;
        }
    }
    if (optind < argc || !o->out_path) {
        fputs(optind < argc ? "vigil-pcapgen: unexpected argument\n" : "vigil-pcapgen: --out is required\n",
              stderr);
        usage(stderr);
        return -1;
    }
    if (!o->flows)
        o->flows = o->demo ? DEMO_FLOWS : DEFAULT_FLOWS;
    if (!o->concurrency)
        o->concurrency = o->demo ? DEMO_CONCURRENCY : DEFAULT_CONCURRENCY;
    if (o->concurrency > o->flows)
        o->concurrency = o->flows;
    return 0;
}

static int generator_init(struct pcapgen_gen *g, const struct options *o, struct pcapgen_pcap *pcap)
{
    struct pcapgen_gen_config c = {
        .seed = o->seed,
        .start_time = o->start_time,
        .mix_flows = (uint32_t)o->flows,
        .concurrency = (uint32_t)o->concurrency,
        .mix = o->mix,
    };
    if (o->scenario == SCENARIO_SYN_FLOOD)
        c.scripted_flows = pcapgen_synflood_scripted((uint32_t)o->syns);
    if (o->scenario == SCENARIO_TIMEOUT_PROBE) {
        c.mix_flows = pcapgen_probe_background_flows(o->emergency_probe);
        c.scripted_flows = pcapgen_probe_scripted();
    }
    return pcapgen_gen_init(g, &c, pcap);
}

static void generate(struct pcapgen_gen *g, const struct options *o)
{
    switch (o->scenario) {
    case SCENARIO_SYN_FLOOD:
        pcapgen_synflood_generate(g, (uint32_t)o->syns);
        return;
    case SCENARIO_TIMEOUT_PROBE:
        pcapgen_probe_generate(g, o->emergency_probe);
        return;
    case SCENARIO_MIX:
        pcapgen_gen_fill(g, g->mix_count);
        while (g->active_count)
            pcapgen_gen_mix_packet(g, g->mix_count);
        return;
    }
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static int write_reference(const struct pcapgen_gen *g, const struct options *o)
{
    FILE *out = fopen(o->reference_path, "w");
    if (!out) {
        fprintf(stderr, "vigil-pcapgen: %s: %s\n", o->reference_path, strerror(errno));
        return -1;
    }
    const char *name = base_name(o->out_path);
    uint32_t records = pcapgen_gen_record_count(g);
    struct pcapgen_capture_summary summary = {name, o->seed, g->frames, g->bytes, records};
    pcapgen_reference_write_summary(out, &summary);
    for (uint32_t i = 0; i < records; i++)
        pcapgen_reference_write_flow(out, name, pcapgen_gen_record(g, i));
    if (ferror(out) | fclose(out)) {
        fprintf(stderr, "vigil-pcapgen: %s: write failed\n", o->reference_path);
        return -1;
    }
    return 0;
}

static double seconds_since(const struct timespec *start)
{
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (double)(now.tv_sec - start->tv_sec) + (double)(now.tv_nsec - start->tv_nsec) / 1e9;
}

int main(int argc, char **argv)
{
    struct options o;
    struct pcapgen_gen g = {0};
    struct pcapgen_pcap pcap;
    struct timespec start;
    int status = 1;

    clock_gettime(CLOCK_MONOTONIC, &start);
    if (parse_options(argc, argv, &o) || generator_init(&g, &o, &pcap))
        goto out;
    if (pcapgen_pcap_open(&pcap, o.out_path)) {
        fprintf(stderr, "vigil-pcapgen: %s: %s\n", o.out_path, strerror(errno));
        goto out;
    }
    generate(&g, &o);
    if (pcapgen_pcap_close(&pcap)) {
        fprintf(stderr, "vigil-pcapgen: %s: write failed\n", o.out_path);
        goto out;
    }
    if (o.reference_path && write_reference(&g, &o))
        goto out;
    if (!o.quiet)
        fprintf(stderr, "vigil-pcapgen: %" PRIu64 " packets, %u flows, %" PRIu64 " bytes in %.2f s\n",
                g.frames, pcapgen_gen_record_count(&g), g.bytes, seconds_since(&start));
    status = 0;
out:
    pcapgen_gen_free(&g);
    return status;
}
