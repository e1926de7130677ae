/* The pcap-service runmode (vigil --unix-socket): a daemon that replays the
 * files queued over the control socket one at a time, each as -r would. */
#ifndef VIGIL_RUNTIME_PCAP_SERVICE_H
#define VIGIL_RUNTIME_PCAP_SERVICE_H

#include <stdatomic.h>

#include "runtime/config.h"
#include "runtime/pcap-queue.h"

struct pcap_service_options {
    const struct vigil_config *cfg;
    const char *runmode;        /* as for -r: autofp, else single */
    unsigned workers;           /* autofp's flow workers */
    atomic_int *stop;           /* VIGIL_STOP_* bits; the queue's stop word */
};

/* Processes queued files in order until VIGIL_STOP_SHUTDOWN is set; files
 * still queued then are logged and dropped. Returns the exit code, 0. */
int pcap_service_run(struct pcap_queue *q, const struct pcap_service_options *opt);

#endif
