/* Readable replies: dump-counters as stats.log-like rows (dotted names, totals
 * then threads), arrays of objects as tables, objects as name/value tables. */
#include "vigilctl/vctl-format.h"

#include <stdlib.h>
#include <string.h>

#include "vigilctl/vctl-table.h"

/* Adds one row per leaf of obj, named by its dotted path from prefix. */
static bool add_leaves(struct vctl_table *t, const char *prefix, const json_t *obj,
                       json_t *tm_name)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)obj, key, value) {
        char *name = NULL;
        if (asprintf(&name, "%s%s%s", prefix, *prefix ? "." : "", key) < 0)
            return false;
        bool ok;
        if (json_is_object(value)) {
            ok = add_leaves(t, name, value, tm_name);
        } else {
            json_t *label = json_string(name);
            const json_t *row[3] = {label, tm_name, value};
            ok = label != NULL && vctl_table_add(t, tm_name ? row : (const json_t *[]){label, value});
            json_decref(label);
        }
        free(name);
        if (!ok)
            return false;
    }
    return true;
}

static bool print_counters(FILE *out, const json_t *message)
{
    static const char *const header[] = {"Counter", "TM Name", "Value"};
    struct vctl_table t;
    json_t *total = json_string("Total");
    bool ok = vctl_table_init(&t, 3, header);
    json_t *copy = ok ? json_copy((json_t *)message) : NULL;
    json_t *threads = copy ? json_incref(json_object_get(copy, "threads")) : NULL;
    if (copy)
        json_object_del(copy, "threads");
    ok = copy != NULL && add_leaves(&t, "", copy, total);
    const char *thread;
    json_t *counters;
    json_object_foreach(threads, thread, counters) {
        json_t *name = json_string(thread);
        ok = ok && json_is_object(counters) && add_leaves(&t, "", counters, name);
        json_decref(name);
    }
    if (ok)
        vctl_table_print(&t, out);
    json_decref(threads);
    json_decref(copy);
    json_decref(total);
    vctl_table_free(&t);
    return ok;
}

static bool print_name_values(FILE *out, const json_t *obj)
{
    static const char *const header[] = {"Name", "Value"};
    struct vctl_table t;
    bool ok = vctl_table_init(&t, 2, header) && add_leaves(&t, "", obj, NULL);
    if (ok)
        vctl_table_print(&t, out);
    vctl_table_free(&t);
    return ok;
}

/* Only a list of objects alone makes a table: a string among them (conf-get
 * of eve-log's types: [{"stats": {...}}, "flow"]) has no column to go in. */
static bool is_object_array(const json_t *v)
{
    if (!json_is_array(v) || json_array_size(v) == 0)
        return false;
    size_t i;
    json_t *item;
    json_array_foreach(v, i, item)
        if (!json_is_object(item))
            return false;
    return true;
}

/* Columns: every key of any row, in first-seen order. */
static json_t *column_names(const json_t *rows)
{
    json_t *names = json_object();
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const char *key;
        json_t *value;
        json_object_foreach(row, key, value)
            if (json_object_get(names, key) == NULL)
                json_object_set_new(names, key, json_null());
    }
    return names;
}

static bool print_rows(FILE *out, const json_t *rows)
{
    json_t *names = column_names(rows);
    size_t cols = json_object_size(names), c = 0;
    const char *header[cols ? cols : 1];
    const char *key;
    json_t *unused;
    json_object_foreach(names, key, unused)
        header[c++] = key;
    struct vctl_table t;
    bool ok = vctl_table_init(&t, cols, header);
    size_t i;
    json_t *row;
    json_array_foreach(rows, i, row) {
        const json_t *values[cols ? cols : 1];
        for (c = 0; c < cols; c++)
            values[c] = json_is_object(row) ? json_object_get(row, header[c]) : NULL;
        ok = ok && vctl_table_add(&t, values);
    }
    if (ok)
        vctl_table_print(&t, out);
    vctl_table_free(&t);
    json_decref(names);
    return ok;
}

static bool print_value(FILE *out, const json_t *value)
{
    char *text = vctl_cell_text(value);
    if (text != NULL)
        fprintf(out, "%s\n", text);
    free(text);
    return text != NULL;
}

/* An object holding a list: its other members as "name: value" lines, then the
 * list (a table of objects, or one item per line). */
static bool print_listing(FILE *out, const json_t *message, const char *list_key)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)message, key, value)
        if (strcmp(key, list_key) != 0) {
            fprintf(out, "%s: ", key);
            print_value(out, value);
        }
    const json_t *list = json_object_get(message, list_key);
    if (is_object_array(list))
        return print_rows(out, list);
    size_t i;
    json_array_foreach(list, i, value)
        if (!print_value(out, value))
            return false;
    return true;
}

static const char *list_member(const json_t *message)
{
    const char *key;
    json_t *value;
    json_object_foreach((json_t *)message, key, value)
        if (json_is_array(value))
            return key;
    return NULL;
}

static bool print_message(FILE *out, const char *command, const json_t *message)
{
    if (strcmp(command, "dump-counters") == 0 && json_is_object(message))
        return print_counters(out, message);
    if (is_object_array(message))
        return print_rows(out, message);
    if (json_is_object(message)) {
        const char *list = list_member(message);
        return list ? print_listing(out, message, list) : print_name_values(out, message);
    }
    if (json_is_array(message)) {
        size_t i;
        json_t *value;
        json_array_foreach(message, i, value)
            print_value(out, value);
        return true;
    }
    return print_value(out, message);
}

int vctl_print_reply(FILE *out, FILE *errout, const char *command, const json_t *reply,
                     bool raw_json)
{
    const char *ret = json_string_value(json_object_get(reply, "return"));
    bool ok = ret != NULL && strcmp(ret, "OK") == 0;
    bool nok = ret != NULL && strcmp(ret, "NOK") == 0;
    const json_t *message = json_object_get(reply, "message");
    if (raw_json) {
        json_dumpf(reply, out, JSON_COMPACT | JSON_PRESERVE_ORDER);
        fputc('\n', out);
    } else if (ok && message != NULL && !print_message(out, command, message)) {
        fprintf(errout, "vigilctl: %s: out of memory formatting the reply\n", command);
        return 1;
    } else if (nok) {
        char *text = vctl_cell_text(message);
        fprintf(errout, "vigilctl: %s: %s\n", command, text ? text : "failed");
        free(text);
    } else if (!ok) {
        fprintf(errout, "vigilctl: %s: the reply has no \"return\" of OK or NOK\n", command);
    }
    return ok ? 0 : 1;
}
