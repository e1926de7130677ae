/* Writes the generator's reference JSON lines: what a Suricata-compatible flow
 * engine must report for each generated flow, counted while the packets were built. */
#include "pcapgen-reference.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <sys/socket.h>
#include <time.h>

void pcapgen_reference_write_summary(FILE *out, const struct pcapgen_capture_summary *s)
{
    fprintf(out,
            "{\"type\":\"pcap\",\"pcap\":\"%s\",\"format\":\"pcap\",\"linktype\":1,"
            "\"linktype_name\":\"ethernet\",\"snaplen\":65535,\"decoder\":\"vigil-pcapgen\","
            "\"seed\":%" PRIu64 ",\"frames\":%" PRIu64 ",\"ip_frames\":%" PRIu64 ","
            "\"non_ip_frames\":0,\"class\":\"strict\",\"models\":[\"suri\"],"
            "\"flows\":{\"suri\":%" PRIu64 "},\"pkts\":{\"suri\":%" PRIu64 "},"
            "\"bytes\":{\"suri\":%" PRIu64 "}}\n",
            s->pcap_name, s->seed, s->frames, s->frames, s->flows, s->frames, s->bytes);
}

static void write_time(FILE *out, const char *key, const char *epoch_key, uint64_t ts_us)
{
    time_t secs = (time_t)(ts_us / 1000000);
    unsigned usecs = (unsigned)(ts_us % 1000000);
    struct tm tm;
    char date[32];
    gmtime_r(&secs, &tm);
    strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%S", &tm);
    fprintf(out, ",\"%s\":\"%s.%06u+0000\",\"%s\":\"%lld.%06u\"", key, date, usecs, epoch_key,
            (long long)secs, usecs);
}

static void write_endpoint(FILE *out, const char *role, uint8_t family, const struct pcapgen_endpoint *e)
{
    char text[INET6_ADDRSTRLEN];
    inet_ntop(family == 4 ? AF_INET : AF_INET6, e->addr, text, sizeof(text));
    fprintf(out, ",\"%s_ip\":\"%s\",\"%s_port\":%u", role, text, role, e->port);
}

static const char *proto_tag(uint8_t proto)
{
    switch (proto) {
    case 6:
        return "tcp";
    case 17:
        return "udp";
    case 1:
        return "icmp";
    default:
        return "icmpv6";
    }
}

static void write_tags(FILE *out, const struct pcapgen_flow *f)
{
    fprintf(out, ",\"tags\":[\"%s\"", proto_tag(f->proto));
    if (f->family == 6)
        fputs(",\"ipv6\"", out);
    if (f->vlan_id)
        fputs(",\"vlan\"", out);
    if (f->proto == 6) {
        uint8_t all = f->tcp_flags[0] | f->tcp_flags[1];
        if (all & PCAPGEN_TCP_RST)
            fputs(",\"rst\"", out);
        else if (all & PCAPGEN_TCP_FIN)
            fputs(",\"fin\"", out);
    }
    fputs("]", out);
}

void pcapgen_reference_write_flow(FILE *out, const char *pcap_name, const struct pcapgen_flow *f)
{
    fprintf(out, "{\"type\":\"flow\",\"pcap\":\"%s\",\"model\":\"suri\",\"proto\":%u", pcap_name, f->proto);
    write_endpoint(out, "src", f->family, &f->client);
    write_endpoint(out, "dest", f->family, &f->server);
    fprintf(out,
            ",\"pkts_toserver\":%u,\"pkts_toclient\":%u,\"bytes_toserver\":%" PRIu64
            ",\"bytes_toclient\":%" PRIu64 ",\"capbytes_toserver\":%" PRIu64 ",\"capbytes_toclient\":%" PRIu64,
            f->pkts[0], f->pkts[1], f->bytes[0], f->bytes[1], f->bytes[0], f->bytes[1]);
    write_time(out, "start", "start_epoch", f->first_us);
    write_time(out, "end", "end_epoch", f->last_us);
    if (f->vlan_id)
        fprintf(out, ",\"vlan\":[%u],\"vlans\":[[%u]]", f->vlan_id, f->vlan_id);
    if (f->proto == 6)
        fprintf(out, ",\"tcp_flags\":\"%02x\",\"tcp_flags_ts\":\"%02x\",\"tcp_flags_tc\":\"%02x\"",
                f->tcp_flags[0] | f->tcp_flags[1], f->tcp_flags[0], f->tcp_flags[1]);
    write_tags(out, f);
    if (f->label)
        fprintf(out, ",\"phase\":\"%s\"", f->label);
    fputs("}\n", out);
}
