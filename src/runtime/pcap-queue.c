/* The pcap-service queue: a mutex-guarded FIFO with a condition variable for
 * the runner, plus the current file and the last end time for the commands. */
#include "runtime/pcap-queue.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "util/stop-wait.h"

struct pcap_queue {
    pthread_mutex_t lock;
    pthread_cond_t queued;
    struct pcap_queue_entry *head, *tail;
    size_t count;
    /* The file being processed (the runner owns it, and frees it only
     * after clearing this under the lock); NULL: none. */
    const struct pcap_queue_entry *current;
    uint64_t last_processed_ms;
    atomic_int *stop;
};

struct pcap_queue *pcap_queue_create(atomic_int *stop)
{
    struct pcap_queue *q = calloc(1, sizeof(*q));
    if (q == NULL)
        return NULL;
    pthread_mutex_init(&q->lock, NULL);
    monotonic_cond_init(&q->queued);
    q->stop = stop;
    return q;
}

static void entry_free(struct pcap_queue_entry *e)
{
    free(e->filename);
    free(e->output_dir);
    free(e);
}

void pcap_queue_destroy(struct pcap_queue *q)
{
    if (q == NULL)
        return;
    while (q->head != NULL) {
        struct pcap_queue_entry *next = q->head->next;
        entry_free(q->head);
        q->head = next;
    }
    pthread_cond_destroy(&q->queued);
    pthread_mutex_destroy(&q->lock);
    free(q);
}

bool pcap_queue_push(struct pcap_queue *q, const char *filename, const char *output_dir,
                     bool delete_when_done)
{
    struct pcap_queue_entry *e = calloc(1, sizeof(*e));
    if (e == NULL)
        return false;
    e->filename = strdup(filename);
    e->output_dir = strdup(output_dir);
    e->delete_when_done = delete_when_done;
    if (e->filename == NULL || e->output_dir == NULL) {
        entry_free(e);
        return false;
    }
    pthread_mutex_lock(&q->lock);
    if (q->tail != NULL)
        q->tail->next = e;
    else
        q->head = e;
    q->tail = e;
    q->count++;
    pthread_cond_signal(&q->queued);
    pthread_mutex_unlock(&q->lock);
    return true;
}

static struct timespec deadline_after(unsigned timeout_ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    ts.tv_sec += timeout_ms / 1000;
    ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    return ts;
}

/* Called with the lock held and a file waiting. */
static struct pcap_queue_entry *take_head(struct pcap_queue *q)
{
    struct pcap_queue_entry *e = q->head;
    q->head = e->next;
    if (q->head == NULL)
        q->tail = NULL;
    q->count--;
    e->next = NULL;
    q->current = e;
    atomic_fetch_and(q->stop, ~VIGIL_STOP_INTERRUPT);
    return e;
}

struct pcap_queue_entry *pcap_queue_take(struct pcap_queue *q, unsigned timeout_ms)
{
    struct timespec deadline = deadline_after(timeout_ms);
    struct pcap_queue_entry *e = NULL;
    pthread_mutex_lock(&q->lock);
    int rc = 0;
    while (q->head == NULL && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&q->queued, &q->lock, &deadline);
    if (q->head != NULL)
        e = take_head(q);
    pthread_mutex_unlock(&q->lock);
    return e;
}

static uint64_t wall_clock_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

void pcap_queue_finish(struct pcap_queue *q, struct pcap_queue_entry *e)
{
    pthread_mutex_lock(&q->lock);
    q->current = NULL;
    q->last_processed_ms = wall_clock_ms();
    pthread_mutex_unlock(&q->lock);
    entry_free(e);
}

size_t pcap_queue_count(struct pcap_queue *q)
{
    pthread_mutex_lock(&q->lock);
    size_t count = q->count;
    pthread_mutex_unlock(&q->lock);
    return count;
}

void pcap_queue_list(struct pcap_queue *q, void (*each)(void *arg, const char *filename),
                     void *arg)
{
    pthread_mutex_lock(&q->lock);
    for (struct pcap_queue_entry *e = q->head; e != NULL; e = e->next)
        each(arg, e->filename);
    pthread_mutex_unlock(&q->lock);
}

bool pcap_queue_current(struct pcap_queue *q, char *out, size_t outlen)
{
    pthread_mutex_lock(&q->lock);
    bool running = q->current != NULL;
    if (running)
        snprintf(out, outlen, "%s", q->current->filename);
    pthread_mutex_unlock(&q->lock);
    return running;
}

uint64_t pcap_queue_last_processed_ms(struct pcap_queue *q)
{
    pthread_mutex_lock(&q->lock);
    uint64_t ms = q->last_processed_ms;
    pthread_mutex_unlock(&q->lock);
    return ms;
}

bool pcap_queue_interrupt(struct pcap_queue *q)
{
    pthread_mutex_lock(&q->lock);
    bool running = q->current != NULL;
    if (running)
        atomic_fetch_or(q->stop, VIGIL_STOP_INTERRUPT);
    pthread_mutex_unlock(&q->lock);
    return running;
}
