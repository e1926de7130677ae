/* dump-counters: one reading of the engine's counter registry, built by the
 * EVE stats builder (totals and per-thread objects), so the reply is the
 * "stats" object of an EVE stats record taken at the same moment. */
#include <stdlib.h>

#include "ctl/ctl-command.h"
#include "output/eve-stats.h"
#include "output/json-builder.h"
#include "runtime/engine.h"
#include "runtime/stats-sample.h"

/* The EVE record for one sample, parsed back; NULL when out of memory. */
static json_t *build_record(const struct stats_sample *sample)
{
    const struct eve_stats_options options = {.totals = true, .threads = true};
    struct eve_stats *builder = eve_stats_new(&options);
    struct json_builder jb;
    bool have_jb = jb_init(&jb, 16384);
    json_t *record = NULL;
    if (builder != NULL && have_jb && eve_stats_build(builder, sample, 0, &jb))
        record = json_loadb(jb_data(&jb), jb_len(&jb), 0, NULL);
    if (have_jb)
        jb_free(&jb);
    eve_stats_free(builder);
    return record;
}

bool ctl_cmd_dump_counters(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->engine == NULL)
        return ctl_reply_error(reply, "No engine running");
    /* Suricata's answer before its first stats sync. Until every thread
     * has registered, a dump would be a partial set of counters. */
    if (!counter_registry_is_complete(&ctx->engine->counters))
        return ctl_reply_error(reply, "stats not yet synchronized");
    struct stats_sample sample;
    stats_sample_init(&sample);
    uint64_t uptime = (ctl_mono_us() - ctx->engine_start_mono_us) / 1000000u;
    json_t *record = NULL;
    if (stats_sample_collect(&sample, &ctx->engine->counters, uptime))
        record = build_record(&sample);
    stats_sample_free(&sample);
    json_t *stats = json_object_get(record, "stats");
    if (stats == NULL) {
        json_decref(record);
        return ctl_reply_error(reply, "out of memory");
    }
    json_incref(stats);
    json_decref(record);
    return ctl_reply_ok(reply, stats);
}
