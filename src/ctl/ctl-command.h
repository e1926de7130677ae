/* The control socket's commands: what a command sees of the engine (the
 * context) and the table the protocol layer dispatches through. */
#ifndef VIGIL_CTL_CTL_COMMAND_H
#define VIGIL_CTL_CTL_COMMAND_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct vigil_engine;
struct vigil_config;
struct pcap_queue;

/* What the commands read. The server owns it and holds its lock while a
 * command runs, so engine stays attached (or NULL) for the whole command. */
struct ctl_context {
    uint64_t start_mono_us;            /* the server's start, for uptime */
    const struct vigil_config *cfg;    /* the loaded configuration; NULL: none */
    struct vigil_engine *engine;       /* the run in progress; NULL between runs */
    uint64_t engine_start_mono_us;     /* when engine was attached */
    const char *running_mode;          /* "single", "autofp", "workers" */
    const char *capture_mode;          /* "PCAP_FILE", "DPDK" */
    void (*request_stop)(void *arg);   /* shutdown: stop as one SIGTERM would */
    void *stop_arg;
    struct pcap_queue *pcap_queue;     /* pcap-service mode's queue; NULL: not that mode */
};

enum ctl_args {
    CTL_ARGS_NONE,      /* "arguments" is ignored */
    CTL_ARGS_REQUIRED,  /* "arguments" must be an object (else the client is closed) */
    CTL_ARGS_OPTIONAL,  /* an object when present */
};

/* Sets reply's "message"; returns true for "return": "OK". args is an
 * object, or NULL when the command takes none or none were given. */
typedef bool (*ctl_command_fn)(struct ctl_context *ctx, json_t *args, json_t *reply);

struct ctl_command {
    const char *name;
    enum ctl_args args;
    ctl_command_fn run;
    const char *help;   /* one line, for "help" */
};

/* The monotonic clock in microseconds, for uptimes. */
uint64_t ctl_mono_us(void);

/* NULL when name is not a command. */
const struct ctl_command *ctl_command_find(const char *name);

/* The whole table, in the order command-list shows it. */
const struct ctl_command *ctl_command_table(size_t *count);

/* Sets reply's message to a string; returns false, for NOK replies. */
bool ctl_reply_error(json_t *reply, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sets reply's message (takes the reference); returns true. */
bool ctl_reply_ok(json_t *reply, json_t *message);

/* The commands of each file, listed in ctl-commands.c's table. */
bool ctl_cmd_conf_get(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_dump_counters(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_iface_list(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_iface_stat(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_memcap_list(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_memcap_show(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_memcap_set(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_flow_list(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_flow_show(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_pcap_file(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_pcap_file_number(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_pcap_file_list(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_pcap_current(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_pcap_last_processed(struct ctl_context *ctx, json_t *args, json_t *reply);
bool ctl_cmd_pcap_interrupt(struct ctl_context *ctx, json_t *args, json_t *reply);

#endif
