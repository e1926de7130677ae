/* memcap-list, memcap-show and memcap-set with Suricata's messages: flow's
 * memcap changes live (flow allocation reads it atomically); defrag's is
 * shown only. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ctl/ctl-command.h"
#include "runtime/engine.h"

struct memcap {
    const char *name;
    uint64_t (*get)(struct ctl_context *ctx);
    uint64_t (*memuse)(struct ctl_context *ctx);        /* NULL: not tracked */
    bool (*set)(struct ctl_context *ctx, uint64_t value);  /* NULL: fixed at start */
};

static uint64_t flow_get(struct ctl_context *ctx)
{
    return ctx->engine ? flow_engine_memcap(&ctx->engine->flows) : ctx->cfg->flow.memcap;
}

static uint64_t flow_memuse(struct ctl_context *ctx)
{
    return ctx->engine ? flow_engine_memuse(&ctx->engine->flows) : 0;
}

static bool flow_set(struct ctl_context *ctx, uint64_t value)
{
    return ctx->engine && flow_engine_set_memcap(&ctx->engine->flows, value);
}

static uint64_t defrag_get(struct ctl_context *ctx)
{
    return ctx->cfg->defrag.memcap;
}

static const struct memcap memcaps[] = {
    {"flow", flow_get, flow_memuse, flow_set},
    {"defrag", defrag_get, NULL, NULL},
};

#define MEMCAP_COUNT (sizeof(memcaps) / sizeof(memcaps[0]))

/* Suricata's rounding down to whole gb, mb or kb. */
static void format_size(char *out, size_t len, uint64_t value)
{
    if (value == 0)
        snprintf(out, len, "unlimited");
    else if (value >= 1ULL << 30)
        snprintf(out, len, "%" PRIu64 "gb", value >> 30);
    else if (value >= 1ULL << 20)
        snprintf(out, len, "%" PRIu64 "mb", value >> 20);
    else
        snprintf(out, len, "%" PRIu64 "kb", value >> 10);
}

static const struct memcap *find(const char *name)
{
    for (size_t i = 0; i < MEMCAP_COUNT; i++)
        if (strcmp(memcaps[i].name, name) == 0)
            return &memcaps[i];
    return NULL;
}

static bool not_found(json_t *reply)
{
    return ctl_reply_error(reply, "Memcap value not found. Use 'memcap-list' to show all");
}

bool ctl_cmd_memcap_list(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->cfg == NULL)
        return ctl_reply_error(reply, "No configuration loaded");
    json_t *list = json_array();
    for (size_t i = 0; i < MEMCAP_COUNT; i++) {
        char value[32];
        format_size(value, sizeof(value), memcaps[i].get(ctx));
        json_array_append_new(list, json_pack("{s:s,s:s}", "name", memcaps[i].name, "value",
                                              value));
    }
    return ctl_reply_ok(reply, list);
}

bool ctl_cmd_memcap_show(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    json_t *name = json_object_get(args, "config");
    if (!json_is_string(name))
        return ctl_reply_error(reply, "memcap name is not a string");
    const struct memcap *m = find(json_string_value(name));
    if (m == NULL || ctx->cfg == NULL)
        return not_found(reply);
    char value[32];
    format_size(value, sizeof(value), m->get(ctx));
    return ctl_reply_ok(reply, json_pack("{s:s}", "value", value));
}

static bool refuse(struct ctl_context *ctx, const struct memcap *m, uint64_t value,
                   json_t *reply)
{
    if (value == 0)
        return ctl_reply_error(reply, "Unlimited value is not allowed for '%s'", m->name);
    char memuse[32];
    format_size(memuse, sizeof(memuse), m->memuse(ctx));
    return ctl_reply_error(reply,
                           "memcap value specified for '%s' is less than the memory in use: %s",
                           m->name, memuse);
}

bool ctl_cmd_memcap_set(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    json_t *name = json_object_get(args, "config");
    if (!json_is_string(name))
        return ctl_reply_error(reply, "memcap key is not a string");
    json_t *text = json_object_get(args, "memcap");
    if (!json_is_string(text))
        return ctl_reply_error(reply, "memcap value is not a string");
    uint64_t value;
    if (config_parse_size(json_string_value(text), &value) != 0)
        return ctl_reply_error(reply, "error parsing memcap specified, value not changed");
    const struct memcap *m = find(json_string_value(name));
    if (m == NULL || m->set == NULL)
        return not_found(reply);
    if (ctx->engine == NULL)
        return ctl_reply_error(reply, "No engine running");
    if (!m->set(ctx, value))
        return refuse(ctx, m, value, reply);
    return ctl_reply_ok(reply, json_sprintf("memcap value for '%s' updated: %" PRIu64 " ",
                                            m->name, value));
}
