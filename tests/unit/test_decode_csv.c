/* SPDX-License-Identifier: MIT
 * test_decode_csv.c - the CSV decoder on every CSV fixture (counts checked
 * against the fixture READMEs and truth.json), edge cases, every chunk size,
 * and the fast path against libcsv, record by record. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "io/decode_csv_priv.h"
#include "io/decode_csv_split.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/decoder.h"
#include "jtl/io/timefmt.h"
#include "samples.h"

#define DATA JTL_TEST_DATA

/* ------------------------------------------------------------------ */
/* reading files */

static char *slurp(const char *rel, size_t *n)
{
    char path[512];
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", DATA, rel);
    buf = slurp_file(path, n);
    if (!buf) {
        fprintf(stderr, "cannot open %s\n", path);
        exit(1);
    }
    return buf;
}

/* ------------------------------------------------------------------ */
/* what a decode produced */

#define MAXCODES 16

struct result {
    uint64_t digest; /* FNV-1a over every field of every sample */
    uint64_t n;
    uint64_t tc_parent, tc_empty;
    int64_t first_ts, last_end;
    struct {
        char code[64];
        uint64_t n;
    } codes[MAXCODES];
    size_t ncodes;
    uint64_t success;
    uint64_t warnings;
    char first_warning[512];
    uint64_t lines_of[8]; /* line of the first 8 samples */
    struct jtl_decode_counts counts;
    enum jtl_err err;
    struct jtl_diag diag;
};

static int collect(const struct jtl_sample *s, void *ctx)
{
    struct result *r = ctx;
    uint64_t *h = &r->digest;
    size_t i;

    *h = sample_hash(*h, s, SAMPLE_LINE | SAMPLE_SEQ);

    if (r->n < 8)
        r->lines_of[r->n] = s->line;
    r->n++;
    if (s->flags & JTL_SAMPLE_TC_PARENT)
        r->tc_parent++;
    if (s->flags & JTL_SAMPLE_TC_EMPTY)
        r->tc_empty++;
    if (s->success)
        r->success++;
    if (JTL_HAS(s, JTL_F_TIMESTAMP)) {
        if (s->timestamp < r->first_ts)
            r->first_ts = s->timestamp;
        if (s->timestamp + s->elapsed > r->last_end)
            r->last_end = s->timestamp + s->elapsed;
    }
    for (i = 0; i < r->ncodes; i++)
        if (jtl_str_eq(s->code, r->codes[i].code))
            break;
    if (i == r->ncodes && i < MAXCODES && s->code.len < 64) {
        if (s->code.len)
            memcpy(r->codes[i].code, s->code.p, s->code.len);
        r->codes[i].code[s->code.len] = '\0';
        r->ncodes++;
    }
    if (i < r->ncodes)
        r->codes[i].n++;
    return 0;
}

static uint64_t code_count(const struct result *r, const char *code)
{
    size_t i;

    for (i = 0; i < r->ncodes; i++)
        if (strcmp(r->codes[i].code, code) == 0)
            return r->codes[i].n;
    return 0;
}

static void on_warn(const char *where, const char *msg, void *ctx)
{
    struct result *r = ctx;

    if (r->warnings++ == 0)
        snprintf(r->first_warning, sizeof(r->first_warning), "%s: %s", where,
                 msg);
}

/* Decode DATA[0..N) fed CHUNK bytes at a time (0 = all at once). */
static void decode(const char *data, size_t n, const struct jtl_decode_opts *o,
                   size_t chunk, bool fast, struct result *r)
{
    struct jtl_decode_opts opts = *o;
    struct jtl_dcsv *d = NULL;
    size_t pos = 0;

    memset(r, 0, sizeof(*r));
    r->first_ts = INT64_MAX;
    r->last_end = INT64_MIN;
    r->digest = 1469598103934665603ull;
    opts.warn = on_warn;
    opts.warn_ctx = r;
    if (!opts.name)
        opts.name = "t.csv";
    r->err = jtl_dcsv_new(&opts, collect, r, &d, &r->diag);
    if (r->err)
        return;
    jtl_dcsv_set_fast(d, fast);
    if (chunk == 0)
        chunk = n ? n : 1;
    while (pos < n && !r->err) {
        size_t k = n - pos < chunk ? n - pos : chunk;
        r->err = jtl_dcsv_feed(d, data + pos, k, &r->diag);
        pos += k;
    }
    if (!r->err)
        r->err = jtl_dcsv_finish(d, &r->diag);
    jtl_dcsv_counts(d, &r->counts);
    jtl_dcsv_free(d);
}

static bool same(const struct result *a, const struct result *b)
{
    return a->digest == b->digest && a->n == b->n && a->err == b->err &&
           a->warnings == b->warnings &&
           a->counts.skipped == b->counts.skipped &&
           a->counts.records == b->counts.records &&
           a->counts.lines == b->counts.lines &&
           a->counts.truncated == b->counts.truncated &&
           strcmp(a->first_warning, b->first_warning) == 0 &&
           strcmp(a->diag.msg, b->diag.msg) == 0;
}

/* The decoder's chunk-size independence (libcsv's test habit) and the fast
 * path against libcsv alone.  Every chunk size 1..len for inputs up to
 * 6 KiB; for bigger ones every size 1..16 and a spread of sizes up to len
 * (all sizes would be quadratic: 500 KB x 500 K feeds). */
static void decode_checked(const char *what, const char *data, size_t n,
                           const struct jtl_decode_opts *o, struct result *r)
{
    struct result alt;
    size_t c, bad_chunk = 0, nbad = 0;

    decode(data, n, o, 0, true, r);
    decode(data, n, o, 0, false, &alt);
    if (!same(r, &alt)) {
        fprintf(stderr, "  %s: fast path differs from libcsv\n", what);
        CHECK(0, "fast path gives the same samples as libcsv");
        return;
    }
    for (c = 1; c <= n; c++) {
        if (n > 6144 && c > 16 && c != n && c % 49999 != 0 && c != 4096 &&
            c != 4097 && c != 65536 && c != n / 2 && c != n - 1)
            continue;
        decode(data, n, o, c, true, &alt);
        if (!same(r, &alt)) {
            if (!nbad++)
                bad_chunk = c;
            continue;
        }
        if (n <= 6144 || c <= 3 || c == 61) {
            decode(data, n, o, c, false, &alt);
            if (!same(r, &alt) && !nbad++)
                bad_chunk = c;
        }
    }
    if (nbad)
        fprintf(stderr, "  %s: %zu chunk sizes differ, first %zu\n", what, nbad,
                bad_chunk);
    CHECK(nbad == 0, "same samples at every chunk size, fast and libcsv");
}

static void decode_file_checked(const char *rel,
                                const struct jtl_decode_opts *o,
                                struct result *r)
{
    size_t n;
    char *data = slurp(rel, &n);
    struct jtl_decode_opts opts = *o;

    opts.name = rel;
    decode_checked(rel, data, n, &opts, r);
    free(data);
}

static void decode_str(const char *s, const struct jtl_decode_opts *o,
                       struct result *r)
{
    decode_checked(s, s, strlen(s), o, r);
}

/* ------------------------------------------------------------------ */
/* truth.json: just enough JSON to read the numbers a scenario observed */

static bool json_num(const char *from, const char *key, int64_t *v)
{
    char k[64];
    const char *p;

    snprintf(k, sizeof(k), "\"%s\":", key);
    p = strstr(from, k);
    if (!p)
        return false;
    p += strlen(k);
    while (*p == ' ')
        p++;
    return sscanf(p, "%" SCNd64, v) == 1;
}

static void check_nginx(const char *scenario, const char *csvfile)
{
    char rel[256], msg[256];
    size_t n;
    char *truth;
    const char *obs, *bycode;
    struct jtl_decode_opts o = {0};
    struct result r;
    int64_t samples = -1, first = -1, last = -1, c200 = 0, c429 = 0;

    snprintf(rel, sizeof(rel), "jmeter-nginx/%s.truth.json", scenario);
    truth = slurp(rel, &n);
    /* the CSV file's own "observed" block */
    obs = strstr(truth, "\"csv\": {");
    obs = obs ? strstr(obs, "\"observed\"") : strstr(truth, "\"observed\"");
    CHECK(obs != NULL, "truth.json has an observed block");
    if (!obs)
        return;
    json_num(obs, "samples", &samples);
    json_num(obs, "first_timestamp_ms", &first);
    json_num(obs, "last_end_ms", &last);
    bycode = strstr(obs, "\"by_code\"");
    if (bycode) {
        json_num(bycode, "200", &c200);
        json_num(bycode, "429", &c429);
    }
    snprintf(rel, sizeof(rel), "jmeter-nginx/%s", csvfile);
    decode_file_checked(rel, &o, &r);
    snprintf(msg, sizeof(msg), "%s: samples as in truth.json", csvfile);
    CHECK_EQ_INT(r.n, samples, msg);
    snprintf(msg, sizeof(msg), "%s: 200s as in truth.json", csvfile);
    CHECK_EQ_INT(code_count(&r, "200"), c200, msg);
    snprintf(msg, sizeof(msg), "%s: 429s as in truth.json", csvfile);
    CHECK_EQ_INT(code_count(&r, "429"), c429, msg);
    snprintf(msg, sizeof(msg), "%s: first timestamp as in truth.json", csvfile);
    CHECK_EQ_INT(r.first_ts, first, msg);
    snprintf(msg, sizeof(msg), "%s: last end as in truth.json", csvfile);
    CHECK_EQ_INT(r.last_end, last, msg);
    snprintf(msg, sizeof(msg), "%s: decodes cleanly", csvfile);
    CHECK(r.err == JTL_OK && r.counts.skipped == 0 && r.warnings == 0, msg);
    free(truth);
}

/* ------------------------------------------------------------------ */
/* fixtures */

static void test_nginx(void)
{
    struct result r;
    struct jtl_decode_opts o = {0};

    check_nginx("threshold-rate", "threshold-rate.csv.jtl");
    check_nginx("random", "random.csv.jtl");
    check_nginx("none", "none.csv.jtl");
    check_nginx("per-endpoint", "per-endpoint.csv.jtl");
    check_nginx("fixed-window", "fixed-window.csv.jtl");
    check_nginx("concurrency", "concurrency.csv.jtl");
    check_nginx("distributed", "distributed.csv.jtl");
    check_nginx("stacked", "stacked.csv.jtl");
    check_nginx("threshold-rate.default", "threshold-rate.default.csv.jtl");

    decode_file_checked("jmeter-nginx/threshold-rate.default.csv.jtl", &o, &r);
    CHECK(!r.counts.had_header, "2.13 default file has no header");
    CHECK_EQ_INT(r.lines_of[0], 1, "headerless: the first sample is line 1");
    {
        size_t n;
        struct jtl_dcsv *d = NULL;
        struct jtl_diag diag;
        const char *const *cols;
        char *data = slurp("jmeter-nginx/threshold-rate.default.csv.jtl", &n);
        jtl_dcsv_new(&o, collect, &r, &d, &diag);
        memset(&r, 0, sizeof(r));
        jtl_dcsv_feed(d, data, n, &diag);
        jtl_dcsv_finish(d, &diag);
        cols = jtl_dcsv_columns(d, &n);
        CHECK_EQ_INT(n, 12, "headerless 2.13 file: 12 columns detected");
        CHECK(n == 12 && strcmp(cols[9], "grpThreads") == 0 &&
                  strcmp(cols[11], "Latency") == 0,
              "headerless 2.13 file: JMeter 2.13's default column set");
        jtl_dcsv_free(d);
        free(data);
    }
}

struct fixture {
    const char *file;
    uint64_t samples;
    const char *code1;
    uint64_t n1;
    const char *code2;
    uint64_t n2;
    uint64_t successes;
    char delim;
    bool header;
    /* columns every default configuration writes that the header lacks
     * (JMeter's own batch tests save no timeStamp): one warning each */
    uint64_t missing_columns;
};

/* Counts from tests/data/upstream/README.md, cross-checked by hand with
 * Python's csv module (an independent reader). */
static const struct fixture fixtures[] = {
    {"apache-jmeter/dashboard_5x_default_header.csv", 255, "200", 252, "400", 3,
     252, ',', true, 0},
    {"apache-jmeter/dashboard_fails_missing_responseCode_columns.csv", 50, "",
     50, NULL, 0, 0, ',', true, 1},
    {"apache-jmeter/batch_BatchTestLocal_samplecount_filename_cols.csv", 132,
     "200", 116, "", 16, 116, ',', true, 2},
    {"apache-jmeter/batch_TestResultStatusAction.csv", 189, "200", 159, "", 30,
     141, ',', true, 2},
    {"taurus/csv_tab_delimited.jtl", 4, "200", 4, NULL, 0, 4, '\t', true, 0},
    {"taurus/csv_quoted_responseMessage_commas.jtl", 2, "200", 2, NULL, 0, 0,
     ',', true, 0},
    {"taurus/csv_sample_variables_quoted_header.jtl", 10, "200", 10, NULL, 0,
     10, ',', true, 0},
    {"taurus/csv_transaction_controller_rows.jtl", 2, "200", 2, NULL, 0, 1, ',',
     true, 0},
    {"taurus/csv_cyrillic_labels_404.jtl", 13, "404", 13, NULL, 0, 0, ',', true,
     0},
    {"taurus/csv_112_threads_500_errors.jtl", 599, "200", 538, "500", 61, 536,
     ',', true, 0},
    {"taurus/pair1_kpi.csv.jtl", 8, "200", 4, "502", 1, 2, ',', true, 0},
    {"taurus/csv_500_but_success_true.jtl", 1, "500", 1, NULL, 0, 1, ',', true,
     0},
    {"taurus/csv_200_but_success_false_embedded.jtl", 1, "200", 1, NULL, 0, 0,
     ',', true, 0},
    {"jenkins-performance-plugin/csv_embedded_newlines_doubled_quotes.jtl", 2,
     "200", 1, NULL, 0, 1, ',', true, 0},
    {"jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv", 313, "200",
     313, NULL, 0, 313, ',', true, 0},
    {"jenkins-performance-plugin/csv_no_header_2x.jtl", 3, "200", 3, NULL, 0, 3,
     ',', false, 0},
    {"jenkins-performance-plugin/csv_single_unknownhost.csv", 1,
     "Non HTTP response code: java.net.UnknownHostException", 1, NULL, 0, 0,
     ',', true, 0},
    {"jenkins-performance-plugin/csv_timestamp_yyyy-MM-dd_HH-mm-ss.SSS.csv", 3,
     "200", 2, "501", 1, 2, ',', true, 0},
    {"jmeter-plugins/csv_2015_no_connect.jtl", 150, "200", 150, NULL, 0, 150,
     ',', true, 0},
    {"jmeter-sla-report/csv_sentBytes_no_threads.csv", 194, "200", 194, NULL, 0,
     194, ',', true, 0},
    {"lightning/csv_empty_dataType_no_message.csv", 10, "200", 10, NULL, 0, 10,
     ',', true, 0},
    {"lightning/cipassfail_2_transactions.csv", 2, "200", 2, NULL, 0, 2, ',',
     true, 0},
    {"lightning/cipassfail_2_transactions.perfmon.csv", 2, "", 2, NULL, 0, 2,
     ',', false, 0},
};

static void test_fixtures(void)
{
    size_t i;
    char msg[300];

    for (i = 0; i < sizeof(fixtures) / sizeof(fixtures[0]); i++) {
        const struct fixture *f = &fixtures[i];
        struct jtl_decode_opts o = {0};
        struct result r;
        char rel[300];

        snprintf(rel, sizeof(rel), "upstream/%s", f->file);
        decode_file_checked(rel, &o, &r);
        if (r.err)
            fprintf(stderr, "  %s: %s: %s\n", f->file, r.diag.where,
                    r.diag.msg);
        snprintf(msg, sizeof(msg), "%s: decodes without error or skip",
                 f->file);
        CHECK(r.err == JTL_OK && r.counts.skipped == 0 &&
                  r.warnings == f->missing_columns,
              msg);
        if (f->missing_columns) {
            snprintf(msg, sizeof(msg), "%s: a missing column named", f->file);
            CHECK(strstr(r.first_warning, ":1: the header has no ") != NULL,
                  msg);
        }
        snprintf(msg, sizeof(msg), "%s: sample count", f->file);
        CHECK_EQ_INT(r.n, f->samples, msg);
        snprintf(msg, sizeof(msg), "%s: count of code '%s'", f->file, f->code1);
        CHECK_EQ_INT(code_count(&r, f->code1), f->n1, msg);
        if (f->code2) {
            snprintf(msg, sizeof(msg), "%s: count of code '%s'", f->file,
                     f->code2);
            CHECK_EQ_INT(code_count(&r, f->code2), f->n2, msg);
        }
        snprintf(msg, sizeof(msg), "%s: successes", f->file);
        CHECK_EQ_INT(r.success, f->successes, msg);
        snprintf(msg, sizeof(msg), "%s: delimiter", f->file);
        CHECK_EQ_INT(r.counts.delimiter, f->delim, msg);
        snprintf(msg, sizeof(msg), "%s: header detected or not", f->file);
        CHECK_EQ_INT(r.counts.had_header, f->header, msg);
    }
}

/* Keeps the samples' strings of interest (they are borrowed). */
struct keep {
    char label[8][300];
    char msg[8][300];
    char var[8][64];
    int64_t ts[8];
    uint64_t line[8];
    unsigned flags[8];
    size_t n;
};

static int keep_fn(const struct jtl_sample *s, void *ctx)
{
    struct keep *k = ctx;

    if (k->n < 8) {
        snprintf(k->label[k->n], 300, "%.*s", (int)s->label.len, s->label.p);
        snprintf(k->msg[k->n], 300, "%.*s", (int)s->message.len, s->message.p);
        if (s->nvars)
            snprintf(k->var[k->n], 64, "%.*s=%.*s", (int)s->vars[0].name.len,
                     s->vars[0].name.p, (int)s->vars[0].value.len,
                     s->vars[0].value.p);
        k->ts[k->n] = s->timestamp;
        k->line[k->n] = s->line;
        k->flags[k->n] = s->flags;
    }
    k->n++;
    return 0;
}

static enum jtl_err keep_decode(const char *data, size_t n,
                                const struct jtl_decode_opts *o, struct keep *k)
{
    struct jtl_dcsv *d = NULL;
    struct jtl_diag diag;
    enum jtl_err err;

    memset(k, 0, sizeof(*k));
    err = jtl_dcsv_new(o, keep_fn, k, &d, &diag);
    if (!err)
        err = jtl_dcsv_feed(d, data, n, &diag);
    if (!err)
        err = jtl_dcsv_finish(d, &diag);
    jtl_dcsv_free(d);
    return err;
}

static void test_fixture_details(void)
{
    struct jtl_decode_opts o = {0};
    struct result r;
    struct keep k;
    size_t n;
    char *data;

    /* Transaction Controller rows (README: 37 HP, 33 Search, 33 Scenario
     * parents; Python csv agrees) */
    decode_file_checked(
        "upstream/jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv",
        &o, &r);
    CHECK_EQ_INT(r.tc_parent, 103,
                 "103 TC parent rows (37 HP + 33 Search + "
                 "33 Scenario)");
    CHECK_EQ_INT(r.tc_empty, 0, "no empty transaction");
    decode_file_checked("upstream/taurus/csv_transaction_controller_rows.jtl",
                        &o, &r);
    CHECK_EQ_INT(r.tc_parent, 2, "both quoted TC messages mark TC parents");

    /* multi-line quoted label with doubled quotes: 2 records, 5 lines */
    data = slurp("upstream/jenkins-performance-plugin/"
                 "csv_embedded_newlines_doubled_quotes.jtl",
                 &n);
    CHECK_EQ_INT(keep_decode(data, n, &o, &k), JTL_OK, "multi-line decodes");
    CHECK_EQ_INT(k.n, 2, "multi-line file: 2 samples");
    CHECK_EQ_INT(k.line[0], 2, "first sample on line 2");
    CHECK_EQ_INT(k.line[1], 3, "second sample starts on line 3");
    CHECK(strncmp(k.label[1],
                  "no such element: Unable to locate element: "
                  "{\"method\":\"id\",\"selector\":\"reviewBAD\"}\n"
                  "                  Session ID: ",
                  105) == 0,
          "doubled quotes unescaped, newline kept inside the label");
    free(data);

    /* quoted sample_variables header */
    data = slurp("upstream/taurus/csv_sample_variables_quoted_header.jtl", &n);
    CHECK_EQ_INT(keep_decode(data, n, &o, &k), JTL_OK, "sample vars decode");
    CHECK_EQ_STR(k.var[0], "SessionName=null",
                 "quoted variable name unquoted, value kept by name");
    free(data);

    /* formatted timestamps, read in TZ=UTC */
    data = slurp("upstream/jenkins-performance-plugin/"
                 "csv_timestamp_yyyy-MM-dd_HH-mm-ss.SSS.csv",
                 &n);
    CHECK_EQ_INT(keep_decode(data, n, &o, &k), JTL_OK, "formatted ts decode");
    CHECK_EQ_INT(k.ts[0], 1393227741256LL,
                 "2014-02-24 07:42:21.256 UTC is 1393227741256");
    CHECK_EQ_INT(k.ts[2], 1393227741258LL, "third row 2 ms later");
    {
        struct jtl_decode_opts o2 = {0};
        o2.timestamp_format = "yyyy-MM-dd HH:mm:ss.SSS";
        CHECK_EQ_INT(keep_decode(data, n, &o2, &k), JTL_OK,
                     "explicit --timestamp-format decodes");
        CHECK_EQ_INT(k.ts[1], 1393227741257LL, "explicit pattern, same ms");
        o2.timestamp_format = "yyyy/MM/dd HH:mm:ss.SSS";
        CHECK_EQ_INT(keep_decode(data, n, &o2, &k), JTL_ERR_EMPTY,
                     "a pattern that matches no row: every row skipped");
    }
    free(data);

    /* month 20 is rejected (non-lenient), every row counted as skipped */
    decode_file_checked("upstream/jenkins-performance-plugin/"
                        "csv_custom_timestamp_invalid_month.csv",
                        &o, &r);
    CHECK_EQ_INT(r.err, JTL_ERR_EMPTY, "invalid month: no sample at all");
    CHECK_EQ_INT(r.counts.skipped, 3, "invalid month: 3 records skipped");
    CHECK_EQ_INT(r.warnings, 3, "invalid month: one warning per record");
    CHECK_EQ_STR(r.first_warning,
                 "upstream/jenkins-performance-plugin/"
                 "csv_custom_timestamp_invalid_month.csv:2: timeStamp "
                 "'2001/20/20 12:05:05.123' is neither epoch milliseconds "
                 "nor a known date format",
                 "invalid month: file:line: what is wrong");

    /* MALFORMED short row: skipped and counted */
    decode_file_checked("upstream/lightning/csv_MALFORMED_short_rows.csv", &o,
                        &r);
    CHECK_EQ_INT(r.counts.skipped, 1, "short row skipped");
    CHECK_EQ_INT(r.counts.records, 1, "short row counted as a record");
    CHECK_EQ_STR(r.first_warning,
                 "upstream/lightning/csv_MALFORMED_short_rows.csv:2: expected "
                 "9 fields, got 3",
                 "short row: file:line: expected N fields, got M");
    CHECK_EQ_INT(r.err, JTL_ERR_EMPTY, "short row: no valid sample");
    o.strict = true;
    decode_file_checked("upstream/lightning/csv_MALFORMED_short_rows.csv", &o,
                        &r);
    CHECK_EQ_INT(r.err, JTL_ERR_PARSE, "--strict: the short row is fatal");
    CHECK_EQ_STR(r.diag.where,
                 "upstream/lightning/csv_MALFORMED_short_rows.csv:2",
                 "--strict names file:line");
    o.strict = false;

    /* CRLF file: 150 samples, lines right */
    decode_file_checked("upstream/jmeter-plugins/csv_2015_no_connect.jtl", &o,
                        &r);
    CHECK_EQ_INT(r.counts.lines, 151, "CRLF file: 151 physical lines");
    CHECK_EQ_INT(r.lines_of[7], 9, "CRLF file: 8th sample on line 9");

    /* 5-column header-less file: unknown without --columns */
    decode_file_checked("upstream/apache-jmeter/"
                        "batch_TEST_HTTP_HttpClient4_no_timing_no_header.csv",
                        &o, &r);
    CHECK_EQ_INT(r.err, JTL_ERR_FORMAT,
                 "5 unnamed columns: format error, not a guess");
    CHECK(strstr(r.diag.msg, "--columns") != NULL, "the message names "
                                                   "--columns");
    o.columns = "label,responseCode,threadName,dataType,success";
    decode_file_checked("upstream/apache-jmeter/"
                        "batch_TEST_HTTP_HttpClient4_no_timing_no_header.csv",
                        &o, &r);
    CHECK_EQ_INT(r.err, JTL_OK, "--columns names a header-less file");
    CHECK_EQ_INT(r.n, 22, "--columns: 22 samples (README)");
    o.columns = NULL;
}

/* ------------------------------------------------------------------ */
/* edge cases on small inputs */

/* Epoch milliseconds: every length from 1 to 15 digits gives its value,
 * and a byte that is not a digit at any position makes the row malformed
 * (kept from trying to read them eight digits at a time, which measured no
 * faster). */
static void test_epoch_digits(void)
{
    struct jtl_decode_opts o = {0};
    struct keep k;
    char buf[256], ts[16];
    size_t len, bad;
    int ok_values = 1, ok_bad = 1;

    for (len = 1; len <= 15; len++) {
        int64_t want = 0;
        size_t i;
        for (i = 0; i < len; i++) {
            /* from 1: 15 digits stay below year 9999 */
            ts[i] = (char)(i ? '1' + (i * 7 + len) % 9 : '1');
            want = want * 10 + (ts[i] - '0');
        }
        ts[len] = '\0';
        snprintf(buf, sizeof(buf),
                 "timeStamp,elapsed,label,responseCode,success\n"
                 "%s,5,A,200,true\n",
                 ts);
        if (keep_decode(buf, strlen(buf), &o, &k) != JTL_OK || k.n != 1 ||
            k.ts[0] != want) {
            ok_values = 0;
            printf("  %zu digits: %lld, want %lld\n", len, (long long)k.ts[0],
                   (long long)want);
        }
        for (bad = 0; bad < len; bad++) {
            static const char nondigit[] = {'/', ':', 'a', ' ', '\xE9'};
            char c = nondigit[bad % sizeof(nondigit)];
            char save = ts[bad];
            ts[bad] = c;
            snprintf(buf, sizeof(buf),
                     "timeStamp,elapsed,label,responseCode,success\n"
                     "1700000000000,5,A,200,true\n%s,5,A,200,true\n",
                     ts);
            /* the first row is good; the second must not be read as a
             * number (a date format may still read a few: not 13 digits) */
            if (keep_decode(buf, strlen(buf), &o, &k) == JTL_OK && k.n == 2 &&
                c != ' ' && len >= 8) {
                ok_bad = 0;
                printf("  '%s' read as %lld\n", ts, (long long)k.ts[1]);
            }
            ts[bad] = save;
        }
    }
    CHECK(ok_values, "epoch milliseconds of 1 to 15 digits read exactly");
    CHECK(ok_bad, "a non-digit anywhere in 8 to 15 digits: not a timestamp");
}

static void test_edges(void)
{
    struct jtl_decode_opts o = {0};
    struct result r;
    struct keep k;
    const char *hdr = "timeStamp,elapsed,label,responseCode,success\n";
    char buf[512];

    decode_str("", &o, &r);
    CHECK_EQ_INT(r.err, JTL_ERR_EMPTY, "empty input: JTL_ERR_EMPTY");
    decode_str(hdr, &o, &r);
    CHECK_EQ_INT(r.err, JTL_ERR_EMPTY, "header only: JTL_ERR_EMPTY");
    CHECK_EQ_STR(r.diag.msg, "file has a header but no samples",
                 "header only: clear message");
    decode_checked("binary", "\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", 16, &o, &r);
    CHECK_EQ_INT(r.err, JTL_ERR_FORMAT, "binary garbage: JTL_ERR_FORMAT");
    CHECK(strstr(r.diag.msg, "not a JMeter CSV or XML file") != NULL,
          "binary garbage: says it is not a JTL");
    decode_str("hello world\nthis is text\n", &o, &r);
    CHECK_EQ_INT(r.err, JTL_ERR_FORMAT, "plain text: JTL_ERR_FORMAT");

    /* a record cut at EOF but complete is a sample; a short one is not */
    snprintf(buf, sizeof(buf), "%s1,2,a,200,true\n3,4,b,200,false", hdr);
    decode_str(buf, &o, &r);
    CHECK(r.err == JTL_OK && r.n == 2 && !r.counts.truncated,
          "last record without newline but complete: a sample");
    snprintf(buf, sizeof(buf), "%s1,2,a,200,true\n3,4,b", hdr);
    decode_str(buf, &o, &r);
    CHECK(r.err == JTL_OK && r.n == 1 && r.counts.skipped == 1 &&
              r.counts.truncated,
          "short last line: skipped, counted, truncated");
    snprintf(buf, sizeof(buf), "%s1,2,a,200,true\n3,4,\"b\nc", hdr);
    decode_str(buf, &o, &r);
    CHECK(r.n == 1 && r.counts.skipped == 1 && r.counts.truncated,
          "file ending inside quotes: skipped, truncated");
    CHECK(strstr(r.first_warning, "t.csv:3: file ends inside a quoted") != NULL,
          "open quote at EOF: named with its first line");

    /* CR only, CRLF, blank lines, BOM */
    snprintf(buf, sizeof(buf),
             "\xEF\xBB\xBFtimeStamp,elapsed,label\r\n\r\n1,2,a\r\n\n3,4,b\r"
             "5,6,c\r\n");
    decode_str(buf, &o, &r);
    CHECK(r.err == JTL_OK && r.n == 3, "BOM, CRLF, blank lines, lone CR");
    CHECK(r.lines_of[0] == 3 && r.lines_of[1] == 5 && r.lines_of[2] == 6,
          "line numbers count CRLF once and a lone CR as a line end");

    /* delimiters */
    decode_str("timeStamp;elapsed;label;success\n1;2;a,b;true\n", &o, &r);
    CHECK(r.err == JTL_OK && r.n == 1 && r.counts.delimiter == ';',
          "semicolon sniffed; comma inside a label is data");
    decode_str("timeStamp|elapsed|label\n1|2|x\n", &o, &r);
    CHECK(r.err == JTL_OK && r.counts.delimiter == '|', "pipe sniffed");
    o.delimiter = ';';
    decode_str("timeStamp,elapsed\n1,2\n", &o, &r);
    CHECK(r.err != JTL_OK, "--delimiter overrides the sniffing");
    o.delimiter = 0;

    /* quoting: doubled quotes, delimiters, quoted empty, quotes in data */
    snprintf(buf, sizeof(buf),
             "timeStamp,elapsed,label,responseMessage\n"
             "1,2,\"a,\"\"b\"\"\",\"\"\n"
             "3,4,x\"y,\"Number of samples in transaction : 0, number of "
             "failing samples : 0\"\n"
             "5,6,\"q\"z,m\",M\n");
    memset(&k, 0, sizeof(k));
    CHECK_EQ_INT(keep_decode(buf, strlen(buf), &o, &k), JTL_OK,
                 "quoting cases decode");
    CHECK_EQ_STR(k.label[0], "a,\"b\"", "quoted delimiter and doubled quotes");
    CHECK_EQ_STR(k.label[1], "x\"y",
                 "a quote inside an unquoted field is "
                 "data (libcsv)");
    CHECK_EQ_STR(k.label[2], "q\"z,m",
                 "text after a closing quote: libcsv "
                 "keeps reading the quoted field");
    CHECK_EQ_STR(k.msg[2], "M", "... until a quote before a delimiter");
    CHECK(k.flags[1] == (JTL_SAMPLE_TC_PARENT | JTL_SAMPLE_TC_EMPTY),
          "TC with 0 samples: TC_PARENT and TC_EMPTY");
    decode_str(buf, &o, &r);
    CHECK(r.err == JTL_OK && r.n == 3 && r.counts.skipped == 0,
          "odd quoting decodes the same at every chunk size");

    /* bad values */
    snprintf(buf, sizeof(buf),
             "%s1,-5,a,200,true\n2,x,a,200,true\n3,4,a,200,maybe\n"
             "abc,4,a,200,true\n5,6,a,200,TRUE\n",
             hdr);
    decode_str(buf, &o, &r);
    CHECK(r.n == 1 && r.counts.skipped == 4 && r.success == 1,
          "negative/non-numeric elapsed, bad success, bad timestamp "
          "skipped; TRUE accepted");
    CHECK_EQ_STR(r.first_warning, "t.csv:2: elapsed is negative (-5)",
                 "negative elapsed named");

    /* header in any order with unknown columns kept as variables */
    snprintf(buf, sizeof(buf),
             "label,myvar,elapsed,timeStamp\nL,v1,7,1000\nM,v2,8,2000\n");
    memset(&k, 0, sizeof(k));
    CHECK_EQ_INT(keep_decode(buf, strlen(buf), &o, &k), JTL_OK,
                 "reordered header decodes");
    CHECK(k.n == 2 && strcmp(k.label[1], "M") == 0 && k.ts[1] == 2000 &&
              strcmp(k.var[1], "myvar=v2") == 0,
          "reordered header: fields by name, unknown column a variable");

    /* caps: 100 000 columns in a record, a 10 MB field */
    {
        size_t n = 200000 + 64, i, len;
        char *big = jtl_xmalloc(12u << 20);
        len = (size_t)snprintf(
            big, n, "timeStamp,elapsed,label,responseCode,success\n");
        for (i = 0; i < 100000; i++) {
            big[len++] = '1';
            big[len++] = ',';
        }
        big[len - 1] = '\n';
        len += (size_t)snprintf(big + len, 64, "1,2,ok,200,true\n");
        decode(big, len, &o, 0, true, &r);
        CHECK(r.err == JTL_OK && r.n == 1 && r.counts.skipped == 1,
              "100 000 fields: the record is skipped, the run goes on");
        CHECK(strstr(r.first_warning, "over the cap of 1024") != NULL,
              "100 000 fields: message names the cap");
        len = (size_t)snprintf(
            big, 64, "timeStamp,elapsed,label,responseCode,success\n1,2,\"");
        memset(big + len, 'x', 10u << 20);
        len += 10u << 20;
        len +=
            (size_t)snprintf(big + len, 64, "\",200,true\n3,4,ok,200,true\n");
        /* fuzz/hostile: a 10 MB field used to stop the file (JTL_ERR_LIMIT)
         * and lose every record after it */
        decode(big, len, &o, 0, true, &r);
        CHECK(r.err == JTL_OK && r.n == 1 && r.counts.skipped == 1,
              "10 MB field: the record is skipped, the next one is read");
        CHECK(strstr(r.first_warning, "longer than 1 MiB") != NULL,
              "10 MB field: message names the cap");
        decode(big, len, &o, 65536, false, &r);
        CHECK(r.err == JTL_OK && r.n == 1 && r.counts.skipped == 1,
              "10 MB field via libcsv: skipped, the next record is read");
        free(big);
    }
}

/* ------------------------------------------------------------------ */
/* the fast path against libcsv, record by record, field by field */

struct recs {
    char *buf;
    size_t len, cap;
    uint64_t n, nfast;
};

static void put(struct recs *r, const void *p, size_t n)
{
    if (r->len + n > r->cap) {
        r->cap = (r->len + n) * 2 + 256;
        r->buf = jtl_xrealloc(r->buf, r->cap);
    }
    if (n)
        memcpy(r->buf + r->len, p, n);
    r->len += n;
}

static enum jtl_err keep_rec(void *ctx, const struct jtl_csvrec *rec,
                             struct jtl_diag *diag)
{
    struct recs *r = ctx;
    unsigned flags = rec->flags & ~(unsigned)JTL_CSVREC_FAST;
    size_t i;

    (void)diag;
    r->n++;
    if (rec->flags & JTL_CSVREC_FAST)
        r->nfast++;
    put(r, &rec->nfields, sizeof(rec->nfields));
    put(r, &rec->nstored, sizeof(rec->nstored));
    put(r, &rec->line, sizeof(rec->line));
    put(r, &flags, sizeof(flags));
    for (i = 0; i < rec->nstored; i++) {
        put(r, &rec->fields[i].len, sizeof(rec->fields[i].len));
        put(r, rec->fields[i].p, rec->fields[i].len);
    }
    return JTL_OK;
}

/* mode 0: libcsv only; 1: fast path, SSE2 scan; 2: fast path, byte loop */
static enum jtl_err split_all(const char *p, size_t n, char delim, int mode,
                              size_t chunk, struct recs *out)
{
    struct jtl_csvsplit sp;
    struct jtl_diag diag;
    enum jtl_err err = JTL_OK;
    size_t pos = 0;
    uint64_t lines;

    memset(out, 0, sizeof(*out));
    jtl_csvsplit_init(&sp, delim, mode != 0, "x", keep_rec, out);
    sp.simd = mode == 1;
    if (!chunk)
        chunk = n ? n : 1;
    while (pos < n && !err) {
        size_t k = n - pos < chunk ? n - pos : chunk;
        err = jtl_csvsplit_feed(&sp, p + pos, k, &diag);
        pos += k;
    }
    if (!err)
        err = jtl_csvsplit_finish(&sp, &diag);
    lines = jtl_csvsplit_lines(&sp);
    put(out, &lines, sizeof(lines));
    put(out, &err, sizeof(err));
    jtl_csvsplit_release(&sp);
    return err;
}

static uint64_t diff_cases, diff_bad, diff_fast_records;

static void diff_one(const char *what, const char *p, size_t n, char delim)
{
    static const size_t chunks[] = {0, 1, 3, 16, 17, 64};
    struct recs ref, alt;
    size_t c;
    int mode;

    split_all(p, n, delim, 0, 0, &ref);
    for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
        if (chunks[c] && chunks[c] > n && chunks[c] != 1)
            continue;
        for (mode = 0; mode < 3; mode++) {
            if (mode == 0 && chunks[c] == 0)
                continue;
            split_all(p, n, delim, mode, chunks[c], &alt);
            diff_cases++;
            if (mode)
                diff_fast_records += alt.nfast;
            if (alt.len != ref.len || memcmp(alt.buf, ref.buf, ref.len)) {
                if (diff_bad++ < 5) {
                    size_t k;
                    fprintf(stderr,
                            "  %s: mode %d chunk %zu differs from "
                            "libcsv; input (%zu bytes): ",
                            what, mode, chunks[c], n);
                    for (k = 0; k < n && k < 200; k++)
                        fprintf(stderr,
                                (unsigned char)p[k] < 32 || p[k] == '\\'
                                    ? "\\x%02x"
                                    : "%c",
                                (unsigned char)p[k]);
                    fputc('\n', stderr);
                }
            }
            free(alt.buf);
        }
    }
    free(ref.buf);
}

static const char *const diff_files[] = {
    "upstream/apache-jmeter/dashboard_5x_default_header.csv",
    "upstream/apache-jmeter/batch_TestResultStatusAction.csv",
    "upstream/taurus/csv_quoted_responseMessage_commas.jtl",
    "upstream/taurus/csv_sample_variables_quoted_header.jtl",
    "upstream/taurus/csv_transaction_controller_rows.jtl",
    "upstream/taurus/pair1_kpi.csv.jtl",
    "upstream/taurus/csv_200_but_success_false_embedded.jtl",
    /* clang-format off */
    "upstream/jenkins-performance-plugin/csv_embedded_newlines_doubled_quotes.jtl",
    /* clang-format on */
    "upstream/jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv",
    "upstream/jmeter-plugins/csv_2015_no_connect.jtl",
    "upstream/lightning/csv_MALFORMED_short_rows.csv",
    "upstream/taurus/xml_all_attributes_hn_sc_ec_it.jtl",
    "upstream/taurus/xml_SYNTHETIC_nested_tc_429.jtl",
    "jmeter-nginx/fixed-window.csv.jtl",
};

static uint64_t rnd_state = 88172645463325252ull;

static unsigned rnd(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

/* A CSV-ish text: fields plain or quoted (doubled quotes, delimiters, CR,
 * LF inside), sometimes broken (stray quotes, text after a closing quote),
 * lines ended by LF, CRLF or CR, maybe no final line end. */
static size_t gen_structured(char *out, size_t cap, char delim)
{
    static const char *const words[] = {"a",   "bc", "200",           "OK",
                                        " x ", "",   "1700000000000", "true"};
    size_t n = 0, rows = 1 + rnd(6), r, f;

    for (r = 0; r < rows && n + 200 < cap; r++) {
        size_t nf = 1 + rnd(6);
        for (f = 0; f < nf && n + 100 < cap; f++) {
            unsigned kind = rnd(10);
            const char *w = words[rnd(8)];
            if (f)
                out[n++] = delim;
            if (kind < 6) {
                n += (size_t)snprintf(out + n, cap - n, "%s", w);
            } else if (kind < 9) {
                out[n++] = '"';
                n += (size_t)snprintf(out + n, cap - n, "%s", w);
                switch (rnd(6)) {
                case 0:
                    out[n++] = '"';
                    out[n++] = '"';
                    break;
                case 1:
                    out[n++] = delim;
                    break;
                case 2:
                    out[n++] = '\n';
                    break;
                case 3:
                    out[n++] = '\r';
                    out[n++] = '\n';
                    break;
                default:
                    break;
                }
                n += (size_t)snprintf(out + n, cap - n, "%s", words[rnd(8)]);
                if (rnd(12))
                    out[n++] = '"';
                if (!rnd(10))
                    out[n++] = 'z'; /* text after the closing quote */
            } else {
                out[n++] = 'q';
                out[n++] = '"'; /* stray quote in an unquoted field */
                out[n++] = 'r';
            }
        }
        switch (rnd(5)) {
        case 0:
            out[n++] = '\r';
            out[n++] = '\n';
            break;
        case 1:
            out[n++] = '\r';
            break;
        case 2:
            if (r + 1 == rows)
                break; /* no final line end */
            /* fall through */
        default:
            out[n++] = '\n';
        }
    }
    return n;
}

static void test_fast_vs_libcsv(void)
{
    static const char alphabet[] = {'a', 'b',  ',',  ';', '"', '\r', '\n',
                                    ' ', '\t', '\0', '1', '"', ','};
    char buf[1024];
    size_t i, k;

    for (i = 0; i < sizeof(diff_files) / sizeof(diff_files[0]); i++) {
        size_t n;
        char *data = slurp(diff_files[i], &n);
        diff_one(diff_files[i], data, n, ',');
        diff_one(diff_files[i], data, n, '\t');
        free(data);
    }
    for (i = 0; i < 4000; i++) {
        size_t n = rnd(120);
        for (k = 0; k < n; k++)
            buf[k] = alphabet[rnd(sizeof(alphabet))];
        diff_one("random bytes", buf, n, i % 3 == 0 ? ';' : ',');
    }
    for (i = 0; i < 4000; i++) {
        char delim = i % 4 == 0 ? '\t' : ',';
        size_t n = gen_structured(buf, sizeof(buf), delim);
        diff_one("structured", buf, n, delim);
    }
    /* long lines: fields across the 16-byte windows, a delimiter at every
     * offset, lines ending at every offset of a window */
    for (i = 0; i < 64; i++) {
        size_t n = 0, j;
        for (j = 0; j < 3; j++) {
            for (k = 0; k < i + j * 7; k++)
                buf[n++] = (char)('a' + (k % 26));
            buf[n++] = k % 3 ? ',' : '\n';
            buf[n++] = 'x';
            buf[n++] = '\n';
        }
        diff_one("window offsets", buf, n, ',');
    }
    fprintf(stderr,
            "  fast vs libcsv: %" PRIu64 " comparisons, %" PRIu64
            " records through the fast path\n",
            diff_cases, diff_fast_records);
    CHECK_EQ_INT(diff_bad, 0,
                 "fast path (SSE2 and portable) gives exactly "
                 "libcsv's records, fields, lines and flags");
    CHECK(diff_fast_records > 50000, "the comparisons exercise the fast "
                                     "path, not only libcsv");
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    test_nginx();
    test_fixtures();
    test_fixture_details();
    test_edges();
    test_epoch_digits();
    test_fast_vs_libcsv();
    return CHECK_DONE();
}
