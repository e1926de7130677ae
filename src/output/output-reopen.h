/* Log reopening for logrotate: a process-wide generation counter that a signal
 * handler or a control command bumps, and every output compares at its next write. */
#ifndef VIGIL_OUTPUT_REOPEN_H
#define VIGIL_OUTPUT_REOPEN_H

/* Asks every output file to be reopened at its next write. Async-signal-safe:
 * it only bumps a lock-free atomic, so SIGHUP's handler may call it. */
void output_request_reopen(void);

/* The current generation; an output that saw another one reopens its file. */
unsigned output_reopen_generation(void);

#endif
