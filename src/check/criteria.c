/* SPDX-License-Identifier: MIT
 * criteria.c - reading a pass/fail criterion (criteria.h).
 *
 * A label may hold spaces, operators and '=' (a query string), so the
 * criterion is read from both ends: the subject from the left, then the
 * tail "OP VALUE[UNIT][ for DURATION][ as "NAME"]" from the right: the
 * rightmost operator whose tail reads whole wins, and what lies between
 * "of" and it is the label.  Every error names the column it found. */
#include "jtl/check/criteria.h"

#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "jtl/base/error.h"
#include "jtl/base/xalloc.h"

/* The reading state: TEXT is the criterion, ERRCOL/MSG the first error. */
struct rd {
    const char *s;
    size_t n;
    size_t col; /* 0-based offset of the error */
    char *msg;
    size_t cap;
    bool failed;
};

static bool fail_at(struct rd *r, size_t at, const char *fmt, ...)
    JTL_PRINTF(3, 4);

static bool fail_at(struct rd *r, size_t at, const char *fmt, ...)
{
    va_list ap;

    if (r->failed)
        return false;
    r->failed = true;
    r->col = at;
    va_start(ap, fmt);
    vsnprintf(r->msg, r->cap, fmt, ap);
    va_end(ap);
    return false;
}

static size_t skip_ws(const struct rd *r, size_t i)
{
    while (i < r->n && isspace((unsigned char)r->s[i]))
        i++;
    return i;
}

/* Case-insensitive: S[I..] starts with the word W, followed by a space or
 * the end. */
static bool word_at(const struct rd *r, size_t i, const char *w)
{
    size_t k = strlen(w);

    if (i + k > r->n || strncasecmp(r->s + i, w, k) != 0)
        return false;
    return i + k == r->n || isspace((unsigned char)r->s[i + k]);
}

enum jtl_crit_unit jtl_criterion_unit(const struct jtl_criterion *c)
{
    switch (c->subject) {
    case JTL_CRIT_AVG_RT:
    case JTL_CRIT_MAX_RT:
    case JTL_CRIT_PCT:
    case JTL_CRIT_STDEV_RT:
    case JTL_CRIT_AVG_LT:
    case JTL_CRIT_AVG_CT:
        return JTL_UNIT_MS;
    case JTL_CRIT_FAIL:
    case JTL_CRIT_RC:
    case JTL_CRIT_THROTTLED:
        return JTL_UNIT_PCT;
    case JTL_CRIT_HITS:
    case JTL_CRIT_LIMIT:
        return JTL_UNIT_PER_S;
    case JTL_CRIT_BYTES:
        return JTL_UNIT_KB_S;
    case JTL_CRIT_APDEX:
    case JTL_CRIT_VERDICT:
        break;
    }
    return JTL_UNIT_NONE;
}

const char *jtl_crit_op_text(enum jtl_crit_op op)
{
    switch (op) {
    case JTL_OP_GT:
        return ">";
    case JTL_OP_GE:
        return ">=";
    case JTL_OP_LT:
        return "<";
    case JTL_OP_LE:
        return "<=";
    case JTL_OP_EQ:
        break;
    }
    return "==";
}

bool jtl_crit_holds(enum jtl_crit_op op, double v, double t)
{
    if (v != v || t != t)
        return false;
    switch (op) {
    case JTL_OP_GT:
        return v > t;
    case JTL_OP_GE:
        return v >= t;
    case JTL_OP_LT:
        return v < t;
    case JTL_OP_LE:
        return v <= t;
    case JTL_OP_EQ:
        break;
    }
    return v == t;
}

/* The subject at S[*I..]: a run of letters, digits, '.' and '-'. */
static bool read_subject(struct rd *r, size_t *i, struct jtl_criterion *c)
{
    static const struct {
        const char *name;
        enum jtl_crit_subject subject;
    } names[] = {
        {"avg-rt", JTL_CRIT_AVG_RT},     {"max-rt", JTL_CRIT_MAX_RT},
        {"stdev-rt", JTL_CRIT_STDEV_RT}, {"avg-lt", JTL_CRIT_AVG_LT},
        {"avg-ct", JTL_CRIT_AVG_CT},     {"fail", JTL_CRIT_FAIL},
        {"hits", JTL_CRIT_HITS},         {"bytes", JTL_CRIT_BYTES},
        {"apdex", JTL_CRIT_APDEX},       {"throttled", JTL_CRIT_THROTTLED},
        {"limit", JTL_CRIT_LIMIT},       {"verdict", JTL_CRIT_VERDICT},
    };
    size_t b = *i, e = b, k;
    char w[32];

    while (e < r->n && (isalnum((unsigned char)r->s[e]) || r->s[e] == '.' ||
                        r->s[e] == '-'))
        e++;
    if (e == b)
        return fail_at(r, b,
                       "a criterion starts with what it measures "
                       "(avg-rt, p95, fail, rc429, hits, limit ...)");
    if (e - b >= sizeof(w))
        return fail_at(r, b, "unknown measure '%.*s'", (int)(e - b), r->s + b);
    for (k = 0; k < e - b; k++)
        w[k] = (char)tolower((unsigned char)r->s[b + k]);
    w[k] = 0;
    *i = e;
    for (k = 0; k < sizeof(names) / sizeof(names[0]); k++)
        if (strcmp(w, names[k].name) == 0) {
            c->subject = names[k].subject;
            return true;
        }
    if (w[0] == 'p' && (isdigit((unsigned char)w[1]) || w[1] == '.')) {
        char *end;
        double p = strtod(w + 1, &end);
        if (*end || !(p > 0 && p <= 100))
            return fail_at(r, b,
                           "'%s': a percentile is p followed by a "
                           "number above 0 and up to 100, such as "
                           "p95 or p99.9",
                           w);
        c->subject = JTL_CRIT_PCT;
        c->pct = p;
        return true;
    }
    if (w[0] == 'r' && w[1] == 'c' && strlen(w) == 5 && w[2] >= '1' &&
        w[2] <= '5') {
        if (isdigit((unsigned char)w[3]) && isdigit((unsigned char)w[4])) {
            c->subject = JTL_CRIT_RC;
            c->rc = atoi(w + 2);
            return true;
        }
        if (w[3] == 'x' && w[4] == 'x') {
            c->subject = JTL_CRIT_RC;
            c->rc = w[2] - '0';
            c->rc_cls = true;
            return true;
        }
    }
    return fail_at(r, b,
                   "unknown measure '%s' (avg-rt, max-rt, pNN, stdev-rt, "
                   "avg-lt, avg-ct, fail, rcNNN, rcNxx, hits, bytes, apdex, "
                   "throttled, limit or verdict)",
                   w);
}

/* A duration at S[*I..]: a number and a unit (ms, s, m, min, h; none:
 * seconds), into *MS. */
static bool read_duration(struct rd *r, size_t *i, int64_t *ms)
{
    size_t b = *i, e;
    char *end;
    double v, mul = 1000;

    v = strtod(r->s + b, &end);
    e = (size_t)(end - r->s);
    if (e == b || e > r->n || !(v > 0))
        return fail_at(r, b,
                       "'for' takes a duration such as 10s, 500ms or "
                       "2m");
    /* the unit may follow after a space ("10 s"); a word that is not
     * "as" is taken for one */
    {
        size_t w = skip_ws(r, e);
        if (w > e && w < r->n && isalpha((unsigned char)r->s[w]) &&
            !word_at(r, w, "as"))
            e = w;
    }
    if (e < r->n && !isspace((unsigned char)r->s[e])) {
        size_t u = e;
        while (u < r->n && isalpha((unsigned char)r->s[u]))
            u++;
        if (u - e == 2 && strncasecmp(r->s + e, "ms", 2) == 0)
            mul = 1;
        else if (u - e == 1 && tolower((unsigned char)r->s[e]) == 's')
            mul = 1000;
        else if ((u - e == 1 && tolower((unsigned char)r->s[e]) == 'm') ||
                 (u - e == 3 && strncasecmp(r->s + e, "min", 3) == 0))
            mul = 60000;
        else if (u - e == 1 && tolower((unsigned char)r->s[e]) == 'h')
            mul = 3600000;
        else
            return fail_at(r, e, "unknown unit of a duration (ms, s, m, h)");
        e = u;
    }
    if (v * mul < 1 || v * mul > 366.0 * 86400000)
        return fail_at(r, b, "a window from 1 ms to a year");
    *ms = (int64_t)(v * mul + 0.5);
    *i = e;
    return true;
}

/* The unit after a value at S[*I..] (may be preceded by spaces), converted
 * into the subject's unit: *MUL multiplies the value. */
static bool read_unit(struct rd *r, size_t *i, enum jtl_crit_unit want,
                      double *mul)
{
    size_t b = skip_ws(r, *i), e = b;
    static const char *const names[] = {"ms",   "s", "%",   "/s",
                                        "kb/s", "m", "min", "h"};
    static const double scale[] = {1, 1000, 1, 1, 1, 60000, 60000, 3600000};
    int k = -1, j;

    *mul = 1;
    while (e < r->n && !isspace((unsigned char)r->s[e]))
        e++;
    if (e == b || word_at(r, b, "for") || word_at(r, b, "as"))
        return true; /* no unit: the subject's own */
    for (j = 0; j < 8; j++)
        if (strlen(names[j]) == e - b &&
            strncasecmp(r->s + b, names[j], e - b) == 0)
            k = j;
    if (k < 0)
        return fail_at(r, b, "unknown unit '%.*s' (ms, s, m, h, %%, /s, KB/s)",
                       (int)(e - b), r->s + b);
    if ((want == JTL_UNIT_MS && k > 1 && k < 5) ||
        (want != JTL_UNIT_MS && k >= 5) || (want == JTL_UNIT_PCT && k != 2) ||
        (want == JTL_UNIT_PER_S && k != 3) ||
        (want == JTL_UNIT_KB_S && k != 4) || want == JTL_UNIT_NONE)
        return fail_at(r, b, "'%.*s' is not a unit of this measure (%s)",
                       (int)(e - b), r->s + b,
                       want == JTL_UNIT_MS      ? "ms, s, m or h"
                       : want == JTL_UNIT_PCT   ? "%"
                       : want == JTL_UNIT_PER_S ? "/s"
                       : want == JTL_UNIT_KB_S  ? "KB/s"
                                                : "none");
    *mul = scale[k];
    *i = e;
    return true;
}

/* The tail at S[I..]: OP VALUE[UNIT][ for DURATION][ as "NAME"] to the end. */
static bool read_tail(struct rd *r, size_t i, struct jtl_criterion *c)
{
    size_t b;
    double mul;

    i = skip_ws(r, i);
    if (i + 1 < r->n && r->s[i + 1] == '=' &&
        (r->s[i] == '>' || r->s[i] == '<' || r->s[i] == '=')) {
        c->op = r->s[i] == '>'   ? JTL_OP_GE
                : r->s[i] == '<' ? JTL_OP_LE
                                 : JTL_OP_EQ;
        i += 2;
    } else if (i < r->n &&
               (r->s[i] == '>' || r->s[i] == '<' || r->s[i] == '=')) {
        c->op = r->s[i] == '>'   ? JTL_OP_GT
                : r->s[i] == '<' ? JTL_OP_LT
                                 : JTL_OP_EQ;
        i++;
    } else {
        return fail_at(r, i, "an operator (>, >=, <, <=, ==) is missing");
    }
    b = i = skip_ws(r, i);
    if (c->subject == JTL_CRIT_VERDICT) {
        static const char *const v[] = {"none", "threshold", "random",
                                        "inconclusive"};
        size_t e = b, k;
        while (e < r->n && isalpha((unsigned char)r->s[e]))
            e++;
        for (k = 0; k < 4; k++)
            if (strlen(v[k]) == e - b &&
                strncasecmp(r->s + b, v[k], e - b) == 0)
                break;
        if (k == 4)
            return fail_at(r, b,
                           "a verdict is threshold, random, none or "
                           "inconclusive");
        if (c->op != JTL_OP_EQ)
            return fail_at(r, b, "a verdict is compared with ==");
        c->verdict = k == 0   ? JTL_VERDICT_NONE
                     : k == 1 ? JTL_VERDICT_THRESHOLD
                     : k == 2 ? JTL_VERDICT_RANDOM
                              : JTL_VERDICT_INCONCLUSIVE;
        i = e;
    } else {
        char *end;
        double v = strtod(r->s + b, &end);
        if ((size_t)(end - r->s) == b || (size_t)(end - r->s) > r->n ||
            !isfinite(v))
            return fail_at(r, b, "a number is missing after the operator");
        i = (size_t)(end - r->s);
        if (!read_unit(r, &i, jtl_criterion_unit(c), &mul))
            return false;
        c->value = v * mul;
    }
    i = skip_ws(r, i);
    if (word_at(r, i, "for")) {
        if (c->subject == JTL_CRIT_THROTTLED || c->subject == JTL_CRIT_LIMIT ||
            c->subject == JTL_CRIT_VERDICT)
            return fail_at(r, i,
                           "the throttling analysis is of the whole "
                           "run: no window ('for')");
        i = skip_ws(r, i + 3);
        if (!read_duration(r, &i, &c->window))
            return false;
        i = skip_ws(r, i);
    }
    if (word_at(r, i, "as")) {
        size_t e;
        i = skip_ws(r, i + 2);
        if (i >= r->n || r->s[i] != '"')
            return fail_at(r, i, "'as' takes a name in double quotes");
        e = i + 1;
        while (e < r->n && r->s[e] != '"')
            e++;
        if (e >= r->n)
            return fail_at(r, i, "the name's closing quote is missing");
        if (e == i + 1)
            return fail_at(r, i, "the name is empty");
        c->name = jtl_xstrndup(r->s + i + 1, e - i - 1);
        i = skip_ws(r, e + 1);
    }
    if (i < r->n)
        return fail_at(r, i, "unexpected '%.*s' at the end", (int)(r->n - i),
                       r->s + i);
    return true;
}

/* The label after "of" at S[B..E) (E: where the tail starts). */
static bool read_label(struct rd *r, size_t b, size_t e,
                       struct jtl_criterion *c)
{
    while (e > b && isspace((unsigned char)r->s[e - 1]))
        e--;
    if (e <= b)
        return fail_at(r, b, "'of' is followed by no label");
    if (r->s[b] == '"' || r->s[b] == '\'') {
        if (e - b < 2 || r->s[e - 1] != r->s[b])
            return fail_at(r, b, "the label's closing quote is missing");
        c->label = jtl_xstrndup(r->s + b + 1, e - b - 2);
        c->scope = JTL_CRIT_LABEL;
    } else if (r->s[b] == '/') {
        struct jtl_diag d = {0};
        if (e - b < 2 || r->s[e - 1] != '/')
            return fail_at(r, b, "a regular expression ends with '/'");
        c->label = jtl_xstrndup(r->s + b + 1, e - b - 2);
        if (jtl_regex_new(c->label, JTL_REGEX_SEARCH, NULL, &c->re, &d)) {
            free(c->label);
            c->label = NULL;
            return fail_at(r, b + 1, "bad regular expression: %s", d.msg);
        }
        c->scope = JTL_CRIT_REGEX;
        return true;
    } else {
        c->label = jtl_xstrndup(r->s + b, e - b);
        c->scope = JTL_CRIT_LABEL;
    }
    /* "{id}" makes it an endpoint template (what --group-labels writes) */
    if (strstr(c->label, "{id}"))
        c->scope = JTL_CRIT_TEMPLATE;
    return true;
}

bool jtl_criterion_parse(const char *text, struct jtl_criterion *out,
                         size_t *col, char *msg, size_t msgcap)
{
    struct rd r;
    size_t b = 0, n = strlen(text), i, k;
    struct jtl_criterion c;

    memset(&c, 0, sizeof(c));
    memset(out, 0, sizeof(*out));
    while (b < n && isspace((unsigned char)text[b]))
        b++;
    while (n > b && isspace((unsigned char)text[n - 1]))
        n--;
    r.s = text;
    r.n = n;
    r.col = 0;
    r.msg = msg;
    r.cap = msgcap;
    r.failed = false;
    if (msgcap)
        msg[0] = 0;
    i = b;
    if (!read_subject(&r, &i, &c))
        goto out;
    k = skip_ws(&r, i);
    if (word_at(&r, k, "of")) {
        size_t lb = skip_ws(&r, k + 2), j;
        bool found = false;
        struct rd probe;
        char pm[8];
        /* the rightmost operator whose tail reads whole */
        for (j = n; j > lb && !found; j--) {
            size_t at = j - 1;
            struct jtl_criterion t;
            if (r.s[at] != '>' && r.s[at] != '<' && r.s[at] != '=')
                continue;
            if (at > lb && (r.s[at - 1] == '>' || r.s[at - 1] == '<' ||
                            r.s[at - 1] == '='))
                at--;
            memset(&t, 0, sizeof(t));
            t.subject = c.subject;
            t.pct = c.pct;
            t.rc = c.rc;
            t.rc_cls = c.rc_cls;
            probe = r;
            probe.msg = pm;
            probe.cap = sizeof(pm);
            if (read_tail(&probe, at, &t)) {
                found = true;
                free(t.name);
                if (!read_label(&r, lb, at, &c) || !read_tail(&r, at, &c))
                    goto out;
            } else {
                free(t.name);
                if (j - 1 > at)
                    j--; /* the two-character operator was tried whole */
            }
        }
        if (!found) {
            /* say why the rightmost candidate did not read */
            for (j = n; j > lb; j--)
                if (r.s[j - 1] == '>' || r.s[j - 1] == '<' || r.s[j - 1] == '=')
                    break;
            if (j > lb) {
                size_t at = j - 1;
                if (at > lb && (r.s[at - 1] == '>' || r.s[at - 1] == '<' ||
                                r.s[at - 1] == '='))
                    at--;
                read_tail(&r, at, &c);
            } else {
                fail_at(&r, n,
                        "an operator (>, >=, <, <=, ==) is missing "
                        "after the label");
            }
            goto out;
        }
    } else if (!read_tail(&r, i, &c)) {
        goto out;
    }
    c.text = jtl_xstrndup(text + b, n - b);
    *out = c;
    return true;
out:
    if (!r.failed)
        fail_at(&r, b, "not a criterion");
    *col = r.col + 1;
    jtl_criterion_release(&c);
    return false;
}

void jtl_criterion_release(struct jtl_criterion *c)
{
    if (!c)
        return;
    jtl_regex_free(c->re);
    free(c->label);
    free(c->text);
    free(c->name);
    memset(c, 0, sizeof(*c));
}
