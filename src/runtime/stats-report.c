/* A stats report: one registry sample handed to stats.log and the EVE
 * stats builder, with the clocks the run chose. */
#include "runtime/stats-report.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "output/json-builder.h"
#include "runtime/stats-sample.h"

struct stats_reporter {
    struct stats_thread_config cfg;
    struct stats_sample sample;
    struct eve_stats *eve_stats;
    struct json_builder jb;
    uint64_t start_mono_us;
};

static uint64_t clock_us(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

struct stats_reporter *stats_reporter_new(const struct stats_thread_config *cfg)
{
    struct stats_reporter *r = calloc(1, sizeof(*r));
    if (r == NULL)
        return NULL;
    r->cfg = *cfg;
    stats_sample_init(&r->sample);
    r->start_mono_us = clock_us(CLOCK_MONOTONIC);
    if (cfg->eve != NULL) {
        r->eve_stats = eve_stats_new(&cfg->eve_options);
        if (r->eve_stats == NULL || !jb_init(&r->jb, 16384)) {
            stats_reporter_free(r);
            return NULL;
        }
    }
    return r;
}

void stats_reporter_free(struct stats_reporter *r)
{
    if (r == NULL)
        return;
    stats_sample_free(&r->sample);
    eve_stats_free(r->eve_stats);
    jb_free(&r->jb);
    free(r);
}

const struct stats_sample *stats_reporter_sample(const struct stats_reporter *r)
{
    return &r->sample;
}

static uint64_t reporter_uptime(const struct stats_reporter *r)
{
    if (r->cfg.uptime != NULL)
        return r->cfg.uptime(r->cfg.clock_arg);
    return (clock_us(CLOCK_MONOTONIC) - r->start_mono_us) / 1000000u;
}

static uint64_t reporter_wall_us(const struct stats_reporter *r)
{
    if (r->cfg.wall_us != NULL)
        return r->cfg.wall_us(r->cfg.clock_arg);
    return clock_us(CLOCK_REALTIME);
}

static bool write_eve(struct stats_reporter *r, uint64_t wall_us, char *err, size_t errlen)
{
    if (!eve_stats_build(r->eve_stats, &r->sample, wall_us, &r->jb)) {
        snprintf(err, errlen, "EVE stats record: out of memory");
        return false;
    }
    if (!eve_writer_write(r->cfg.eve, jb_data(&r->jb), jb_len(&r->jb)) ||
        !eve_writer_flush(r->cfg.eve)) {
        if (!eve_writer_error(r->cfg.eve, err, errlen))
            snprintf(err, errlen, "%s: write failed", eve_writer_path(r->cfg.eve));
        return false;
    }
    return true;
}

bool stats_write_now(struct stats_reporter *r, char *err, size_t errlen)
{
    if (!stats_sample_collect(&r->sample, r->cfg.registry, reporter_uptime(r))) {
        snprintf(err, errlen, "stats sample: out of memory");
        return false;
    }
    uint64_t wall_us = reporter_wall_us(r);
    bool ok = true;
    if (r->cfg.stats_log != NULL)
        ok = stats_log_write(r->cfg.stats_log, &r->sample, (time_t)(wall_us / 1000000u), err,
                             errlen);
    if (r->eve_stats != NULL) {
        char eve_err[256];
        if (!write_eve(r, wall_us, eve_err, sizeof(eve_err))) {
            if (ok)
                snprintf(err, errlen, "%s", eve_err);
            ok = false;
        }
    }
    return ok;
}
