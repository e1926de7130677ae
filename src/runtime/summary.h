/* The end-of-run summary for operators: packets, bytes, flows by protocol,
 * decoder events and where the EVE records went. */
#ifndef VIGIL_RUNTIME_SUMMARY_H
#define VIGIL_RUNTIME_SUMMARY_H

#include <stdio.h>

#include "capture/pcap-file.h"
#include "decode/decode.h"
#include "decode/defrag.h"
#include "flow/flow-stats.h"

struct run_summary {
    const struct pcap_file_stats *capture;
    const struct decode_stats *decode;
    const struct defrag_stats *defrag;
    const struct flow_stats *flow;
    unsigned long long capture_waits; /* autofp: times the capture waited for a free packet */
    bool live;                  /* live ports: drops are theirs, printed after this */
    const char *eve_path;       /* NULL when EVE output is off */
    unsigned long long eve_records;
    double seconds;
};

void summary_print(FILE *out, const struct run_summary *s);

#endif
