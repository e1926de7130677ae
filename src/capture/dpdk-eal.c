/* Starting and stopping DPDK's EAL: the argument vector from eal-params and
 * the failures operators meet first, each with the way out. */
#include "capture/dpdk-eal.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>

#include "util/cpu-affinity.h"
#include "util/log.h"

static bool eal_running;

static const char *eal_failure_hint(int err)
{
    switch (err) {
    case EACCES:
        return "no usable hugepages (or no permission for them): reserve and mount some "
               "(echo 1024 > /proc/sys/vm/nr_hugepages; mount -t hugetlbfs nodev "
               "/dev/hugepages), or for tests run without them: "
               "eal-params: {no-huge: true, m: 1024}";
    case EALREADY:
        return "the EAL was already started in this process";
    case EBUSY:
    case EPROTO:
        return "another DPDK primary process holds the runtime directory: stop it, or give "
               "this one its own eal-params: {file-prefix: NAME} (or in-memory: true)";
    case EINVAL:
        return "an eal-params option was rejected: see the EAL message above";
    case ENOMEM:
        return "not enough memory for the EAL: raise eal-params m (MB) or the hugepages "
               "reserved";
    case ENODEV:
        return "a device in eal-params (vdev, allow) could not be probed: see the EAL "
               "message above";
    default:
        return "see the EAL messages above";
    }
}

/* rte_eal_init pins the calling thread to the main lcore's CPU, and every
 * thread Vigil creates afterwards would inherit that one CPU: the caller
 * gets the CPUs of all the EAL's lcores back instead (eal-params l/lcores,
 * by default every CPU). Threads set-cpu-affinity pins choose their own. */
static void spread_over_lcores(void)
{
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    unsigned lcore;
    RTE_LCORE_FOREACH(lcore) {
        rte_cpuset_t lcore_cpus = rte_lcore_cpuset(lcore);
        CPU_OR(&cpus, &cpus, &lcore_cpus);
    }
    char list[256];
    cpu_list_format(&cpus, list, sizeof(list));
    int rc = pthread_setaffinity_np(pthread_self(), sizeof(cpus), &cpus);
    if (rc != 0)
        log_warning("dpdk: cannot spread Vigil's threads over the lcores' CPUs %s: %s", list,
                    strerror(rc));
    else
        log_info("dpdk: Vigil's threads run on the lcores' CPUs %s", list);
}

int dpdk_eal_start(const struct vigil_dpdk_config *cfg)
{
    if (eal_running)
        return 0;
    /* rte_eal_init may reorder argv, so it gets a throwaway copy. */
    int argc = (int)cfg->eal_arg_count + 1;
    char **argv = calloc((size_t)argc + 1, sizeof(*argv));
    if (!argv) {
        log_error("dpdk: out of memory for the EAL arguments");
        return -1;
    }
    argv[0] = "vigil";
    for (size_t i = 0; i < cfg->eal_arg_count; i++)
        argv[i + 1] = cfg->eal_args[i];
    int parsed = rte_eal_init(argc, argv);
    int err = rte_errno;
    free(argv);
    if (parsed < 0) {
        log_error("dpdk: EAL initialisation failed: %s: %s", rte_strerror(err),
                  eal_failure_hint(err));
        return -1;
    }
    eal_running = true;
    log_info("dpdk: EAL started, %u lcores", rte_lcore_count());
    spread_over_lcores();
    return 0;
}

/* The EAL leaves its runtime directory (config, fbarray files of a few MB
 * under no-huge) in /var/run/dpdk, which is RAM: a primary that ran to the
 * end removes it, so restarts and test runs do not pile them up. */
static void remove_runtime_dir(const char *dir)
{
    DIR *d = opendir(dir);
    if (d == NULL)
        return;
    struct dirent *entry;
    while ((entry = readdir(d)) != NULL) {
        char path[PATH_MAX + NAME_MAX + 1];
        if (strcmp(entry->d_name, ".") == 0 || strcmp(entry->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, entry->d_name);
        if (unlink(path) != 0)
            log_warning("dpdk: cannot remove %s: %s", path, strerror(errno));
    }
    closedir(d);
    if (rmdir(dir) != 0 && errno != ENOENT)
        log_warning("dpdk: cannot remove the runtime directory %s: %s", dir, strerror(errno));
}

void dpdk_eal_stop(void)
{
    if (!eal_running)
        return;
    char runtime_dir[PATH_MAX];
    snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
    bool primary = rte_eal_process_type() == RTE_PROC_PRIMARY;
    rte_eal_cleanup();
    eal_running = false;
    if (primary)
        remove_runtime_dir(runtime_dir);
}

bool dpdk_thread_register(void)
{
    if (rte_thread_register() == 0)
        return true;
    log_warning("dpdk: no free lcore id for a capture thread (%s): it runs without the "
                "mempool cache",
                rte_strerror(rte_errno));
    return false;
}

void dpdk_thread_unregister(void)
{
    if (rte_lcore_id() != LCORE_ID_ANY)
        rte_thread_unregister();
}
