/* Suricata's CPU sets: list items ("all", "3", "1-3"), a thread's share of a
 * set (exclusive round robin or the whole set, with its nice increment). */
#include "util/cpu-affinity.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "util/log.h"

#define ONLINE_LIST "/sys/devices/system/cpu/online"

const char *const cpu_affinity_set_names[CPU_AFFINITY_ROLE_COUNT] = {
    [CPU_AFFINITY_MANAGEMENT] = "management-cpu-set",
    [CPU_AFFINITY_RECEIVE] = "receive-cpu-set",
    [CPU_AFFINITY_WORKER] = "worker-cpu-set",
    [CPU_AFFINITY_VERDICT] = "verdict-cpu-set",
};

const char *const cpu_affinity_prio_names[CPU_PRIO_COUNT] = {
    [CPU_PRIO_LOW] = "low",
    [CPU_PRIO_MEDIUM] = "medium",
    [CPU_PRIO_HIGH] = "high",
};

/* Suricata's PRIO_LOW, PRIO_MEDIUM and PRIO_HIGH, given to nice(). */
static const int prio_nice_increment[CPU_PRIO_COUNT] = {2, 0, -2};

static struct cpu_affinity_config plan;

void cpu_affinity_defaults(struct cpu_affinity_config *cfg, const cpu_set_t *all)
{
    *cfg = (struct cpu_affinity_config){.enabled = false};
    for (int role = 0; role < CPU_AFFINITY_ROLE_COUNT; role++) {
        struct cpu_affinity_set *set = &cfg->sets[role];
        set->cpus = *all;
        set->mode = role == CPU_AFFINITY_RECEIVE || role == CPU_AFFINITY_WORKER
                        ? CPU_AFFINITY_EXCLUSIVE
                        : CPU_AFFINITY_BALANCED;
        set->prio = CPU_PRIO_MEDIUM;
        for (int p = 0; p < CPU_PRIO_COUNT; p++)
            CPU_ZERO(&set->prio_cpus[p]);
    }
}

void cpu_set_fill(cpu_set_t *cpus)
{
    CPU_ZERO(cpus);
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        CPU_SET(cpu, cpus);
}

/* The kernel's list, e.g. "0-3,5\n"; false when unreadable or empty. */
static bool read_online_list(cpu_set_t *online)
{
    char text[1024], why[160];
    FILE *f = fopen(ONLINE_LIST, "r");
    if (f == NULL)
        return false;
    bool read = fgets(text, sizeof(text), f) != NULL;
    fclose(f);
    if (!read)
        return false;
    text[strcspn(text, "\n")] = '\0';
    cpu_set_t any;
    cpu_set_fill(&any);
    CPU_ZERO(online);
    char *save = NULL;
    for (char *item = strtok_r(text, ",", &save); item; item = strtok_r(NULL, ",", &save))
        if (cpu_list_item_parse(item, &any, online, why, sizeof(why)) != 0)
            return false;
    return CPU_COUNT(online) > 0;
}

void cpu_affinity_online(cpu_set_t *online)
{
    if (read_online_list(online))
        return;
    long count = sysconf(_SC_NPROCESSORS_ONLN);
    CPU_ZERO(online);
    for (long cpu = 0; cpu < (count > 0 ? count : 1) && cpu < CPU_SETSIZE; cpu++)
        CPU_SET((int)cpu, online);
}

unsigned cpu_affinity_usable_count(void)
{
    cpu_set_t allowed;
    if (sched_getaffinity(0, sizeof(allowed), &allowed) == 0 && CPU_COUNT(&allowed) > 0)
        return (unsigned)CPU_COUNT(&allowed);
    cpu_affinity_online(&allowed);
    return (unsigned)CPU_COUNT(&allowed);
}

/* Digits only; values past the set size read as CPU_SETSIZE. */
static bool parse_cpu_number(const char *text, size_t len, int *cpu)
{
    if (len == 0 || strspn(text, "0123456789") < len)
        return false;
    long value = 0;
    for (size_t i = 0; i < len && value < CPU_SETSIZE; i++)
        value = value * 10 + (text[i] - '0');
    *cpu = value < CPU_SETSIZE ? (int)value : CPU_SETSIZE;
    return true;
}

static int add_range(int first, int last, const char *text, const cpu_set_t *allowed,
                     cpu_set_t *out, char *why, size_t why_len)
{
    if (last >= CPU_SETSIZE) {
        snprintf(why, why_len, "\"%s\" is out of range (CPUs 0..%d)", text, CPU_SETSIZE - 1);
        return -1;
    }
    for (int cpu = first; cpu <= last; cpu++) {
        if (!CPU_ISSET(cpu, allowed)) {
            char online[256];
            cpu_list_format(allowed, online, sizeof(online));
            snprintf(why, why_len, "CPU %d is not online (online CPUs: %s)", cpu, online);
            return -1;
        }
    }
    for (int cpu = first; cpu <= last; cpu++)
        CPU_SET(cpu, out);
    return 0;
}

int cpu_list_item_parse(const char *text, const cpu_set_t *allowed, cpu_set_t *out,
                        char *why, size_t why_len)
{
    if (strcmp(text, "all") == 0) {
        CPU_OR(out, out, allowed);
        return 0;
    }
    const char *dash = strchr(text, '-');
    size_t first_len = dash ? (size_t)(dash - text) : strlen(text);
    int first, last;
    if (!parse_cpu_number(text, first_len, &first) ||
        (dash && !parse_cpu_number(dash + 1, strlen(dash + 1), &last))) {
        snprintf(why, why_len,
                 "\"%s\" is not a CPU number, a range such as \"1-3\", or \"all\"", text);
        return -1;
    }
    if (!dash)
        last = first;
    if (first > last) {
        snprintf(why, why_len, "\"%s\" is not a range: it starts after it ends", text);
        return -1;
    }
    return add_range(first, last, text, allowed, out, why, why_len);
}

void cpu_list_format(const cpu_set_t *cpus, char *out, size_t len)
{
    size_t used = 0;
    out[0] = '\0';
    for (int cpu = 0; cpu < CPU_SETSIZE && used < len; cpu++) {
        if (!CPU_ISSET(cpu, cpus))
            continue;
        int last = cpu;
        while (last + 1 < CPU_SETSIZE && CPU_ISSET(last + 1, cpus))
            last++;
        int n = last == cpu ? snprintf(out + used, len - used, "%s%d", used ? "," : "", cpu)
                            : snprintf(out + used, len - used, "%s%d-%d", used ? "," : "",
                                       cpu, last);
        used += n > 0 ? (size_t)n : 0;
        cpu = last;
    }
    if (used == 0)
        snprintf(out, len, "none");
}

/* The index-th CPU of the set, counting from the lowest. */
static int nth_cpu(const cpu_set_t *cpus, int index)
{
    for (int cpu = 0; cpu < CPU_SETSIZE; cpu++)
        if (CPU_ISSET(cpu, cpus) && index-- == 0)
            return cpu;
    return -1;
}

bool cpu_affinity_assign(const struct cpu_affinity_set *set, unsigned index,
                         struct cpu_affinity_choice *out)
{
    int count = CPU_COUNT(&set->cpus);
    if (count == 0)
        return false;
    out->nice_increment = prio_nice_increment[set->prio];
    if (set->mode == CPU_AFFINITY_BALANCED) {
        out->cpus = set->cpus;
        return true;
    }
    int cpu = nth_cpu(&set->cpus, (int)(index % (unsigned)count));
    CPU_ZERO(&out->cpus);
    CPU_SET(cpu, &out->cpus);
    for (int p = 0; p < CPU_PRIO_COUNT; p++) {
        if (CPU_ISSET(cpu, &set->prio_cpus[p])) {
            out->nice_increment = prio_nice_increment[p];
            break;
        }
    }
    return true;
}

void cpu_affinity_configure(const struct cpu_affinity_config *cfg)
{
    plan = *cfg;
}

/* setpriority on a thread id changes that thread only (Linux). */
static bool apply_nice(const char *thread_name, int increment, int *nice_now)
{
    id_t tid = (id_t)gettid();
    errno = 0;
    int before = getpriority(PRIO_PROCESS, tid);
    if (before == -1 && errno != 0) {
        log_warning("%s: cannot read its nice value: %s", thread_name, strerror(errno));
        return false;
    }
    *nice_now = before;
    if (increment == 0)
        return true;
    if (setpriority(PRIO_PROCESS, tid, before + increment) != 0) {
        log_warning("%s: cannot change nice from %d to %d: %s%s", thread_name, before,
                    before + increment, strerror(errno),
                    errno == EACCES || errno == EPERM ? " (raising priority needs CAP_SYS_NICE)"
                                                      : "");
        return false;
    }
    *nice_now = before + increment;
    return true;
}

bool cpu_affinity_pin_self(enum cpu_affinity_role role, unsigned index,
                           const char *thread_name)
{
    if (!plan.enabled)
        return true;
    const char *set_name = cpu_affinity_set_names[role];
    struct cpu_affinity_choice choice;
    if (!cpu_affinity_assign(&plan.sets[role], index, &choice)) {
        log_warning("%s: %s names no CPU: the thread is not pinned", thread_name, set_name);
        return false;
    }
    char cpus[256];
    cpu_list_format(&choice.cpus, cpus, sizeof(cpus));
    const char *plural = CPU_COUNT(&choice.cpus) == 1 ? "" : "s";
    int rc = pthread_setaffinity_np(pthread_self(), sizeof(choice.cpus), &choice.cpus);
    if (rc != 0) {
        log_warning("%s: cannot pin to CPU%s %s (%s): %s%s; it runs unpinned", thread_name,
                    plural, cpus, set_name, strerror(rc),
                    rc == EINVAL ? " (offline, or outside this process's cgroup cpuset?)" : "");
        return false;
    }
    int nice_now = 0;
    bool niced = apply_nice(thread_name, choice.nice_increment, &nice_now);
    log_info("%s: CPU%s %s (%s), nice %d", thread_name, plural, cpus, set_name, nice_now);
    return niced;
}
