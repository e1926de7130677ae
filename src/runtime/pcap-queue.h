/* The pcap-service queue: files the control socket queued, the one being
 * processed and when the last one ended, shared by the CS thread and the runner. */
#ifndef VIGIL_RUNTIME_PCAP_QUEUE_H
#define VIGIL_RUNTIME_PCAP_QUEUE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bits of the run's stop word: a shutdown (signal or the shutdown command)
 * ends the service; an interrupt ends only the file being processed. */
enum vigil_stop_bits {
    VIGIL_STOP_SHUTDOWN = 1,
    VIGIL_STOP_INTERRUPT = 2,
};

/* One queued file; owned by the queue until taken, then by the runner
 * until handed back with pcap_queue_finish. */
struct pcap_queue_entry {
    char *filename;
    char *output_dir;
    bool delete_when_done;
    struct pcap_queue_entry *next;
};

struct pcap_queue;

/* stop is the run's stop word: pcap_queue_interrupt sets VIGIL_STOP_INTERRUPT
 * in it. Returns NULL when out of memory. */
struct pcap_queue *pcap_queue_create(atomic_int *stop);

/* Frees the queue and every file still queued. */
void pcap_queue_destroy(struct pcap_queue *q);

/* Appends a copy of the names. False when out of memory. */
bool pcap_queue_push(struct pcap_queue *q, const char *filename, const char *output_dir,
                     bool delete_when_done);

/* Waits up to timeout_ms for a file, makes it the current one (clearing
 * any earlier interrupt) and hands it over; NULL when none came. */
struct pcap_queue_entry *pcap_queue_take(struct pcap_queue *q, unsigned timeout_ms);

/* The runner is done with e: no file is current, the end time is kept for
 * pcap-last-processed, e is freed. */
void pcap_queue_finish(struct pcap_queue *q, struct pcap_queue_entry *e);

/* Files waiting (the current one not included). */
size_t pcap_queue_count(struct pcap_queue *q);

/* Calls each for every waiting file, in processing order, under the
 * queue's lock. */
void pcap_queue_list(struct pcap_queue *q, void (*each)(void *arg, const char *filename),
                     void *arg);

/* Copies the current file's name; false when none is being processed. */
bool pcap_queue_current(struct pcap_queue *q, char *out, size_t outlen);

/* When the last file ended, in milliseconds since the epoch; 0: none yet. */
uint64_t pcap_queue_last_processed_ms(struct pcap_queue *q);

/* Stops the current file's processing; false when none is being processed. */
bool pcap_queue_interrupt(struct pcap_queue *q);

#endif
