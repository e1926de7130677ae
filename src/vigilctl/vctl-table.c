/* Table layout: cells kept as text, widths measured at print time. */
#include "vigilctl/vctl-table.h"

#include <stdlib.h>
#include <string.h>

char *vctl_cell_text(const json_t *value)
{
    char *text = NULL;
    if (value == NULL || json_is_null(value))
        return strdup("-");
    if (json_is_string(value))
        return strdup(json_string_value(value));
    if (json_is_integer(value)) {
        if (asprintf(&text, "%" JSON_INTEGER_FORMAT, json_integer_value(value)) < 0)
            return NULL;
        return text;
    }
    if (json_is_real(value)) {
        if (asprintf(&text, "%g", json_real_value(value)) < 0)
            return NULL;
        return text;
    }
    if (json_is_boolean(value))
        return strdup(json_is_true(value) ? "true" : "false");
    return json_dumps(value, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENCODE_ANY);
}

static bool grow(struct vctl_table *t)
{
    if (t->rows < t->cap)
        return true;
    size_t cap = t->cap ? t->cap * 2 : 16;
    char **cells = realloc(t->cells, cap * t->cols * sizeof(*cells));
    if (cells == NULL)
        return false;
    t->cells = cells;
    t->cap = cap;
    return true;
}

bool vctl_table_init(struct vctl_table *t, size_t cols, const char *const header[])
{
    memset(t, 0, sizeof(*t));
    t->cols = cols;
    t->numeric = malloc(cols * sizeof(*t->numeric));
    if (t->numeric == NULL || !grow(t))
        return false;
    for (size_t c = 0; c < cols; c++) {
        t->numeric[c] = true;
        t->cells[c] = strdup(header[c]);
    }
    t->rows = 1;
    return true;
}

void vctl_table_free(struct vctl_table *t)
{
    for (size_t i = 0; i < t->rows * t->cols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t->numeric);
    memset(t, 0, sizeof(*t));
}

bool vctl_table_add(struct vctl_table *t, const json_t *const values[])
{
    if (!grow(t))
        return false;
    char **row = t->cells + t->rows * t->cols;
    bool ok = true;
    for (size_t c = 0; c < t->cols; c++) {
        row[c] = vctl_cell_text(values[c]);
        ok = ok && row[c] != NULL;
        if (!json_is_number(values[c]))
            t->numeric[c] = false;
    }
    t->rows++;
    return ok;
}

static size_t cell_width(const char *cell)
{
    return cell ? strlen(cell) : 0;
}

void vctl_table_print(const struct vctl_table *t, FILE *out)
{
    size_t width[t->cols];
    for (size_t c = 0; c < t->cols; c++) {
        width[c] = 0;
        for (size_t r = 0; r < t->rows; r++) {
            size_t w = cell_width(t->cells[r * t->cols + c]);
            width[c] = w > width[c] ? w : width[c];
        }
    }
    for (size_t r = 0; r < t->rows; r++) {
        for (size_t c = 0; c < t->cols; c++) {
            const char *cell = t->cells[r * t->cols + c];
            bool right = r > 0 && t->numeric[c];
            int pad = right ? (int)width[c] : -(int)width[c];
            if (c + 1 == t->cols && !right)
                pad = 0;  /* no trailing blanks */
            fprintf(out, "%s%*s", c ? " | " : "", pad, cell ? cell : "");
        }
        fputc('\n', out);
        if (r == 0) {
            for (size_t c = 0; c < t->cols; c++) {
                for (size_t i = 0; i < width[c] + (c ? 3 : 0); i++)
                    fputc(c && i == 1 ? '+' : '-', out);
            }
            fputc('\n', out);
        }
    }
}
