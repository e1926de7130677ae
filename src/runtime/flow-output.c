/* Flow records to EVE: each thread that ends flows logs them with its own
 * logger, which hands a batch of records to the shared writer at a time. */
#include "runtime/flow-output.h"

#include <stdlib.h>
#include <string.h>

#include "output/eve-flow.h"

bool flow_logger_init(struct flow_logger *l, struct eve_writer *eve)
{
    memset(l, 0, sizeof(*l));
    l->eve = eve;
    if (eve == NULL)
        return true;
    l->batch = malloc(FLOW_LOGGER_BATCH_BYTES);
    if (l->batch == NULL || !jb_init(&l->jb, 4096)) {
        free(l->batch);
        l->eve = NULL;
        return false;
    }
    return true;
}

void flow_logger_set_ifaces(struct flow_logger *l, const char *const *names, unsigned count)
{
    l->iface_names = names;
    l->iface_count = count;
}

void flow_logger_free(struct flow_logger *l)
{
    if (l->eve == NULL)
        return;
    flow_logger_flush(l);
    jb_free(&l->jb);
    free(l->batch);
    l->batch = NULL;
    l->eve = NULL;
}

void flow_logger_flush(void *log_ctx)
{
    struct flow_logger *l = log_ctx;
    if (l->batch_records == 0)
        return;
    eve_writer_write_lines(l->eve, l->batch, l->batch_len, l->batch_records);
    l->batch_len = 0;
    l->batch_records = 0;
}

void flow_logger_log(void *log_ctx, const struct flow *f, uint64_t now_us)
{
    struct flow_logger *l = log_ctx;
    if (l->eve == NULL)
        return;
    eve_flow_build(&l->jb, f, f->iface < l->iface_count ? l->iface_names[f->iface] : NULL,
                   now_us);
    if (!jb_complete(&l->jb))
        return;
    size_t len = jb_len(&l->jb);
    if (FLOW_LOGGER_BATCH_BYTES - l->batch_len < len + 1)
        flow_logger_flush(l);
    if (len + 1 > FLOW_LOGGER_BATCH_BYTES) {
        eve_writer_write(l->eve, jb_data(&l->jb), len);
        return;
    }
    memcpy(l->batch + l->batch_len, jb_data(&l->jb), len);
    l->batch[l->batch_len + len] = '\n';
    l->batch_len += len + 1;
    l->batch_records++;
}
