/* --syn-flood: spoofed TCP SYNs injected in the middle of the default mix,
 * with normal flows before, during and after the flood. */
#ifndef VIGIL_QA_PCAPGEN_SYNFLOOD_H
#define VIGIL_QA_PCAPGEN_SYNFLOOD_H

#include <stdint.h>

#include "pcapgen-gen.h"

/* Sources are 100.64.0.0 + i, so at most 2^22 SYNs. */
#define PCAPGEN_MAX_SYNS (1u << 22)
/* One-packet UDP flows, one each TICK_US, keep packet time moving while
 * nothing else is sent after the flood. */
#define PCAPGEN_FLOOD_QUIET_S 65
#define PCAPGEN_FLOOD_TICK_US 50000
#define PCAPGEN_FLOOD_TICKS (PCAPGEN_FLOOD_QUIET_S * 1000000 / PCAPGEN_FLOOD_TICK_US)

/* Scripted flows the mode needs room for. */
static inline uint32_t pcapgen_synflood_scripted(uint32_t syns)
{
    return syns + PCAPGEN_FLOOD_TICKS;
}

/* Writes the whole capture; g holds the mix flows and room for the scripted ones. */
void pcapgen_synflood_generate(struct pcapgen_gen *g, uint32_t syns);

#endif
