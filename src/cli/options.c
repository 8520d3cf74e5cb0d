/* SPDX-License-Identifier: MIT
 * cmd_opts.c - option groups that several commands share: the statistics
 * options (stats, report) and the 429-analysis options (throttle, report).
 * One parser per group keeps the names, ranges and messages identical in
 * every command that accepts them, so one command line serves all. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jtl/stats/stats.h"

void jtl_cli_stats_init(struct jtl_cli_stats *s)
{
    if (s->ready)
        return;
    jtl_agg_opts_init(&s->agg);
    s->method_set = false;
    s->ready = true;
}

/* "60s", "1m", "500ms", "2h", "1000" (ms) -> ms; 0 for "auto"; -1 bad.
 * A year is the ceiling: beyond it a series has one point whatever. */
static int64_t parse_duration(const char *s)
{
    char *end;
    double v;

    if (strcmp(s, "auto") == 0)
        return 0;
    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || !(v > 0))
        return -1;
    if (strcmp(end, "") == 0 || strcmp(end, "ms") == 0)
        ;
    else if (strcmp(end, "s") == 0)
        v *= 1000;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        v *= 60000;
    else if (strcmp(end, "h") == 0)
        v *= 3600000;
    else
        return -1;
    if (v < 1 || v > 366.0 * 86400000)
        return -1;
    return (int64_t)v;
}

int jtl_cli_stats_opt(struct jtl_cli_stats *s, int id, const char *arg)
{
    struct jtl_agg_opts *o = &s->agg;

    jtl_cli_stats_init(s);
    switch (id) {
    case JTL_OPT_PERCENTILES: {
        int n = jtl_stats_parse_pct_list(arg, o->pct_list);
        if (n < 1) {
            jtl_cli_usage_error("--percentiles takes up to %d values in "
                                "(0, 100] such as 90,95,99, not '%s'",
                                JTL_STATS_MAX_PCT, arg);
            return -1;
        }
        o->npct = (size_t)n;
        return 0;
    }
    case JTL_OPT_PCT_METHOD:
        if (strcmp(arg, "exact") == 0)
            o->method = JTL_PCT_EXACT;
        else if (strcmp(arg, "legacy") == 0 || strcmp(arg, "jmeter") == 0)
            o->method = JTL_PCT_LEGACY;
        else {
            jtl_cli_usage_error("--percentile-method must be exact or "
                                "legacy, not '%s'",
                                arg);
            return -1;
        }
        s->method_set = true;
        return 0;
    case JTL_OPT_APDEX:
        if (!jtl_stats_parse_apdex(arg, &o->apdex_t, &o->apdex_f)) {
            jtl_cli_usage_error("--apdex takes T,F in ms with T <= F, such "
                                "as 500,1500, not '%s'",
                                arg);
            return -1;
        }
        return 0;
    case JTL_OPT_JMETER_COMPAT:
        o->jmeter_compat = true;
        return 0;
    case JTL_OPT_SUBRESULTS:
        o->subresults = true;
        return 0;
    case JTL_OPT_GRANULARITY: {
        int64_t ms = parse_duration(arg);
        if (ms < 0) {
            jtl_cli_usage_error("--granularity takes a duration such as "
                                "1s, 60s, 5m or auto, not '%s'",
                                arg);
            return -1;
        }
        o->granularity_ms = ms;
        return 0;
    }
    }
    return 1;
}

int jtl_cli_stats_check(struct jtl_cli_stats *s)
{
    jtl_cli_stats_init(s);
    if (s->agg.jmeter_compat && s->method_set &&
        s->agg.method != JTL_PCT_LEGACY)
        return jtl_cli_usage_error("--jmeter-compat uses the legacy "
                                   "percentile method");
    return 0;
}

/* clang-format off */
void jtl_cli_stats_help(FILE *fp)
{
    fputs(
"  --percentiles=LIST           percentiles to report          [90,95,99]\n"
"  --percentile-method=M        exact: nearest rank over all samples;\n"
"                               legacy: JMeter's Commons-Math estimator\n"
"                                                                 [exact]\n"
"  --jmeter-compat              reproduce JMeter's statistics.json: legacy\n"
"                               estimator over the last 20000 values per\n"
"                               label, float errorPct, file order\n"
"  --apdex=T,F                  APDEX thresholds in ms          [500,1500]\n"
"  --subresults                 also count XML sub-samples  [top level only]\n"
"  --granularity=DUR            series interval: 1s, 60s, 5m ...  [auto:\n"
"                               about 100-300 points, at least 1 s]\n", fp);
}
/* clang-format on */

void jtl_cli_throttle_init(struct jtl_cli_throttle *t)
{
    if (t->ready)
        return;
    jtl_throttle_opts_init(&t->opts);
    t->ready = true;
}

int jtl_cli_throttle_opt(struct jtl_cli_throttle *t, int id, const char *arg)
{
    struct jtl_throttle_opts *o = &t->opts;
    struct jtl_diag d = {0};
    double v;

    jtl_cli_throttle_init(t);
    switch (id) {
    case JTL_OPT_TH_CODES:
        if (jtl_throttle_opts_codes(o, arg, &d) != JTL_OK) {
            jtl_cli_usage_error("%s", d.msg);
            return -1;
        }
        return 0;
    case JTL_OPT_TH_MESSAGE:
        o->message_regex = arg;
        return 0;
    case JTL_OPT_RA_COLUMN:
        o->retry_after_column = arg;
        return 0;
    case JTL_OPT_MARGIN:
        if (!jtl_throttle_parse_margin(arg, &v)) {
            jtl_cli_usage_error("--margin takes 0 to 0.9 (or 0%% to 90%%), "
                                "not '%s'",
                                arg);
            return -1;
        }
        o->margin = v;
        return 0;
    case JTL_OPT_NO_SCOPES:
        o->scopes = false;
        return 0;
    }
    return 1;
}

/* clang-format off */
void jtl_cli_throttle_help(FILE *fp)
{
    fputs(
"  --throttle-codes=LIST        response codes that mean throttled   [429]\n"
"                               e.g. 429,503 (nginx limit_req default 503)\n"
"  --throttle-message=REGEX     also throttled when responseMessage or\n"
"                               failureMessage matches, e.g.\n"
"                               'ThrottlingException|Rate exceeded'\n"
"  --retry-after-column=NAME    CSV column (sample variable) holding\n"
"                               Retry-After  [auto: retryAfter, Retry-After]\n"
"  --margin=F                   safety margin of the pacing advice   [0.2]\n"
"  --no-scopes                  only the whole run, not per label/group\n",
        fp);
}
/* clang-format on */
