/* vigilctl's connection: connect to the control socket, the version handshake,
 * then one request and one reply at a time. */
#ifndef VIGIL_VIGILCTL_CLIENT_H
#define VIGIL_VIGILCTL_CLIENT_H

#include <stddef.h>

#include <jansson.h>

#include "vigilctl/vctl-frame.h"

/* The server's default (unix-command.filename); VIGIL_SOCKET overrides it. */
#define VCTL_DEFAULT_SOCKET "/var/run/vigil/vigil-command.socket"
#define VCTL_PROTOCOL_VERSION "0.2"
#define VCTL_REPLY_TIMEOUT_MS 30000

struct vctl_conn {
    int fd;
    struct vctl_frame frame;
};

/* Connects and does the handshake. On failure returns -1 with a message for
 * the operator in err (what failed, why, and what to check). */
int vctl_connect(struct vctl_conn *c, const char *path, char *err, size_t errlen);

/* Sends request and waits for its reply; NULL with the reason in err. */
json_t *vctl_call(struct vctl_conn *c, const json_t *request, char *err, size_t errlen);

void vctl_disconnect(struct vctl_conn *c);

#endif
