/* The control socket server: a thread (CS) serving Suricata's unix-socket
 * protocol to many clients at once. It outlives runs: engines attach to it
 * when they open and detach before they close. */
#ifndef VIGIL_CTL_CTL_SERVER_H
#define VIGIL_CTL_CTL_SERVER_H

#include <stdbool.h>
#include <stddef.h>

struct vigil_config;
struct vigil_engine;
struct ctl_server;

struct ctl_server_config {
    const char *path;                    /* socket path (ctl_server_socket_path) */
    const struct vigil_config *cfg;      /* borrowed; outlives the server */
    void (*request_stop)(void *arg);     /* what the shutdown command calls */
    void *stop_arg;
    struct pcap_queue *pcap_queue;       /* pcap-service mode's queue; NULL: not that mode */
    const struct ctl_run_info *idle_run; /* modes to report with no engine attached; NULL: none */
};

/* How the attached run works, for running-mode and capture-mode. The
 * strings are borrowed until the engine detaches (idle_run's for the
 * server's life). */
struct ctl_run_info {
    const char *running_mode;            /* "single", "autofp", "workers" */
    const char *capture_mode;            /* "PCAP_FILE", "DPDK", "UNIX_SOCKET" */
};

/* unix-command.filename resolved: an absolute name as is, a relative one
 * under default-rundir (created if missing). Returns 0, or -1 with err. */
int ctl_server_socket_path(const struct vigil_config *cfg, char *out, size_t outlen, char *err,
                           size_t errlen);

/* Binds the socket (a stale socket file is removed; mode 0660) and starts
 * the CS thread. Returns NULL with the reason in err. */
struct ctl_server *ctl_server_start(const struct ctl_server_config *config, char *err,
                                    size_t errlen);

/* Makes ve the engine commands report on. Call from the engine's open,
 * before its threads start: it keeps the flow table's bucket locks on, so
 * flow-list can read the table in every runmode. */
void ctl_server_attach_engine(struct ctl_server *s, struct vigil_engine *ve,
                              const struct ctl_run_info *run);

/* Waits for a command using ve to finish, then forgets ve (a no-op when
 * another engine, or none, is attached). */
void ctl_server_detach_engine(struct ctl_server *s, struct vigil_engine *ve);

/* Stops the thread, closes every client and removes the socket file. */
void ctl_server_stop(struct ctl_server *s);

#endif
