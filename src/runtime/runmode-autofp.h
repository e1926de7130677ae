/* The autofp runmode: a capture thread decodes and hands packets to flow
 * workers by flow hash; a manager times flows out and a recycler logs them. */
#ifndef VIGIL_RUNTIME_RUNMODE_AUTOFP_H
#define VIGIL_RUNTIME_RUNMODE_AUTOFP_H

#include "runtime/config.h"
#include "runtime/runmode-single.h"

/* Offline replay with `workers` flow workers (threading.flow-workers).
 * Returns the process exit code, as runmode_single_offline. */
int runmode_autofp_offline(const struct vigil_config *cfg, const struct offline_run *run,
                           unsigned workers);

/* The runmode an offline replay runs in: "autofp", else "single" (a file
 * has no queues for workers to spread over, so workers is single). */
const char *runmode_offline_name(const char *runmode);

/* Offline replay in runmode_offline_name(runmode); the exit code as
 * runmode_single_offline. */
int runmode_offline(const struct vigil_config *cfg, const struct offline_run *run,
                    const char *runmode, unsigned workers);

/* threading.flow-workers: "auto" (one per CPU this process may use, less
 * the one the capture thread takes; at least one) or a number 1..1024;
 * 0 when the value is neither. */
unsigned runmode_flow_workers(const char *setting);

#endif
