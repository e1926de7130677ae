/* The CS thread: one poll() loop over the listening socket, a wake-up pipe
 * and every client. Sockets are non-blocking and each client has its own
 * input and output buffers, so a slow or stuck client only stalls itself. */
#include "ctl/ctl-server.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "ctl/ctl-protocol.h"
#include "runtime/engine.h"
#include "util/cpu-affinity.h"
#include "util/log.h"

#define CTL_MAX_CLIENTS 1024
#define CTL_RECV_CHUNK 65536

struct ctl_client {
    int fd;
    struct ctl_session session;
};

struct ctl_server {
    char path[sizeof(((struct sockaddr_un *)0)->sun_path)];
    int listen_fd;
    int wake[2];                    /* a byte on wake[1] stops the thread */
    pthread_t thread;
    pthread_mutex_t lock;           /* guards ctx while a command runs */
    struct ctl_context ctx;
    struct ctl_run_info idle_run;   /* modes reported between runs */
    struct ctl_client *clients;     /* CS thread only */
    size_t client_count;
    struct pollfd *pfds;            /* 2 + CTL_MAX_CLIENTS */
    char chunk[CTL_RECV_CHUNK];     /* one recv() */
};

static int make_dirs(char *path, char *err, size_t errlen)
{
    for (char *p = path + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        int rc = mkdir(path, 0755);
        *p = saved;
        if (rc != 0 && errno != EEXIST) {
            snprintf(err, errlen, "cannot create run directory %s: %s", path, strerror(errno));
            return -1;
        }
        if (saved == '\0')
            return 0;
    }
}

int ctl_server_socket_path(const struct vigil_config *cfg, char *out, size_t outlen, char *err,
                           size_t errlen)
{
    const char *name = cfg->unix_command.filename;
    int len;
    if (name[0] == '/') {
        len = snprintf(out, outlen, "%s", name);
    } else {
        char dir[4096];
        snprintf(dir, sizeof(dir), "%s", cfg->default_rundir);
        if (make_dirs(dir, err, errlen) != 0)
            return -1;
        len = snprintf(out, outlen, "%s/%s", cfg->default_rundir, name);
    }
    if (len < 0 || (size_t)len >= outlen) {
        snprintf(err, errlen, "unix-command.filename: socket path too long");
        return -1;
    }
    return 0;
}

/* A socket file nobody listens on is left over from a run that died; any
 * other file is not ours to remove. */
static int remove_stale(const struct sockaddr_un *addr, char *err, size_t errlen)
{
    struct stat st;
    if (lstat(addr->sun_path, &st) != 0)
        return 0;
    if (!S_ISSOCK(st.st_mode)) {
        snprintf(err, errlen, "%s exists and is not a socket", addr->sun_path);
        return -1;
    }
    int probe = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (probe >= 0 && connect(probe, (const struct sockaddr *)addr, sizeof(*addr)) == 0) {
        close(probe);
        snprintf(err, errlen, "%s: another process is listening on it", addr->sun_path);
        return -1;
    }
    if (probe >= 0)
        close(probe);
    unlink(addr->sun_path);
    return 0;
}

static int open_listener(const char *path, char *err, size_t errlen)
{
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    if (strlen(path) >= sizeof(addr.sun_path)) {
        snprintf(err, errlen, "%s: socket path too long (at most %zu bytes)", path,
                 sizeof(addr.sun_path) - 1);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if (remove_stale(&addr, err, errlen) != 0)
        return -1;
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&addr, sizeof(addr)) != 0 ||
        chmod(path, 0660) != 0 || listen(fd, 64) != 0) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static void client_close(struct ctl_server *s, size_t i)
{
    close(s->clients[i].fd);
    ctl_session_free(&s->clients[i].session);
    s->clients[i] = s->clients[--s->client_count];
}

static void client_accept(struct ctl_server *s)
{
    int fd = accept4(s->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0)
        return;
    struct ctl_client *c = &s->clients[s->client_count++];
    c->fd = fd;
    ctl_session_init(&c->session);
}

static void client_process(struct ctl_server *s, struct ctl_client *c)
{
    pthread_mutex_lock(&s->lock);
    ctl_session_process(&c->session, &s->ctx);
    pthread_mutex_unlock(&s->lock);
}

/* Reads what is there; false when the client is gone. */
static bool client_read(struct ctl_server *s, struct ctl_client *c)
{
    ssize_t n = recv(c->fd, s->chunk, sizeof(s->chunk), 0);
    if (n < 0)
        return errno == EAGAIN || errno == EINTR;
    if (n == 0)
        return false;
    ctl_session_receive(&c->session, s->chunk, (size_t)n);
    client_process(s, c);
    return true;
}

/* Sends what the socket takes; false when the client is gone. */
static bool client_write(struct ctl_server *s, struct ctl_client *c)
{
    struct ctl_buffer *out = &c->session.out;
    ssize_t n = send(c->fd, ctl_buffer_bytes(out), ctl_buffer_len(out),
                     MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n < 0)
        return errno == EAGAIN || errno == EINTR;
    ctl_buffer_consume(out, (size_t)n);
    if (ctl_session_wants_input(&c->session) && ctl_buffer_len(&c->session.in) > 0)
        client_process(s, c);
    return true;
}

static short client_events(const struct ctl_client *c)
{
    short events = 0;
    if (ctl_session_wants_input(&c->session))
        events |= POLLIN;
    if (ctl_buffer_len(&c->session.out) > 0)
        events |= POLLOUT;
    return events;
}

static void serve_clients(struct ctl_server *s, size_t polled)
{
    /* Backwards: closing a client moves the last one into its slot. */
    for (size_t i = polled; i-- > 0;) {
        struct ctl_client *c = &s->clients[i];
        short revents = s->pfds[2 + i].revents;
        bool alive = true;
        if (revents & POLLOUT)
            alive = client_write(s, c);
        if (alive && (revents & POLLIN))
            alive = client_read(s, c);
        else if (alive && (revents & (POLLHUP | POLLERR)) && !(revents & POLLOUT))
            alive = false;
        if (!alive || ctl_session_finished(&c->session))
            client_close(s, i);
    }
}

static void *server_main(void *arg)
{
    struct ctl_server *s = arg;
    pthread_setname_np(pthread_self(), "CS");
    cpu_affinity_pin_self(CPU_AFFINITY_MANAGEMENT, CPU_AFFINITY_SLOT_CS, "CS");
    for (;;) {
        s->pfds[0] = (struct pollfd){.fd = s->wake[0], .events = POLLIN};
        s->pfds[1] = (struct pollfd){.fd = s->listen_fd,
                                     .events = s->client_count < CTL_MAX_CLIENTS ? POLLIN : 0};
        for (size_t i = 0; i < s->client_count; i++)
            s->pfds[2 + i] = (struct pollfd){.fd = s->clients[i].fd,
                                             .events = client_events(&s->clients[i])};
        size_t polled = s->client_count;
        if (poll(s->pfds, 2 + polled, -1) < 0) {
            if (errno == EINTR)
                continue;
            log_error("unix-command: poll: %s", strerror(errno));
            break;
        }
        if (s->pfds[0].revents)
            break;
        serve_clients(s, polled);
        if (s->pfds[1].revents & POLLIN)
            client_accept(s);
    }
    return NULL;
}

static void server_free(struct ctl_server *s)
{
    while (s->client_count > 0)
        client_close(s, s->client_count - 1);
    if (s->listen_fd >= 0) {
        close(s->listen_fd);
        unlink(s->path);
    }
    for (int i = 0; i < 2; i++)
        if (s->wake[i] >= 0)
            close(s->wake[i]);
    pthread_mutex_destroy(&s->lock);
    free(s->clients);
    free(s->pfds);
    free(s);
}

struct ctl_server *ctl_server_start(const struct ctl_server_config *config, char *err,
                                    size_t errlen)
{
    struct ctl_server *s = calloc(1, sizeof(*s));
    if (s == NULL) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    s->listen_fd = s->wake[0] = s->wake[1] = -1;
    pthread_mutex_init(&s->lock, NULL);
    s->ctx = (struct ctl_context){
        .start_mono_us = ctl_mono_us(),
        .cfg = config->cfg,
        .request_stop = config->request_stop,
        .stop_arg = config->stop_arg,
        .pcap_queue = config->pcap_queue,
    };
    if (config->idle_run != NULL)
        s->idle_run = *config->idle_run;
    s->ctx.running_mode = s->idle_run.running_mode;
    s->ctx.capture_mode = s->idle_run.capture_mode;
    snprintf(s->path, sizeof(s->path), "%s", config->path);
    s->clients = calloc(CTL_MAX_CLIENTS, sizeof(*s->clients));
    s->pfds = calloc(2 + CTL_MAX_CLIENTS, sizeof(*s->pfds));
    if (s->clients == NULL || s->pfds == NULL || pipe2(s->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        snprintf(err, errlen, "out of memory or file descriptors");
        server_free(s);
        return NULL;
    }
    if ((s->listen_fd = open_listener(config->path, err, errlen)) < 0) {
        server_free(s);
        return NULL;
    }
    int rc = pthread_create(&s->thread, NULL, server_main, s);
    if (rc != 0) {
        snprintf(err, errlen, "cannot start the CS thread: %s", strerror(rc));
        server_free(s);
        return NULL;
    }
    return s;
}

void ctl_server_attach_engine(struct ctl_server *s, struct vigil_engine *ve,
                              const struct ctl_run_info *run)
{
    flow_engine_keep_bucket_locks(&ve->flows);
    pthread_mutex_lock(&s->lock);
    s->ctx.engine = ve;
    s->ctx.engine_start_mono_us = ctl_mono_us();
    s->ctx.running_mode = run->running_mode;
    s->ctx.capture_mode = run->capture_mode;
    pthread_mutex_unlock(&s->lock);
}

void ctl_server_detach_engine(struct ctl_server *s, struct vigil_engine *ve)
{
    pthread_mutex_lock(&s->lock);
    if (s->ctx.engine == ve) {
        s->ctx.engine = NULL;
        s->ctx.running_mode = s->idle_run.running_mode;
        s->ctx.capture_mode = s->idle_run.capture_mode;
    }
    pthread_mutex_unlock(&s->lock);
}

void ctl_server_stop(struct ctl_server *s)
{
    if (s == NULL)
        return;
    char byte = 1;
    while (write(s->wake[1], &byte, 1) < 0 && errno == EINTR)
        ;
    pthread_join(s->thread, NULL);
    server_free(s);
}
