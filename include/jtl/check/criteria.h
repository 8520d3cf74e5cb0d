/* SPDX-License-Identifier: MIT
 * criteria.h - pass/fail criteria of `jtlscope check`, in Taurus' spirit: a
 * criterion says when the run FAILS.
 *
 *   SUBJECT[ of LABEL] OP VALUE[UNIT][ for DURATION][ as "NAME"]
 *
 *   avg-rt of Login > 250ms        p95.5 >= 1.2s for 30s    fail > 5%
 *   rc429 of /^POST / > 10% for 10s     limit < 40/s       verdict == random
 *
 * SUBJECT: avg-rt, max-rt, pNN or pNN.N (exact percentile), stdev-rt, avg-lt
 * (latency), avg-ct (connect), fail (error %), rcNNN / rcNxx (share of the
 * samples with that code or class), hits (samples/s), bytes (received KB/s),
 * apdex, and from the throttling analysis throttled (share refused), limit
 * (requests/s) and verdict (threshold, random, none, inconclusive).
 * LABEL: an exact label, an endpoint template ("PUT /flows/{id}": the labels
 * it stands for, together), or /REGEX/ (POSIX extended: each label that
 * matches); quotes ("..." or '...') keep spaces and operators in a label.
 * Without it: the Total (and each label with --each-label).
 * OP: >, >=, <, <=, == (also =).  UNIT: ms or s (times; none = ms), %
 * (shares; none = %), /s (rates), KB/s (bytes).  DURATION: ms, s, m, h (a
 * bare number is seconds): the value over some window of that length
 * (sliding by 1 s) crosses the threshold, not only the whole run's value.
 * NAME: the test case name in JUnit (default: the criterion as written).
 *
 * Ownership: jtl_criterion_parse() fills a struct that
 * jtl_criterion_release() frees; the parse never prints. */
#ifndef JTL_CRITERIA_H
#define JTL_CRITERIA_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/regex.h"
#include "jtl/throttle/throttle.h"

enum jtl_crit_subject {
    JTL_CRIT_AVG_RT,
    JTL_CRIT_MAX_RT,
    JTL_CRIT_PCT,
    JTL_CRIT_STDEV_RT,
    JTL_CRIT_AVG_LT,
    JTL_CRIT_AVG_CT,
    JTL_CRIT_FAIL,
    JTL_CRIT_RC,
    JTL_CRIT_HITS,
    JTL_CRIT_BYTES,
    JTL_CRIT_APDEX,
    JTL_CRIT_THROTTLED,
    JTL_CRIT_LIMIT,
    JTL_CRIT_VERDICT,
};

enum jtl_crit_op { JTL_OP_GT, JTL_OP_GE, JTL_OP_LT, JTL_OP_LE, JTL_OP_EQ };

enum jtl_crit_scope {
    JTL_CRIT_TOTAL,    /* no "of": the Total (or each label) */
    JTL_CRIT_LABEL,    /* one label, exactly */
    JTL_CRIT_TEMPLATE, /* the labels of an endpoint template, together */
    JTL_CRIT_REGEX,    /* each label that matches */
};

/* How a value is shown and read: the canonical unit of each subject. */
enum jtl_crit_unit {
    JTL_UNIT_MS,    /* times, in milliseconds */
    JTL_UNIT_PCT,   /* shares, in percent */
    JTL_UNIT_PER_S, /* rates, per second */
    JTL_UNIT_KB_S,  /* received kilobytes per second */
    JTL_UNIT_NONE,  /* apdex (0..1), verdict */
};

struct jtl_criterion {
    char *text; /* as given, trimmed */
    char *name; /* as "NAME", or NULL */
    enum jtl_crit_subject subject;
    double pct;  /* JTL_CRIT_PCT: 0 < pct <= 100 */
    int rc;      /* JTL_CRIT_RC: the code (429), or the class (4 for 4xx) */
    bool rc_cls; /* rc is a class */
    enum jtl_crit_scope scope;
    char *label;          /* the label, the template, or the regex's text */
    struct jtl_regex *re; /* JTL_CRIT_REGEX: found anywhere in a label */
    enum jtl_crit_op op;
    double value;             /* in the subject's unit (ms, %, /s, KB/s) */
    enum jtl_verdict verdict; /* JTL_CRIT_VERDICT */
    int64_t window;           /* ms; 0: the whole run */
};

/* The subject's unit. */
enum jtl_crit_unit jtl_criterion_unit(const struct jtl_criterion *c);
/* ">", ">=", "<", "<=", "==" */
const char *jtl_crit_op_text(enum jtl_crit_op op);
/* Whether VALUE OP THRESHOLD holds (NaN never does). */
bool jtl_crit_holds(enum jtl_crit_op op, double value, double threshold);

/* Parse TEXT into OUT.  On error returns false with MSG (a sentence) and
 * *COL, the 1-based column of the offending character; OUT is then left
 * released. */
bool jtl_criterion_parse(const char *text, struct jtl_criterion *out,
                         size_t *col, char *msg, size_t msgcap);
void jtl_criterion_release(struct jtl_criterion *c);

#endif /* JTL_CRITERIA_H */
