/* SPDX-License-Identifier: MIT
 * decode_csv.c - placeholder until the CSV decoder lands. */
#include <stdlib.h>

#include "decode_internal.h"

struct jtl_dcsv {
    int unused;
};

enum jtl_err jtl_dcsv_new(const struct jtl_decode_opts *opts, jtl_sample_fn fn,
                          void *ctx, struct jtl_dcsv **out,
                          struct jtl_diag *diag)
{
    (void)fn;
    (void)ctx;
    (void)out;
    return jtl_diag_set(diag, JTL_ERR_FORMAT, opts->name,
                        "CSV input is not supported yet");
}
enum jtl_err jtl_dcsv_feed(struct jtl_dcsv *d, const char *p, size_t n,
                           struct jtl_diag *diag)
{
    (void)d;
    (void)p;
    (void)n;
    (void)diag;
    return JTL_ERR_FORMAT;
}
enum jtl_err jtl_dcsv_finish(struct jtl_dcsv *d, struct jtl_diag *diag)
{
    (void)d;
    (void)diag;
    return JTL_ERR_FORMAT;
}
void jtl_dcsv_counts(const struct jtl_dcsv *d, struct jtl_decode_counts *out)
{
    (void)d;
    (void)out;
}
void jtl_dcsv_free(struct jtl_dcsv *d)
{
    free(d);
}
const char *const *jtl_dcsv_columns(const struct jtl_dcsv *d, size_t *n)
{
    (void)d;
    *n = 0;
    return NULL;
}
