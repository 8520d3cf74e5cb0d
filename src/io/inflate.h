/* SPDX-License-Identifier: MIT
 * inflate.h - one gzip member at a time, by zlib or by ISA-L (private to
 * io/: source.c reads gzip files through it).
 *
 * ISA-L's inflate is several times zlib's on x86-64 (README "Speed"), and
 * a gzip result file is read at the inflater's pace; zlib stays the
 * reference and the fallback when ISA-L was not found at build time.  The
 * two give the same bytes and the same kind of error on every stream (unit
 * test_inflate, fuzz target inflate). */
#ifndef JTL_IO_INFLATE_H
#define JTL_IO_INFLATE_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/io/source.h"

struct jtl_inflate; /* opaque */

enum jtl_inflate_step {
    JTL_INFLATE_MORE, /* give more input or more room, or call again */
    JTL_INFLATE_END,  /* the member ended (its trailer checked) */
    JTL_INFLATE_BAD,  /* the stream is damaged: *why says how */
};

/* A new inflater for a gzip member (header, deflate data, trailer): the
 * given engine, or JTL_INFLATER_AUTO's.  NULL when that engine is not
 * built in or cannot start. */
struct jtl_inflate *jtl_inflate_new(enum jtl_inflater engine);
/* ZLIB or ISAL: the engine Z runs. */
enum jtl_inflater jtl_inflate_engine(const struct jtl_inflate *z);
/* Ready for the next member. */
void jtl_inflate_reset(struct jtl_inflate *z);
/* Inflate from IN[*in_len] into OUT[*out_len]; on return *in_len and
 * *out_len are the bytes taken and written.  Called with no input left
 * it still hands out what it holds. */
enum jtl_inflate_step jtl_inflate_run(struct jtl_inflate *z,
                                      const unsigned char *in, size_t *in_len,
                                      unsigned char *out, size_t *out_len,
                                      const char **why);
/* The input ended inside the member: the bytes held back (ISA-L's last
 * ones, see inflate.c) into OUT[CAP]; how many (0: none left). */
size_t jtl_inflate_release(struct jtl_inflate *z, unsigned char *out,
                           size_t cap);
void jtl_inflate_free(struct jtl_inflate *z); /* NULL is a no-op */

#endif /* JTL_IO_INFLATE_H */
