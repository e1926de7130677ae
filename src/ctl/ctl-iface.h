/* Where iface-list and iface-stat get their answers: the capture code of a
 * live run registers a provider; offline there is none (no interfaces). */
#ifndef VIGIL_CTL_CTL_IFACE_H
#define VIGIL_CTL_CTL_IFACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Room for DPDK's five port counters and its 16 per-queue ones. */
#define CTL_IFACE_EXTRA_MAX 24

/* Suricata's iface-stat keys, plus a capture-specific breakdown (for DPDK:
 * imissed, ierrors, rx_nombuf...) under "dpdk". */
struct ctl_iface_stats {
    uint64_t pkts;
    uint64_t drop;
    uint64_t invalid_checksums;
    uint64_t bypassed;
    const char *extra_group;      /* key of the breakdown object, e.g. "dpdk"; NULL: none */
    struct {
        const char *name;         /* static strings */
        uint64_t value;
    } extra[CTL_IFACE_EXTRA_MAX];
    size_t extra_count;
};

struct ctl_iface_provider {
    /* Copies up to max interface names (valid until the provider is
     * cleared) and returns how many there are. */
    size_t (*list)(void *arg, const char **names, size_t max);
    /* Fills out for the named interface; false when there is no such one. */
    bool (*stats)(void *arg, const char *name, struct ctl_iface_stats *out);
    void *arg;
};

/* Registers the one provider (NULL clears it). Called by the capture code
 * when its ports are up and before they go away; the callbacks run on the
 * control socket's thread. */
void ctl_iface_set_provider(const struct ctl_iface_provider *provider);

#endif
