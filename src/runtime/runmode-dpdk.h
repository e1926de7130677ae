/* Live capture from the DPDK ports of the dpdk: section, in the workers,
 * autofp or single runmode, until SIGINT/SIGTERM. */
#ifndef VIGIL_RUNTIME_RUNMODE_DPDK_H
#define VIGIL_RUNTIME_RUNMODE_DPDK_H

#include <stdatomic.h>

#include "runtime/config.h"

struct live_run {
    const char *log_dir;
    const atomic_int *stop;   /* set by a signal handler: stop capturing */
};

/* Returns the process exit code: 0 success, 1 configuration refused (EAL,
 * ports), 2 runtime failure. cfg's threading.flow-workers must be valid
 * (runmode_flow_workers not 0). */
int runmode_dpdk(const struct vigil_config *cfg, const struct live_run *run,
                 const char *runmode);

#endif
