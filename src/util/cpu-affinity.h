/* CPU sets for Vigil's threads (Suricata's threading.cpu-affinity): CPU list
 * items, which CPUs and nice value a thread gets, and pinning the caller. */
#ifndef VIGIL_UTIL_CPU_AFFINITY_H
#define VIGIL_UTIL_CPU_AFFINITY_H

#include <sched.h>
#include <stdbool.h>
#include <stddef.h>

/* Suricata's sets; cpu_affinity_set_names spells them. */
enum cpu_affinity_role {
    CPU_AFFINITY_MANAGEMENT, /* FM#01, FR#01, ST, CS */
    CPU_AFFINITY_RECEIVE,    /* RX#01 (autofp) */
    CPU_AFFINITY_WORKER,     /* W#NN (and the single runmode's thread) */
    CPU_AFFINITY_VERDICT,    /* accepted for Suricata's sake: Vigil has no verdict threads */
    CPU_AFFINITY_ROLE_COUNT,
};

extern const char *const cpu_affinity_set_names[CPU_AFFINITY_ROLE_COUNT];

enum cpu_affinity_mode {
    CPU_AFFINITY_BALANCED,  /* every thread of the set may run on all its CPUs */
    CPU_AFFINITY_EXCLUSIVE, /* thread i runs on the set's i-th CPU, round robin */
};

enum cpu_affinity_prio {
    CPU_PRIO_LOW,
    CPU_PRIO_MEDIUM,
    CPU_PRIO_HIGH,
    CPU_PRIO_COUNT,
};

extern const char *const cpu_affinity_prio_names[CPU_PRIO_COUNT];

struct cpu_affinity_set {
    cpu_set_t cpus;                      /* cpu: */
    enum cpu_affinity_mode mode;         /* mode: */
    enum cpu_affinity_prio prio;         /* prio.default: */
    cpu_set_t prio_cpus[CPU_PRIO_COUNT]; /* prio.low/medium/high: in exclusive mode the
                                            thread on such a CPU gets that prio */
};

struct cpu_affinity_config {
    bool enabled; /* set-cpu-affinity */
    struct cpu_affinity_set sets[CPU_AFFINITY_ROLE_COUNT];
};

/* The places of the management threads in an exclusive management-cpu-set. */
enum cpu_affinity_management_slot {
    CPU_AFFINITY_SLOT_FM,
    CPU_AFFINITY_SLOT_FR,
    CPU_AFFINITY_SLOT_ST,
    CPU_AFFINITY_SLOT_CS,
};

/* Every CPU number a cpu_set_t can hold. */
void cpu_set_fill(cpu_set_t *cpus);

/* Suricata's defaults: every CPU of all in each set, receive and worker sets
 * exclusive, the others balanced, prio medium; enabled is false. */
void cpu_affinity_defaults(struct cpu_affinity_config *cfg, const cpu_set_t *all);

/* The CPUs online now (/sys/devices/system/cpu/online, else 0..N-1). */
void cpu_affinity_online(cpu_set_t *online);

/* How many CPUs the calling thread may run on (its affinity mask, else the
 * online count): fewer than online under taskset or a cgroup cpuset, and
 * once the DPDK EAL has confined Vigil's threads to its lcores' CPUs. */
unsigned cpu_affinity_usable_count(void);

/* Adds the CPUs of one cpu: list item ("all", "3" or "1-3") to out. Every
 * CPU must be in allowed, which "all" stands for. Returns 0, or -1 with the
 * reason in why. */
int cpu_list_item_parse(const char *text, const cpu_set_t *allowed, cpu_set_t *out,
                        char *why, size_t why_len);

/* Writes cpus as a list such as "0-3,6" ("none" when empty). */
void cpu_list_format(const cpu_set_t *cpus, char *out, size_t len);

/* What one thread of a set gets. */
struct cpu_affinity_choice {
    cpu_set_t cpus;
    int nice_increment; /* Suricata's: low +2, medium 0, high -2 */
};

/* Thread index's share of set; false when the set has no CPU. */
bool cpu_affinity_assign(const struct cpu_affinity_set *set, unsigned index,
                         struct cpu_affinity_choice *out);

/* Keeps a copy for cpu_affinity_pin_self; called once before any thread
 * starts, so threads read it without a lock. */
void cpu_affinity_configure(const struct cpu_affinity_config *cfg);

/* With set-cpu-affinity on, pins the calling thread (called thread_name) to
 * its share of the role's set and applies its nice increment, logging both.
 * Returns false after a warning naming the thread and the CPUs when the
 * kernel refuses (e.g. CPUs outside a cgroup's cpuset): the thread runs on. */
bool cpu_affinity_pin_self(enum cpu_affinity_role role, unsigned index,
                           const char *thread_name);

#endif
