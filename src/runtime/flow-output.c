/* Flow records to EVE: the end callback every thread that ends flows
 * (worker, manager, recycler) calls with its own logger. */
#include "runtime/flow-output.h"

#include "output/eve-flow.h"

bool flow_logger_init(struct flow_logger *l, struct eve_writer *eve)
{
    l->eve = eve;
    l->iface_names = NULL;
    l->iface_count = 0;
    return eve == NULL || jb_init(&l->jb, 4096);
}

void flow_logger_set_ifaces(struct flow_logger *l, const char *const *names, unsigned count)
{
    l->iface_names = names;
    l->iface_count = count;
}

void flow_logger_free(struct flow_logger *l)
{
    if (l->eve)
        jb_free(&l->jb);
    l->eve = NULL;
}

void flow_logger_log(void *log_ctx, const struct flow *f, uint64_t now_us)
{
    struct flow_logger *l = log_ctx;
    if (l->eve)
        eve_flow_log(l->eve, &l->jb, f,
                     f->iface < l->iface_count ? l->iface_names[f->iface] : NULL, now_us);
}
