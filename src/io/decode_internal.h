/* SPDX-License-Identifier: MIT
 * decode_internal.h - the two concrete decoders behind struct jtl_decoder.
 * decode.c picks one (from opts or the first bytes) and forwards to it.
 * Each implementation has the same contract as the public jtl_decoder_*
 * functions in decoder.h; the CSV one is public too (decode_csv.h), for
 * decoding one file in blocks. */
#ifndef JTL_DECODE_INTERNAL_H
#define JTL_DECODE_INTERNAL_H
#include "jtl/io/decode_csv.h"
#include "jtl/io/decoder.h"

struct jtl_dxml; /* decode_xml.c */

enum jtl_err jtl_dxml_new(const struct jtl_decode_opts *opts, jtl_sample_fn fn,
                          void *ctx, struct jtl_dxml **out,
                          struct jtl_diag *diag);
enum jtl_err jtl_dxml_feed(struct jtl_dxml *d, const char *p, size_t n,
                           struct jtl_diag *diag);
enum jtl_err jtl_dxml_finish(struct jtl_dxml *d, struct jtl_diag *diag);
void jtl_dxml_counts(const struct jtl_dxml *d, struct jtl_decode_counts *out);
void jtl_dxml_free(struct jtl_dxml *d);

#endif /* JTL_DECODE_INTERNAL_H */
