/* SPDX-License-Identifier: MIT
 * stats_internal.h - the running accumulator behind one statistics row
 * (a label or Total), shared by agg.c and stats.c.
 * Ownership: embedded in the agg; jtl_stats_acc_release() frees its tables.
 * Code ids are the agg's interned response-code ids. */
#ifndef JTL_STATS_INTERNAL_H
#define JTL_STATS_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/strtab.h"
#include "jtl/io/sample.h"
#include "jtl/stats/hist.h"
#include "jtl/stats/stats.h"

struct jtl_stats_code {
    uint32_t id;
    uint64_t count;
};

struct jtl_stats_acc {
    uint64_t samples, errors;
    uint64_t timed;      /* samples that had an elapsed value */
    int64_t sum_elapsed; /* exact; the mean is sum / timed */
    double m1;           /* Commons-Math incremental mean (compat) */
    int64_t first_start, last_end;
    bool has_time;
    uint64_t bytes, sent_bytes;
    int64_t lat_sum, con_sum;
    uint64_t lat_n, con_n;
    uint64_t ap_sat, ap_tol, ap_total;
    bool is_controller;
    struct jtl_hist hist;
    struct jtl_stats_code *codes;
    uint32_t ncodes, capcodes, last_code;
    /* --jmeter-compat: the last `ring_cap` elapsed values, file order */
    int64_t *ring;
    uint32_t ring_cap, ring_n, ring_pos;
};

/* WINDOW 0 = no ring. */
void jtl_stats_acc_init(struct jtl_stats_acc *a, uint32_t window);
void jtl_stats_acc_release(struct jtl_stats_acc *a);

/* Count S in the statistics part (samples, errors, times, bytes, codes). */
void jtl_stats_acc_add(struct jtl_stats_acc *a, const struct jtl_sample *s,
                       uint32_t code_id);
/* Count S in the APDEX part with thresholds T, F (ms). */
void jtl_stats_acc_apdex(struct jtl_stats_acc *a, const struct jtl_sample *s,
                         int64_t t, int64_t f);
/* DST += SRC; CODE_MAP translates SRC's code ids (NULL = identity).  Not
 * valid for rings (compat never merges). */
void jtl_stats_acc_merge(struct jtl_stats_acc *dst,
                         const struct jtl_stats_acc *src,
                         const uint32_t *code_map);
size_t jtl_stats_acc_bytes(const struct jtl_stats_acc *a);

/* An accumulator in a partial state (state.h).  LOAD fills A (initialized,
 * empty, without a ring); code ids must be below NCODES; false when the
 * input is damaged. */
struct jtl_bw;
struct jtl_br;
void jtl_stats_acc_save(const struct jtl_stats_acc *a, struct jtl_bw *w);
bool jtl_stats_acc_load(struct jtl_stats_acc *a, struct jtl_br *r,
                        size_t ncodes);

/* Fill ROW from A (label set by the caller).  CODES receives ROW's code
 * array (caller frees it); CODETAB names the code ids. */
struct jtl_stats_fill {
    const double *pct_list;
    size_t npct;
    enum jtl_pct_method method;
    bool compat;
    const struct jtl_strtab *codetab;
};
void jtl_stats_row_fill(struct jtl_stats_row *row,
                        const struct jtl_stats_acc *a,
                        const struct jtl_stats_fill *f,
                        struct jtl_code_count **codes);

/* The error key of failed sample S (reference §1b) into OUT, at most CAP-1
 * bytes, NUL-terminated; returns its length. */
size_t jtl_stats_error_key(const struct jtl_sample *s, char *out, size_t cap);

#endif /* JTL_STATS_INTERNAL_H */
