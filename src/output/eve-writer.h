/* The EVE output: <logdir>/<filename> (a file, or a Unix socket to a reader), one
 * record per line, buffered and written in large batches; safe to share across threads. */
#ifndef VIGIL_OUTPUT_EVE_WRITER_H
#define VIGIL_OUTPUT_EVE_WRITER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "output/eve-sink.h"

#define EVE_WRITER_DEFAULT_BUFFER (256u * 1024u)

struct eve_writer;

/* Opens (creating, never truncating, mode 0640) <logdir>/<filename>; the
 * directory must exist. buffer_size 0 means EVE_WRITER_DEFAULT_BUFFER. On
 * failure returns NULL and puts "<path>: <reason>" into err. */
struct eve_writer *eve_writer_open(const char *logdir, const char *filename,
                                   size_t buffer_size, char *err, size_t errlen);

/* eve_writer_open for any filetype; an absolute filename is used as it is. A
 * socket is connected without blocking: while no reader listens, or while the
 * reader does not keep up (after one wait of 100 ms), records are dropped and
 * counted, and the socket is reconnected once a second. A datagram socket gets
 * one record per datagram. Files are reopened at the first write or flush after
 * output_request_reopen(). */
struct eve_writer *eve_writer_open_type(const char *logdir, const char *filename,
                                        enum eve_filetype type, size_t buffer_size,
                                        char *err, size_t errlen);

/* Appends record and a '\n' as one unit: concurrent writers never interleave
 * inside a line. Returns false once a write to the file has failed; the
 * first failure is kept for eve_writer_close / eve_writer_error. */
bool eve_writer_write(struct eve_writer *w, const char *record, size_t len);

/* Appends `records` whole records at once, each already ending in '\n':
 * one lock for a thread's batch. They reach the sink together, never cut
 * apart by another thread's records. */
bool eve_writer_write_lines(struct eve_writer *w, const char *lines, size_t len,
                            uint64_t records);

/* Writes out everything buffered. */
bool eve_writer_flush(struct eve_writer *w);

/* Flushes, closes and frees w. Returns false and puts "<path>: <reason>" into
 * err if any write or the close failed (e.g. ENOSPC). w may be NULL. Call it
 * once, after every thread sharing w has stopped writing. */
bool eve_writer_close(struct eve_writer *w, char *err, size_t errlen);

/* Records accepted so far, and records lost: a write failed, no socket reader
 * was connected, or the reader stalled. */
uint64_t eve_writer_records(struct eve_writer *w);
uint64_t eve_writer_dropped(struct eve_writer *w);

/* The first write error as "<path>: <reason>"; false if none happened. */
bool eve_writer_error(struct eve_writer *w, char *err, size_t errlen);

const char *eve_writer_path(const struct eve_writer *w);

#endif
