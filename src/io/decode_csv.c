/* SPDX-License-Identifier: MIT
 * decode_csv.c - JMeter CSV results to samples: delimiter sniffing, header
 * or default column set detection, and record validation.  Splitting bytes
 * into records is decode_csv_split.c's job.
 *
 * The first physical line is held back until it is complete, so the
 * delimiter can be chosen from it whatever the chunk sizes.  The first
 * record is a header when at least one field is a JMeter column name and no
 * field is an integer (a data row always has a number: the timeStamp, the
 * elapsed time or the response code); unknown names in a header become
 * sample variables (JMeter writes sample_variables names quoted, last).
 * Without a header the column set is recognised from the field count and
 * the value shapes of the first record (JMeter 2.x, 2.13, 3.0, 3.1-4.0 and
 * 5.x defaults), or named with --columns. */
#include "decode_internal.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "decode_csv_priv.h"
#include "decode_csv_split.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/timefmt.h"

#define SNIFF_MAX (64 * 1024)
#define VAR_FIELD (-1)

enum ts_mode {
    TS_AUTO,   /* epoch ms or any of JMeter's fallback formats */
    TS_EPOCH,  /* "ms" */
    TS_FORMAT, /* --timestamp-format */
};

struct jtl_dcsv {
    struct jtl_decode_opts opts;
    jtl_sample_fn fn;
    void *ctx;
    bool started;        /* the delimiter is chosen, split is live */
    bool failed;         /* a fatal error was returned; ignore input */
    bool first_done;     /* the first record was looked at */
    bool fast;           /* use the splitter's fast path */
    struct jtl_buf head; /* bytes held until the first line is complete */
    struct jtl_csvsplit split;
    struct jtl_decode_counts counts;

    /* columns */
    size_t ncols;
    int *colfield;             /* enum jtl_field, or VAR_FIELD */
    size_t *colvar;            /* index into vars for VAR_FIELD columns */
    int col_of[JTL_F_COUNT];   /* column of each field, -1 = absent */
    size_t *varcol;            /* column of each variable */
    const struct jtl_str *rec; /* the record being converted */
    char **colnames;           /* owned, NULL-terminated */
    bool from_option;          /* columns came from --columns */
    struct jtl_var *vars;
    size_t nvars;
    uint32_t present; /* fields the columns provide */
    /* no success column but a responseCode one: success is 2xx or 3xx */
    bool success_from_code;

    /* timestamps */
    enum ts_mode ts_mode;
    struct jtl_timefmt tsfmt;
    const struct jtl_timefmt *ts_last; /* TS_AUTO: the format that worked */

    struct jtl_sample sample;
    char where[192];
    char msg[320];
};

/* clang-format off */
/* JMeter's default column sets when print_field_names is off (2.x) or for
 * files written with a header stripped; SampleSaveConfiguration defaults. */
static const int set_2x[] = {
    JTL_F_TIMESTAMP, JTL_F_ELAPSED, JTL_F_LABEL, JTL_F_CODE, JTL_F_MESSAGE,
    JTL_F_THREAD, JTL_F_DATATYPE, JTL_F_SUCCESS, JTL_F_BYTES, JTL_F_LATENCY};
static const int set_213[] = {
    JTL_F_TIMESTAMP, JTL_F_ELAPSED, JTL_F_LABEL, JTL_F_CODE, JTL_F_MESSAGE,
    JTL_F_THREAD, JTL_F_DATATYPE, JTL_F_SUCCESS, JTL_F_BYTES,
    JTL_F_GRP_THREADS, JTL_F_ALL_THREADS, JTL_F_LATENCY};
static const int set_30[] = {
    JTL_F_TIMESTAMP, JTL_F_ELAPSED, JTL_F_LABEL, JTL_F_CODE, JTL_F_MESSAGE,
    JTL_F_THREAD, JTL_F_DATATYPE, JTL_F_SUCCESS, JTL_F_FAILMSG, JTL_F_BYTES,
    JTL_F_GRP_THREADS, JTL_F_ALL_THREADS, JTL_F_LATENCY, JTL_F_IDLE};
static const int set_31[] = {
    JTL_F_TIMESTAMP, JTL_F_ELAPSED, JTL_F_LABEL, JTL_F_CODE, JTL_F_MESSAGE,
    JTL_F_THREAD, JTL_F_DATATYPE, JTL_F_SUCCESS, JTL_F_FAILMSG, JTL_F_BYTES,
    JTL_F_SENT_BYTES, JTL_F_GRP_THREADS, JTL_F_ALL_THREADS, JTL_F_LATENCY,
    JTL_F_IDLE, JTL_F_CONNECT};
static const int set_5x[] = {
    JTL_F_TIMESTAMP, JTL_F_ELAPSED, JTL_F_LABEL, JTL_F_CODE, JTL_F_MESSAGE,
    JTL_F_THREAD, JTL_F_DATATYPE, JTL_F_SUCCESS, JTL_F_FAILMSG, JTL_F_BYTES,
    JTL_F_SENT_BYTES, JTL_F_GRP_THREADS, JTL_F_ALL_THREADS, JTL_F_URL,
    JTL_F_LATENCY, JTL_F_IDLE, JTL_F_CONNECT};
/* clang-format on */

static const struct {
    const int *cols;
    size_t n;
} default_sets[] = {
    {set_2x, sizeof(set_2x) / sizeof(set_2x[0])},
    {set_213, sizeof(set_213) / sizeof(set_213[0])},
    {set_30, sizeof(set_30) / sizeof(set_30[0])},
    {set_31, sizeof(set_31) / sizeof(set_31[0])},
    {set_5x, sizeof(set_5x) / sizeof(set_5x[0])},
};
#define NSETS (sizeof(default_sets) / sizeof(default_sets[0]))

/* ------------------------------------------------------------------ */
/* small helpers */

static bool is_int(struct jtl_str s)
{
    int64_t v;

    return jtl_parse_i64(s.p, s.len, &v);
}

static bool is_bool(struct jtl_str s)
{
    return (s.len == 4 && strncasecmp(s.p, "true", 4) == 0) ||
           (s.len == 5 && strncasecmp(s.p, "false", 5) == 0);
}

/* A field value for a message: at most 40 bytes, control bytes as '?', so
 * a hostile file cannot drive the terminal. */
static const char *shown(struct jtl_str s, char *buf, size_t cap)
{
    size_t i, n = s.len < 40 ? s.len : 40;

    if (n > cap - 4)
        n = cap - 4;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s.p[i];
        buf[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    if (n < s.len) {
        memcpy(buf + n, "...", 3);
        n += 3;
    }
    buf[n] = '\0';
    return buf;
}

static void set_where(struct jtl_dcsv *d, uint64_t line)
{
    snprintf(d->where, sizeof(d->where), "%s:%" PRIu64, d->opts.name, line);
}

/* A malformed record: count it, warn, and with --strict stop. */
static enum jtl_err malformed(struct jtl_dcsv *d, uint64_t line,
                              struct jtl_diag *diag, const char *fmt, ...)
    JTL_PRINTF(4, 5);
static enum jtl_err malformed(struct jtl_dcsv *d, uint64_t line,
                              struct jtl_diag *diag, const char *fmt, ...)
{
    va_list ap;

    d->counts.skipped++;
    va_start(ap, fmt);
    vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
    va_end(ap);
    set_where(d, line);
    if (d->opts.strict)
        return jtl_diag_set(diag, JTL_ERR_PARSE, d->where, "%s", d->msg);
    if (d->opts.warn)
        d->opts.warn(d->where, d->msg, d->opts.warn_ctx);
    return JTL_OK;
}

/* ------------------------------------------------------------------ */
/* columns */

static void free_columns(struct jtl_dcsv *d)
{
    size_t i;

    if (d->colnames)
        for (i = 0; d->colnames[i]; i++)
            free(d->colnames[i]);
    free(d->colnames);
    free(d->colfield);
    free(d->colvar);
    free(d->varcol);
    free(d->vars);
    d->colnames = NULL;
    d->colfield = NULL;
    d->colvar = NULL;
    d->varcol = NULL;
    d->vars = NULL;
    d->ncols = d->nvars = 0;
    d->present = 0;
}

/* Set the columns from NAMES; unknown and repeated names become variables. */
static void set_columns(struct jtl_dcsv *d, const struct jtl_str *names,
                        size_t n)
{
    size_t i;

    free_columns(d);
    memset(&d->sample, 0, sizeof(d->sample));
    /* a text column the file lacks reads as empty, never as a NULL that a
     * consumer's memcmp/memcpy would meet (undefined even for 0 bytes) */
    d->sample.label.p = d->sample.code.p = d->sample.message.p = "";
    d->sample.thread.p = d->sample.data_type.p = "";
    d->sample.failure_message.p = d->sample.url.p = "";
    d->sample.filename.p = d->sample.encoding.p = d->sample.hostname.p = "";
    d->ncols = n;
    d->colfield = jtl_xcalloc(n ? n : 1, sizeof(*d->colfield));
    d->colvar = jtl_xcalloc(n ? n : 1, sizeof(*d->colvar));
    d->colnames = jtl_xcalloc(n + 1, sizeof(*d->colnames));
    d->vars = jtl_xcalloc(n ? n : 1, sizeof(*d->vars));
    d->varcol = jtl_xcalloc(n ? n : 1, sizeof(*d->varcol));
    for (i = 0; i < JTL_F_COUNT; i++)
        d->col_of[i] = -1;
    for (i = 0; i < n; i++) {
        int f = jtl_field_lookup(names[i].p, names[i].len);
        d->colnames[i] = jtl_xstrndup(names[i].p, names[i].len);
        if (f >= 0 && !(d->present & (1u << f))) {
            d->colfield[i] = f;
            d->col_of[f] = (int)i;
            d->present |= 1u << f;
        } else {
            d->colfield[i] = VAR_FIELD;
            d->colvar[i] = d->nvars;
            d->vars[d->nvars].name.p = d->colnames[i];
            d->vars[d->nvars].name.len = names[i].len;
            d->varcol[d->nvars] = i;
            d->nvars++;
        }
    }
}

static void set_default_columns(struct jtl_dcsv *d, const int *cols, size_t n)
{
    struct jtl_str names[32];
    size_t i;

    for (i = 0; i < n; i++) {
        names[i].p = jtl_field_name((enum jtl_field)cols[i]);
        names[i].len = strlen(names[i].p);
    }
    set_columns(d, names, n);
}

/* A header without a column every JMeter configuration writes by default:
 * said once per file, by name, with what it costs, rather than a run read
 * with every code empty and no word (JMeter's dashboard refuses such a
 * file outright). */
static void warn_missing_columns(struct jtl_dcsv *d, uint64_t line)
{
    static const struct {
        enum jtl_field f;
        const char *cost;
    } need[] = {
        {JTL_F_TIMESTAMP, "samples have no start time, so no time range, rates "
                          "or time charts, and no throttling analysis"},
        {JTL_F_ELAPSED, "response times are unknown"},
        {JTL_F_LABEL, "every sample has an empty label"},
        {JTL_F_CODE, "every response code is empty, so no 429 or 503 can "
                     "be found"},
        {JTL_F_SUCCESS, NULL},
    };
    size_t i;

    d->success_from_code = !(d->present & (1u << JTL_F_SUCCESS)) &&
                           (d->present & (1u << JTL_F_CODE));
    if (!d->opts.warn)
        return;
    set_where(d, line);
    for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
        const char *cost = need[i].cost;
        if (d->present & (1u << need[i].f))
            continue;
        if (need[i].f == JTL_F_SUCCESS)
            cost = d->success_from_code
                       ? "a sample counts as successful when its responseCode "
                         "is 2xx or 3xx"
                       : "every sample counts as failed (JMeter's default)";
        snprintf(d->msg, sizeof(d->msg), "the header has no %s column: %s",
                 jtl_field_name(need[i].f), cost);
        d->opts.warn(d->where, d->msg, d->opts.warn_ctx);
    }
}

static bool header_like(const struct jtl_str *f, size_t n)
{
    size_t i, known = 0;

    for (i = 0; i < n; i++) {
        if (is_int(f[i]))
            return false;
        if (jtl_field_lookup(f[i].p, f[i].len) >= 0)
            known++;
    }
    return known > 0;
}

static bool parse_ts(struct jtl_dcsv *d, struct jtl_str s, int64_t *ms);

/* Does the record look like a row of the default column set COLS? */
static bool shapes_match(struct jtl_dcsv *d, const int *cols, size_t n,
                         const struct jtl_str *f, size_t nf)
{
    size_t i;
    int64_t ms;

    if (n != nf)
        return false;
    for (i = 0; i < n; i++) {
        switch (cols[i]) {
        case JTL_F_TIMESTAMP:
            if (!parse_ts(d, f[i], &ms))
                return false;
            break;
        case JTL_F_ELAPSED:
        case JTL_F_BYTES:
        case JTL_F_SENT_BYTES:
        case JTL_F_GRP_THREADS:
        case JTL_F_ALL_THREADS:
        case JTL_F_LATENCY:
        case JTL_F_IDLE:
        case JTL_F_CONNECT:
            if (!is_int(f[i]))
                return false;
            break;
        case JTL_F_SUCCESS:
            if (!is_bool(f[i]))
                return false;
            break;
        default:
            break;
        }
    }
    return true;
}

static int find_default_set(struct jtl_dcsv *d, const struct jtl_str *f,
                            size_t nf)
{
    size_t k;

    for (k = 0; k < NSETS; k++)
        if (shapes_match(d, default_sets[k].cols, default_sets[k].n, f, nf))
            return (int)k;
    return -1;
}

/* ------------------------------------------------------------------ */
/* records to samples */

static bool parse_ts(struct jtl_dcsv *d, struct jtl_str s, int64_t *ms)
{
    const struct jtl_timefmt *which = NULL;

    /* Epoch milliseconds, nearly every file: digits only. */
    if (d->ts_mode != TS_FORMAT && s.len && s.len <= 15) {
        int64_t v = 0;
        size_t i;
        for (i = 0; i < s.len; i++) {
            unsigned c = (unsigned char)s.p[i] - '0';
            if (c > 9)
                break;
            v = v * 10 + c;
        }
        if (i == s.len) {
            *ms = v;
            return true;
        }
    }
    switch (d->ts_mode) {
    case TS_EPOCH:
        return jtl_parse_i64(s.p, s.len, ms) && *ms >= 0;
    case TS_FORMAT:
        return jtl_timefmt_parse(&d->tsfmt, s.p, s.len, ms);
    case TS_AUTO:
        break;
    }
    if (d->ts_last && jtl_timefmt_parse(d->ts_last, s.p, s.len, ms))
        return true;
    if (!jtl_timefmt_parse_auto(s.p, s.len, ms, &which))
        return false;
    d->ts_last = which;
    return true;
}

/* Parse an unsigned decimal quickly (nearly every number in a JTL). */
static inline bool parse_num(struct jtl_str s, int64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (s.len == 0 || s.len > 18)
        return jtl_parse_i64(s.p, s.len, out);
    for (i = 0; i < s.len; i++) {
        unsigned c = (unsigned char)s.p[i] - '0';
        if (c > 9)
            return jtl_parse_i64(s.p, s.len, out);
        v = v * 10 + c;
    }
    *out = (int64_t)v;
    return true;
}

/* A numeric column: empty means not recorded (present bit cleared). */
static inline bool num_field(struct jtl_dcsv *d, int fld, struct jtl_sample *s,
                             int64_t *out)
{
    struct jtl_str x = d->rec[d->col_of[fld]];

    if (x.len == 0) {
        s->present &= ~(1u << fld);
        *out = 0;
        return true;
    }
    return parse_num(x, out);
}

static enum jtl_err bad_number(struct jtl_dcsv *d, const struct jtl_csvrec *r,
                               struct jtl_diag *diag, int fld)
{
    char b1[64];

    return malformed(d, r->line, diag, "%s '%s' is not a number",
                     jtl_field_name((enum jtl_field)fld),
                     shown(r->fields[d->col_of[fld]], b1, sizeof(b1)));
}

/* The header line again (files joined with cat, JMeter appending a header
 * to an existing file): not data, not damage; said where it is (each time:
 * that also shows where the files were joined). */
static bool header_again(struct jtl_dcsv *d, const struct jtl_csvrec *r)
{
    size_t i;

    if (!d->counts.had_header || d->from_option || r->nfields != d->ncols)
        return false;
    for (i = 0; i < r->nfields; i++)
        if (r->fields[i].len != strlen(d->colnames[i]) ||
            memcmp(r->fields[i].p, d->colnames[i], r->fields[i].len) != 0)
            return false;
    if (d->opts.warn) {
        set_where(d, r->line);
        d->opts.warn(d->where,
                     "the header line again (concatenated "
                     "files?); skipped",
                     d->opts.warn_ctx);
    }
    return true;
}

static enum jtl_err data_record(struct jtl_dcsv *d, const struct jtl_csvrec *r,
                                struct jtl_diag *diag)
{
    struct jtl_sample *s = &d->sample;
    const struct jtl_str *f = r->fields;
    const int *col = d->col_of;
    char b1[64];
    size_t i;
    int64_t v;
    int k;

    d->counts.records++;
    if (r->flags & JTL_CSVREC_OPEN_QUOTE) {
        d->counts.truncated = true;
        return malformed(d, r->line, diag,
                         "file ends inside a quoted field (record cut short)");
    }
    if (r->flags & JTL_CSVREC_FIELD_CAP)
        return malformed(d, r->line, diag,
                         "field %zu is longer than %u MiB (an unbalanced "
                         "quote?); record skipped, reading resumes at the "
                         "next line",
                         r->nfields, JTL_CSV_FIELD_MAX >> 20);
    if (r->flags & JTL_CSVREC_TOO_LONG)
        return malformed(d, r->line, diag, "record longer than %u MiB",
                         JTL_CSV_RECORD_MAX >> 20);
    if (r->flags & JTL_CSVREC_TOO_MANY)
        return malformed(d, r->line, diag,
                         "expected %zu fields, got %zu (over the cap of %u)",
                         d->ncols, r->nfields, JTL_CSV_COLUMNS_MAX);
    if (r->nfields != d->ncols) {
        if (r->flags & JTL_CSVREC_EOF)
            d->counts.truncated = true;
        return malformed(d, r->line, diag, "expected %zu fields, got %zu%s",
                         d->ncols, r->nfields,
                         r->flags & JTL_CSVREC_EOF ? " (last line cut short?)"
                                                   : "");
    }
    /* Straight-line code over the fields the columns provide (a switch per
     * column costs an unpredictable indirect jump each).  No memset per
     * row: every provided field is written below, the others stay zero
     * from set_columns(). */
    d->rec = f;
    s->present = d->present;
    s->flags = 0;
    if (col[JTL_F_TIMESTAMP] >= 0) {
        struct jtl_str x = f[col[JTL_F_TIMESTAMP]];
        if (!parse_ts(d, x, &s->timestamp)) {
            if (header_again(d, r)) {
                d->counts.records--;
                return JTL_OK;
            }
            if (d->ts_mode == TS_FORMAT)
                return malformed(
                    d, r->line, diag, "timeStamp '%s' does not match '%s'",
                    shown(x, b1, sizeof(b1)), d->opts.timestamp_format);
            return malformed(d, r->line, diag,
                             "timeStamp '%s' is neither epoch milliseconds "
                             "nor a known date format",
                             shown(x, b1, sizeof(b1)));
        }
        if (s->timestamp < 0 || s->timestamp > JTL_TS_MAX)
            return malformed(d, r->line, diag,
                             "timeStamp %" PRId64 " is out of range (years "
                             "0 to 9999)",
                             s->timestamp);
    }
    if (col[JTL_F_ELAPSED] >= 0) {
        struct jtl_str x = f[col[JTL_F_ELAPSED]];
        if (!parse_num(x, &s->elapsed))
            return malformed(d, r->line, diag, "elapsed '%s' is not a number",
                             shown(x, b1, sizeof(b1)));
        if (s->elapsed < 0)
            return malformed(d, r->line, diag, "elapsed is negative (%s)",
                             shown(x, b1, sizeof(b1)));
        if (s->elapsed > JTL_DURATION_MAX)
            return malformed(d, r->line, diag,
                             "elapsed %" PRId64
                             " is out of range (0 to %" PRId64 " ms)",
                             s->elapsed, JTL_DURATION_MAX);
    }
    if (col[JTL_F_SUCCESS] >= 0) {
        struct jtl_str x = f[col[JTL_F_SUCCESS]];
        if (x.len == 4 &&
            (memcmp(x.p, "true", 4) == 0 || strncasecmp(x.p, "true", 4) == 0))
            s->success = true;
        else if (x.len == 5 && (memcmp(x.p, "false", 5) == 0 ||
                                strncasecmp(x.p, "false", 5) == 0))
            s->success = false;
        else
            return malformed(d, r->line, diag,
                             "success '%s' is neither true nor false",
                             shown(x, b1, sizeof(b1)));
    }
    if (col[JTL_F_LABEL] >= 0)
        s->label = f[col[JTL_F_LABEL]];
    if (col[JTL_F_CODE] >= 0)
        s->code = f[col[JTL_F_CODE]];
    if (d->success_from_code)
        s->success = s->code.len == 3 &&
                     (s->code.p[0] == '2' || s->code.p[0] == '3') &&
                     isdigit((unsigned char)s->code.p[1]) &&
                     isdigit((unsigned char)s->code.p[2]);
    if (col[JTL_F_MESSAGE] >= 0) {
        s->message = f[col[JTL_F_MESSAGE]];
        if (s->message.len && s->message.p[0] == 'N')
            s->flags |= jtl_tc_parse(s->message, NULL, NULL);
    }
    if (col[JTL_F_THREAD] >= 0)
        s->thread = f[col[JTL_F_THREAD]];
    if (col[JTL_F_DATATYPE] >= 0)
        s->data_type = f[col[JTL_F_DATATYPE]];
    if (col[JTL_F_FAILMSG] >= 0)
        s->failure_message = f[col[JTL_F_FAILMSG]];
    if (col[JTL_F_URL] >= 0)
        s->url = f[col[JTL_F_URL]];
    if (col[JTL_F_FILENAME] >= 0)
        s->filename = f[col[JTL_F_FILENAME]];
    if (col[JTL_F_ENCODING] >= 0)
        s->encoding = f[col[JTL_F_ENCODING]];
    if (col[JTL_F_HOSTNAME] >= 0)
        s->hostname = f[col[JTL_F_HOSTNAME]];
    if (col[JTL_F_BYTES] >= 0 && !num_field(d, JTL_F_BYTES, s, &s->bytes))
        return bad_number(d, r, diag, JTL_F_BYTES);
    if (col[JTL_F_SENT_BYTES] >= 0 &&
        !num_field(d, JTL_F_SENT_BYTES, s, &s->sent_bytes))
        return bad_number(d, r, diag, JTL_F_SENT_BYTES);
    if (col[JTL_F_LATENCY] >= 0 && !num_field(d, JTL_F_LATENCY, s, &s->latency))
        return bad_number(d, r, diag, JTL_F_LATENCY);
    if (col[JTL_F_IDLE] >= 0 && !num_field(d, JTL_F_IDLE, s, &s->idle))
        return bad_number(d, r, diag, JTL_F_IDLE);
    if (col[JTL_F_CONNECT] >= 0 && !num_field(d, JTL_F_CONNECT, s, &s->connect))
        return bad_number(d, r, diag, JTL_F_CONNECT);
    for (k = 0; k < 5; k++) {
        /* no JMeter run has these; they would overflow sums downstream */
        static const struct {
            int fld;
            size_t off;
            int64_t max;
        } lim[5] = {
            {JTL_F_LATENCY, offsetof(struct jtl_sample, latency),
             JTL_DURATION_MAX},
            {JTL_F_CONNECT, offsetof(struct jtl_sample, connect),
             JTL_DURATION_MAX},
            {JTL_F_IDLE, offsetof(struct jtl_sample, idle), JTL_DURATION_MAX},
            {JTL_F_BYTES, offsetof(struct jtl_sample, bytes), JTL_BYTES_MAX},
            {JTL_F_SENT_BYTES, offsetof(struct jtl_sample, sent_bytes),
             JTL_BYTES_MAX},
        };
        if (col[lim[k].fld] < 0 || !JTL_HAS(s, lim[k].fld))
            continue;
        memcpy(&v, (const char *)s + lim[k].off, sizeof(v));
        if (v < 0 || v > lim[k].max)
            return malformed(d, r->line, diag, "%s %" PRId64 " is out of range",
                             jtl_field_name((enum jtl_field)lim[k].fld), v);
    }
    for (k = 0; k < 4; k++) {
        static const int f32[4] = {JTL_F_GRP_THREADS, JTL_F_ALL_THREADS,
                                   JTL_F_SAMPLE_COUNT, JTL_F_ERROR_COUNT};
        int fld = f32[k];
        if (col[fld] < 0)
            continue;
        if (!num_field(d, fld, s, &v))
            return bad_number(d, r, diag, fld);
        if (v < INT32_MIN || v > INT32_MAX)
            return malformed(d, r->line, diag, "%s '%s' is out of range",
                             jtl_field_name((enum jtl_field)fld),
                             shown(f[col[fld]], b1, sizeof(b1)));
        if (fld == JTL_F_GRP_THREADS)
            s->grp_threads = (int32_t)v;
        else if (fld == JTL_F_ALL_THREADS)
            s->all_threads = (int32_t)v;
        else if (fld == JTL_F_SAMPLE_COUNT)
            s->sample_count = (int32_t)v;
        else
            s->error_count = (int32_t)v;
    }
    for (i = 0; i < d->nvars; i++)
        d->vars[i].value = f[d->varcol[i]];
    s->vars = d->nvars ? d->vars : NULL;
    s->nvars = d->nvars;
    s->file = d->opts.name;
    s->line = r->line;
    s->seq = d->counts.samples;
    s->source = d->opts.source_index;
    d->counts.samples++;
    {
        int rc = d->fn(s, d->ctx);
        if (rc) {
            set_where(d, r->line);
            return jtl_diag_set(diag, JTL_ERR_STOPPED, d->where,
                                "stopped by the sample consumer (code %d)", rc);
        }
    }
    return JTL_OK;
}

static bool has_control(const struct jtl_csvrec *r)
{
    size_t i, j;

    for (i = 0; i < r->nstored; i++)
        for (j = 0; j < r->fields[i].len; j++) {
            unsigned char c = (unsigned char)r->fields[i].p[j];
            if ((c < 0x20 && c != '\t') || c == 0x7f)
                return true;
        }
    return false;
}

static enum jtl_err first_record(struct jtl_dcsv *d, const struct jtl_csvrec *r,
                                 struct jtl_diag *diag)
{
    bool header;
    int k;

    d->first_done = true;
    if (r->flags &
        (JTL_CSVREC_TOO_MANY | JTL_CSVREC_TOO_LONG | JTL_CSVREC_FIELD_CAP)) {
        set_where(d, r->line);
        return jtl_diag_set(diag, JTL_ERR_LIMIT, d->where,
                            "first record has more than %u fields or %u MiB",
                            JTL_CSV_COLUMNS_MAX, JTL_CSV_RECORD_MAX >> 20);
    }
    header = header_like(r->fields, r->nfields);
    if (d->from_option) {
        warn_missing_columns(d, r->line);
        if (header) {
            d->counts.had_header = true;
            if (r->nfields != d->ncols && d->opts.warn) {
                set_where(d, r->line);
                snprintf(d->msg, sizeof(d->msg),
                         "header has %zu columns but --columns names %zu; "
                         "using --columns",
                         r->nfields, d->ncols);
                d->opts.warn(d->where, d->msg, d->opts.warn_ctx);
            }
            return JTL_OK;
        }
        return data_record(d, r, diag);
    }
    if (header) {
        d->counts.had_header = true;
        set_columns(d, r->fields, r->nfields);
        warn_missing_columns(d, r->line);
        return JTL_OK;
    }
    k = find_default_set(d, r->fields, r->nfields);
    if (k < 0 && has_control(r)) {
        /* A header or a data row never holds control bytes: say what it
         * is rather than which columns are missing. */
        set_where(d, r->line);
        return jtl_diag_set(diag, JTL_ERR_FORMAT, d->opts.name,
                            "not a JMeter CSV or XML file (binary data)");
    }
    if (k < 0) {
        set_where(d, r->line);
        return jtl_diag_set(
            diag, JTL_ERR_FORMAT, d->where,
            "not a JMeter CSV or XML file we understand: the first line is "
            "neither a header nor a row of a default JMeter column set (%zu "
            "fields); name the columns with --columns",
            r->nfields);
    }
    set_default_columns(d, default_sets[k].cols, default_sets[k].n);
    return data_record(d, r, diag);
}

static enum jtl_err on_record(void *ctx, const struct jtl_csvrec *r,
                              struct jtl_diag *diag)
{
    struct jtl_dcsv *d = ctx;

    if (!d->first_done)
        return first_record(d, r, diag);
    return data_record(d, r, diag);
}

/* ------------------------------------------------------------------ */
/* delimiter sniffing */

/* Split LINE at DELIM honouring quotes (no unescaping: names only). */
static size_t sniff_split(const char *p, size_t n, char delim,
                          struct jtl_str *out, size_t cap)
{
    size_t i = 0, nf = 0;

    for (;;) {
        size_t start = i, end;
        if (i < n && p[i] == '"') {
            i++;
            start = i;
            while (i < n && !(p[i] == '"' && (i + 1 >= n || p[i + 1] != '"')))
                i += p[i] == '"' ? 2 : 1;
            end = i < n ? i : n;
            while (i < n && p[i] != delim)
                i++;
        } else {
            while (i < n && p[i] != delim)
                i++;
            end = i;
        }
        if (nf < cap) {
            out[nf].p = p + start;
            out[nf].len = end - start;
        }
        nf++;
        if (i >= n)
            break;
        i++;
    }
    return nf;
}

static char sniff_delimiter(struct jtl_dcsv *d, const char *p, size_t n)
{
    static const char cands[] = {',', ';', '\t', '|'};
    struct jtl_str f[64];
    size_t k, best = 0;
    long best_score = -1;

    for (k = 0; k < sizeof(cands); k++) {
        size_t nf = sniff_split(p, n, cands[k], f, 64);
        long score = (long)nf;
        if (nf >= 2 && nf <= 64 && header_like(f, nf))
            score = 3000 + (long)nf;
        else if (nf >= 2 && nf <= 64 && find_default_set(d, f, nf) >= 0)
            score = 2000;
        if (score > best_score) {
            best_score = score;
            best = k;
        }
    }
    return cands[best];
}

static bool looks_binary(const unsigned char *p, size_t n)
{
    size_t i, ctl = 0;

    for (i = 0; i < n; i++) {
        if (p[i] == 0)
            return true;
        if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
            ctl++;
    }
    return ctl * 8 > n;
}

/* Choose the delimiter from the first line in HEAD and start splitting. */
static enum jtl_err start(struct jtl_dcsv *d, struct jtl_diag *diag)
{
    const char *p = d->head.p ? d->head.p : "";
    size_t n = d->head.len, off = 0, i, e;
    char delim;
    enum jtl_err err;

    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        off = 3;
    i = off;
    while (i < n && (p[i] == '\r' || p[i] == '\n'))
        i++;
    e = i;
    while (e < n && p[e] != '\n' && p[e] != '\r')
        e++;
    if (n >= off + 4 &&
        (((unsigned char)p[0] == 0xFF && p[1] == '\xFE') ||
         ((unsigned char)p[0] == 0xFE && p[1] == '\xFF') ||
         (p[0] && !p[1] && p[2] && !p[3]) || (!p[0] && p[1] && !p[2] && p[3])))
        return jtl_diag_set(diag, JTL_ERR_FORMAT, d->opts.name,
                            "the file is UTF-16 text; jtlscope reads UTF-8 "
                            "(convert it first: iconv -f UTF-16 -t UTF-8)");
    if (looks_binary((const unsigned char *)p + i, e - i))
        return jtl_diag_set(diag, JTL_ERR_FORMAT, d->opts.name,
                            "not a JMeter CSV or XML file (binary data)");
    delim = d->opts.delimiter ? d->opts.delimiter
                              : sniff_delimiter(d, p + i, e - i);
    d->counts.delimiter = delim;
    jtl_csvsplit_init(&d->split, delim, d->fast, d->opts.name, on_record, d);
    d->started = true;
    err = jtl_csvsplit_feed(&d->split, p + off, n - off, diag);
    jtl_buf_release(&d->head);
    return err;
}

/* HEAD holds a complete non-blank line (after a BOM and blank lines). */
static bool first_line_done(const struct jtl_buf *head)
{
    size_t i = 0;

    if (head->len >= 3 && memcmp(head->p, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    while (i < head->len && (head->p[i] == '\r' || head->p[i] == '\n'))
        i++;
    return i < head->len && memchr(head->p + i, '\n', head->len - i);
}

/* ------------------------------------------------------------------ */
/* public entry points */

static bool parse_column_list(struct jtl_dcsv *d, const char *list)
{
    struct jtl_str names[JTL_CSV_COLUMNS_MAX];
    size_t n = 0;
    const char *p = list;

    for (;;) {
        const char *c = strchr(p, ',');
        size_t len = c ? (size_t)(c - p) : strlen(p);
        while (len && (*p == ' ' || *p == '"')) {
            p++;
            len--;
        }
        while (len && (p[len - 1] == ' ' || p[len - 1] == '"'))
            len--;
        if (len == 0 || n == JTL_CSV_COLUMNS_MAX)
            return false;
        names[n].p = p;
        names[n].len = len;
        n++;
        if (!c)
            break;
        p = c + 1;
    }
    set_columns(d, names, n);
    d->from_option = true;
    return true;
}

enum jtl_err jtl_dcsv_new(const struct jtl_decode_opts *opts, jtl_sample_fn fn,
                          void *ctx, struct jtl_dcsv **out,
                          struct jtl_diag *diag)
{
    struct jtl_dcsv *d = jtl_xcalloc(1, sizeof(*d));
    const char *tf = opts->timestamp_format;

    d->opts = *opts;
    if (!d->opts.name)
        d->opts.name = "<input>";
    d->fn = fn;
    d->ctx = ctx;
    d->fast = true;
    jtl_buf_init(&d->head, 0);
    if (!tf || !*tf || strcmp(tf, "auto") == 0) {
        d->ts_mode = TS_AUTO;
    } else if (strcmp(tf, "ms") == 0) {
        d->ts_mode = TS_EPOCH;
    } else {
        d->ts_mode = TS_FORMAT;
        if (!jtl_timefmt_compile(&d->tsfmt, tf)) {
            jtl_dcsv_free(d);
            return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                                "unsupported --timestamp-format '%s' (letters "
                                "y M d H k K h m s S a Z X E and 'quoted' "
                                "text)",
                                tf);
        }
    }
    if (opts->columns && !parse_column_list(d, opts->columns)) {
        jtl_dcsv_free(d);
        return jtl_diag_set(diag, JTL_ERR_USAGE, NULL,
                            "--columns needs comma-separated names, not '%s'",
                            opts->columns);
    }
    *out = d;
    return JTL_OK;
}

enum jtl_err jtl_dcsv_feed(struct jtl_dcsv *d, const char *p, size_t n,
                           struct jtl_diag *diag)
{
    enum jtl_err err;

    if (d->failed)
        return JTL_ERR_PARSE;
    if (!d->started) {
        /* Hold bytes until the first non-blank line is complete. */
        size_t pos = 0;
        err = JTL_OK;
        while (pos < n) {
            const char *lf = memchr(p + pos, '\n', n - pos);
            size_t take = lf ? (size_t)(lf + 1 - (p + pos)) : n - pos;
            jtl_buf_add(&d->head, p + pos, take);
            pos += take;
            if ((lf && first_line_done(&d->head)) || d->head.len >= SNIFF_MAX) {
                err = start(d, diag);
                break;
            }
        }
        if (!err && pos < n)
            err = jtl_csvsplit_feed(&d->split, p + pos, n - pos, diag);
    } else {
        err = jtl_csvsplit_feed(&d->split, p, n, diag);
    }
    if (err)
        d->failed = true;
    return err;
}

enum jtl_err jtl_dcsv_finish(struct jtl_dcsv *d, struct jtl_diag *diag)
{
    enum jtl_err err = JTL_OK;

    if (d->failed)
        return JTL_ERR_PARSE;
    if (!d->started)
        err = start(d, diag);
    if (!err)
        err = jtl_csvsplit_finish(&d->split, diag);
    d->counts.lines = jtl_csvsplit_lines(&d->split);
    if (err) {
        d->failed = true;
        return err;
    }
    if (!d->first_done)
        return jtl_diag_set(diag, JTL_ERR_EMPTY, d->opts.name,
                            "file holds no CSV record");
    if (d->counts.records == 0 && d->counts.had_header)
        return jtl_diag_set(diag, JTL_ERR_EMPTY, d->opts.name,
                            "file has a header but no samples");
    if (d->counts.samples == 0)
        return jtl_diag_set(diag, JTL_ERR_EMPTY, d->opts.name,
                            "no valid sample: %" PRIu64
                            " malformed records skipped",
                            d->counts.skipped);
    return JTL_OK;
}

void jtl_dcsv_counts(const struct jtl_dcsv *d, struct jtl_decode_counts *out)
{
    *out = d->counts;
    out->format = JTL_FORMAT_CSV;
    if (d->started)
        out->lines = jtl_csvsplit_lines(&d->split);
}

const char *const *jtl_dcsv_columns(const struct jtl_dcsv *d, size_t *n)
{
    *n = d->ncols;
    return (const char *const *)d->colnames;
}

void jtl_dcsv_free(struct jtl_dcsv *d)
{
    if (!d)
        return;
    free_columns(d);
    jtl_buf_release(&d->head);
    if (d->started)
        jtl_csvsplit_release(&d->split);
    free(d);
}

void jtl_dcsv_set_fast(struct jtl_dcsv *d, bool on)
{
    d->fast = on;
}

bool jtl_dcsv_ready(const struct jtl_dcsv *d)
{
    return d->started && d->first_done && !d->failed && d->ncols > 0 &&
           d->split.carry.len == 0 && !d->split.csv_active;
}

struct jtl_dcsv *jtl_dcsv_clone(const struct jtl_dcsv *proto,
                                const struct jtl_decode_opts *opts,
                                jtl_sample_fn fn, void *ctx)
{
    struct jtl_dcsv *d = jtl_xcalloc(1, sizeof(*d));
    struct jtl_str *names =
        jtl_xcalloc(proto->ncols ? proto->ncols : 1, sizeof(*names));
    size_t i;

    d->opts = *opts;
    d->fn = fn;
    d->ctx = ctx;
    d->fast = proto->fast;
    d->ts_mode = proto->ts_mode;
    d->tsfmt = proto->tsfmt;
    d->ts_last = proto->ts_last;
    d->from_option = proto->from_option;
    jtl_buf_init(&d->head, 0);
    for (i = 0; i < proto->ncols; i++) {
        names[i].p = proto->colnames[i];
        /* a header name may hold a NUL byte: the length, not strlen (fuzz
         * readpar crash-5f54cc86: workers named a variable differently) */
        names[i].len = proto->colfield[i] == VAR_FIELD
                           ? proto->vars[proto->colvar[i]].name.len
                           : strlen(proto->colnames[i]);
    }
    set_columns(d, names, proto->ncols);
    d->success_from_code = proto->success_from_code;
    free(names);
    d->counts.delimiter = proto->counts.delimiter;
    /* a repeated header is recognised in every part (fuzz readpar
     * crash-c1a7ca2e: workers counted it as a malformed record) */
    d->counts.had_header = proto->counts.had_header;
    jtl_csvsplit_init(&d->split, proto->split.delim, d->fast, d->opts.name,
                      on_record, d);
    d->split.simd = proto->split.simd;
    d->started = true;
    d->first_done = true;
    return d;
}

void jtl_dcsv_set_line(struct jtl_dcsv *d, uint64_t line)
{
    jtl_csvsplit_set_line(&d->split, line);
}

enum jtl_err jtl_dcsv_end_part(struct jtl_dcsv *d, struct jtl_diag *diag)
{
    enum jtl_err err;

    if (d->failed)
        return JTL_ERR_PARSE;
    err = jtl_csvsplit_finish(&d->split, diag);
    if (err)
        d->failed = true;
    return err;
}

void jtl_dcsv_absorb(struct jtl_dcsv *d, const struct jtl_dcsv *part)
{
    d->counts.records += part->counts.records;
    d->counts.samples += part->counts.samples;
    d->counts.skipped += part->counts.skipped;
    d->counts.truncated = d->counts.truncated || part->counts.truncated;
}
