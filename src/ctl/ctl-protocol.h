/* Suricata's unix-socket protocol for one client, with no socket in sight:
 * bytes in, replies out, so tests and the fuzzer drive it directly. */
#ifndef VIGIL_CTL_CTL_PROTOCOL_H
#define VIGIL_CTL_CTL_PROTOCOL_H

#include <stdbool.h>
#include <stddef.h>

#include "ctl/ctl-buffer.h"
#include "ctl/ctl-command.h"

/* Longest message (a version message, or a command without its newline). */
#define CTL_MESSAGE_MAX 4096

/* Replies pending beyond this stop the session from taking more commands
 * until the client has read them: a client that never reads costs at most
 * this much (plus one reply) of memory. */
#define CTL_OUTPUT_HIGH (1u << 20)

enum ctl_version {
    CTL_VERSION_NONE = 0,  /* handshake pending */
    CTL_VERSION_1,         /* "0.1": one JSON object after another, no newlines */
    CTL_VERSION_2,         /* "0.2": one command per line */
};

struct ctl_session {
    enum ctl_version version;
    bool closing;            /* no more input is taken; close once out is sent */
    struct ctl_buffer in;    /* received, not yet handled */
    struct ctl_buffer out;   /* replies not yet sent */
};

void ctl_session_init(struct ctl_session *s);
void ctl_session_free(struct ctl_session *s);

/* Takes received bytes. A message over CTL_MESSAGE_MAX, or running out of
 * memory, puts the session into closing (with a NOK reply where possible). */
void ctl_session_receive(struct ctl_session *s, const void *data, size_t len);

/* Handles every complete message of the input, while the pending output
 * stays under CTL_OUTPUT_HIGH; ctx is handed to the commands. */
void ctl_session_process(struct ctl_session *s, struct ctl_context *ctx);

/* True while the session wants to read (not closing, output under the mark). */
bool ctl_session_wants_input(const struct ctl_session *s);

/* True when the session is done: closing and every reply sent. */
bool ctl_session_finished(const struct ctl_session *s);

#endif
