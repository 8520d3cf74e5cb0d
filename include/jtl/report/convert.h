/* SPDX-License-Identifier: MIT
 * convert.h - `convert`'s engine: samples in (a sink), one CSV in JMeter
 * 5.x's format out, with exactly the columns the input has (csvout.h).
 * The columns are known only once every sample was seen, so the samples
 * are spooled to an unlinked temporary file beside the output and written
 * by jtl_convert_write() at the end.
 * Ownership: struct jtl_convert is opaque (jtl_convert_new/_free) and owns
 * its spool. */
#ifndef JTL_CONVERT_H
#define JTL_CONVERT_H
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/base/error.h"
#include "jtl/io/sample.h"

struct jtl_convert;

/* A converter whose spool sits beside OUTPUT (a path; NULL or "-": in
 * TMPDIR).  NO_SUBRESULTS leaves out nested XML sub-samples.  JTL_ERR_IO
 * when the spool cannot be created. */
enum jtl_err jtl_convert_new(const char *output, bool no_subresults,
                             struct jtl_convert **out, struct jtl_diag *diag);
/* Fill SINK (one thread: the spool keeps file order). */
void jtl_convert_sink(struct jtl_convert *c, struct jtl_sink *sink);
/* 0, or the errno of a failed spool write (the sink then asked the reader
 * to stop). */
int jtl_convert_spool_error(const struct jtl_convert *c);
uint64_t jtl_convert_rows(const struct jtl_convert *c);
/* The JTL_F_* columns JMeter's dashboard needs that no sample had. */
uint32_t jtl_convert_missing(const struct jtl_convert *c);
/* Write the header and every spooled sample to FP (the spool is read
 * back, so this is called once).  JTL_ERR_IO when a write to FP failed
 * (FP's error flag is set; the caller names the file) or the spool cannot
 * be read back. */
enum jtl_err jtl_convert_write(struct jtl_convert *c, FILE *fp,
                               struct jtl_diag *diag);
void jtl_convert_free(struct jtl_convert *c); /* NULL is a no-op */

#endif /* JTL_CONVERT_H */
