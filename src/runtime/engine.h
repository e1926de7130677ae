/* What every runmode shares for one run: the configuration, the hash seed,
 * the flow engine and the EVE writer, opened and closed in one place. */
#ifndef VIGIL_RUNTIME_ENGINE_H
#define VIGIL_RUNTIME_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flow-engine.h"
#include "output/eve-writer.h"
#include "runtime/config.h"

struct vigil_engine {
    const struct vigil_config *cfg;
    uint32_t hash_seed;
    struct flow_engine flows;
    struct eve_writer *eve;        /* NULL when eve-log is off */
    struct eve_writer *flow_eve;   /* eve when flow records are on, else NULL */
    char eve_path[4096];
    unsigned long long eve_records;
};

/* Returns 0, or -1 after logging why (exit code 1: refused at start-up). */
int vigil_engine_open(struct vigil_engine *ve, const struct vigil_config *cfg, const char *log_dir);

/* Closes the EVE output and frees the flow engine. Returns false if the
 * EVE file could not be written completely (logged). */
bool vigil_engine_close(struct vigil_engine *ve);

#endif
