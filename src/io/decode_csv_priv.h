/* SPDX-License-Identifier: MIT
 * decode_csv_priv.h - CSV decoder hooks for tests and the parallel reader,
 * beyond the decode_internal.h contract.  Ownership as in decoder.h. */
#ifndef JTL_DECODE_CSV_PRIV_H
#define JTL_DECODE_CSV_PRIV_H
#include <stdbool.h>
#include <stdint.h>

#include "decode_internal.h"

/* Off: every record goes through libcsv (the reference the fast path is
 * tested against).  Call before the first feed. */
void jtl_dcsv_set_fast(struct jtl_dcsv *d, bool on);

/* Parallel decoding of one file (pipeline_par.c): the main decoder reads
 * the start of the file (header, delimiter, columns); workers then decode
 * later blocks, each starting at a record boundary, with clones. */

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

#endif /* JTL_DECODE_CSV_PRIV_H */
