/* SPDX-License-Identifier: MIT
 * decode_xml.c - placeholder until the XML decoder lands. */
#include <stdlib.h>

#include "decode_internal.h"

struct jtl_dxml {
    int unused;
};

enum jtl_err jtl_dxml_new(const struct jtl_decode_opts *opts, jtl_sample_fn fn,
                          void *ctx, struct jtl_dxml **out,
                          struct jtl_diag *diag)
{
    (void)fn;
    (void)ctx;
    (void)out;
    return jtl_diag_set(diag, JTL_ERR_FORMAT, opts->name,
                        "XML input is not supported yet");
}
enum jtl_err jtl_dxml_feed(struct jtl_dxml *d, const char *p, size_t n,
                           struct jtl_diag *diag)
{
    (void)d;
    (void)p;
    (void)n;
    (void)diag;
    return JTL_ERR_FORMAT;
}
enum jtl_err jtl_dxml_finish(struct jtl_dxml *d, struct jtl_diag *diag)
{
    (void)d;
    (void)diag;
    return JTL_ERR_FORMAT;
}
void jtl_dxml_counts(const struct jtl_dxml *d, struct jtl_decode_counts *out)
{
    (void)d;
    (void)out;
}
void jtl_dxml_free(struct jtl_dxml *d)
{
    free(d);
}
