/* libFuzzer target: any bytes as vigil.yaml must load or fail with a
 * message, never crash, leak or read out of bounds. */
#include <stddef.h>
#include <stdint.h>

#include "runtime/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct vigil_config cfg;
    struct config_error err;
    /* The name has no directory: include: paths resolve in the fuzzer's
     * working directory, and only regular files are ever opened. */
    if (config_load_buffer(&cfg, "fuzz.yaml", (const char *)data, size, &err) == 0)
        config_free(&cfg);
    return 0;
}
