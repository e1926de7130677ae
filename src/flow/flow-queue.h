/* A singly linked FIFO of flows through flow->queue_next: spare blocks,
 * a worker's private spares and the queue of ended flows awaiting logging. */
#ifndef VIGIL_FLOW_FLOW_QUEUE_H
#define VIGIL_FLOW_FLOW_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flow.h"

struct flow_queue {
    struct flow *head, *tail;
    uint32_t len;
};

static inline void flow_queue_init(struct flow_queue *q)
{
    q->head = q->tail = NULL;
    q->len = 0;
}

static inline void flow_queue_push(struct flow_queue *q, struct flow *f)
{
    f->queue_next = NULL;
    if (q->tail)
        q->tail->queue_next = f;
    else
        q->head = f;
    q->tail = f;
    q->len++;
}

static inline struct flow *flow_queue_pop(struct flow_queue *q)
{
    struct flow *f = q->head;
    if (!f)
        return NULL;
    q->head = f->queue_next;
    if (!q->head)
        q->tail = NULL;
    q->len--;
    f->queue_next = NULL;
    return f;
}

/* Moves all of src to the end of dst in O(1). */
static inline void flow_queue_append(struct flow_queue *dst, struct flow_queue *src)
{
    if (!src->head)
        return;
    if (dst->tail)
        dst->tail->queue_next = src->head;
    else
        dst->head = src->head;
    dst->tail = src->tail;
    dst->len += src->len;
    flow_queue_init(src);
}

#endif
