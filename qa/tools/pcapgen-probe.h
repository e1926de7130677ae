/* --timeout-probe: long-lived flows of every protocol and flow state whose
 * idle gaps sit one second below and one second above the flow timeout. */
#ifndef VIGIL_QA_PCAPGEN_PROBE_H
#define VIGIL_QA_PCAPGEN_PROBE_H

#include <stdbool.h>
#include <stdint.h>

#include "pcapgen-gen.h"

/* Background mix flows start every BACKGROUND_US so packet time moves on. */
#define PCAPGEN_PROBE_BACKGROUND_US 100000

/* Mix flows the background needs over the probes' span. */
uint32_t pcapgen_probe_background_flows(bool emergency);
/* Scripted flows and split records the probes need room for. */
uint32_t pcapgen_probe_scripted(void);

/* Writes the capture. With emergency, gaps are placed around the
 * emergency-* timeouts and the reference splits on those instead. */
void pcapgen_probe_generate(struct pcapgen_gen *g, bool emergency);

#endif
