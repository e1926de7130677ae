/* How vigilctl shows a reply: the raw JSON, or a readable form (tables for
 * counters, interfaces, memcaps and flows, the plain message otherwise). */
#ifndef VIGIL_VIGILCTL_FORMAT_H
#define VIGIL_VIGILCTL_FORMAT_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

/* Prints reply to command: OK replies to out, NOK messages to errout as
 * "vigilctl: <command>: <message>". Returns 0 for OK, 1 for NOK or a reply
 * without a "return" of OK/NOK. */
int vctl_print_reply(FILE *out, FILE *errout, const char *command, const json_t *reply,
                     bool raw_json);

#endif
