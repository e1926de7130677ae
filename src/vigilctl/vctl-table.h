/* Plain-text tables for vigilctl: columns as wide as their widest cell, a rule
 * under the header, numbers right-aligned. */
#ifndef VIGIL_VIGILCTL_TABLE_H
#define VIGIL_VIGILCTL_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

struct vctl_table {
    size_t cols, rows, cap;
    char **cells;        /* rows * cols, owned; header is row 0 */
    bool *numeric;       /* per column: every value cell so far was a number */
};

bool vctl_table_init(struct vctl_table *t, size_t cols, const char *const header[]);
void vctl_table_free(struct vctl_table *t);

/* Adds a row of cols JSON values (NULL prints as "-"); false when out of memory. */
bool vctl_table_add(struct vctl_table *t, const json_t *const values[]);

void vctl_table_print(const struct vctl_table *t, FILE *out);

/* A JSON value as a cell: strings bare, numbers, true/false, "-" for null or
 * missing, compact JSON for arrays and objects. The caller frees it. */
char *vctl_cell_text(const json_t *value);

#endif
