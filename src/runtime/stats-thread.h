/* The stats thread "ST": a stats report every stats.interval seconds and a
 * final one when stopped, which wakes it at once. */
#ifndef VIGIL_RUNTIME_STATS_THREAD_H
#define VIGIL_RUNTIME_STATS_THREAD_H

#include <stdbool.h>
#include <stddef.h>

#include "runtime/stats-report.h"

struct stats_thread;

/* Starts the thread; cfg is copied, what it points to is borrowed until
 * stats_thread_stop returns. interval 0 is taken as 1. Returns NULL with a
 * reason in err when out of memory or the thread could not start. */
struct stats_thread *stats_thread_start(const struct stats_thread_config *cfg, char *err,
                                        size_t errlen);

/* Wakes the thread, which writes the final report and exits; joins and
 * frees it. Returns false with the reason in err when that final report
 * failed. t may be NULL. */
bool stats_thread_stop(struct stats_thread *t, char *err, size_t errlen);

#endif
