/* SPDX-License-Identifier: MIT
 * csvout.h - write samples as a JMeter CSV results file, the way JMeter's
 * CSVSaveService does: columns in JMeter's canonical order, comma
 * delimiter, a string field quoted when it holds the delimiter, a quote, CR
 * or LF (quotes doubled), numbers and booleans never quoted, sample variable
 * names quoted in the header, LF line ends, timeStamp as epoch ms.
 * Ownership: struct jtl_csvout is embedded by the caller; it borrows FP and
 * copies the variable names. */
#ifndef JTL_CSVOUT_H
#define JTL_CSVOUT_H
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/io/sample.h"

/* JMeter 5.x's default column set (17 columns), as a JTL_F_* bit mask. */
#define JTL_CSVOUT_5X_COLUMNS                                                  \
    ((1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED) | (1u << JTL_F_LABEL) |   \
     (1u << JTL_F_CODE) | (1u << JTL_F_MESSAGE) | (1u << JTL_F_THREAD) |       \
     (1u << JTL_F_DATATYPE) | (1u << JTL_F_SUCCESS) | (1u << JTL_F_FAILMSG) |  \
     (1u << JTL_F_BYTES) | (1u << JTL_F_SENT_BYTES) |                          \
     (1u << JTL_F_GRP_THREADS) | (1u << JTL_F_ALL_THREADS) |                   \
     (1u << JTL_F_URL) | (1u << JTL_F_LATENCY) | (1u << JTL_F_IDLE) |          \
     (1u << JTL_F_CONNECT))

/* Columns JMeter's dashboard reads without a fallback (report/core/Sample:
 * only Connect and sentBytes default to 0 when absent). */
#define JTL_CSVOUT_DASHBOARD_NEEDS                                             \
    ((1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED) | (1u << JTL_F_LABEL) |   \
     (1u << JTL_F_CODE) | (1u << JTL_F_MESSAGE) | (1u << JTL_F_THREAD) |       \
     (1u << JTL_F_SUCCESS) | (1u << JTL_F_BYTES) | (1u << JTL_F_GRP_THREADS) | \
     (1u << JTL_F_ALL_THREADS) | (1u << JTL_F_LATENCY))

struct jtl_csvout {
    FILE *fp;
    uint32_t fields; /* JTL_F_* bits to write, in enum order */
    char **vars;     /* variable columns after them */
    size_t nvars;
    size_t ncols; /* both together */
};

void jtl_csvout_init(struct jtl_csvout *w, FILE *fp, uint32_t fields,
                     const char *const *vars, size_t nvars);
/* The header line.  Returns 0, or -1 when FP reports a write error. */
int jtl_csvout_header(struct jtl_csvout *w);
/* One row.  A value the sample does not have is written as an empty field
 * (never a made-up 0); a variable it lacks likewise.  Returns 0 or -1. */
int jtl_csvout_row(struct jtl_csvout *w, const struct jtl_sample *s);
void jtl_csvout_release(struct jtl_csvout *w);

#endif /* JTL_CSVOUT_H */
