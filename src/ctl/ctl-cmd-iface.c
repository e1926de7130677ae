/* iface-list and iface-stat through the provider the capture code
 * registered; a mutex keeps a provider from going away during a command. */
#include <pthread.h>

#include "ctl/ctl-command.h"
#include "ctl/ctl-iface.h"

#define IFACE_LIST_MAX 256

static pthread_mutex_t provider_lock = PTHREAD_MUTEX_INITIALIZER;
static struct ctl_iface_provider provider;

void ctl_iface_set_provider(const struct ctl_iface_provider *p)
{
    pthread_mutex_lock(&provider_lock);
    provider = p ? *p : (struct ctl_iface_provider){0};
    pthread_mutex_unlock(&provider_lock);
}

bool ctl_cmd_iface_list(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)ctx, (void)args;
    const char *names[IFACE_LIST_MAX];
    json_t *ifaces = json_array();
    pthread_mutex_lock(&provider_lock);
    size_t count = provider.list ? provider.list(provider.arg, names, IFACE_LIST_MAX) : 0;
    for (size_t i = 0; i < count && i < IFACE_LIST_MAX; i++)
        json_array_append_new(ifaces, json_string(names[i]));
    pthread_mutex_unlock(&provider_lock);
    json_t *message = json_object();
    json_object_set_new(message, "count", json_integer((json_int_t)json_array_size(ifaces)));
    json_object_set_new(message, "ifaces", ifaces);
    return ctl_reply_ok(reply, message);
}

static json_t *stats_to_json(const struct ctl_iface_stats *st)
{
    json_t *message = json_pack("{s:I,s:I,s:I,s:I}", "pkts", (json_int_t)st->pkts,
                                "invalid-checksums", (json_int_t)st->invalid_checksums,
                                "drop", (json_int_t)st->drop, "bypassed",
                                (json_int_t)st->bypassed);
    if (st->extra_group != NULL) {
        json_t *extra = json_object();
        for (size_t i = 0; i < st->extra_count && i < CTL_IFACE_EXTRA_MAX; i++)
            json_object_set_new(extra, st->extra[i].name,
                                json_integer((json_int_t)st->extra[i].value));
        json_object_set_new(message, st->extra_group, extra);
    }
    return message;
}

bool ctl_cmd_iface_stat(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)ctx;
    json_t *iface = json_object_get(args, "iface");
    if (!json_is_string(iface))
        return ctl_reply_error(reply, "iface is not a string");
    struct ctl_iface_stats st = {0};
    pthread_mutex_lock(&provider_lock);
    bool found = provider.stats && provider.stats(provider.arg, json_string_value(iface), &st);
    pthread_mutex_unlock(&provider_lock);
    if (!found)
        return ctl_reply_error(reply, "Interface not found");
    return ctl_reply_ok(reply, stats_to_json(&st));
}
