/* vigilctl's command line after the options: a command name and its arguments,
 * turned into the protocol's {"command": ..., "arguments": {...}} request. */
#ifndef VIGIL_VIGILCTL_ARGS_H
#define VIGIL_VIGILCTL_ARGS_H

#include <stddef.h>

#include <jansson.h>

/* Builds the request for argv[0] with arguments argv[1..argc): each either
 * key=value (an integer when the value is all digits, a boolean for true or
 * false, else a string) or, for the commands suricatasc takes positionally,
 * a value for the next argument name in order. pcap-file's relative paths
 * are made absolute (the server's working directory is not ours). Returns
 * NULL with the reason in err (a usage error). */
json_t *vctl_request_build(int argc, char *const argv[], char *err, size_t errlen);

/* The positional argument names of command, NULL-terminated; NULL if it has none. */
const char *const *vctl_positional_names(const char *command);

#endif
