/* Framing and dispatch of the unix-socket protocol: the version handshake,
 * then commands (newline framed in 0.2), each answered by one reply. Where
 * Suricata drops the client (bad JSON, no command string, arguments not an
 * object, oversized message) Vigil sends a NOK with the reason, then closes. */
#include "ctl/ctl-protocol.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define REPLY_FLAGS (JSON_PRESERVE_ORDER | JSON_COMPACT | JSON_ENSURE_ASCII | JSON_ESCAPE_SLASH)

void ctl_session_init(struct ctl_session *s)
{
    memset(s, 0, sizeof(*s));
}

void ctl_session_free(struct ctl_session *s)
{
    ctl_buffer_free(&s->in);
    ctl_buffer_free(&s->out);
}

/* Queues reply (and its newline in 0.2); a reply that cannot be queued
 * closes the session, as the client could not tell what it missed. */
static void send_reply(struct ctl_session *s, json_t *reply)
{
    char *text = json_dumps(reply, REPLY_FLAGS);
    bool ok = text != NULL && ctl_buffer_append(&s->out, text, strlen(text));
    if (ok && s->version != CTL_VERSION_1)
        ok = ctl_buffer_append(&s->out, "\n", 1);
    free(text);
    if (!ok)
        s->closing = true;
}

static void reply_nok_and_close(struct ctl_session *s, const char *message)
{
    json_t *reply = json_object();
    json_object_set_new(reply, "message", json_string(message));
    json_object_set_new(reply, "return", json_string("NOK"));
    send_reply(s, reply);
    json_decref(reply);
    s->in.start = s->in.end = 0;
    s->closing = true;
}

void ctl_session_receive(struct ctl_session *s, const void *data, size_t len)
{
    if (s->closing)
        return;
    if (!ctl_buffer_append(&s->in, data, len))
        reply_nok_and_close(s, "out of memory");
}

bool ctl_session_wants_input(const struct ctl_session *s)
{
    return !s->closing && ctl_buffer_len(&s->out) < CTL_OUTPUT_HIGH;
}

bool ctl_session_finished(const struct ctl_session *s)
{
    return s->closing && ctl_buffer_len(&s->out) == 0;
}

static void handshake(struct ctl_session *s, json_t *msg)
{
    json_t *version = json_object_get(msg, "version");
    if (!json_is_string(version)) {
        reply_nok_and_close(s, "version is not a string");
        return;
    }
    const char *text = json_string_value(version);
    if (strcmp(text, "0.2") != 0 && strcmp(text, "0.1") != 0) {
        reply_nok_and_close(s, "unsupported protocol version (0.1 and 0.2 are)");
        return;
    }
    s->version = strcmp(text, "0.1") == 0 ? CTL_VERSION_1 : CTL_VERSION_2;
    json_t *reply = json_pack("{s:s}", "return", "OK");
    send_reply(s, reply);
    json_decref(reply);
}

static void execute(struct ctl_session *s, json_t *msg, struct ctl_context *ctx)
{
    json_t *name = json_object_get(msg, "command");
    if (!json_is_string(name)) {
        reply_nok_and_close(s, "command is not a string");
        return;
    }
    json_t *reply = json_object();
    bool ok;
    const struct ctl_command *cmd = ctl_command_find(json_string_value(name));
    json_t *args = json_object_get(msg, "arguments");
    if (cmd == NULL) {
        ok = ctl_reply_error(reply, "Unknown command");
    } else if (cmd->args != CTL_ARGS_NONE && !json_is_object(args) &&
               (cmd->args == CTL_ARGS_REQUIRED || args != NULL)) {
        json_decref(reply);
        reply_nok_and_close(s, "argument is not an object");
        return;
    } else {
        ok = cmd->run(ctx, cmd->args == CTL_ARGS_NONE ? NULL : args, reply);
    }
    json_object_set_new(reply, "return", json_string(ok ? "OK" : "NOK"));
    send_reply(s, reply);
    json_decref(reply);
}

static void handle_message(struct ctl_session *s, const char *text, size_t len,
                           struct ctl_context *ctx)
{
    json_error_t error;
    json_t *msg = json_loadb(text, len, 0, &error);
    if (msg == NULL) {
        char reason[256];
        snprintf(reason, sizeof(reason), "Invalid command, error on line %d: %s", error.line,
                 error.text);
        reply_nok_and_close(s, reason);
        return;
    }
    if (s->version == CTL_VERSION_NONE)
        handshake(s, msg);
    else
        execute(s, msg, ctx);
    json_decref(msg);
}

static size_t skip_space(const char *p, size_t len)
{
    size_t i = 0;
    while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' || p[i] == '\n'))
        i++;
    return i;
}

/* The handshake and protocol 0.1 carry no framing: the next message is one
 * JSON value, however it was split into reads. Returns its length, 0 while
 * it is incomplete, or -1 when the bytes cannot start a valid value. */
static long next_value_length(const char *p, size_t len)
{
    json_error_t error;
    json_t *value = json_loadb(p, len, JSON_DISABLE_EOF_CHECK, &error);
    if (value != NULL) {
        json_decref(value);
        return error.position;
    }
    return json_error_code(&error) == json_error_premature_end_of_input ? 0 : -1;
}

/* Takes one message off the input; false when none is complete. */
static bool take_message(struct ctl_session *s, struct ctl_context *ctx)
{
    ctl_buffer_consume(&s->in, skip_space(ctl_buffer_bytes(&s->in), ctl_buffer_len(&s->in)));
    const char *p = ctl_buffer_bytes(&s->in);
    size_t len = ctl_buffer_len(&s->in);
    if (len == 0)
        return false;
    size_t msg_len, used;
    if (s->version == CTL_VERSION_2) {
        const char *nl = memchr(p, '\n', len);
        msg_len = nl ? (size_t)(nl - p) : len;
        used = msg_len + 1;
        if (nl == NULL && len <= CTL_MESSAGE_MAX)
            return false;
    } else {
        long value_len = next_value_length(p, len < CTL_MESSAGE_MAX ? len : CTL_MESSAGE_MAX);
        if (value_len == 0 && len <= CTL_MESSAGE_MAX)
            return false;
        msg_len = used = value_len > 0 ? (size_t)value_len : len;
    }
    if (msg_len > CTL_MESSAGE_MAX) {
        reply_nok_and_close(s, "message too long (over 4096 bytes)");
        return false;
    }
    handle_message(s, p, msg_len, ctx);
    if (!s->closing)
        ctl_buffer_consume(&s->in, used);
    return !s->closing;
}

void ctl_session_process(struct ctl_session *s, struct ctl_context *ctx)
{
    while (ctl_session_wants_input(s) && take_message(s, ctx))
        ;
}
