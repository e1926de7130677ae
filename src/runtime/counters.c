/* The counter registry: per-thread sets whose owners publish snapshots under
 * the set's mutex, and gauges the stats thread reads on its own. */
#include "runtime/counters.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void counter_registry_init(struct counter_registry *r)
{
    memset(r, 0, sizeof(*r));
    pthread_mutex_init(&r->lock, NULL);
    atomic_init(&r->complete, false);
}

/* Release and acquire: a reader that sees complete sees every set. */
void counter_registry_mark_complete(struct counter_registry *r)
{
    atomic_store_explicit(&r->complete, true, memory_order_release);
}

bool counter_registry_is_complete(const struct counter_registry *r)
{
    return atomic_load_explicit(&r->complete, memory_order_acquire);
}

static void counter_set_free(struct counter_set *s)
{
    pthread_mutex_destroy(&s->lock);
    free(s->snapshot);
    free(s);
}

void counter_registry_destroy(struct counter_registry *r)
{
    for (size_t i = 0; i < r->set_count; i++)
        counter_set_free(r->sets[i]);
    r->set_count = 0;
    r->gauge_count = 0;
    pthread_mutex_destroy(&r->lock);
}

struct counter_set *counter_set_register_merged(struct counter_registry *r,
                                                const char *thread_name,
                                                const struct counter_field *fields,
                                                size_t field_count, size_t struct_size,
                                                enum counter_merge (*merge_of)(const char *name))
{
    struct counter_set *s = calloc(1, sizeof(*s));
    if (s == NULL)
        return NULL;
    s->snapshot = calloc(1, struct_size > 0 ? struct_size : 1);
    if (s->snapshot == NULL) {
        free(s);
        return NULL;
    }
    snprintf(s->thread_name, sizeof(s->thread_name), "%s", thread_name ? thread_name : "");
    s->fields = fields;
    s->field_count = field_count;
    s->merge_of = merge_of;
    s->struct_size = struct_size;
    pthread_mutex_init(&s->lock, NULL);

    pthread_mutex_lock(&r->lock);
    bool added = r->set_count < COUNTER_MAX_SETS;
    if (added)
        r->sets[r->set_count++] = s;
    pthread_mutex_unlock(&r->lock);
    if (!added) {
        counter_set_free(s);
        return NULL;
    }
    return s;
}

struct counter_set *counter_set_register(struct counter_registry *r, const char *thread_name,
                                         const struct counter_field *fields, size_t field_count,
                                         size_t struct_size)
{
    return counter_set_register_merged(r, thread_name, fields, field_count, struct_size, NULL);
}

void counter_set_publish(struct counter_set *s, const void *live)
{
    pthread_mutex_lock(&s->lock);
    memcpy(s->snapshot, live, s->struct_size);
    pthread_mutex_unlock(&s->lock);
}

void counter_set_read(struct counter_set *s, void *out)
{
    pthread_mutex_lock(&s->lock);
    memcpy(out, s->snapshot, s->struct_size);
    pthread_mutex_unlock(&s->lock);
}

int counter_gauge_register(struct counter_registry *r, const char *name,
                           uint64_t (*read)(void *arg), void *arg)
{
    if (name == NULL || read == NULL)
        return -1;
    int rc = -1;
    pthread_mutex_lock(&r->lock);
    if (r->gauge_count < COUNTER_MAX_GAUGES) {
        r->gauges[r->gauge_count++] = (struct counter_gauge){name, read, arg};
        rc = 0;
    }
    pthread_mutex_unlock(&r->lock);
    return rc;
}

size_t counter_registry_list(struct counter_registry *r, struct counter_set **sets,
                             size_t *set_count, struct counter_gauge *gauges)
{
    pthread_mutex_lock(&r->lock);
    memcpy(sets, r->sets, r->set_count * sizeof(sets[0]));
    *set_count = r->set_count;
    memcpy(gauges, r->gauges, r->gauge_count * sizeof(gauges[0]));
    size_t gauge_count = r->gauge_count;
    pthread_mutex_unlock(&r->lock);
    return gauge_count;
}

enum counter_merge counter_set_merge_of(const struct counter_set *s, const char *name)
{
    return s->merge_of != NULL ? s->merge_of(name) : COUNTER_SUM;
}
