/* EVE timestamps: microseconds since the epoch as
 * 2024-01-01T00:00:00.123456+0000 (UTC), computed without libc time calls. */
#ifndef VIGIL_OUTPUT_EVE_TIME_H
#define VIGIL_OUTPUT_EVE_TIME_H

#include <stddef.h>
#include <stdint.h>

/* Characters written, without a terminating NUL. */
#define EVE_TIME_LEN 31

/* Writes exactly EVE_TIME_LEN characters to out and returns EVE_TIME_LEN.
 * Pure and thread-safe; years past 9999 are clamped to 9999-12-31T23:59:59. */
size_t eve_time_format(char *out, uint64_t ts_us);

#endif
