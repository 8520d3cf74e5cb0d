/* SPDX-License-Identifier: MIT
 * timeline_internal.h - the running timeline accumulator behind
 * struct jtl_timeline, driven by agg.c.
 * Ownership: jtl_tl_new() / jtl_tl_free(); the struct jtl_timeline filled by
 * jtl_tl_finish() borrows the accumulator's histograms and owns its arrays
 * (jtl_timeline_release()), so free the timeline first, then the acc. */
#ifndef JTL_TIMELINE_INTERNAL_H
#define JTL_TIMELINE_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/strtab.h"
#include "jtl/io/sample.h"
#include "jtl/stats/hist.h"
#include "jtl/stats/timeline.h"

struct jtl_tl; /* opaque */

/* GRANULARITY_MS 0 = automatic (work at 1 s, choose at finish).  CODES[N]:
 * the response codes the per-second series count as refused (N 0: 429). */
struct jtl_tl *jtl_tl_new(int64_t granularity_ms, const int *codes, size_t n);
void jtl_tl_free(struct jtl_tl *t); /* NULL is a no-op */

/* One counted sample: LABEL, CODE, GROUP are the agg's interned ids (GROUP
 * UINT32_MAX when the sample has no thread name); TC: a TC parent. */
void jtl_tl_add(struct jtl_tl *t, const struct jtl_sample *s, uint32_t label,
                uint32_t code, uint32_t group, bool tc);

/* Nothing added yet (no sample, no entity). */
bool jtl_tl_empty(const struct jtl_tl *t);

/* DST += SRC, translating SRC's ids through the maps (NULL = identity).
 * SRC may be coarsened in the process; free it afterwards. */
void jtl_tl_merge(struct jtl_tl *dst, struct jtl_tl *src,
                  const uint32_t *label_map, const uint32_t *code_map,
                  const uint32_t *group_map);

struct jtl_tl_names {
    const struct jtl_strtab *labels, *codes, *groups;
    const bool *label_is_tc; /* by label id, may be NULL */
    size_t nlabel_is_tc;
    const double *pct_list;
    size_t npct;
    enum jtl_pct_method method;
};
/* Choose the final interval, coarsen, and fill OUT. */
void jtl_tl_finish(struct jtl_tl *t, const struct jtl_tl_names *names,
                   struct jtl_timeline *out);
void jtl_timeline_release(struct jtl_timeline *tl);
size_t jtl_tl_bytes(const struct jtl_tl *t);

/* A timeline in a partial state (state.h): its interval, the buckets with
 * data (every column, each entity with its id), their histograms and the
 * per-second series.  LOAD makes a timeline for GRANULARITY_MS and CODES
 * (the consumer's, as jtl_tl_new) holding the saved one; entity ids must
 * be below NLABELS, NCODES, NGROUPS.  NULL when the input is damaged or
 * its interval is not one GRANULARITY_MS coarsens to. */
struct jtl_bw;
struct jtl_br;
void jtl_tl_save(const struct jtl_tl *t, struct jtl_bw *w);
struct jtl_tl *jtl_tl_load(struct jtl_br *r, int64_t granularity_ms,
                           const int *codes, size_t ncodes_refusal,
                           size_t nlabels, size_t ncodes, size_t ngroups);

#endif /* JTL_TIMELINE_INTERNAL_H */
