/* SPDX-License-Identifier: MIT
 * test_csvout.c - JMeter CSV writing: CSVSaveService quoting, and every CSV
 * fixture decoded, written and decoded again gives the same samples. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/decoder.h"
#include "jtl/report/csvout.h"
#include "samples.h"

/* A test data file, whole (tests/data/REL). */
static char *slurp(const char *rel, size_t *n)
{
    char path[512];
    char *buf;

    snprintf(path, sizeof(path), "%s/%s", JTL_TEST_DATA, rel);
    buf = slurp_file(path, n);
    if (!buf)
        exit(1);
    return buf;
}

struct pass {
    uint64_t digest, n;
    uint32_t present;
    struct jtl_csvout *w; /* when writing */
    char *vars[8];
    size_t nvars;
};

/* Everything but where the sample came from (line, seq, file). */
static int digest_fn(const struct jtl_sample *s, void *ctx)
{
    struct pass *p = ctx;
    uint64_t *h = &p->digest;
    size_t i;

    *h = sample_hash(*h, s, SAMPLE_CSV_ONLY);
    for (i = 0; i < s->nvars; i++) {
        if (p->nvars < 8 && p->n == 0)
            p->vars[p->nvars++] =
                jtl_xstrndup(s->vars[i].name.p, s->vars[i].name.len);
    }
    p->present |= s->present;
    p->n++;
    if (p->w)
        jtl_csvout_row(p->w, s);
    return 0;
}

static enum jtl_err run(const char *data, size_t n, struct pass *p)
{
    struct jtl_decode_opts o = {0};
    struct jtl_decoder *d = NULL;
    struct jtl_diag diag;
    enum jtl_err err;

    o.name = "t";
    p->digest = SAMPLE_HASH_INIT;
    p->n = 0;
    err = jtl_decoder_new(&o, digest_fn, p, &d, &diag);
    if (!err)
        err = jtl_decoder_feed(d, data, n, &diag);
    if (!err)
        err = jtl_decoder_finish(d, &diag);
    jtl_decoder_free(d);
    return err;
}

static const char *const files[] = {
    "upstream/apache-jmeter/dashboard_5x_default_header.csv",
    "upstream/apache-jmeter/dashboard_fails_missing_responseCode_columns.csv",
    "upstream/apache-jmeter/batch_BatchTestLocal_samplecount_filename_cols.csv",
    "upstream/apache-jmeter/batch_TestResultStatusAction.csv",
    "upstream/taurus/csv_tab_delimited.jtl",
    "upstream/taurus/csv_quoted_responseMessage_commas.jtl",
    "upstream/taurus/csv_sample_variables_quoted_header.jtl",
    "upstream/taurus/csv_transaction_controller_rows.jtl",
    "upstream/taurus/csv_cyrillic_labels_404.jtl",
    "upstream/taurus/csv_112_threads_500_errors.jtl",
    "upstream/taurus/pair1_kpi.csv.jtl",
    "upstream/jenkins-performance-plugin/"
    "csv_embedded_newlines_doubled_quotes.jtl",
    "upstream/jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv",
    "upstream/jenkins-performance-plugin/csv_no_header_2x.jtl",
    "upstream/jenkins-performance-plugin/"
    "csv_timestamp_yyyy-MM-dd_HH-mm-ss.SSS.csv",
    "upstream/jmeter-plugins/csv_2015_no_connect.jtl",
    "upstream/jmeter-sla-report/csv_sentBytes_no_threads.csv",
    "upstream/lightning/csv_empty_dataType_no_message.csv",
    "jmeter-nginx/threshold-rate.default.csv.jtl",
    "jmeter-nginx/distributed.csv.jtl",
};

static void test_round_trip(void)
{
    size_t i;
    char msg[400];

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        struct pass a = {0}, b = {0};
        struct jtl_csvout w;
        size_t n, outlen = 0, k;
        char *data = slurp(files[i], &n), *out = NULL;
        FILE *fp;

        /* first pass: the columns (as `convert` spools) */
        CHECK_EQ_INT(run(data, n, &a), JTL_OK, files[i]);
        fp = open_memstream(&out, &outlen);
        jtl_csvout_init(&w, fp, a.present, (const char *const *)a.vars,
                        a.nvars);
        jtl_csvout_header(&w);
        a.w = &w;
        run(data, n, &a);
        fclose(fp);
        CHECK_EQ_INT(run(out, outlen, &b), JTL_OK, "output decodes");
        snprintf(msg, sizeof(msg), "%s: same samples after writing", files[i]);
        CHECK(a.n == b.n && a.digest == b.digest, msg);
        jtl_csvout_release(&w);
        for (k = 0; k < a.nvars; k++)
            free(a.vars[k]);
        for (k = 0; k < b.nvars; k++)
            free(b.vars[k]);
        free(out);
        free(data);
    }
}

static void test_quoting(void)
{
    struct jtl_sample s;
    struct jtl_csvout w;
    struct jtl_var v = {{"my var", 6}, {"x", 1}};
    const char *vars[] = {"my var", "other"};
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);

    memset(&s, 0, sizeof(s));
    s.present = (1u << JTL_F_TIMESTAMP) | (1u << JTL_F_LABEL) |
                (1u << JTL_F_MESSAGE) | (1u << JTL_F_SUCCESS);
    s.timestamp = 1700000000123;
    s.label.p = "a,\"b\"";
    s.label.len = 5;
    s.message.p = "line1\nline2";
    s.message.len = 11;
    s.vars = &v;
    s.nvars = 1;
    jtl_csvout_init(&w, fp, s.present | (1u << JTL_F_LATENCY), vars, 2);
    jtl_csvout_header(&w);
    jtl_csvout_row(&w, &s);
    fclose(fp);
    CHECK_EQ_STR(out,
                 "timeStamp,label,responseMessage,success,Latency,\"my var\","
                 "\"other\"\n"
                 "1700000000123,\"a,\"\"b\"\"\",\"line1\nline2\",false,,x,\n",
                 "CSVSaveService quoting; a missing value is empty, not 0");
    jtl_csvout_release(&w);
    free(out);
}

int main(void)
{
    setenv("TZ", "UTC", 1);
    test_quoting();
    test_round_trip();
    return CHECK_DONE();
}
