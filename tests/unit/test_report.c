/* SPDX-License-Identifier: MIT
 * test_report.c - the report's chart data stays bounded and right: a
 * per-second series of a 2-day run is averaged into at most
 * JTL_REPORT_MAX_POINTS groups with the right means, the time axis switches
 * to hours, only the busiest labels get a bar, and charts without data are
 * left out.  Inputs are hand-built result structs (the aggregation and the
 * analysis have their own tests). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jtl/report/report.h"
#include "samples.h"

static char dir[] = "/tmp/jtl-report-XXXXXX";

/* A file of the scratch folder, whole. */
static char *slurp(const char *name)
{
    char path[512];

    snprintf(path, sizeof(path), "%s/%s", dir, name);
    return slurp_file(path, NULL);
}

static size_t count_lines(const char *s)
{
    size_t n = 0;

    for (; s && *s; s++)
        n += *s == '\n';
    return n;
}

static bool has_chart(const struct jtl_report_charts *c, const char *name)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (strcmp(c->list[i].name, name) == 0)
            return true;
    return false;
}

static void test_long_run(void)
{
    enum { NSEC = 2 * 86400 };
    struct jtl_timeline tl;
    struct jtl_report_input in;
    struct jtl_report_charts charts;
    struct jtl_run_info run;
    struct jtl_diag d;
    uint32_t *acc = calloc(NSEC, sizeof(uint32_t));
    uint32_t *t429 = calloc(NSEC, sizeof(uint32_t));
    uint32_t *errs = calloc(NSEC, sizeof(uint32_t));
    uint32_t *hits = calloc(NSEC, sizeof(uint32_t));
    uint32_t *thr = calloc(NSEC, sizeof(uint32_t));
    char *dat, *line;
    size_t i, rows;
    double x0 = -1, x1 = -1, prev = -1;
    bool monotonic = true, means = true;

    for (i = 0; i < NSEC; i++) {
        /* 30 accepted every second; 429s only in odd seconds (mean 5) */
        acc[i] = 30;
        t429[i] = (i % 2) ? 10 : 0;
        errs[i] = 0;
        hits[i] = acc[i] + t429[i];
        thr[i] = 50;
    }
    memset(&tl, 0, sizeof(tl));
    tl.sec_t0 = 1700000000000;
    tl.nsec = NSEC;
    tl.sec_hits = hits;
    tl.sec_accepted = acc;
    tl.sec_429 = t429;
    tl.sec_errors = errs;
    tl.sec_threads_max = thr;
    memset(&run, 0, sizeof(run));
    run.first_ts = tl.sec_t0;
    run.last_end = tl.sec_t0 + (int64_t)NSEC * 1000;
    memset(&in, 0, sizeof(in));
    in.timeline = &tl;

    CHECK_EQ_INT(jtl_report_charts_write(&in, &run, dir, &charts, &d), JTL_OK,
                 "charts written for a 2-day timeline");
    CHECK(has_chart(&charts, "chart-01-throughput"), "throughput chart");
    CHECK(!has_chart(&charts, "chart-02-429-share"),
          "no 429-share chart without the analysis");
    CHECK(!has_chart(&charts, "chart-06-response-time-percentiles"),
          "no chart for data the input does not have");
    dat = slurp("chart-01-throughput.dat");
    rows = count_lines(dat) - 1; /* header */
    CHECK(rows <= JTL_REPORT_MAX_POINTS + 1,
          "172800 seconds coarsened to at most MAX_POINTS (+1 closing) rows");
    CHECK(rows >= 100, "but still a detailed curve");
    for (line = dat ? strchr(dat, '\n') : NULL; line && line[1];
         line = strchr(line + 1, '\n')) {
        double x, a, b, e, t;
        if (sscanf(line + 1, "%lf\t%lf\t%lf\t%lf\t%lf", &x, &a, &b, &e, &t) !=
            5)
            continue;
        if (x0 < 0)
            x0 = x;
        x1 = x;
        monotonic &= x > prev;
        prev = x;
        means &= fabs(a - 30) < 1e-9 && fabs(b - 5) < 1e-9 && e == 0 && t == 50;
    }
    CHECK(monotonic, "time increases row by row");
    CHECK(means, "each row is the per-second mean of its group (30, 5, 0) "
                 "and the peak threads (50)");
    CHECK_NEAR(x0, 0, 1e-9, "the axis starts at the start of the test");
    CHECK_NEAR(x1, 48, 1e-9, "in hours: the last row ends at 48 h");
    CHECK(dat && strstr(dat, "time since start of test (h)") != NULL,
          "axis unit chosen from the duration");
    free(dat);
    dat = slurp("chart-01-throughput.gp");
    CHECK(dat && strstr(dat, "mean of 120 s") != NULL,
          "the y label says over how many seconds a row averages");
    free(dat);
    jtl_report_charts_release(&charts);
    free(acc);
    free(t429);
    free(errs);
    free(hits);
    free(thr);
}

static void test_labels_cap(void)
{
    enum { NL = 300 };
    struct jtl_stats_result st;
    struct jtl_stats_row *rows = calloc(NL, sizeof(*rows));
    char(*names)[32] = calloc(NL, sizeof(*names));
    struct jtl_report_input in;
    struct jtl_report_charts charts;
    struct jtl_diag d;
    char *dat;
    size_t i;

    memset(&st, 0, sizeof(st));
    for (i = 0; i < NL; i++) {
        snprintf(names[i], sizeof(names[i]), "label %03zu", i);
        rows[i].label = names[i];
        rows[i].label_len = strlen(names[i]);
        rows[i].samples = 1000 + i; /* label 299 is the busiest */
        rows[i].errors = 0;
        rows[i].throughput = (double)(1000 + i) / 100.0;
    }
    st.rows = rows;
    st.nrows = NL;
    memset(&in, 0, sizeof(in));
    in.stats = &st;
    CHECK_EQ_INT(jtl_report_charts_write(&in, NULL, dir, &charts, &d), JTL_OK,
                 "charts written for 300 labels");
    CHECK(has_chart(&charts, "chart-09-labels"), "label chart");
    dat = slurp("chart-09-labels.dat");
    CHECK_EQ_INT(count_lines(dat), JTL_REPORT_MAX_BARS + 1,
                 "only the busiest labels get a bar (+ header line)");
    CHECK(dat && strstr(dat, "\"label 299\"\t12.99\t0\t0\n") != NULL,
          "the busiest label, all accepted, at its throughput");
    CHECK(dat && strstr(dat, "\"label 275\"") != NULL,
          "the 25th busiest is in");
    CHECK(dat && strstr(dat, "\"label 274\"") == NULL,
          "the 26th busiest is not");
    free(dat);
    dat = slurp("chart-09-labels.gp");
    CHECK(dat && strstr(dat, "the 25 busiest of 300 labels") != NULL,
          "the chart says it shows a subset");
    free(dat);
    jtl_report_charts_release(&charts);
    free(rows);
    free(names);
}

int main(void)
{
    char cmd[600];
    int rc;

    if (!mkdtemp(dir))
        return 1;
    test_long_run();
    test_labels_cap();
    rc = CHECK_DONE();
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    if (rc == 0 && system(cmd) != 0)
        return 1;
    return rc;
}
