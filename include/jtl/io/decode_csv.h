/* SPDX-License-Identifier: MIT
 * decode_csv.h - the CSV decoder itself, for decoding one file in blocks on
 * several threads (read/read_blocks.c): a main decoder reads the start of
 * the file (header, delimiter, columns); workers then decode later blocks,
 * each starting at a record boundary (csv_blocks.h), with clones of it.
 * Everything else should use the format-neutral decoder.h, which has the
 * same contract for new/feed/finish/counts/free.
 * Ownership as in decoder.h. */
#ifndef JTL_DECODE_CSV_H
#define JTL_DECODE_CSV_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/io/decoder.h"

struct jtl_dcsv; /* opaque */

enum jtl_err jtl_dcsv_new(const struct jtl_decode_opts *opts, jtl_sample_fn fn,
                          void *ctx, struct jtl_dcsv **out,
                          struct jtl_diag *diag);
enum jtl_err jtl_dcsv_feed(struct jtl_dcsv *d, const char *p, size_t n,
                           struct jtl_diag *diag);
enum jtl_err jtl_dcsv_finish(struct jtl_dcsv *d, struct jtl_diag *diag);
void jtl_dcsv_counts(const struct jtl_dcsv *d, struct jtl_decode_counts *out);
void jtl_dcsv_free(struct jtl_dcsv *d);

/* True once D knows its delimiter and columns and sits at a record
 * boundary with nothing held back. */
bool jtl_dcsv_ready(const struct jtl_dcsv *d);
/* A decoder for blocks of PROTO's file: same delimiter, columns and
 * options (OPTS replaces the warning hook and name), delivering to FN. */
struct jtl_dcsv *jtl_dcsv_clone(const struct jtl_dcsv *proto,
                                const struct jtl_decode_opts *opts,
                                jtl_sample_fn fn, void *ctx);
/* The next byte fed starts physical line LINE, at a record boundary. */
void jtl_dcsv_set_line(struct jtl_dcsv *d, uint64_t line);
/* The file ended in the block just fed: flush its last record. */
enum jtl_err jtl_dcsv_end_part(struct jtl_dcsv *d, struct jtl_diag *diag);
/* Add a clone's record, sample and skip counts (and truncation) to D, so
 * that jtl_dcsv_finish(D) judges the whole file. */
void jtl_dcsv_absorb(struct jtl_dcsv *d, const struct jtl_dcsv *part);

#endif /* JTL_DECODE_CSV_H */
