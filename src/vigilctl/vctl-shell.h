/* vigilctl with no command: a prompt that sends each line as a command over one
 * connection, completing command names the server lists. */
#ifndef VIGIL_VIGILCTL_SHELL_H
#define VIGIL_VIGILCTL_SHELL_H

#include <stdbool.h>

#include "vigilctl/vctl-client.h"

/* Runs until end of input, "quit" or "exit", or the server closing. Returns the
 * exit status of the last command (1 if the connection was lost). */
int vctl_shell_run(struct vctl_conn *conn, bool raw_json);

/* Splits line at blanks into at most max words (pointers into line, which is
 * modified); returns the count, or -1 when there are more than max. */
int vctl_shell_split(char *line, char *words[], int max);

#endif
