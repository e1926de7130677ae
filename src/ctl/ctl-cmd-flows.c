/* flow-list and flow-show: live flows read without stopping the workers,
 * one bucket at a time under its lock, copied out, formatted after unlock. */
#include <stdio.h>
#include <stdlib.h>

#include "ctl/ctl-command.h"
#include "ctl/ctl-flow-filter.h"
#include "flow/flow-tcp.h"
#include "output/eve-addr.h"
#include "output/eve-proto.h"
#include "output/eve-time.h"
#include "runtime/engine.h"

/* What a reply shows of one flow, copied under its bucket lock. */
struct flow_copy {
    struct flow_key key;
    uint64_t flow_id;
    uint64_t pkts_toserver, pkts_toclient, bytes_toserver, bytes_toclient;
    uint64_t start_us, last_us;
    uint8_t state, tcp_state, icmp_type, icmp_code;
};

/* Called for each matching flow under its bucket's lock; false stops the walk. */
typedef bool (*flow_visit_fn)(void *arg, const struct flow *f);

static void copy_flow(struct flow_copy *c, const struct flow *f)
{
    *c = (struct flow_copy){
        .key = f->key,
        .flow_id = f->flow_id,
        .pkts_toserver = f->pkts_toserver,
        .pkts_toclient = f->pkts_toclient,
        .bytes_toserver = f->bytes_toserver,
        .bytes_toclient = f->bytes_toclient,
        .start_us = f->start_us,
        .last_us = f->last_us,
        .state = f->state,
        .tcp_state = f->tcp_state,
        .icmp_type = f->icmp_type,
        .icmp_code = f->icmp_code,
    };
}

/* Walks the table one bucket at a time. The single runmode skips bucket
 * locks unless the control socket asked it to keep them (it does when it
 * attaches), so an unshared table is refused rather than read racily. */
static bool walk_flows(struct flow_engine *e, flow_visit_fn visit, void *arg)
{
    struct flow_table *t = &e->table;
    if (!t->shared)
        return false;
    bool more = true;
    for (uint32_t i = 0; i < t->size && more; i++) {
        struct flow_bucket *b = &t->buckets[i];
        if (__atomic_load_n(&b->first[0], __ATOMIC_RELAXED) == NULL)
            continue;
        flow_bucket_lock(t, b);
        for (const struct flow *f = b->first[0]; f != NULL && more; f = f->hash_next)
            more = visit(arg, f);
        flow_bucket_unlock(t, b);
    }
    return true;
}

static const char *state_name(uint8_t state)
{
    static const char *const names[] = {"new", "established", "closed"};
    return state < sizeof(names) / sizeof(names[0]) ? names[state] : "unknown";
}

static void add_addr(json_t *obj, const char *key, const union vigil_addr *a, uint8_t version)
{
    char text[EVE_ADDR_MAX + 1];
    text[eve_addr_format(text, a, version)] = '\0';
    json_object_set_new(obj, key, json_string(text));
}

static void add_time(json_t *obj, const char *key, uint64_t us)
{
    char text[EVE_TIME_LEN + 1];
    text[eve_time_format(text, us)] = '\0';
    json_object_set_new(obj, key, json_string(text));
}

static bool has_ports(uint8_t proto)
{
    return proto == 6 || proto == 17 || proto == 132;
}

static json_t *flow_to_json(const struct flow_copy *c)
{
    const struct flow_key *k = &c->key;
    char numbuf[4];
    json_t *obj = json_object();
    json_object_set_new(obj, "flow_id", json_integer((json_int_t)c->flow_id));
    add_addr(obj, "src_ip", &k->src, k->ip_version);
    add_addr(obj, "dest_ip", &k->dst, k->ip_version);
    if (has_ports(k->proto)) {
        json_object_set_new(obj, "src_port", json_integer(k->sp));
        json_object_set_new(obj, "dest_port", json_integer(k->dp));
    } else if (k->proto == 1 || k->proto == 58) {
        json_object_set_new(obj, "icmp_type", json_integer(c->icmp_type));
        json_object_set_new(obj, "icmp_code", json_integer(c->icmp_code));
    }
    json_object_set_new(obj, "proto", json_string(eve_proto_name(k->proto, numbuf)));
    json_object_set_new(obj, "pkts_toserver", json_integer((json_int_t)c->pkts_toserver));
    json_object_set_new(obj, "pkts_toclient", json_integer((json_int_t)c->pkts_toclient));
    json_object_set_new(obj, "bytes_toserver", json_integer((json_int_t)c->bytes_toserver));
    json_object_set_new(obj, "bytes_toclient", json_integer((json_int_t)c->bytes_toclient));
    json_object_set_new(obj, "state", json_string(state_name(c->state)));
    if (k->proto == 6)
        json_object_set_new(obj, "tcp_state", json_string(flow_tcp_state_name(c->tcp_state)));
    add_time(obj, "start", c->start_us);
    add_time(obj, "last", c->last_us);
    json_object_set_new(obj, "age", json_integer((json_int_t)((c->last_us - c->start_us) /
                                                              1000000u)));
    return obj;
}

struct list_walk {
    const struct ctl_flow_filter *filter;
    struct flow_copy *copies;   /* filter->limit of them */
    size_t count;
    bool truncated;
};

static bool visit_list(void *arg, const struct flow *f)
{
    struct list_walk *w = arg;
    if (!ctl_flow_filter_match(w->filter, &f->key))
        return true;
    if (w->count == w->filter->limit) {
        w->truncated = true;
        return false;
    }
    copy_flow(&w->copies[w->count++], f);
    return true;
}

static bool no_table(json_t *reply)
{
    return ctl_reply_error(reply, "the flow table of this run cannot be read while it runs");
}

bool ctl_cmd_flow_list(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    struct ctl_flow_filter filter;
    char err[128];
    if (!ctl_flow_filter_parse(args, &filter, err, sizeof(err)))
        return ctl_reply_error(reply, "%s", err);
    if (ctx->engine == NULL)
        return ctl_reply_error(reply, "No engine running");
    struct list_walk walk = {.filter = &filter};
    walk.copies = malloc(filter.limit * sizeof(*walk.copies));
    if (walk.copies == NULL)
        return ctl_reply_error(reply, "out of memory");
    if (!walk_flows(&ctx->engine->flows, visit_list, &walk)) {
        free(walk.copies);
        return no_table(reply);
    }
    json_t *flows = json_array();
    for (size_t i = 0; i < walk.count; i++)
        json_array_append_new(flows, flow_to_json(&walk.copies[i]));
    free(walk.copies);
    json_t *message = json_object();
    json_object_set_new(message, "count", json_integer((json_int_t)walk.count));
    json_object_set_new(message, "truncated", json_boolean(walk.truncated));
    json_object_set_new(message, "flows", flows);
    return ctl_reply_ok(reply, message);
}

struct show_walk {
    uint64_t flow_id;
    struct flow_copy copy;
    bool found;
};

static bool visit_show(void *arg, const struct flow *f)
{
    struct show_walk *w = arg;
    if (f->flow_id != w->flow_id)
        return true;
    copy_flow(&w->copy, f);
    w->found = true;
    return false;
}

bool ctl_cmd_flow_show(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    json_t *id = json_object_get(args, "flow_id");
    if (!json_is_integer(id) || json_integer_value(id) < 0)
        return ctl_reply_error(reply, "flow_id is not a non-negative integer");
    if (ctx->engine == NULL)
        return ctl_reply_error(reply, "No engine running");
    struct show_walk walk = {.flow_id = (uint64_t)json_integer_value(id)};
    if (!walk_flows(&ctx->engine->flows, visit_show, &walk))
        return no_table(reply);
    if (!walk.found)
        return ctl_reply_error(reply, "Flow not found");
    return ctl_reply_ok(reply, flow_to_json(&walk.copy));
}
