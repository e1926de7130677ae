/* Opening and closing the parts of a run that do not depend on the runmode;
 * every failure is logged with what was being opened and why. */
#include "runtime/engine.h"

#include <stdio.h>
#include <string.h>

#include "runtime/flow-output.h"
#include "util/hash.h"
#include "util/log.h"

int vigil_engine_open(struct vigil_engine *ve, const struct vigil_config *cfg, const char *log_dir)
{
    memset(ve, 0, sizeof(*ve));
    ve->cfg = cfg;
    ve->hash_seed = hash_random_seed();
    char err[512];
    if (flow_engine_init(&ve->flows, cfg, ve->hash_seed, flow_logger_log, err, sizeof(err)) != 0) {
        log_error("%s", err);
        return -1;
    }
    if (!cfg->eve.enabled)
        return 0;
    ve->eve = eve_writer_open(log_dir, cfg->eve.filename, 0, err, sizeof(err));
    if (!ve->eve) {
        log_error("eve-log: cannot open output file %s", err);
        flow_engine_destroy(&ve->flows);
        return -1;
    }
    snprintf(ve->eve_path, sizeof(ve->eve_path), "%s", eve_writer_path(ve->eve));
    ve->flow_eve = cfg->eve.log_flow ? ve->eve : NULL;
    return 0;
}

bool vigil_engine_close(struct vigil_engine *ve)
{
    bool ok = true;
    if (ve->eve) {
        char err[512];
        ve->eve_records = eve_writer_records(ve->eve);
        if (!eve_writer_close(ve->eve, err, sizeof(err))) {
            log_error("eve-log: %s", err);
            ok = false;
        }
        ve->eve = ve->flow_eve = NULL;
    }
    flow_engine_destroy(&ve->flows);
    return ok;
}
