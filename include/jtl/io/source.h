/* SPDX-License-Identifier: MIT
 * source.h - byte source over a plain file, a gzip file or stdin.
 * Ownership: a source owns its file descriptor and buffers;
 * jtl_source_close() releases them. */
#ifndef JTL_SOURCE_H
#define JTL_SOURCE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/error.h"

struct jtl_source; /* opaque */

/* Open PATH ("-" = stdin).  Gzip is detected by its magic bytes, not by the
 * name; concatenated gzip members are read as one stream.  On JTL_OK stores a
 * new source in *out; otherwise *out is untouched and DIAG says why
 * (a directory, a missing or unreadable file: JTL_ERR_IO). */
enum jtl_err jtl_source_open(const char *path, struct jtl_source **out,
                             struct jtl_diag *diag);

/* Read up to CAP decompressed bytes; *n == 0 means end of input.  A gzip
 * stream cut short or followed by garbage returns what could be decoded and
 * then JTL_ERR_IO (truncated) with a message; the bytes already returned stay
 * valid input. */
enum jtl_err jtl_source_read(struct jtl_source *src, void *buf, size_t cap,
                             size_t *n, struct jtl_diag *diag);

/* The first bytes of the decompressed stream (up to CAP) without consuming
 * them; used for format detection.  *n may be less than CAP at end of input. */
enum jtl_err jtl_source_peek(struct jtl_source *src, void *buf, size_t cap,
                             size_t *n, struct jtl_diag *diag);

/* Which library inflates gzip: ISA-L when it was found at build time
 * (several times faster), else zlib.  Both give the same bytes and the
 * same kind of error on every stream; tests read with each. */
enum jtl_inflater {
    JTL_INFLATER_AUTO, /* ISA-L if built in, else zlib */
    JTL_INFLATER_ZLIB,
    JTL_INFLATER_ISAL,
};
/* Sources opened from now on inflate with ENGINE (process-wide); false,
 * nothing changed, when it is not built in. */
bool jtl_source_use_inflater(enum jtl_inflater engine);
/* The engine sources opened now inflate with (ZLIB or ISAL). */
enum jtl_inflater jtl_source_current_inflater(void);
/* "ISA-L 2.30.0" or "zlib 1.2.13": what ENGINE stands for in this build,
 * NULL when it is not built in. */
const char *jtl_inflater_name(enum jtl_inflater engine);

bool jtl_source_is_gzip(const struct jtl_source *src);
/* The engine inflating SRC (ZLIB or ISAL; AUTO for a plain source). */
enum jtl_inflater jtl_source_inflater(const struct jtl_source *src);
const char *jtl_source_name(const struct jtl_source *src);
/* Size of the underlying file in bytes, or -1 (stdin, pipe). */
int64_t jtl_source_size(const struct jtl_source *src);

void jtl_source_close(struct jtl_source *src); /* NULL is a no-op */

#endif /* JTL_SOURCE_H */
