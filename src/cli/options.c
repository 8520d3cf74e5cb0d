/* SPDX-License-Identifier: MIT
 * options.c - option groups that several commands share: the statistics
 * options (stats, report) and the 429-analysis options (throttle, report),
 * and the one duration syntax of every option that takes a duration.  One
 * parser per group keeps the names, ranges and messages identical in every
 * command that accepts them, so one command line serves all. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jtl/base/xalloc.h"
#include "jtl/report/writers.h"

bool cli_parse_duration(const char *s, double *ms)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (errno || end == s || v != v || v < 0)
        return false;
    if (strcmp(end, "") == 0 || strcmp(end, "s") == 0)
        v *= 1000;
    else if (strcmp(end, "ms") == 0)
        ;
    else if (strcmp(end, "m") == 0 || strcmp(end, "min") == 0)
        v *= 60000;
    else if (strcmp(end, "h") == 0)
        v *= 3600000;
    else
        return false;
    *ms = v;
    return true;
}

void cli_stats_opts_init(struct cli_stats_opts *s)
{
    jtl_agg_opts_init(&s->agg);
    s->method_set = false;
}

int cli_stats_option(struct cli_stats_opts *s, int id, const char *arg)
{
    struct jtl_agg_opts *o = &s->agg;

    switch (id) {
    case JTL_OPT_PERCENTILES: {
        int n = jtl_stats_parse_pct_list(arg, o->pct_list);
        if (n < 1) {
            cli_usage_error("--percentiles takes up to %d values in (0, 100] "
                            "such as 90,95,99, not '%s'",
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
            cli_usage_error("--percentile-method must be exact or legacy, "
                            "not '%s'",
                            arg);
            return -1;
        }
        s->method_set = true;
        return 0;
    case JTL_OPT_APDEX:
        if (!jtl_stats_parse_apdex(arg, &o->apdex_t, &o->apdex_f)) {
            cli_usage_error("--apdex takes T,F in ms with T <= F, such as "
                            "500,1500, not '%s'",
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
    case JTL_OPT_GROUP_LABELS:
        s->group_set = true;
        return cli_group_labels(arg, &o->group_labels);
    case JTL_OPT_GRANULARITY: {
        /* A year is the ceiling: beyond it a series has one point
         * whatever. */
        double ms;
        if (strcmp(arg, "auto") == 0) {
            o->granularity_ms = 0;
            return 0;
        }
        if (!cli_parse_duration(arg, &ms) || ms < 1 || ms > 366.0 * 86400000) {
            cli_usage_error("--granularity takes a duration such as 500ms, "
                            "1s, 60s, 5m or auto (a bare number is "
                            "seconds), not '%s'",
                            arg);
            return -1;
        }
        o->granularity_ms = (int64_t)ms;
        return 0;
    }
    }
    return 1;
}

int cli_stats_check(const struct cli_stats_opts *s)
{
    if (s->agg.jmeter_compat && s->method_set &&
        s->agg.method != JTL_PCT_LEGACY)
        return cli_usage_error("--jmeter-compat uses the legacy percentile "
                               "method");
    if (s->agg.jmeter_compat && s->group_set && s->agg.group_labels)
        return cli_usage_error("--jmeter-compat keeps JMeter's one row per "
                               "label: it cannot be used with "
                               "--group-labels auto");
    return 0;
}

/* clang-format off */
void cli_stats_help(FILE *fp)
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

/* "429,503" into O->codes. */
static int parse_codes(struct jtl_throttle_opts *o, const char *list)
{
    const char *p = list;
    size_t n = 0;

    while (*p) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int64_t v;
        if (!jtl_parse_i64(p, len, &v) || v < 100 || v > 999)
            return cli_usage_error("--throttle-codes takes HTTP codes such "
                                   "as 429,503, not '%s'",
                                   list),
                   -1;
        if (n == JTL_THROTTLE_MAX_CODES)
            return cli_usage_error("--throttle-codes: at most %d codes",
                                   JTL_THROTTLE_MAX_CODES),
                   -1;
        o->codes[n++] = (int)v;
        p = e ? e + 1 : p + len;
    }
    if (n == 0)
        return cli_usage_error("--throttle-codes needs at least one code"), -1;
    o->ncodes = n;
    return 0;
}

/* A pacing margin "0.2" or "20%" (0 <= margin < 0.9). */
static bool parse_margin(const char *s, double *margin)
{
    char *end;
    double v;

    errno = 0;
    v = strtod(s, &end);
    if (end != s && *end == '%' && end[1] == '\0')
        v /= 100;
    else if (errno || end == s || *end)
        return false;
    if (!(v >= 0 && v < 0.9))
        return false;
    *margin = v;
    return true;
}

int cli_throttle_option(struct jtl_throttle_opts *o, int id, const char *arg)
{
    double v;

    switch (id) {
    case JTL_OPT_TH_CODES:
        return parse_codes(o, arg);
    case JTL_OPT_TH_MESSAGE:
        o->message_regex = arg;
        return 0;
    case JTL_OPT_RA_COLUMN:
        o->retry_after_column = arg;
        return 0;
    case JTL_OPT_MARGIN:
        if (!parse_margin(arg, &v)) {
            cli_usage_error("--margin takes 0 to 0.9 (or 0%% to 90%%), not "
                            "'%s'",
                            arg);
            return -1;
        }
        o->margin = v;
        return 0;
    case JTL_OPT_NO_SCOPES:
        o->scopes = false;
        return 0;
    case JTL_OPT_GROUP_LABELS:
        return cli_group_labels(arg, &o->group_labels);
    }
    return 1;
}

int cli_group_labels(const char *arg, bool *on)
{
    if (strcmp(arg, "auto") == 0)
        *on = true;
    else if (strcmp(arg, "off") == 0)
        *on = false;
    else {
        cli_usage_error("--group-labels must be auto or off, not '%s'", arg);
        return -1;
    }
    return 0;
}

/* clang-format off */
void cli_group_labels_help(FILE *fp, bool on_by_default)
{
    fprintf(fp,
"  --group-labels=auto|off      labels that differ only in ids (a UUID, a\n"
"                               number, a long hex or token path segment\n"
"                               or query value) as one endpoint, e.g.\n"
"                               'PUT /flows/{id}'                  [%s]\n",
            on_by_default ? "auto" : "off");
}
/* clang-format on */

/* clang-format off */
void cli_throttle_help(FILE *fp)
{
    fputs(
"  --throttle-codes=LIST        response codes that mean a refusal by a\n"
"                               limit                        [429,503]\n"
"                               e.g. 429 alone, or 429,503,509\n"
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

/* ---- pass/fail criteria (check, report) ---------------------------------- */

/* Read TEXT as the next criterion; print where it is wrong (WHERE:LINE for a
 * criteria file). */
static void criterion_add(struct cli_criteria *c, const char *text,
                          const char *where, size_t line)
{
    size_t col = 0;
    char msg[256];

    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->crit = jtl_xrealloc(c->crit, c->cap * sizeof(*c->crit));
    }
    if (jtl_criterion_parse(text, &c->crit[c->n], &col, msg, sizeof(msg))) {
        c->n++;
        return;
    }
    if (line)
        cli_usage_error("%s:%zu:%zu: %s", where, line, col, msg);
    else
        cli_usage_error("criterion '%s', column %zu: %s", text, col, msg);
    c->bad = true;
}

/* A criteria file: one criterion per line; blank lines and lines whose
 * first non-blank character is '#' are skipped. */
static int criteria_file(struct cli_criteria *c, const char *path)
{
    FILE *fp = strcmp(path, "-") == 0 ? stdin : fopen(path, "r");
    char *line = NULL;
    size_t cap = 0, no = 0;
    ssize_t len;

    if (!fp) {
        cli_usage_error("--criteria: cannot open '%s': %s", path,
                        strerror(errno));
        return -1;
    }
    while ((len = getline(&line, &cap, fp)) >= 0) {
        char *p = line;
        no++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
            line[--len] = 0;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == 0 || *p == '#')
            continue;
        criterion_add(c, line, path, no);
    }
    free(line);
    if (fp != stdin)
        fclose(fp);
    return 0;
}

int cli_criteria_option(struct cli_criteria *c, int id, const char *arg)
{
    switch (id) {
    case 'c':
        criterion_add(c, arg, "-c", 0);
        return 0;
    case JTL_OPT_CRITERIA:
        return criteria_file(c, arg);
    case JTL_OPT_EACH_LABEL:
        c->opts.each_label = true;
        return 0;
    case JTL_OPT_ALLOW_MISSING:
        c->opts.allow_missing = true;
        return 0;
    case JTL_OPT_JUNIT:
        c->junit = arg;
        return 0;
    }
    return 1;
}

bool cli_criteria_need_throttle(const struct cli_criteria *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        if (c->crit[i].subject == JTL_CRIT_THROTTLED ||
            c->crit[i].subject == JTL_CRIT_LIMIT ||
            c->crit[i].subject == JTL_CRIT_VERDICT)
            return true;
    return false;
}

void cli_criteria_release(struct cli_criteria *c)
{
    size_t i;

    for (i = 0; i < c->n; i++)
        jtl_criterion_release(&c->crit[i]);
    free(c->crit);
    c->crit = NULL;
    c->n = c->cap = 0;
}

enum jtl_err cli_criteria_junit(const struct cli_criteria *c,
                                const struct jtl_check_result *r,
                                const struct jtl_run_info *info)
{
    struct jtl_outfile of;
    struct jtl_diag diag = {0};
    enum jtl_err err = jtl_outfile_open(&of, c->junit, &diag);

    if (!err) {
        err = jtl_report_check_junit(of.fp, r, info, &diag);
        if (err)
            jtl_outfile_abort(&of);
        else
            err = jtl_outfile_commit(&of, &diag);
    }
    if (err)
        cli_print_diag(&diag);
    return err;
}

/* clang-format off */
void cli_criteria_help(FILE *fp)
{
    fputs(
"  -c, --criterion=CRITERION    a pass/fail criterion (repeatable):\n"
"                               SUBJECT[ of LABEL] OP VALUE[UNIT][ for DUR]\n"
"                               [ as \"NAME\"]; see `jtlscope check --help`\n"
"  --criteria=FILE              one criterion per line, '#' comments\n"
"  --each-label                 criteria without 'of': every label too\n"
"  --allow-missing              a criterion that cannot be evaluated (no such\n"
"                               label, no throttling) does not fail\n"
"  --junit=FILE                 the criteria as JUnit XML (Jenkins, GitLab,\n"
"                               GitHub test reports)\n", fp);
}
/* clang-format on */

void cli_criteria_prepare(struct cli_criteria *c,
                          const struct cli_stats_opts *s,
                          const struct cli_config *cfg)
{
    c->opts.apdex_t = s->agg.apdex_t;
    c->opts.apdex_f = s->agg.apdex_f;
    c->opts.tz = cfg->tz;
}

enum jtl_err cli_criteria_evaluate(const struct cli_criteria *c,
                                   struct cli_analysed *got,
                                   struct jtl_check_result *r)
{
    jtl_check_run(c->crit, c->n, &c->opts, jtl_agg_stats(got->agg),
                  got->have_thr ? &got->thr : NULL, got->win, r);
    return c->junit ? cli_criteria_junit(c, r, &got->info) : JTL_OK;
}
