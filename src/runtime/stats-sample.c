/* Collects the counter registry into a stats_sample: snapshot copies under
 * each set's mutex, merged by name (sum or max) into totals and per thread. */
#include "runtime/stats-sample.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stats_sample_init(struct stats_sample *s)
{
    memset(s, 0, sizeof(*s));
}

void stats_sample_free(struct stats_sample *s)
{
    for (size_t i = 0; i < s->known_sets; i++)
        free(s->set_maps[i].slots);
    free(s->names);
    free(s->is_gauge);
    free(s->totals);
    free(s->thread_names);
    free(s->thread_values);
    free(s->thread_has);
    free(s->scratch);
    memset(s, 0, sizeof(*s));
}

long stats_sample_find(const struct stats_sample *s, const char *name)
{
    for (size_t i = 0; i < s->name_count; i++)
        if (strcmp(s->names[i], name) == 0)
            return (long)i;
    return -1;
}

static bool grow(void **array, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(*array, n * elem);
    if (p == NULL)
        return false;
    *array = p;
    *cap = n;
    return true;
}

/* The three per-name arrays grow together, so they share name_cap. */
static bool reserve_names(struct stats_sample *s, size_t need)
{
    if (need <= s->name_cap)
        return true;
    size_t cap = s->name_cap, n = need + 64;
    void *names = s->names, *gauge = s->is_gauge, *totals = s->totals;
    if (!grow(&names, &cap, n, sizeof(s->names[0])))
        return false;
    s->names = names;
    cap = s->name_cap;
    if (!grow(&gauge, &cap, n, sizeof(s->is_gauge[0])))
        return false;
    s->is_gauge = gauge;
    cap = s->name_cap;
    if (!grow(&totals, &cap, n, sizeof(s->totals[0])))
        return false;
    s->totals = totals;
    s->name_cap = cap;
    return true;
}

/* Index of name, appended when new; SIZE_MAX when out of memory. */
static size_t name_slot(struct stats_sample *s, const char *name, bool gauge)
{
    long found = stats_sample_find(s, name);
    if (found >= 0)
        return (size_t)found;
    if (!reserve_names(s, s->name_count + 1))
        return SIZE_MAX;
    s->names[s->name_count] = name;
    s->is_gauge[s->name_count] = gauge;
    s->totals[s->name_count] = 0;
    return s->name_count++;
}

static size_t thread_slot(struct stats_sample *s, const char *thread_name)
{
    for (size_t i = 0; i < s->thread_count; i++)
        if (strcmp(s->thread_names[i], thread_name) == 0)
            return i;
    void *names = s->thread_names;
    if (!grow(&names, &s->thread_cap, s->thread_count + 1, sizeof(s->thread_names[0])))
        return SIZE_MAX;
    s->thread_names = names;
    snprintf(s->thread_names[s->thread_count], sizeof(s->thread_names[0]), "%s", thread_name);
    return s->thread_count++;
}

/* Sets sharing one field table (every worker's decode_stats) share slots. */
static const size_t *shared_slots(const struct stats_sample *s, struct counter_set **sets,
                                  size_t index)
{
    for (size_t i = 0; i < index; i++)
        if (sets[i]->fields == sets[index]->fields &&
            sets[i]->field_count == sets[index]->field_count)
            return s->set_maps[i].slots;
    return NULL;
}

static bool map_set(struct stats_sample *s, struct counter_set **sets, size_t index)
{
    struct counter_set *set = sets[index];
    struct stats_set_map *map = &s->set_maps[index];
    map->thread = thread_slot(s, set->thread_name);
    if (map->thread == SIZE_MAX)
        return false;
    map->slots = malloc((set->field_count ? set->field_count : 1) * sizeof(size_t));
    if (map->slots == NULL)
        return false;
    const size_t *same = shared_slots(s, sets, index);
    if (same != NULL) {
        memcpy(map->slots, same, set->field_count * sizeof(size_t));
        return true;
    }
    for (size_t f = 0; f < set->field_count; f++) {
        map->slots[f] = name_slot(s, set->fields[f].name, false);
        if (map->slots[f] == SIZE_MAX)
            return false;
    }
    return true;
}

static bool map_new_entries(struct stats_sample *s, struct counter_set **sets, size_t set_count,
                            const struct counter_gauge *gauges, size_t gauge_count)
{
    for (; s->known_sets < set_count; s->known_sets++) {
        if (!map_set(s, sets, s->known_sets)) {
            free(s->set_maps[s->known_sets].slots);
            s->set_maps[s->known_sets].slots = NULL;
            return false;
        }
    }
    for (; s->known_gauges < gauge_count; s->known_gauges++) {
        size_t slot = name_slot(s, gauges[s->known_gauges].name, true);
        if (slot == SIZE_MAX)
            return false;
        s->gauge_slots[s->known_gauges] = slot;
    }
    return true;
}

static bool reserve_values(struct stats_sample *s, size_t struct_size)
{
    size_t cells = s->thread_count * s->name_count;
    size_t cap = s->matrix_cap;
    void *values = s->thread_values, *has = s->thread_has;
    if (!grow(&values, &cap, cells, sizeof(s->thread_values[0])))
        return false;
    s->thread_values = values;
    cap = s->matrix_cap;
    if (!grow(&has, &cap, cells, sizeof(s->thread_has[0])))
        return false;
    s->thread_has = has;
    s->matrix_cap = cap;
    if (struct_size > s->scratch_size) {
        void *p = realloc(s->scratch, struct_size);
        if (p == NULL)
            return false;
        s->scratch = p;
        s->scratch_size = struct_size;
    }
    return true;
}

static uint64_t merge(enum counter_merge how, uint64_t a, uint64_t b)
{
    if (how == COUNTER_MAX)
        return a > b ? a : b;
    return a + b;
}

static void add_set(struct stats_sample *s, struct counter_set *set,
                    const struct stats_set_map *map)
{
    counter_set_read(set, s->scratch);
    size_t row = map->thread * s->name_count;
    for (size_t f = 0; f < set->field_count; f++) {
        size_t off = set->fields[f].offset;
        if (off > set->struct_size || set->struct_size - off < sizeof(uint64_t))
            continue;
        uint64_t v;
        memcpy(&v, (const char *)s->scratch + off, sizeof(v));
        size_t slot = map->slots[f];
        enum counter_merge how = counter_set_merge_of(set, set->fields[f].name);
        s->totals[slot] = merge(how, s->totals[slot], v);
        size_t cell = row + slot;
        s->thread_values[cell] = s->thread_has[cell] ? merge(how, s->thread_values[cell], v) : v;
        s->thread_has[cell] = true;
    }
}

bool stats_sample_collect(struct stats_sample *s, struct counter_registry *r, uint64_t uptime)
{
    struct counter_set *sets[COUNTER_MAX_SETS];
    struct counter_gauge gauges[COUNTER_MAX_GAUGES];
    size_t set_count;
    size_t gauge_count = counter_registry_list(r, sets, &set_count, gauges);

    if (!map_new_entries(s, sets, set_count, gauges, gauge_count))
        return false;
    size_t largest = sizeof(uint64_t);
    for (size_t i = 0; i < set_count; i++)
        if (sets[i]->struct_size > largest)
            largest = sets[i]->struct_size;
    if (!reserve_values(s, largest))
        return false;

    s->uptime = uptime;
    /* With no thread registered yet (a control client asking early) the
     * per-thread arrays are not allocated: memset must not see NULL. */
    if (s->name_count > 0)
        memset(s->totals, 0, s->name_count * sizeof(s->totals[0]));
    if (s->thread_count > 0 && s->name_count > 0) {
        memset(s->thread_values, 0, s->thread_count * s->name_count * sizeof(s->thread_values[0]));
        memset(s->thread_has, 0, s->thread_count * s->name_count * sizeof(s->thread_has[0]));
    }
    for (size_t i = 0; i < set_count; i++)
        add_set(s, sets[i], &s->set_maps[i]);
    for (size_t g = 0; g < gauge_count; g++)
        s->totals[s->gauge_slots[g]] = gauges[g].read(gauges[g].arg);
    return true;
}
