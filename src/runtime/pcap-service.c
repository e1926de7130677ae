/* The pcap-service runner: takes files off the queue and replays each with
 * the configured offline runmode into its own output directory. */
#include "runtime/pcap-service.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "runtime/runmode-autofp.h"
#include "util/log.h"

/* How long the runner sleeps between looks at the stop word while idle: a
 * signal handler cannot wake a condition variable. */
#define PCAP_SERVICE_IDLE_WAIT_MS 100

static int replay_one(const struct pcap_service_options *opt, const struct pcap_queue_entry *e)
{
    struct offline_run offline = {
        .input = e->filename,
        .log_dir = e->output_dir,
        .stop = opt->stop,
    };
    return runmode_offline(opt->cfg, &offline, opt->runmode, opt->workers);
}

static void process(struct pcap_queue *q, const struct pcap_service_options *opt,
                    struct pcap_queue_entry *e)
{
    log_notice("pcap-service: starting run for '%s', output in %s", e->filename, e->output_dir);
    int code = replay_one(opt, e);
    int stop = atomic_load(opt->stop);
    bool cut_short = stop & (VIGIL_STOP_INTERRUPT | VIGIL_STOP_SHUTDOWN);
    if (code != 0)
        log_error("pcap-service: run for '%s' failed (exit code %d); going on with the queue",
                  e->filename, code);
    else if (cut_short)
        log_notice("pcap-service: run for '%s' %s", e->filename,
                   stop & VIGIL_STOP_SHUTDOWN ? "stopped by the shutdown" : "interrupted");
    else
        log_notice("pcap-service: run for '%s' done", e->filename);
    if (e->delete_when_done && code == 0 && !cut_short && unlink(e->filename) != 0)
        log_warning("pcap-service: delete-when-done: cannot remove %s: %s", e->filename,
                    strerror(errno));
    pcap_queue_finish(q, e);
}

int pcap_service_run(struct pcap_queue *q, const struct pcap_service_options *opt)
{
    log_notice("pcap-service: waiting for pcap-file commands (%s runmode)", opt->runmode);
    while (!(atomic_load(opt->stop) & VIGIL_STOP_SHUTDOWN)) {
        struct pcap_queue_entry *e = pcap_queue_take(q, PCAP_SERVICE_IDLE_WAIT_MS);
        if (e != NULL)
            process(q, opt, e);
    }
    size_t left = pcap_queue_count(q);
    if (left > 0)
        log_notice("pcap-service: shutting down with %zu queued file%s not processed", left,
                   left == 1 ? "" : "s");
    return 0;
}
