/* The per-packet pipeline of a worker. Offline, time is the packets' own:
 * once per second of packet time the worker also runs the timeout pass, so
 * a replay ends the same flows at the same moments every time. */
#include "runtime/packet-path.h"

#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

#include "runtime/engine.h"


void packet_path_decode_config(struct decode_config *dc, const struct vigil_config *cfg)
{
    decode_config_set_defaults(dc);
    dc->vlan_use_for_tracking = cfg->vlan_use_for_tracking;
    dc->vxlan_enabled = cfg->decoder.vxlan_enabled;
    dc->vxlan_port = cfg->decoder.vxlan_port;
    dc->geneve_enabled = cfg->decoder.geneve_enabled;
    dc->geneve_port = cfg->decoder.geneve_port;
    dc->teredo_enabled = cfg->decoder.teredo_enabled;
    dc->teredo_port = cfg->decoder.teredo_port;
}

void packet_path_defrag_config(struct defrag_config *dc, const struct vigil_config *cfg,
                               uint32_t hash_seed)
{
    defrag_config_set_defaults(dc);
    dc->memcap = cfg->defrag.memcap;
    dc->hash_size = cfg->defrag.hash_size;
    dc->trackers = cfg->defrag.trackers;
    dc->max_frags = cfg->defrag.max_frags;
    dc->timeout_sec = cfg->defrag.timeout;
    dc->prealloc = cfg->defrag.prealloc;
    dc->hash_seed = hash_seed;
}

struct defrag_ctx *packet_path_defrag_create(const struct vigil_config *cfg, uint32_t hash_seed,
                                             char *err, size_t errlen)
{
    struct defrag_config fc;
    packet_path_defrag_config(&fc, cfg, hash_seed);
    struct defrag_ctx *defrag = defrag_create(&fc);
    if (!defrag)
        snprintf(err, errlen,
                 "defrag.memcap %llu bytes is too small for the defrag tables (need %llu bytes "
                 "for defrag.hash-size, defrag.trackers and defrag.max-frags)",
                 (unsigned long long)fc.memcap, (unsigned long long)defrag_fixed_memory(&fc));
    return defrag;
}

int packet_path_init(struct packet_path *pp, struct flow_engine *engine,
                     const struct vigil_config *cfg, uint32_t hash_seed, void *log_ctx,
                     char *err, size_t errlen)
{
    memset(pp, 0, sizeof(*pp));
    struct decode_config dc;
    packet_path_decode_config(&dc, cfg);
    decode_ctx_init(&pp->decode, &dc);
    pp->defrag = packet_path_defrag_create(cfg, hash_seed, err, errlen);
    if (!pp->defrag)
        return -1;
    flow_worker_init(&pp->flow, engine, log_ctx);
    return 0;
}

void packet_path_destroy(struct packet_path *pp)
{
    flow_worker_release(&pp->flow);
    defrag_destroy(pp->defrag);
    pp->defrag = NULL;
}

static void process_decoded(struct packet_path *pp, struct packet *p)
{
    if (p->flags & PKT_IS_FRAGMENT) {
        struct packet *whole = defrag_submit(pp->defrag, &pp->decode, p);
        if (whole) {
            decode_packet(&pp->decode, whole);
            process_decoded(pp, whole);
            defrag_release(pp->defrag, whole);
        }
        return;
    }
    flow_handle_packet(&pp->flow, p);
    if (p->tunnel_type != PACKET_TUNNEL_NONE && !(p->flags & PKT_INVALID) &&
        p->recursion_level < PACKET_MAX_RECURSION) {
        struct packet *inner = &pp->tunnel_packets[p->recursion_level];
        decode_tunnel_inner(&pp->decode, p, inner);
        process_decoded(pp, inner);
    }
}

/* The timeout pass covers the table in slices, a full pass every
 * PACKET_PATH_SLICES seconds (more under memcap pressure, every second in
 * emergency mode): a flow's own next packet finds it timed out anyway, so
 * the pass only reclaims memory and needs no more precision than that. */
uint32_t packet_path_timeout_slice(struct flow_worker *w, uint32_t row, uint64_t now_us)
{
    uint32_t size = w->engine->table.size;
    uint32_t slice = (size + PACKET_PATH_SLICES - 1) / PACKET_PATH_SLICES;
    uint32_t rows = flow_manager_rows_for_pressure(w->engine, slice);
    return flow_manager_pass(w, row, rows, now_us, PACKET_PATH_RECOVERY_PASSES);
}

void packet_path_housekeeping(struct packet_path *pp, uint64_t now_us)
{
    struct flow_worker *w = &pp->flow;
    if (!pp->flow_timeouts_elsewhere) {
        pp->housekeeping_row = packet_path_timeout_slice(w, pp->housekeeping_row, now_us);
    } else {
        flow_worker_flush_ended(w, now_us);
    }
    defrag_timeout(pp->defrag, now_us);
    pp->next_housekeeping_us = now_us + PACKET_PATH_HOUSEKEEPING_US;
    packet_path_publish(pp);
}

void packet_path_publish(struct packet_path *pp)
{
    if (pp->decode_counters)
        counter_set_publish(pp->decode_counters, &pp->decode.stats);
    if (pp->defrag_counters)
        counter_set_publish(pp->defrag_counters, defrag_get_stats(pp->defrag));
    if (pp->flow_counters)
        vigil_engine_publish_flow(pp->flow_counters, &pp->flow.stats);
}

/* True when packet time ts_us reaches the next once-a-second pass. */
static bool housekeeping_due(const struct packet_path *pp, uint64_t ts_us)
{
    return ts_us > pp->now_us && pp->next_housekeeping_us != 0 &&
           ts_us >= pp->next_housekeeping_us;
}

void packet_path_advance_time(struct packet_path *pp, uint64_t ts_us)
{
    if (ts_us <= pp->now_us)
        return;
    bool due = housekeeping_due(pp, ts_us);
    pp->now_us = ts_us;
    if (pp->next_housekeeping_us == 0)
        pp->next_housekeeping_us = pp->now_us + PACKET_PATH_HOUSEKEEPING_US;
    else if (due)
        packet_path_housekeeping(pp, pp->now_us);
}

void packet_path_process(struct packet_path *pp, struct packet *p)
{
    packet_path_advance_time(pp, p->ts_us);
    decode_packet(&pp->decode, p);
    process_decoded(pp, p);
}

/* Decoded packets waiting for one flow_handle_burst, in arrival order. */
struct staged_packets {
    struct packet *packets[PACKET_PATH_BURST];
    unsigned count;
};

static void flush_staged(struct packet_path *pp, struct staged_packets *s)
{
    if (s->count > 0)
        flow_handle_burst(&pp->flow, s->packets, s->count);
    s->count = 0;
}

/* Fragments and tunnels go through process_decoded one by one: their
 * reassembled or inner packets must meet the flow engine right after them. */
static bool needs_own_pass(const struct packet *p)
{
    return (p->flags & PKT_IS_FRAGMENT) || p->tunnel_type != PACKET_TUNNEL_NONE;
}

/* Every packet reaches the flow engine in arrival order, and the timeout
 * pass still comes between the packets before and after its second: the
 * staged packets are flushed before a pass and before a packet that takes
 * its own pass, so the result is packet_path_process's, packet by packet. */
void packet_path_process_burst(struct packet_path *pp, struct packet **packets, unsigned n)
{
    struct staged_packets staged = { .count = 0 };
    for (unsigned i = 0; i < n; i++) {
        struct packet *p = packets[i];
        if (i + 1 < n)
            __builtin_prefetch(packets[i + 1]->data);
        if (housekeeping_due(pp, p->ts_us))
            flush_staged(pp, &staged);
        packet_path_advance_time(pp, p->ts_us);
        decode_packet(&pp->decode, p);
        if (needs_own_pass(p)) {
            flush_staged(pp, &staged);
            process_decoded(pp, p);
            continue;
        }
        staged.packets[staged.count++] = p;
        if (staged.count == PACKET_PATH_BURST)
            flush_staged(pp, &staged);
    }
    flush_staged(pp, &staged);
}
