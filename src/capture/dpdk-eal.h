/* DPDK's Environment Abstraction Layer for live capture: started once from
 * the dpdk: eal-params, stopped once at exit, with errors an operator can act on. */
#ifndef VIGIL_CAPTURE_DPDK_EAL_H
#define VIGIL_CAPTURE_DPDK_EAL_H

#include <stdbool.h>

#include "runtime/config.h"

/* Runs rte_eal_init with "vigil" and cfg->eal_args. Returns 0, or -1 after
 * logging why, with the fix for the usual causes (no hugepages, another
 * primary process, missing permissions). Once started, a call does nothing:
 * a tool that creates its own ports (qa/bench/dpdk-ring-replay) starts the
 * EAL before the runmode does. */
int dpdk_eal_start(const struct vigil_dpdk_config *cfg);

/* Releases EAL memory and devices; ports must be closed first. */
void dpdk_eal_stop(void);

/* Threads Vigil creates itself call this before touching mbufs, so they get
 * an lcore id and the mempool's per-lcore cache; false when none is free
 * (the thread still works, without the cache). */
bool dpdk_thread_register(void);
void dpdk_thread_unregister(void);

#endif
