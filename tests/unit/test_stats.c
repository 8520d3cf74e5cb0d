/* SPDX-License-Identifier: MIT
 * test_stats.c - the statistics helpers: error keys, percentile lists,
 * Java-style number printing (statistics.json), the method sentence, and
 * the writers' output on a small hand-computed run. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/report/writers.h"
#include "jtl/stats/agg.h"
#include "report/stats_fmt.h"
#include "stats/stats_internal.h"

static struct jtl_str S(const char *s) {
    struct jtl_str r = {s, strlen(s)};
    return r;
}

static const char *
key(const char *code, const char *msg, const char *fail)
{
    static char buf[64];
    struct jtl_sample s;

    memset(&s, 0, sizeof(s));
    s.code = S(code);
    s.message = S(msg);
    s.failure_message = S(fail);
    jtl_stats_error_key(&s, buf, sizeof(buf));
    return buf;
}

static void test_error_key(void)
{
    CHECK_EQ_STR(key("500", "Internal Server Error", ""),
                 "500/Internal Server Error", "code/message");
    CHECK_EQ_STR(key("429", "", ""), "429", "empty message: the code alone");
    CHECK_EQ_STR(key("200", "OK", "Response was null"), "Response was null",
                 "success code: the failure message");
    CHECK_EQ_STR(key("399", "x", ""), "Assertion failed",
                 "success code without failure message");
    CHECK_EQ_STR(key("400", "Bad", "ignored"), "400/Bad",
                 "an error code keeps code/message even with a failure "
                 "message");
    CHECK_EQ_STR(key("", "", "Duration assertion"), "Duration assertion",
                 "empty code with a failure message");
    CHECK_EQ_STR(key("", "msg", ""), "/msg", "empty code, no failure message");
    CHECK_EQ_STR(key("2000", "x", "f"), "2000/x", "2000 is not a success code");
    CHECK_EQ_STR(key("500",
                     "0123456789012345678901234567890123456789"
                     "0123456789012345678901234567890123456789",
                     ""),
                 "500/012345678901234567890123456789012345678901234567890123456"
                 "78",
                 "keys are cut at the buffer size, NUL-terminated");
}

static void test_pct_list(void)
{
    double p[JTL_STATS_MAX_PCT];

    CHECK_EQ_INT(jtl_stats_parse_pct_list("90,95,99", p), 3, "three values");
    CHECK(p[0] == 90 && p[2] == 99, "values kept in order");
    CHECK_EQ_INT(jtl_stats_parse_pct_list("50,99.9", p), 2, "fractions");
    CHECK(p[1] == 99.9, "99.9");
    CHECK_EQ_INT(jtl_stats_parse_pct_list("0", p), -1, "0 rejected");
    CHECK_EQ_INT(jtl_stats_parse_pct_list("101", p), -1, "> 100 rejected");
    CHECK_EQ_INT(jtl_stats_parse_pct_list("90,", p), -1, "trailing comma");
    CHECK_EQ_INT(jtl_stats_parse_pct_list("90;95", p), -1, "bad separator");
    CHECK_EQ_INT(jtl_stats_parse_pct_list("", p), -1, "empty");
    CHECK_EQ_INT(jtl_stats_parse_pct_list(
                     "1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17", p),
                 -1, "more than JTL_STATS_MAX_PCT");
}

static const char *jnum(double v, bool f32)
{
    static char s[64];

    jtl_rs_java_num(s, sizeof(s), v, f32);
    return s;
}

static void test_java_numbers(void)
{
    /* the forms in JMeter's own statistics.json */
    CHECK_EQ_STR(jnum(6.1894261494177E-4, false), "6.1894261494177E-4",
                 "below 1e-3: scientific with E");
    CHECK_EQ_STR(jnum(100.0, false), "100.0", "integral keeps .0");
    CHECK_EQ_STR(jnum(0.0, false), "0.0", "zero");
    CHECK_EQ_STR(jnum(199.66666666666666, false), "199.66666666666666",
                 "shortest round trip");
    CHECK_EQ_STR(jnum(0.07922465471254654, false), "0.07922465471254654",
                 "small decimal");
    CHECK_EQ_STR(jnum(1.1764705882352942, true), "1.1764706",
                 "errorPct as a float");
    CHECK_EQ_STR(jnum(100.0, true), "100.0", "float 100.0");
    CHECK_EQ_STR(jnum(1e7, false), "1.0E7", "1e7 switches to E notation");
    CHECK_EQ_STR(jnum(9999999.5, false), "9999999.5", "just below 1e7");
    CHECK_EQ_STR(jnum(0.001, false), "0.001", "1e-3 is decimal");
    CHECK_EQ_STR(jnum(1.5e-5, false), "1.5E-5", "small E notation");
    CHECK_EQ_STR(jnum(-2.5, false), "-2.5", "negative");
    CHECK_EQ_STR(jnum(123456789012.0, false), "1.23456789012E11",
                 "large E notation");
    CHECK_EQ_STR(jnum(NAN, false), "NaN", "NaN");
}

static void test_writers(void)
{
    struct jtl_agg_opts o;
    struct jtl_agg *a;
    struct jtl_sample s;
    const struct jtl_stats_result *r;
    char method[200], *buf = NULL;
    size_t len = 0;
    FILE *fp;
    int i;

    jtl_agg_opts_init(&o);
    a = jtl_agg_new(&o);
    memset(&s, 0, sizeof(s));
    s.present = (1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED);
    /* hostile label: Markdown/CSV/JSON/terminal must all stay intact */
    s.label = S("a|b,\"c\"\n<x>");
    s.code = S("200");
    s.success = true;
    for (i = 1; i <= 10; i++) {
        s.timestamp = 1000 * i;
        s.elapsed = 10 * i;
        jtl_agg_add(&s, a);
    }
    jtl_agg_finish(a);
    r = jtl_agg_stats(a);
    jtl_stats_method_text(r, method, sizeof(method));
    CHECK_EQ_STR(method, "exact nearest-rank over all 10 samples",
                 "the method is stated");
    CHECK(r->total.pct[0] == 90 && r->total.median == 50,
          "p90 of 10..100 is 90, median 50 (nearest rank)");

    fp = open_memstream(&buf, &len);
    jtl_report_stats_csv(fp, r, NULL, NULL);
    fclose(fp);
    CHECK(strstr(buf, "\"a|b,\"\"c\"\"\n<x>\",10,0,") != NULL,
          "CSV quotes a label with comma, quote and newline");
    CHECK(strncmp(buf, "transaction,sampleCount,errorCount,errorPct,", 44) == 0,
          "CSV header uses statistics.json names");
    free(buf);

    fp = open_memstream(&buf, &len);
    jtl_report_stats_md(fp, r, NULL, NULL);
    fclose(fp);
    CHECK(strstr(buf, "| a\\|b,\"c\" &lt;x&gt; |") != NULL,
          "Markdown escapes | < > and flattens the newline");
    free(buf);

    fp = open_memstream(&buf, &len);
    jtl_report_stats_json(fp, r, NULL, NULL);
    fclose(fp);
    CHECK(strstr(buf, "\"a|b,\\\"c\\\"\\n\\u003cx\\u003e\": {") != NULL,
          "JSON escapes the label key");
    CHECK(strstr(buf, "\"pct1ResTime\": 90.0") != NULL, "JSON pct1ResTime");
    CHECK(strstr(buf, "\"codes\": {\n      \"200\": 10\n    }") != NULL,
          "JSON codes object");
    free(buf);

    fp = open_memstream(&buf, &len);
    jtl_report_stats_table(fp, r, NULL, NULL);
    fclose(fp);
    CHECK(strstr(buf, "a|b,\"c\" <x>") != NULL && !strstr(buf, "\n<x>"),
          "table: control characters never reach the terminal");
    free(buf);
    jtl_agg_free(a);
}

int main(void)
{
    test_error_key();
    test_pct_list();
    test_java_numbers();
    test_writers();
    return CHECK_DONE();
}
