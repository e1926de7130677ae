/* Decoder events: placeholder list, replaced by the decoder room. */
#ifndef VIGIL_DECODE_EVENTS_H
#define VIGIL_DECODE_EVENTS_H
enum decode_event { DECODE_EVENT_COUNT };
#endif
