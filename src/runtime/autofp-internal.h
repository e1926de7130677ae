/* The parts of an autofp run and how its threads share them: the capture
 * thread (RX#01), the flow workers (W#NN) and the flow manager (FM#01). */
#ifndef VIGIL_RUNTIME_AUTOFP_INTERNAL_H
#define VIGIL_RUNTIME_AUTOFP_INTERNAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "capture/packet-pool.h"
#include "capture/pcap-file.h"
#include "decode/decode.h"
#include "decode/defrag.h"
#include "flow/flow-engine.h"
#include "flow/flow-recycler.h"
#include "runtime/engine.h"
#include "runtime/flow-output.h"
#include "runtime/autofp-source.h"
#include "runtime/packet-path.h"
#include "runtime/runmode-single.h"
#include "util/cpu-affinity.h"
#include "util/idle-wait.h"
#include "util/spsc-ring.h"

/* Packets go to a worker's ring in bursts of this many. */
#define AUTOFP_BURST 32u
/* A packet's own buffer: any Ethernet frame up to 2 KiB (VLAN tags too).
 * Small and dense, so the copies and the worker's reads stay in few pages
 * and cache lines. */
#define AUTOFP_PACKET_BUFFER 2048u
/* Bigger frames borrow one of these, large enough for any libpcap
 * snapshot length; the capture thread holds at most two at once (a packet
 * and its tunnel's inner or reassembled one), so a few always come back. */
#define AUTOFP_LARGE_BUFFER (256u * 1024u)
#define AUTOFP_LARGE_BUFFERS 16u

struct autofp_run;

struct autofp_worker {
    struct autofp_run *run;
    unsigned index;
    pthread_t thread;
    struct spsc_ring ring;            /* RX#01 -> this worker */
    /* The worker's flow state; its decoder and defrag table are set up and
     * used only when the worker decodes (autofp_run.worker_decodes). */
    struct packet_path path;
    struct flow_logger logger;        /* forced-reuse records are written here */
    /* Packet time up to which this worker has handled everything it was
     * given; the capture waits for every worker to catch up before a pass. */
    atomic_uint_fast64_t caught_up_us;
    atomic_bool finished;             /* has returned its last packet */
    uint32_t bursts_since_publish;
    /* Capture-side burst not yet in the ring (RX#01 only). */
    struct packet *pending[AUTOFP_BURST];
    unsigned pending_count;
};

struct autofp_run {
    const struct vigil_config *cfg;
    const struct autofp_source *source;
    struct vigil_engine engine;
    unsigned worker_count;
    /* With one worker there is nothing to choose, so RX#01 only reads and
     * W#01 decodes: the decode moves off the busier of the two threads.
     * RX#01 then writes only a packet's first cache line (struct packet's
     * capture side) and W#01 hands packets back with their decode marks
     * cleared, so no other line of a packet moves between the two cores. */
    bool worker_decodes;
    struct autofp_worker *workers;
    struct packet_pool *pool;

    /* RX#01; decode and defrag only when the workers do not decode. */
    pthread_t rx_thread;
    struct decode_ctx decode;
    struct defrag_ctx *defrag;
    struct pcap_file_stats capture;
    int replay_result;
    uint64_t rx_now_us;               /* latest packet time read */
    uint64_t next_pass_us;            /* packet time of the next manager pass */
    uint64_t frames_since_flush;
    uint64_t pool_waits;              /* times the capture waited for a free packet */
    struct counter_set *decode_counters, *defrag_counters;
    atomic_uint_fast64_t rx_flushed_us; /* packet time of everything handed to rings */
    atomic_bool rx_done;

    /* FM#01 */
    pthread_t manager_thread;
    struct flow_worker manager;
    struct flow_logger manager_logger;
    pthread_mutex_t manager_lock;     /* guards the pass_* fields and manager_stop */
    pthread_cond_t manager_wake;      /* a pass was requested, or stop */
    pthread_cond_t manager_done;      /* a pass finished */
    uint64_t pass_requested, pass_done;
    uint64_t pass_now_us;
    bool manager_stop;
    uint32_t manager_row;             /* where the next slice starts */
    struct counter_set *manager_counters;

    /* FR#01 */
    struct flow_recycler recycler;
    struct flow_logger recycler_logger;
    struct counter_set *recycler_counters;
};

/* Publishes the capture thread's decoder and defrag counters. */
void autofp_rx_publish(struct autofp_run *run);

void *autofp_rx_main(void *arg);
void *autofp_worker_main(void *arg);
void *autofp_manager_main(void *arg);

/* Runs one manager pass at packet time now and waits for it (RX#01). */
void autofp_request_pass(struct autofp_run *run, uint64_t now_us);

#endif
