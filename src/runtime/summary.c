/* Prints the run summary: the figures an operator checks first after a
 * replay, with every decoder event that fired, by its Suricata name. */
#include "runtime/summary.h"

#include <stdint.h>
#include <string.h>

static uint64_t stat_at(const void *base, size_t offset)
{
    return *(const uint64_t *)((const char *)base + offset);
}

static void print_events(FILE *out, const struct decode_stats *d)
{
    unsigned shown = 0;
    for (size_t i = 0; i < decode_stats_field_count; i++) {
        const struct decode_stats_field *f = &decode_stats_fields[i];
        uint64_t v = stat_at(d, f->offset);
        if (v == 0 || strncmp(f->name, "decoder.event.", 14) != 0)
            continue;
        fprintf(out, "  %-44s %llu\n", f->name, (unsigned long long)v);
        shown++;
    }
    if (shown == 0)
        fprintf(out, "  (none)\n");
}

void summary_print(FILE *out, const struct run_summary *s)
{
    const struct flow_stats *f = s->flow;
    double pps = s->seconds > 0 ? (double)s->capture->packets / s->seconds : 0;
    fprintf(out, "Vigil run summary\n");
    if (!s->live)
        fprintf(out, "  files read          %u (%u failed)\n", s->capture->files,
                s->capture->failed_files);
    fprintf(out, "  packets             %llu (%.0f packets/s)\n",
            (unsigned long long)s->capture->packets, pps);
    fprintf(out, "  bytes               %llu\n", (unsigned long long)s->capture->bytes);
    if (s->live)
        fprintf(out, "  dropped             see the port counters below (the engine waited %llu "
                     "times for a free packet)\n", s->capture_waits);
    else
        fprintf(out, "  dropped             0 (offline replay waits instead: %llu waits for a free packet)\n",
                s->capture_waits);
    fprintf(out, "  decoded: ipv4 %llu, ipv6 %llu, tcp %llu, udp %llu, icmpv4 %llu, icmpv6 %llu, "
                 "sctp %llu, arp %llu, invalid %llu\n",
            (unsigned long long)s->decode->ipv4, (unsigned long long)s->decode->ipv6,
            (unsigned long long)s->decode->tcp, (unsigned long long)s->decode->udp,
            (unsigned long long)s->decode->icmpv4, (unsigned long long)s->decode->icmpv6,
            (unsigned long long)s->decode->sctp, (unsigned long long)s->decode->arp,
            (unsigned long long)(s->decode->invalid + s->capture->unsupported));
    fprintf(out, "  fragments: ipv4 %llu, ipv6 %llu; reassembled: ipv4 %llu, ipv6 %llu\n",
            (unsigned long long)s->defrag->ipv4_fragments,
            (unsigned long long)s->defrag->ipv6_fragments,
            (unsigned long long)s->defrag->ipv4_reassembled,
            (unsigned long long)s->defrag->ipv6_reassembled);
    fprintf(out, "  flows               %llu (tcp %llu, udp %llu, icmpv4 %llu, icmpv6 %llu, "
                 "sctp %llu, other %llu)\n",
            (unsigned long long)f->total, (unsigned long long)f->tcp, (unsigned long long)f->udp,
            (unsigned long long)f->icmpv4, (unsigned long long)f->icmpv6,
            (unsigned long long)f->sctp, (unsigned long long)f->other);
    fprintf(out, "  flows ended         timeout %llu, forced %llu, shutdown %llu\n",
            (unsigned long long)f->flows_timeout, (unsigned long long)f->flows_forced,
            (unsigned long long)f->flows_shutdown);
    fprintf(out, "  emergency episodes  %llu (refused flows: %llu)\n",
            (unsigned long long)f->emerg_mode_entered,
            (unsigned long long)(f->emergency_refused + f->get_used_failed));
    fprintf(out, "  decoder events:\n");
    print_events(out, s->decode);
    if (s->eve_path)
        fprintf(out, "  eve records         %llu in %s\n", s->eve_records, s->eve_path);
    else
        fprintf(out, "  eve output          disabled\n");
}
