/* Socket I/O for vigilctl: blocking sends, replies read through vctl_frame with
 * a time limit, so a stuck server cannot hang a script forever. */
#include "vigilctl/vctl-client.h"

#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

static void connect_error(char *err, size_t errlen, const char *path, int error)
{
    const char *hint = "";
    if (error == ENOENT || error == ECONNREFUSED)
        hint = " -- is vigil running with unix-command enabled?";
    else if (error == EACCES)
        hint = " -- run vigilctl as a user allowed to use the socket";
    snprintf(err, errlen, "cannot connect to %s: %s%s", path, strerror(error), hint);
}

static int send_all(int fd, const char *p, size_t n, char *err, size_t errlen)
{
    while (n > 0) {
        ssize_t done = send(fd, p, n, MSG_NOSIGNAL);
        if (done < 0 && errno == EINTR)
            continue;
        if (done < 0) {
            snprintf(err, errlen, "sending to the server: %s", strerror(errno));
            return -1;
        }
        p += done;
        n -= (size_t)done;
    }
    return 0;
}

static int send_json(struct vctl_conn *c, const json_t *msg, char *err, size_t errlen)
{
    char *text = json_dumps(msg, JSON_COMPACT | JSON_PRESERVE_ORDER);
    if (text == NULL) {
        snprintf(err, errlen, "out of memory");
        return -1;
    }
    int rc = send_all(c->fd, text, strlen(text), err, errlen);
    free(text);
    return rc == 0 ? send_all(c->fd, "\n", 1, err, errlen) : -1;
}

/* Reads until one whole reply is framed, the server closes, or time runs out. */
static json_t *receive_reply(struct vctl_conn *c, char *err, size_t errlen)
{
    char chunk[16384];
    for (bool eof = false;;) {
        json_t *reply;
        enum vctl_frame_result r = vctl_frame_next(&c->frame, eof, &reply, err, errlen);
        if (r == VCTL_FRAME_REPLY)
            return reply;
        if (r == VCTL_FRAME_INVALID)
            return NULL;
        if (eof) {
            snprintf(err, errlen, "the server closed the connection without a reply");
            return NULL;
        }
        struct pollfd pfd = {.fd = c->fd, .events = POLLIN};
        int ready = poll(&pfd, 1, VCTL_REPLY_TIMEOUT_MS);
        if (ready == 0) {
            snprintf(err, errlen, "no reply from the server within %d s",
                     VCTL_REPLY_TIMEOUT_MS / 1000);
            return NULL;
        }
        ssize_t n = ready < 0 ? -1 : recv(c->fd, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0) {
            snprintf(err, errlen, "reading from the server: %s", strerror(errno));
            return NULL;
        }
        if (!vctl_frame_feed(&c->frame, chunk, (size_t)n)) {
            snprintf(err, errlen, "reply too large (over %u bytes)", VCTL_REPLY_MAX);
            return NULL;
        }
        eof = n == 0;
    }
}

static bool reply_ok(const json_t *reply)
{
    const char *ret = json_string_value(json_object_get(reply, "return"));
    return ret != NULL && strcmp(ret, "OK") == 0;
}

static int handshake(struct vctl_conn *c, char *err, size_t errlen)
{
    json_t *hello = json_pack("{s:s}", "version", VCTL_PROTOCOL_VERSION);
    int rc = send_json(c, hello, err, errlen);
    json_decref(hello);
    if (rc != 0)
        return -1;
    json_t *reply = receive_reply(c, err, errlen);
    if (reply == NULL)
        return -1;
    rc = reply_ok(reply) ? 0 : -1;
    if (rc != 0) {
        char *text = json_dumps(reply, JSON_COMPACT);
        snprintf(err, errlen, "the server refused protocol version %s: %s",
                 VCTL_PROTOCOL_VERSION, text ? text : "?");
        free(text);
    }
    json_decref(reply);
    return rc;
}

int vctl_connect(struct vctl_conn *c, const char *path, char *err, size_t errlen)
{
    vctl_frame_init(&c->frame);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(addr.sun_path)) {
        connect_error(err, errlen, path, ENAMETOOLONG);
        return -1;
    }
    memcpy(addr.sun_path, path, strlen(path) + 1);
    c->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (c->fd < 0 || connect(c->fd, (struct sockaddr *)&addr, sizeof(addr)) != 0) {
        connect_error(err, errlen, path, errno);
        vctl_disconnect(c);
        return -1;
    }
    if (handshake(c, err, errlen) != 0) {
        vctl_disconnect(c);
        return -1;
    }
    return 0;
}

json_t *vctl_call(struct vctl_conn *c, const json_t *request, char *err, size_t errlen)
{
    if (send_json(c, request, err, errlen) != 0)
        return NULL;
    return receive_reply(c, err, errlen);
}

void vctl_disconnect(struct vctl_conn *c)
{
    if (c->fd >= 0)
        close(c->fd);
    c->fd = -1;
    vctl_frame_free(&c->frame);
}
