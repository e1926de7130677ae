/* The generator's reference file: JSON lines in the shape of
 * the shared expected/<name>.jsonl files: a "pcap" summary then one "flow" per flow. */
#ifndef VIGIL_QA_PCAPGEN_REFERENCE_H
#define VIGIL_QA_PCAPGEN_REFERENCE_H

#include <stdint.h>
#include <stdio.h>

#include "pcapgen-flow.h"

struct pcapgen_capture_summary {
    const char *pcap_name; /* file name without directories */
    uint64_t seed;
    uint64_t frames;
    uint64_t bytes;
    uint64_t flows;
};

void pcapgen_reference_write_summary(FILE *out, const struct pcapgen_capture_summary *s);

/* One "flow" line; src is the sender of the flow's first packet, bytes are whole frames. */
void pcapgen_reference_write_flow(FILE *out, const char *pcap_name, const struct pcapgen_flow *f);

#endif
