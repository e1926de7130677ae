/* Where autofp's capture thread (RX#01) gets its frames: an offline replay
 * or live DPDK ports. The source drives the loop; autofp does the rest. */
#ifndef VIGIL_RUNTIME_AUTOFP_SOURCE_H
#define VIGIL_RUNTIME_AUTOFP_SOURCE_H

#include <stdint.h>
#include <stdio.h>

#include "capture/packet-pool.h"
#include "capture/pcap-file.h"
#include "decode/packet.h"
#include "runtime/config.h"

struct autofp_run;
struct vigil_engine;

struct autofp_source {
    const char *log_dir;
    const char *description;   /* for the start-up log line: "1 capture thread", ... */
    /* Runs on RX#01: hands every frame to autofp_rx_frame, and calls
     * autofp_rx_idle while none come (live), until the input ends or a
     * stop is requested. Counts what it read in stats. Returns 0, or -1
     * when the input failed (exit code 2). */
    int (*capture)(struct autofp_run *run, void *arg, struct pcap_file_stats *stats);
    void *arg;
    /* Set when frames point into the source's buffers (frame->frame):
     * they are released through it once their packet is done. */
    packet_frame_release_fn release_frames;
    /* Called on RX#01 when it starts and before it ends (may be NULL):
     * DPDK registers the thread with the EAL there. */
    void (*thread_start)(void *arg);
    void (*thread_stop)(void *arg);
    /* Registers the source's own counters (capture.*) once the engine is
     * open (may be NULL). */
    void (*register_counters)(void *arg, struct vigil_engine *engine);
    bool live;                           /* for the summary */
    const char *const *iface_names;      /* EVE in_iface by packet iface index */
    unsigned iface_count;
};

/* One frame read by the source, valid during the call: decoded and handed
 * to the worker its flow hash picks. Its ts_us drives the engine's time. */
void autofp_rx_frame(struct autofp_run *run, const struct packet *frame);

/* No frame came: pending packets go out, finished frames go back to the
 * source, and time still passes (live, now_us; 0 on packet time), so idle
 * flows time out. */
void autofp_rx_idle(struct autofp_run *run, uint64_t now_us);

/* Runs the autofp runmode on src with `workers` flow workers. Returns the
 * process exit code: 0, 1 refused at start-up, 2 runtime failure. */
int runmode_autofp(const struct vigil_config *cfg, const struct autofp_source *src,
                   unsigned workers);

#endif
