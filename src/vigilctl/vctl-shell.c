/* The interactive loop: command names from the server's command-list (a
 * built-in list when it has none), one request per line. */
#include "vigilctl/vctl-shell.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vigilctl/vctl-args.h"
#include "vigilctl/vctl-format.h"
#include "vigilctl/vctl-prompt.h"

#define SHELL_MAX_WORDS 64
#define SHELL_MAX_COMMANDS 128

static const char *const builtin_commands[] = {
    "command-list", "help", "version", "uptime", "running-mode", "capture-mode",
    "conf-get", "dump-counters", "iface-list", "iface-stat", "memcap-list", "memcap-show",
    "memcap-set", "reopen-log-files", "shutdown", "flow-list", "flow-show", "pcap-file",
    "pcap-file-number", "pcap-file-list", "pcap-current", "pcap-last-processed",
    "pcap-interrupt", "quit", NULL,
};

int vctl_shell_split(char *line, char *words[], int max)
{
    int count = 0;
    for (char *save = NULL, *word = strtok_r(line, " \t\r\n", &save); word != NULL;
         word = strtok_r(NULL, " \t\r\n", &save)) {
        if (count == max)
            return -1;
        words[count++] = word;
    }
    return count;
}

/* Fills names (NULL-terminated) from command-list; false if the server has none. */
static bool server_commands(struct vctl_conn *conn, json_t **reply, const char *names[])
{
    char err[256];
    json_t *request = json_pack("{s:s}", "command", "command-list");
    *reply = vctl_call(conn, request, err, sizeof(err));
    json_decref(request);
    const json_t *list = json_object_get(json_object_get(*reply, "message"), "commands");
    size_t i, n = 0;
    json_t *name;
    json_array_foreach(list, i, name)
        if (json_is_string(name) && n + 2 < SHELL_MAX_COMMANDS)
            names[n++] = json_string_value(name);
    names[n++] = "quit";
    names[n] = NULL;
    return n > 1;
}

static int run_line(struct vctl_conn *conn, char *line, bool raw_json, bool *lost)
{
    char *words[SHELL_MAX_WORDS], err[512];
    int count = vctl_shell_split(line, words, SHELL_MAX_WORDS);
    if (count == 0)
        return 0;
    json_t *request = count < 0 ? NULL : vctl_request_build(count, words, err, sizeof(err));
    if (request == NULL) {
        fprintf(stderr, "vigilctl: %s\n", count < 0 ? "too many arguments" : err);
        return 2;
    }
    json_t *reply = vctl_call(conn, request, err, sizeof(err));
    json_decref(request);
    if (reply == NULL) {
        fprintf(stderr, "vigilctl: %s: %s\n", words[0], err);
        *lost = true;
        return 1;
    }
    int status = vctl_print_reply(stdout, stderr, words[0], reply, raw_json);
    json_decref(reply);
    fflush(stdout);
    return status;
}

int vctl_shell_run(struct vctl_conn *conn, bool raw_json)
{
    const char *names[SHELL_MAX_COMMANDS];
    json_t *list_reply = NULL;
    bool listed = server_commands(conn, &list_reply, names);
    vctl_prompt_init(listed ? names : builtin_commands);
    int status = 0;
    bool lost = false;
    for (char *line; !lost && (line = vctl_prompt_read("vigil> ")) != NULL; free(line)) {
        char *start = line + strspn(line, " \t");
        if (strcmp(start, "quit") == 0 || strcmp(start, "exit") == 0) {
            free(line);
            break;
        }
        vctl_prompt_remember(start);
        status = run_line(conn, start, raw_json, &lost);
    }
    json_decref(list_reply);
    return status;
}
