/* Request building: Suricata's positional argument names per command, and
 * key=value pairs typed the way suricatasc types them. */
#include "vigilctl/vctl-args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct positional {
    const char *command;
    const char *names[3];
};

static const struct positional positionals[] = {
    {"iface-stat", {"iface", NULL}},
    {"conf-get", {"variable", NULL}},
    {"memcap-show", {"config", NULL}},
    {"memcap-set", {"config", "memcap", NULL}},
    {"flow-show", {"flow_id", NULL}},
    {"pcap-file", {"filename", "output-dir", NULL}},
};

const char *const *vctl_positional_names(const char *command)
{
    for (size_t i = 0; i < sizeof(positionals) / sizeof(positionals[0]); i++)
        if (strcmp(positionals[i].command, command) == 0)
            return positionals[i].names;
    return NULL;
}

static bool all_digits(const char *s)
{
    if (*s == '\0')
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* Arguments naming files the server opens: the server's working directory
 * is not the user's, so vigilctl sends them absolute. */
static const struct {
    const char *command;
    const char *name;
} path_arguments[] = {
    {"pcap-file", "filename"},
    {"pcap-file", "output-dir"},
};

/* All digits: an integer, unless too big for one (then kept as text);
 * true and false: booleans (pcap-file's delete-when-done). */
static json_t *typed_value(const char *text)
{
    if (strcmp(text, "true") == 0 || strcmp(text, "false") == 0)
        return json_boolean(text[0] == 't');
    if (all_digits(text)) {
        errno = 0;
        char *end;
        long long n = strtoll(text, &end, 10);
        if (errno == 0)
            return json_integer(n);
    }
    return json_string(text);
}

static int add_argument(json_t *args, const char *name, size_t name_len, const char *value,
                        char *err, size_t errlen)
{
    char key[128];
    if (name_len == 0 || name_len >= sizeof(key)) {
        snprintf(err, errlen, "\"%s\": an argument name must have 1 to %zu characters",
                 value, sizeof(key) - 1);
        return -1;
    }
    memcpy(key, name, name_len);
    key[name_len] = '\0';
    if (json_object_get(args, key) != NULL) {
        snprintf(err, errlen, "argument \"%s\" given twice", key);
        return -1;
    }
    json_t *typed = typed_value(value);
    if (typed == NULL || json_object_set_new(args, key, typed) != 0) {
        snprintf(err, errlen, "argument \"%s\": not valid UTF-8", key);
        return -1;
    }
    return 0;
}

static int add_arguments(json_t *args, const char *command, int argc, char *const argv[],
                         char *err, size_t errlen)
{
    const char *const *names = vctl_positional_names(command);
    size_t next = 0;
    for (int i = 0; i < argc; i++) {
        const char *eq = strchr(argv[i], '=');
        int rc;
        if (eq != NULL) {
            rc = add_argument(args, argv[i], (size_t)(eq - argv[i]), eq + 1, err, errlen);
        } else if (names != NULL && names[next] != NULL) {
            rc = add_argument(args, names[next], strlen(names[next]), argv[i], err, errlen);
            next++;
        } else {
            snprintf(err, errlen, "%s: unexpected argument \"%s\" (use key=value)", command,
                     argv[i]);
            rc = -1;
        }
        if (rc != 0)
            return -1;
    }
    return 0;
}

static int absolutize(json_t *args, const char *name, char *err, size_t errlen)
{
    const char *value = json_string_value(json_object_get(args, name));
    if (value == NULL || value[0] == '/' || value[0] == '\0')
        return 0;
    char cwd[4096], path[8192];
    if (getcwd(cwd, sizeof(cwd)) == NULL) {
        snprintf(err, errlen, "%s %s: cannot make it absolute: %s", name, value,
                 strerror(errno));
        return -1;
    }
    snprintf(path, sizeof(path), "%s/%s", cwd, value);
    json_object_set_new(args, name, json_string(path));
    return 0;
}

static int absolutize_paths(json_t *args, const char *command, char *err, size_t errlen)
{
    for (size_t i = 0; i < sizeof(path_arguments) / sizeof(path_arguments[0]); i++)
        if (strcmp(path_arguments[i].command, command) == 0 &&
            absolutize(args, path_arguments[i].name, err, errlen) != 0)
            return -1;
    return 0;
}

json_t *vctl_request_build(int argc, char *const argv[], char *err, size_t errlen)
{
    if (argc < 1 || argv[0][0] == '\0') {
        snprintf(err, errlen, "no command given");
        return NULL;
    }
    json_t *args = json_object();
    json_t *request = json_object();
    json_t *command = json_string(argv[0]);
    if (args == NULL || request == NULL || command == NULL ||
        add_arguments(args, argv[0], argc - 1, argv + 1, err, errlen) != 0 ||
        absolutize_paths(args, argv[0], err, errlen) != 0) {
        if (command == NULL)
            snprintf(err, errlen, "the command name is not valid UTF-8");
        json_decref(args);
        json_decref(request);
        json_decref(command);
        return NULL;
    }
    json_object_set_new(request, "command", command);
    if (json_object_size(args) > 0)
        json_object_set_new(request, "arguments", args);
    else
        json_decref(args);
    return request;
}
