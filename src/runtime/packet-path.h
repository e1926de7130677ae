/* What one packet meets on its way through a worker: decode, defrag,
 * flow, and the tunnel layers inside it, in that order. */
#ifndef VIGIL_RUNTIME_PACKET_PATH_H
#define VIGIL_RUNTIME_PACKET_PATH_H

#include <stdint.h>

#include "decode/decode.h"
#include "decode/defrag.h"
#include "flow/flow-engine.h"
#include "runtime/counters.h"

/* Offline, timeouts are checked once per second of packet time, a slice
 * of the table each time; emergency mode ends after the spares have stayed
 * recovered for a few passes. Every runmode keeps this rhythm. */
#define PACKET_PATH_HOUSEKEEPING_US 1000000u
#define PACKET_PATH_SLICES 8u
#define PACKET_PATH_RECOVERY_PASSES 3u
/* Packets whose flow lookups packet_path_process_burst overlaps at most. */
#define PACKET_PATH_BURST 32u

struct packet_path {
    struct decode_ctx decode;
    struct defrag_ctx *defrag;
    struct flow_worker flow;
    /* One pseudo-packet per tunnel depth: inner layers are handled at once,
     * so each depth needs only one. */
    struct packet tunnel_packets[PACKET_MAX_RECURSION + 1];
    uint64_t now_us;              /* latest packet time seen */
    /* Published at each housekeeping pass for the stats thread (NULL: not). */
    struct counter_set *decode_counters, *defrag_counters, *flow_counters;
    uint64_t next_housekeeping_us;
    /* Live workers: a manager thread times flows out on the clock, so the
     * housekeeping here only times out fragments and publishes counters. */
    bool flow_timeouts_elsewhere;
    uint32_t housekeeping_row;     /* where the next pass starts */
};

/* Returns 0, or -1 with a message in err. */
int packet_path_init(struct packet_path *pp, struct flow_engine *engine,
                     const struct vigil_config *cfg, uint32_t hash_seed, void *log_ctx,
                     char *err, size_t errlen);
/* Also for a path whose init failed or never ran (zeroed). */
void packet_path_destroy(struct packet_path *pp);

/* Decodes p and everything inside it and accounts it to its flow(s). */
void packet_path_process(struct packet_path *pp, struct packet *p);

/* The same for packets[0..n-1] in order, with the flow lookups of plain
 * packets overlapped (flow_handle_burst): for captures that receive in
 * bursts and keep every frame of a burst until it returns (DPDK). */
void packet_path_process_burst(struct packet_path *pp, struct packet **packets, unsigned n);

/* Publishes this path's counters for the stats thread. */
void packet_path_publish(struct packet_path *pp);

/* One manager pass over the next slice of the table (a bigger one under
 * memcap pressure) starting at row; returns where the next pass starts. */
uint32_t packet_path_timeout_slice(struct flow_worker *w, uint32_t row, uint64_t now_us);

/* Moves the path's time on to ts_us (if later) and runs the housekeeping
 * pass when that crosses its second; packet processing calls it per packet,
 * an idle worker with the capture's time. */
void packet_path_advance_time(struct packet_path *pp, uint64_t ts_us);

/* Flow and defrag timeouts at the current packet time (offline) or clock. */
void packet_path_housekeeping(struct packet_path *pp, uint64_t now_us);

/* The defrag table vigil.yaml asks for; NULL with the reason in err when
 * defrag.memcap cannot hold it. */
struct defrag_ctx *packet_path_defrag_create(const struct vigil_config *cfg, uint32_t hash_seed,
                                             char *err, size_t errlen);

/* Builds the decoder and defrag configurations from vigil.yaml's. */
void packet_path_decode_config(struct decode_config *dc, const struct vigil_config *cfg);
void packet_path_defrag_config(struct defrag_config *dc, const struct vigil_config *cfg,
                               uint32_t hash_seed);

#endif
