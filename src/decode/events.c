/* Decoder event names: Suricata's spelling, used by stats and decode-event
 * rules. */
#include <stddef.h>

#include "decode/events.h"

static const char *const decode_event_names[DECODE_EVENT_COUNT] = {
#define DECODE_EVENT_NAME(id, name) [id] = name,
    DECODE_EVENT_LIST(DECODE_EVENT_NAME)
#undef DECODE_EVENT_NAME
};

const char *decode_event_name(enum decode_event ev)
{
    if ((unsigned)ev >= DECODE_EVENT_COUNT)
        return NULL;
    return decode_event_names[ev];
}
