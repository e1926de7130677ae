/* libFuzzer target: any bytes from a control-socket client, split into reads
 * of a size taken from the first byte, must get replies or a close, never
 * a crash, leak or out-of-bounds read. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctl/ctl-protocol.h"
#include "runtime/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char fuzz_yaml[] = "flow:\n  memcap: 64mb\noutputs:\n  - eve-log:\n      enabled: yes\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0)
        return 0;
    static struct vigil_config cfg;
    static bool loaded;
    if (!loaded)
        loaded = config_load_buffer(&cfg, "fuzz.yaml", fuzz_yaml, strlen(fuzz_yaml), NULL) == 0;
    struct ctl_context ctx = {.cfg = loaded ? &cfg : NULL, .running_mode = "single"};
    size_t chunk = (size_t)data[0] % 64 + 1;
    struct ctl_session s;
    ctl_session_init(&s);
    for (size_t at = 1; at < size && !s.closing; at += chunk) {
        size_t len = size - at < chunk ? size - at : chunk;
        ctl_session_receive(&s, data + at, len);
        ctl_session_process(&s, &ctx);
        ctl_buffer_consume(&s.out, ctl_buffer_len(&s.out));
    }
    ctl_session_free(&s);
    return 0;
}
