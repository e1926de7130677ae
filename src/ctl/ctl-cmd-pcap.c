/* The pcap-service commands with Suricata's names, arguments and messages:
 * pcap-file queues, the others report on or interrupt the queue. */
#include <stdio.h>
#include <sys/stat.h>

#include "ctl/ctl-command.h"
#include "runtime/pcap-queue.h"

static bool no_service(json_t *reply)
{
    return ctl_reply_error(reply, "not in pcap-service mode: start vigil with --unix-socket "
                                  "to queue pcap files");
}

/* Suricata's optional flags: a boolean when present. */
static bool optional_flag(json_t *args, const char *name, bool *value, json_t *reply)
{
    json_t *flag = json_object_get(args, name);
    *value = false;
    if (flag == NULL)
        return true;
    if (!json_is_boolean(flag))
        return ctl_reply_error(reply, "%s is not a boolean", name);
    *value = json_is_true(flag);
    return true;
}

static bool check_paths(const char *filename, const char *output_dir, json_t *reply)
{
    struct stat st;
    if (stat(filename, &st) != 0)
        return ctl_reply_error(reply, "File does not exist");
    if (stat(output_dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ctl_reply_error(reply, "Output directory does not exist");
    return true;
}

bool ctl_cmd_pcap_file(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    if (ctx->pcap_queue == NULL)
        return no_service(reply);
    json_t *filename = json_object_get(args, "filename");
    json_t *output_dir = json_object_get(args, "output-dir");
    if (!json_is_string(filename))
        return ctl_reply_error(reply, "filename is not a string");
    if (output_dir == NULL)
        return ctl_reply_error(reply, "output-dir param is mandatory");
    if (!json_is_string(output_dir))
        return ctl_reply_error(reply, "output-dir is not a string");
    bool continuous, delete_when_done;
    if (!optional_flag(args, "continuous", &continuous, reply) ||
        !optional_flag(args, "delete-when-done", &delete_when_done, reply))
        return false;
    if (continuous)
        return ctl_reply_error(reply, "continuous is not supported: queue each file");
    if (json_object_get(args, "tenant") != NULL)
        return ctl_reply_error(reply, "tenant is not supported: Vigil has no multi-tenancy");
    const char *file = json_string_value(filename), *dir = json_string_value(output_dir);
    if (!check_paths(file, dir, reply))
        return false;
    if (!pcap_queue_push(ctx->pcap_queue, file, dir, delete_when_done))
        return ctl_reply_error(reply, "Unable to add file to list");
    return ctl_reply_ok(reply, json_string("Successfully added file to list"));
}

bool ctl_cmd_pcap_file_number(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->pcap_queue == NULL)
        return no_service(reply);
    return ctl_reply_ok(reply, json_integer((json_int_t)pcap_queue_count(ctx->pcap_queue)));
}

static void append_name(void *arg, const char *filename)
{
    json_array_append_new(arg, json_string(filename));
}

bool ctl_cmd_pcap_file_list(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->pcap_queue == NULL)
        return no_service(reply);
    json_t *files = json_array();
    pcap_queue_list(ctx->pcap_queue, append_name, files);
    json_t *message = json_object();
    json_object_set_new(message, "count", json_integer((json_int_t)json_array_size(files)));
    json_object_set_new(message, "files", files);
    return ctl_reply_ok(reply, message);
}

bool ctl_cmd_pcap_current(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->pcap_queue == NULL)
        return no_service(reply);
    char name[4096];
    if (!pcap_queue_current(ctx->pcap_queue, name, sizeof(name)))
        return ctl_reply_ok(reply, json_string("None"));
    return ctl_reply_ok(reply, json_string(name));
}

bool ctl_cmd_pcap_last_processed(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->pcap_queue == NULL)
        return no_service(reply);
    uint64_t ms = pcap_queue_last_processed_ms(ctx->pcap_queue);
    return ctl_reply_ok(reply, json_integer((json_int_t)ms));
}

bool ctl_cmd_pcap_interrupt(struct ctl_context *ctx, json_t *args, json_t *reply)
{
    (void)args;
    if (ctx->pcap_queue == NULL)
        return no_service(reply);
    if (!pcap_queue_interrupt(ctx->pcap_queue))
        return ctl_reply_ok(reply, json_string("No file is being processed"));
    return ctl_reply_ok(reply, json_string("Interrupted"));
}
