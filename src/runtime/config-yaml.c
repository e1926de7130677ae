/* YAML text to config tree through libyaml events, with include: at the top
 * of a file, the !include tag, and syntax errors reported as file:line. */
#include "runtime/config-yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#include "runtime/config-value.h"

#define NESTING_LIMIT 64
#define FILE_SIZE_LIMIT (16u << 20)

/* One YAML document being turned into nodes. */
struct reader {
    yaml_parser_t parser;
    struct config_loader *loader;
    const char *file;
    const char *data;
    size_t len;
    struct config_path path;
};

static int load_file(struct config_loader *loader, const char *path,
                     const char *from_file, unsigned from_line, const char *from_key,
                     struct config_node **root);
static int parse_node(struct reader *r, yaml_event_t *event, unsigned depth, bool top,
                      struct config_node **out);

static unsigned mark_line(const yaml_mark_t *mark)
{
    return (unsigned)mark->line + 1;
}

static int fail_at(struct reader *r, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail_at(struct reader *r, unsigned line, const char *fmt, ...)
{
    char reason[sizeof(r->loader->err->message)];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(reason, sizeof(reason), fmt, ap);
    va_end(ap);
    config_errorf(r->loader->err, r->file, line, r->path.text, "%s", reason);
    return -1;
}

static int syntax_error(struct reader *r)
{
    const yaml_parser_t *p = &r->parser;
    if (p->error == YAML_MEMORY_ERROR) {
        config_errorf(r->loader->err, r->file, 0, NULL, "out of memory");
        return -1;
    }
    size_t line = p->problem_mark.line + 1, column = p->problem_mark.column + 1;
    if (p->error == YAML_READER_ERROR) {
        /* Reader errors carry a byte offset, not a mark. */
        line = 1;
        column = 1;
        for (size_t i = 0; i < p->problem_offset && i < r->len; i++) {
            column++;
            if (r->data[i] == '\n') {
                line++;
                column = 1;
            }
        }
    }
    config_errorf(r->loader->err, r->file, (unsigned)line, NULL,
                  "YAML syntax error: %s (column %zu)",
                  p->problem ? p->problem : "malformed input", column);
    return -1;
}

static int next_event(struct reader *r, yaml_event_t *event)
{
    if (yaml_parser_parse(&r->parser, event))
        return 0;
    return syntax_error(r);
}

static bool is_null_scalar(const yaml_event_t *event)
{
    if (event->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
        return false;
    const char *text = (const char *)event->data.scalar.value;
    return event->data.scalar.length == 0 || strcmp(text, "~") == 0 ||
           strcmp(text, "null") == 0 || strcmp(text, "Null") == 0 ||
           strcmp(text, "NULL") == 0;
}

/* Include paths are relative to the directory of the file naming them. */
static char *resolve_include(const char *from_file, const char *name)
{
    const char *slash = strrchr(from_file, '/');
    if (name[0] == '/' || slash == NULL)
        return strdup(name);
    char *path = NULL;
    if (asprintf(&path, "%.*s/%s", (int)(slash - from_file), from_file, name) < 0)
        return NULL;
    return path;
}

static int include_file(struct reader *r, const char *name, unsigned line,
                        struct config_node **root)
{
    if (name[0] == '\0')
        return fail_at(r, line, "expected a file name to include");
    char *path = resolve_include(r->file, name);
    if (path == NULL)
        return fail_at(r, line, "out of memory");
    int rc = load_file(r->loader, path, r->file, line, r->path.text, root);
    free(path);
    return rc;
}

static int parse_scalar(struct reader *r, yaml_event_t *event, struct config_node **out)
{
    unsigned line = mark_line(&event->start_mark);
    const char *tag = (const char *)event->data.scalar.tag;
    const char *text = (const char *)event->data.scalar.value;
    if (tag != NULL && strcmp(tag, "!include") == 0)
        return include_file(r, text, line, out);
    struct config_node *node = config_node_new(CONFIG_NODE_SCALAR, r->file, line);
    if (node == NULL || (node->text = strdup(text)) == NULL) {
        config_node_free(node);
        return fail_at(r, line, "out of memory");
    }
    node->is_null = is_null_scalar(event);
    *out = node;
    return 0;
}

/* Merges each file named by value (a name or a list of names) into map. */
static int apply_include(struct reader *r, struct config_node *value, unsigned line,
                         struct config_node *map)
{
    bool single = value->kind == CONFIG_NODE_SCALAR && !value->is_null;
    size_t count = single ? 1 : value->count;
    if (value->kind == CONFIG_NODE_SCALAR && value->is_null)
        return 0; /* every entry commented out */
    if (!single && value->kind != CONFIG_NODE_SEQ)
        return fail_at(r, line, "expected a file name or a list of file names");
    for (size_t i = 0; i < count; i++) {
        const struct config_node *item = single ? value : value->entries[i].value;
        unsigned item_line = single ? line : value->entries[i].line;
        if (item->kind != CONFIG_NODE_SCALAR)
            return fail_at(r, item_line, "expected a file name");
        struct config_node *root;
        if (include_file(r, item->text, item_line, &root) != 0)
            return -1;
        if (root->kind != CONFIG_NODE_MAP) {
            config_node_free(root);
            return fail_at(r, item_line, "\"%s\" does not hold a mapping", item->text);
        }
        if (config_node_merge(map, root) != 0)
            return fail_at(r, item_line, "out of memory");
    }
    return 0;
}

static int parse_entry(struct reader *r, struct config_node *map, unsigned depth,
                       bool top, char *key, unsigned key_line)
{
    size_t mark = config_path_push(&r->path, key);
    yaml_event_t event;
    struct config_node *value = NULL;
    int rc = next_event(r, &event);
    if (rc == 0)
        rc = parse_node(r, &event, depth + 1, false, &value);
    if (rc == 0 && top && strcmp(key, "include") == 0) {
        rc = apply_include(r, value, key_line, map);
        config_node_free(value);
        free(key);
    } else if (rc == 0) {
        if (config_node_put(map, key, key_line, value) != 0)
            rc = fail_at(r, key_line, "out of memory");
    } else {
        free(key);
    }
    config_path_pop(&r->path, mark);
    return rc;
}

static int parse_map(struct reader *r, unsigned depth, bool top, struct config_node *map)
{
    for (;;) {
        yaml_event_t event;
        if (next_event(r, &event) != 0)
            return -1;
        if (event.type == YAML_MAPPING_END_EVENT) {
            yaml_event_delete(&event);
            return 0;
        }
        unsigned line = mark_line(&event.start_mark);
        if (event.type != YAML_SCALAR_EVENT) {
            yaml_event_delete(&event);
            return fail_at(r, line, "mapping keys must be plain values");
        }
        char *key = strdup((const char *)event.data.scalar.value);
        yaml_event_delete(&event);
        if (key == NULL)
            return fail_at(r, line, "out of memory");
        if (parse_entry(r, map, depth, top, key, line) != 0)
            return -1;
    }
}

static int parse_seq(struct reader *r, unsigned depth, struct config_node *seq)
{
    for (;;) {
        yaml_event_t event;
        if (next_event(r, &event) != 0)
            return -1;
        if (event.type == YAML_SEQUENCE_END_EVENT) {
            yaml_event_delete(&event);
            return 0;
        }
        unsigned line = mark_line(&event.start_mark);
        size_t mark = config_path_push_index(&r->path, seq->count);
        struct config_node *item;
        int rc = parse_node(r, &event, depth + 1, false, &item);
        if (rc == 0 && config_node_append(seq, NULL, line, item) != 0)
            rc = fail_at(r, line, "out of memory");
        config_path_pop(&r->path, mark);
        if (rc != 0)
            return -1;
    }
}

static int parse_collection(struct reader *r, yaml_event_t *event, unsigned depth,
                            bool top, struct config_node **out)
{
    bool is_map = event->type == YAML_MAPPING_START_EVENT;
    unsigned line = mark_line(&event->start_mark);
    yaml_event_delete(event);
    if (depth >= NESTING_LIMIT)
        return fail_at(r, line, "nested deeper than 64 levels");
    struct config_node *node =
        config_node_new(is_map ? CONFIG_NODE_MAP : CONFIG_NODE_SEQ, r->file, line);
    if (node == NULL)
        return fail_at(r, line, "out of memory");
    int rc = is_map ? parse_map(r, depth, top, node) : parse_seq(r, depth, node);
    if (rc != 0) {
        config_node_free(node);
        return -1;
    }
    *out = node;
    return 0;
}

/* Consumes event, the first of the node. */
static int parse_node(struct reader *r, yaml_event_t *event, unsigned depth, bool top,
                      struct config_node **out)
{
    int rc;
    switch (event->type) {
    case YAML_SCALAR_EVENT:
        rc = parse_scalar(r, event, out);
        break;
    case YAML_MAPPING_START_EVENT:
    case YAML_SEQUENCE_START_EVENT:
        return parse_collection(r, event, depth, top, out);
    case YAML_ALIAS_EVENT:
        rc = fail_at(r, mark_line(&event->start_mark),
                     "YAML aliases (*%s) are not supported",
                     (const char *)event->data.alias.anchor);
        break;
    default:
        rc = fail_at(r, mark_line(&event->start_mark), "unexpected YAML structure");
        break;
    }
    yaml_event_delete(event);
    return rc;
}

static int expect_event(struct reader *r, yaml_event_type_t type)
{
    yaml_event_t event;
    if (next_event(r, &event) != 0)
        return -1;
    yaml_event_type_t got = event.type;
    unsigned line = mark_line(&event.start_mark);
    yaml_event_delete(&event);
    if (got == type)
        return 0;
    if (got == YAML_DOCUMENT_START_EVENT)
        return fail_at(r, line, "only one YAML document per file is supported");
    return fail_at(r, line, "unexpected YAML structure");
}

/* The root node of the file's only document; a null scalar when empty. */
static int parse_stream(struct reader *r, struct config_node **root)
{
    yaml_event_t event;
    if (expect_event(r, YAML_STREAM_START_EVENT) != 0 || next_event(r, &event) != 0)
        return -1;
    if (event.type == YAML_STREAM_END_EVENT) {
        yaml_event_delete(&event);
        *root = config_node_new(CONFIG_NODE_MAP, r->file, 1);
        return *root ? 0 : fail_at(r, 1, "out of memory");
    }
    yaml_event_delete(&event);
    if (next_event(r, &event) != 0 || parse_node(r, &event, 0, true, root) != 0)
        return -1;
    if (expect_event(r, YAML_DOCUMENT_END_EVENT) != 0 ||
        expect_event(r, YAML_STREAM_END_EVENT) != 0) {
        config_node_free(*root);
        *root = NULL;
        return -1;
    }
    return 0;
}

static int load_document(struct config_loader *loader, const char *file,
                         const char *data, size_t len, struct config_node **root)
{
    struct reader r = {.loader = loader, .file = file, .data = data, .len = len};
    if (!yaml_parser_initialize(&r.parser)) {
        config_errorf(loader->err, file, 0, NULL, "out of memory");
        return -1;
    }
    yaml_parser_set_input_string(&r.parser, (const unsigned char *)data, len);
    int rc = parse_stream(&r, root);
    yaml_parser_delete(&r.parser);
    if (rc == 0 && (*root)->kind == CONFIG_NODE_SCALAR && (*root)->is_null) {
        (*root)->kind = CONFIG_NODE_MAP;
        free((*root)->text);
        (*root)->text = NULL;
    }
    return rc;
}

static int read_all(int fd, size_t size, char **data)
{
    char *buf = malloc(size ? size : 1);
    if (buf == NULL)
        return ENOMEM;
    size_t got = 0;
    while (got < size) {
        ssize_t n = read(fd, buf + got, size - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            free(buf);
            return saved;
        }
        got += (size_t)n;
    }
    *data = buf;
    return 0;
}

static bool being_read(const struct config_loader *loader, const struct stat *st)
{
    for (size_t i = 0; i < loader->depth; i++)
        if (loader->open_files[i].dev == st->st_dev && loader->open_files[i].ino == st->st_ino)
            return true;
    return false;
}

/* Opens path as a regular file; the reason is reported where it was named. */
static int open_config(const char *path, struct stat *st, const char **reason)
{
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        *reason = strerror(errno);
        return -1;
    }
    *reason = NULL;
    if (fstat(fd, st) != 0)
        *reason = strerror(errno);
    else if (!S_ISREG(st->st_mode))
        *reason = "not a regular file";
    else if ((unsigned long long)st->st_size > FILE_SIZE_LIMIT)
        *reason = "larger than 16 MiB";
    if (*reason == NULL)
        return fd;
    close(fd);
    return -1;
}

static int load_opened(struct config_loader *loader, int fd, const struct stat *st,
                       const char *path, struct config_node **root)
{
    char *data = NULL;
    int rc = read_all(fd, (size_t)st->st_size, &data);
    if (rc != 0) {
        config_errorf(loader->err, path, 0, NULL, "cannot read: %s", strerror(rc));
        return -1;
    }
    const char *file = config_files_intern(&loader->files, path);
    if (file == NULL) {
        free(data);
        config_errorf(loader->err, path, 0, NULL, "out of memory");
        return -1;
    }
    loader->open_files[loader->depth].dev = st->st_dev;
    loader->open_files[loader->depth].ino = st->st_ino;
    loader->depth++;
    rc = load_document(loader, file, data, (size_t)st->st_size, root);
    loader->depth--;
    free(data);
    return rc;
}

/* from_file is NULL for the main file; otherwise failures to open are
 * reported at the include that named path. */
static int load_file(struct config_loader *loader, const char *path,
                     const char *from_file, unsigned from_line, const char *from_key,
                     struct config_node **root)
{
    struct stat st;
    const char *reason;
    int fd = open_config(path, &st, &reason);
    if (fd >= 0 && being_read(loader, &st))
        reason = "include cycle, the file is already being read";
    else if (fd >= 0 && loader->depth >= CONFIG_INCLUDE_DEPTH)
        reason = "includes nested deeper than 16 files";
    if (reason != NULL) {
        if (fd >= 0)
            close(fd);
        if (from_file == NULL)
            config_errorf(loader->err, path, 0, NULL, "cannot open: %s", reason);
        else
            config_errorf(loader->err, from_file, from_line, from_key,
                          "cannot include \"%s\": %s", path, reason);
        return -1;
    }
    int rc = load_opened(loader, fd, &st, path, root);
    close(fd);
    return rc;
}

static int require_map(struct config_loader *loader, struct config_node **root)
{
    if ((*root)->kind == CONFIG_NODE_MAP)
        return 0;
    config_errorf(loader->err, (*root)->file, (*root)->line, NULL,
                  "the top level must be a mapping of keys");
    config_node_free(*root);
    *root = NULL;
    return -1;
}

int config_yaml_load_file(struct config_loader *loader, const char *path,
                          struct config_node **root)
{
    if (load_file(loader, path, NULL, 0, NULL, root) != 0)
        return -1;
    return require_map(loader, root);
}

int config_yaml_load_buffer(struct config_loader *loader, const char *name,
                            const char *data, size_t len, struct config_node **root)
{
    const char *file = config_files_intern(&loader->files, name);
    if (file == NULL) {
        config_errorf(loader->err, name, 0, NULL, "out of memory");
        return -1;
    }
    if (load_document(loader, file, data, len, root) != 0)
        return -1;
    return require_map(loader, root);
}
