/* The command table and the commands that only report on the process:
 * command-list, help, version, uptime, modes, reopen-log-files, shutdown. */
#include "ctl/ctl-command.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "config.h"
#include "output/output-reopen.h"

uint64_t ctl_mono_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

bool ctl_reply_error(json_t *reply, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    json_object_set_new(reply, "message", json_string(text));
    return false;
}

bool ctl_reply_ok(json_t *reply, json_t *message)
{
    json_object_set_new(reply, "message", message);
    return true;
}

static bool cmd_command_list(struct ctl_context *ctx, json_t *args, json_t *reply);
static bool cmd_help(struct ctl_context *ctx, json_t *args, json_t *reply);

static bool cmd_version(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)ctx, (void)args;
    return ctl_reply_ok(reply, json_string(PACKAGE_VERSION));
}

static bool cmd_uptime(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    return ctl_reply_ok(reply, json_integer((json_int_t)((ctl_mono_us() - ctx->start_mono_us) /
                                                         1000000u)));
}

static bool cmd_running_mode(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    return ctl_reply_ok(reply, json_string(ctx->running_mode ? ctx->running_mode : "none"));
}

static bool cmd_capture_mode(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    return ctl_reply_ok(reply, json_string(ctx->capture_mode ? ctx->capture_mode : "none"));
}

static bool cmd_reopen_log_files(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)ctx, (void)args;
    output_request_reopen();
    return ctl_reply_ok(reply, json_string("done"));
}

static bool cmd_shutdown(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->request_stop == NULL)
        return ctl_reply_error(reply, "shutdown is not available");
    ctx->request_stop(ctx->stop_arg);
    return ctl_reply_ok(reply, json_string("Closing Vigil"));
}

static const struct ctl_command commands[] = {
    {"shutdown", CTL_ARGS_NONE, cmd_shutdown, "stop the engine gracefully, as SIGTERM does"},
    {"command-list", CTL_ARGS_NONE, cmd_command_list, "list the commands"},
    {"help", CTL_ARGS_NONE, cmd_help, "list the commands with a line on each"},
    {"version", CTL_ARGS_NONE, cmd_version, "Vigil's version"},
    {"uptime", CTL_ARGS_NONE, cmd_uptime, "seconds since the control socket started"},
    {"running-mode", CTL_ARGS_NONE, cmd_running_mode, "the runmode: single, autofp or workers"},
    {"capture-mode", CTL_ARGS_NONE, cmd_capture_mode, "the capture: PCAP_FILE, DPDK or UNIX_SOCKET"},
    {"conf-get", CTL_ARGS_REQUIRED, ctl_cmd_conf_get,
     "{variable}: a configuration value or section by dotted path"},
    {"dump-counters", CTL_ARGS_NONE, ctl_cmd_dump_counters,
     "every counter, as the EVE stats record, with per-thread counters"},
    {"reopen-log-files", CTL_ARGS_NONE, cmd_reopen_log_files,
     "reopen the log files (after logrotate moved them)"},
    {"iface-list", CTL_ARGS_NONE, ctl_cmd_iface_list, "the capture interfaces"},
    {"iface-stat", CTL_ARGS_REQUIRED, ctl_cmd_iface_stat, "{iface}: one interface's counters"},
    {"memcap-set", CTL_ARGS_REQUIRED, ctl_cmd_memcap_set,
     "{config, memcap}: change a memcap while running"},
    {"memcap-show", CTL_ARGS_REQUIRED, ctl_cmd_memcap_show, "{config}: one memcap"},
    {"memcap-list", CTL_ARGS_NONE, ctl_cmd_memcap_list, "every memcap"},
    {"flow-list", CTL_ARGS_OPTIONAL, ctl_cmd_flow_list,
     "{src_ip, dest_ip, src_port, dest_port, proto, limit}: live flows"},
    {"flow-show", CTL_ARGS_REQUIRED, ctl_cmd_flow_show, "{flow_id}: one live flow"},
    {"pcap-file", CTL_ARGS_REQUIRED, ctl_cmd_pcap_file,
     "{filename, output-dir, delete-when-done}: queue a pcap (pcap-service mode)"},
    {"pcap-file-number", CTL_ARGS_NONE, ctl_cmd_pcap_file_number, "how many pcaps are queued"},
    {"pcap-file-list", CTL_ARGS_NONE, ctl_cmd_pcap_file_list, "the queued pcaps, in order"},
    {"pcap-current", CTL_ARGS_NONE, ctl_cmd_pcap_current, "the pcap being processed, or None"},
    {"pcap-last-processed", CTL_ARGS_NONE, ctl_cmd_pcap_last_processed,
     "when the last pcap ended, in ms since the epoch (0: none yet)"},
    {"pcap-interrupt", CTL_ARGS_NONE, ctl_cmd_pcap_interrupt,
     "stop processing the current pcap and go on with the queue"},
};

#define COMMAND_COUNT (sizeof(commands) / sizeof(commands[0]))

const struct ctl_command *ctl_command_table(size_t *count)
{
    *count = COMMAND_COUNT;
    return commands;
}

const struct ctl_command *ctl_command_find(const char *name)
{
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        if (strcmp(commands[i].name, name) == 0)
            return &commands[i];
    return NULL;
}

static bool cmd_command_list(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)ctx, (void)args;
    json_t *names = json_array();
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        json_array_append_new(names, json_string(commands[i].name));
    json_t *message = json_object();
    json_object_set_new(message, "count", json_integer((json_int_t)COMMAND_COUNT));
    json_object_set_new(message, "commands", names);
    return ctl_reply_ok(reply, message);
}

static bool cmd_help(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)ctx, (void)args;
    json_t *help = json_object();
    for (size_t i = 0; i < COMMAND_COUNT; i++)
        json_object_set_new(help, commands[i].name, json_string(commands[i].help));
    return ctl_reply_ok(reply, help);
}
