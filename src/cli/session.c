/* SPDX-License-Identifier: MIT
 * session.c - what every command does around its own work, written once:
 * the read of the inputs with its messages and checks, diagnostics, the
 * output file, the output format and the exit code.  The library prints
 * nothing; every word on stderr comes from here or from a command. */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"
#include "jtl/base/bigmem.h"
#include "jtl/base/xalloc.h"

int cli_exit_code(enum jtl_err err, const struct jtl_run_info *info)
{
    if (err == JTL_ERR_USAGE)
        return JTL_EXIT_USAGE;
    if (err)
        return JTL_EXIT_ERROR;
    if (info && info->any_damage)
        return JTL_EXIT_DAMAGED;
    return JTL_EXIT_OK;
}

/* ---- the read ------------------------------------------------------------ */

/* What the read's callbacks print to: the progress line is redrawn in
 * place, and erased before any other message. */
struct printer {
    const struct cli_config *cfg;
    double t_start, t_last;
    bool shown; /* a progress line is on the screen */
};

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void on_note(enum jtl_read_note kind, const char *where, const char *msg,
                    void *ctx)
{
    struct printer *p = ctx;

    if (kind == JTL_NOTE_WARNING && p->cfg->quiet)
        return;
    if (p->shown)
        fputs("\r\033[K", stderr);
    p->shown = false;
    if (where && where[0])
        fprintf(stderr, "jtlscope: %s: %s\n", where, msg);
    else
        fprintf(stderr, "jtlscope: %s\n", msg);
}

static void on_progress(uint64_t bytes, uint64_t rows, void *ctx)
{
    struct printer *p = ctx;
    double t = now_s(), dt = t - p->t_start;

    if (t - p->t_last < 0.25)
        return;
    p->t_last = t;
    p->shown = true;
    fprintf(stderr,
            "\r\033[Kjtlscope: %.1f MB, %" PRIu64 " rows, %.1f MB/s, "
            "%.0f rows/s",
            (double)bytes / 1e6, rows, dt > 0 ? (double)bytes / 1e6 / dt : 0.0,
            dt > 0 ? (double)rows / dt : 0.0);
}

/* Text tables fit the terminal they are shown on, like ps and df: the
 * width of stdout when it is a terminal the tables go to, else no limit
 * (a file or a pipe gets every column). */
unsigned cli_table_width(const struct cli_config *cfg)
{
    struct winsize ws;
    const char *cols = getenv("COLUMNS");
    long v;

    if (cfg->wide || (cfg->output && strcmp(cfg->output, "-") != 0) ||
        !isatty(STDOUT_FILENO))
        return 0;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
        return ws.ws_col < 40 ? 40 : ws.ws_col;
    v = cols ? strtol(cols, NULL, 10) : 0;
    return v >= 40 && v < 10000 ? (unsigned)v : 80;
}

/* Read CFG's JTL files; STATES_TOO: partial states are still to come, so
 * an input without samples is not yet an empty run. */
static enum jtl_err read_files(const struct cli_config *cfg,
                               const struct jtl_sink *sink,
                               struct jtl_run_info *info, bool states_too);

enum jtl_err cli_read(const struct cli_config *cfg, const struct jtl_sink *sink,
                      struct jtl_run_info *info)
{
    return read_files(cfg, sink, info, false);
}

/* The totals of a read, "no sample" included (after the states). */
static enum jtl_err check_samples(const struct cli_config *cfg,
                                  const struct jtl_run_info *info)
{
    if (info->samples == 0 && info->filtered == 0) {
        fprintf(stderr, "jtlscope: no sample in the input\n");
        return JTL_ERR_EMPTY;
    }
    if (info->samples == 0)
        cli_warn(cfg, "every sample was filtered out");
    return JTL_OK;
}

static enum jtl_err read_files(const struct cli_config *cfg,
                               const struct jtl_sink *sink,
                               struct jtl_run_info *info, bool states_too)
{
    struct jtl_read_opts opts = cfg->read;
    struct printer p = {0};
    struct jtl_diag diag = {0};
    enum jtl_err err;

    p.cfg = cfg;
    p.t_start = p.t_last = now_s();
    opts.note = on_note;
    opts.progress = cfg->progress ? on_progress : NULL;
    opts.cb_ctx = &p;
    err = jtl_read_run(&opts, sink, info, &diag);
    info->tz = cfg->tz; /* clock times in the writers: --timezone */
    info->width = cli_table_width(cfg);
    info->group_digits = cfg->group_digits;
    if (p.shown) /* erased before the results or the error */
        fputs("\r\033[K", stderr);
    /* every file was read (some perhaps not at all): the totals */
    if (!err || err == JTL_ERR_IO) {
        if (info->warnings > info->warnings_delivered && !cfg->quiet)
            fprintf(stderr, "jtlscope: %" PRIu64 " more warnings not shown\n",
                    info->warnings - info->warnings_delivered);
        if (info->skipped)
            cli_warn(cfg, "%" PRIu64 " malformed records skipped",
                     info->skipped);
    }
    if (err) {
        /* a consumer that stops says why itself */
        if (err != JTL_ERR_STOPPED)
            cli_print_diag(&diag);
        return err;
    }
    return states_too ? JTL_OK : check_samples(cfg, info);
}

/* ---- outputs ------------------------------------------------------------- */

static bool name_is(const char *s, const struct cli_format *f)
{
    const char *a = f->aliases;
    size_t n = strlen(s);

    if (strcmp(s, f->name) == 0)
        return true;
    while (a && *a) {
        const char *e = strchr(a, ' ');
        size_t len = e ? (size_t)(e - a) : strlen(a);
        if (len == n && strncmp(a, s, n) == 0)
            return true;
        a = e ? e + 1 : a + len;
    }
    return false;
}

/* The formats some command writes, by -o extension: an extension of
 * these that the command does not write is a contradiction, not a guess. */
static const char *const known_ext[] = {"txt", "csv",  "json", "md",
                                        "xml", "html", NULL};

/* "csv, json or md": the names of FORMATS[N] in BUF. */
static const char *format_names(const struct cli_format *formats, size_t n,
                                char *buf, size_t cap)
{
    size_t i, len = 0;

    buf[0] = 0;
    for (i = 0; i < n && len < cap; i++) {
        int w = snprintf(buf + len, cap - len, "%s%s",
                         i == 0      ? ""
                         : i + 1 < n ? ", "
                                     : " or ",
                         formats[i].name);
        if (w < 0)
            break;
        len += (size_t)w;
    }
    return buf;
}

int cli_pick_format(const struct cli_config *cfg,
                    const struct cli_format *formats, size_t n)
{
    const char *out = cfg->output, *dot, *slash;
    char names[160];
    size_t i;
    int by_ext = -1;
    bool known = false;
    struct stat st;

    /* refused before any work: a folder where a file goes */
    if (out && strcmp(out, "-") != 0 && stat(out, &st) == 0 &&
        S_ISDIR(st.st_mode)) {
        cli_usage_error("%s: -o '%s' is a folder; %s writes one file",
                        cfg->command, out, cfg->command);
        return -1;
    }
    dot = out ? strrchr(out, '.') : NULL;
    slash = out ? strrchr(out, '/') : NULL;
    if (dot && slash && dot < slash)
        dot = NULL;
    for (i = 0; dot && i < n; i++)
        if (formats[i].ext && strcmp(dot + 1, formats[i].ext) == 0)
            by_ext = (int)i;
    for (i = 0; dot && known_ext[i]; i++)
        if (strcmp(dot + 1, known_ext[i]) == 0)
            known = true;
    if (dot && known && by_ext < 0 && strcmp(dot + 1, "txt") != 0) {
        cli_usage_error("%s writes %s; -o '%s' asks for .%s", cfg->command,
                        format_names(formats, n, names, sizeof(names)), out,
                        dot + 1);
        return -1;
    }

    if (cfg->format) {
        for (i = 0; i < n; i++)
            if (name_is(cfg->format, &formats[i])) {
                if (by_ext >= 0 && by_ext != (int)i) {
                    cli_usage_error("--format %s, but -o '%s' says %s",
                                    cfg->format, out, formats[by_ext].name);
                    return -1;
                }
                return (int)i;
            }
        cli_usage_error("--format must be %s, not '%s'",
                        format_names(formats, n, names, sizeof(names)),
                        cfg->format);
        return -1;
    }
    return by_ext >= 0 ? by_ext : 0;
}

enum jtl_err cli_output_open(const struct cli_config *cfg,
                             struct jtl_outfile *of)
{
    struct jtl_diag diag = {0};
    enum jtl_err err = jtl_outfile_open(of, cfg->output, &diag);

    if (err)
        cli_print_diag(&diag);
    return err;
}

enum jtl_err cli_output_close(const struct cli_config *cfg,
                              struct jtl_outfile *of, enum jtl_err err,
                              const struct jtl_diag *diag)
{
    struct jtl_diag d = {0};

    if (err && !ferror(of->fp)) {
        /* the writer gave up for a reason of its own */
        jtl_outfile_abort(of);
        cli_print_diag(diag);
        return err;
    }
    /* a failed write left the stream's error flag: the commit says why,
     * with the file name, and drops the temporary file */
    err = jtl_outfile_commit(of, &d);
    if (err)
        cli_print_diag(&d);
    else if (!cfg->quiet && cfg->output && strcmp(cfg->output, "-") != 0)
        fprintf(stderr, "jtlscope: wrote %s\n", cfg->output);
    return err;
}

void cli_warn_stats(const struct cli_config *cfg,
                    const struct jtl_stats_result *r)
{
    if (r->labels_folded)
        cli_warn(cfg,
                 "more than %u distinct labels; %llu samples of the "
                 "further labels are counted under \"(other labels)\" (with "
                 "several threads, which labels came first depends on how "
                 "the file was split; --threads 1 keeps the first ones in "
                 "file order)",
                 (unsigned)JTL_AGG_MAX_LABELS,
                 (unsigned long long)r->labels_folded);
}

/* ---- one pass, several consumers ----------------------------------------- */

void cli_fanout_add(struct cli_fanout *fan, const struct jtl_sink *sink)
{
    if (fan->n < CLI_FAN_MAX)
        fan->s[fan->n++] = *sink;
}

static int fan_add(const struct jtl_sample *s, void *ctx)
{
    struct cli_fanout *f = ctx;
    size_t i;
    int rc = 0;

    for (i = 0; i < f->n && rc == 0; i++)
        rc = f->s[i].add(s, f->s[i].ctx);
    return rc;
}

static void *fan_fork(void *ctx)
{
    struct cli_fanout *f = ctx, *c = jtl_xcalloc(1, sizeof(*c));
    size_t i;

    *c = *f;
    for (i = 0; i < f->n; i++)
        c->s[i].ctx = f->s[i].fork(f->s[i].ctx);
    return c;
}

static void fan_join(void *ctx, void *child)
{
    struct cli_fanout *f = ctx, *c = child;
    size_t i;

    for (i = 0; i < f->n; i++)
        f->s[i].join(f->s[i].ctx, c->s[i].ctx);
    free(c);
}

void cli_fanout_sink(struct cli_fanout *fan, struct jtl_sink *out)
{
    size_t i;
    bool par = true;

    for (i = 0; i < fan->n; i++)
        par = par && fan->s[i].fork && fan->s[i].join;
    memset(out, 0, sizeof(*out));
    out->add = fan_add;
    out->ctx = fan;
    if (par) {
        out->fork = fan_fork;
        out->join = fan_join;
    }
}

/* ---- one read, the analyses it feeds --------------------------------------
 */

/* The states' side of cli_analyse(): refused combinations, then every
 * state added to what the JTL files gave. */
static enum jtl_err add_states(const struct cli_config *cfg,
                               const struct cli_analyses *want,
                               struct cli_states *sts, struct cli_analysed *out,
                               struct jtl_throttle *th)
{
    struct jtl_state_shape shape;
    struct jtl_agg_opts none;
    char filters[4096];
    unsigned parts = 0;

    if (want->stats && want->stats->agg.jmeter_compat) {
        cli_usage_error("--jmeter-compat follows each label's file order, "
                        "which a state ('%s') no longer has",
                        sts->f[0].name);
        return JTL_ERR_USAGE;
    }
    if (out->win) {
        cli_usage_error("a criterion 'for DURATION' looks at every request's "
                        "own time, which a state ('%s') keeps only for the "
                        "throttling analysis: check it on the JTL files",
                        sts->f[0].name);
        return JTL_ERR_USAGE;
    }
    jtl_agg_opts_init(&none);
    if (want->filters)
        snprintf(filters, sizeof(filters), "%s", want->filters);
    else
        cli_filters_text(&cfg->read.filter, filters, sizeof(filters));
    jtl_state_shape_of(&shape, want->stats ? &want->stats->agg : &none,
                       want->throttle, filters);
    if (want->stats)
        parts |= JTL_SHAPE_STATS;
    if (want->throttle)
        parts |= JTL_SHAPE_THROTTLE;
    return cli_states_load(cfg, sts, &shape, parts, &out->info, out->agg, th);
}

/* The throttling analysis after the read: on a terminal, a line that says
 * which pass runs, since when, and what went to the temporary file (a
 * 100 M-request run spends a minute here).  The library names the pass
 * that ended; the line names the one that starts. */
struct phase_printer {
    double t0;
    bool shown;
};

static void on_phase(const char *ended, void *ctx)
{
    static const struct {
        const char *ended, *next;
    } passes[] = {
        {"decoded and joined", "sorting the requests by start time"},
        {"sort", "following each thread from request to request"},
        {"next request, threads", "analysing the run and each label"},
        {"run and labels", "analysing each thread group"},
        {"thread groups", "writing the findings and the pacing"},
    };
    struct phase_printer *p = ctx;
    struct jtl_bigmem_usage use;
    size_t i;

    if (p->t0 == 0)
        p->t0 = now_s();
    for (i = 0; i < sizeof(passes) / sizeof(passes[0]); i++)
        if (strcmp(ended, passes[i].ended) == 0)
            break;
    if (i == sizeof(passes) / sizeof(passes[0])) { /* the last one */
        if (p->shown)
            fputs("\r\033[K", stderr);
        p->shown = false;
        return;
    }
    jtl_bigmem_usage(&use);
    fprintf(stderr, "\r\033[Kjtlscope: throttling analysis, %.0f s: %s",
            now_s() - p->t0, passes[i].next);
    if (use.spilled_now) {
        char size[32];
        cli_size_text(use.spilled_now, size, sizeof(size));
        fprintf(stderr, " (%s in the temporary file)", size);
    }
    p->shown = true;
}

enum jtl_err cli_analyse(const struct cli_config *cfg,
                         const struct cli_analyses *want,
                         struct cli_analysed *out)
{
    struct cli_config rcfg = *cfg;
    struct cli_fanout fan;
    struct jtl_sink one, sink;
    struct jtl_throttle *th = NULL;
    struct jtl_diag diag = {0};
    struct cli_states sts;
    struct phase_printer phases = {0, false};
    enum jtl_err err;
    int rc;

    memset(out, 0, sizeof(*out));
    memset(&fan, 0, sizeof(fan));
    rc = cli_states_split(cfg, &sts);
    if (rc) {
        cli_states_release(&sts);
        return rc == JTL_EXIT_USAGE ? JTL_ERR_USAGE : JTL_ERR_IO;
    }
    rcfg.read.inputs = sts.raw;
    rcfg.read.ninputs = sts.nraw;
    if (want->stats) {
        out->agg = jtl_agg_new(&want->stats->agg);
        jtl_agg_sink(out->agg, &one);
        cli_fanout_add(&fan, &one);
        /* with --jmeter-compat, --include and --exclude match whole
         * labels, as JMeter's sample_filter (Matcher.matches()); else a
         * match anywhere in the label */
        rcfg.read.filter.whole_match = want->stats->agg.jmeter_compat;
    }
    if (want->throttle) {
        want->throttle->threads = cfg->read.threads;
        want->throttle->timezone = cfg->tz;
        want->throttle->on_phase = cfg->progress ? on_phase : NULL;
        want->throttle->phase_ctx = &phases;
        err = jtl_throttle_new(want->throttle, &th, &diag);
        if (err) {
            cli_print_diag(&diag);
            cli_states_release(&sts);
            return err;
        }
        jtl_throttle_sink(th, &one);
        cli_fanout_add(&fan, &one);
    }
    if (want->criteria) {
        out->win = jtl_check_win_new(want->criteria->crit, want->criteria->n,
                                     &want->criteria->opts);
        if (out->win) {
            jtl_check_win_sink(out->win, &one);
            cli_fanout_add(&fan, &one);
        }
    }
    /* one consumer is handed the samples itself, without the fan-out */
    if (fan.n == 1)
        sink = fan.s[0];
    else
        cli_fanout_sink(&fan, &sink);
    if (sts.nraw) {
        err = read_files(&rcfg, &sink, &out->info, sts.n > 0);
    } else {
        /* states only: the run info is theirs */
        err = JTL_OK;
        out->info.tz = cfg->tz;
        out->info.width = cli_table_width(cfg);
        out->info.group_digits = cfg->group_digits;
    }
    if (!err && sts.n) {
        err = add_states(cfg, want, &sts, out, th);
        if (!err)
            err = check_samples(cfg, &out->info);
    }
    cli_states_release(&sts);
    if (want->gather) {
        out->gathered = th;
        return err;
    }
    if (!err && out->agg) {
        jtl_agg_finish(out->agg);
        cli_warn_stats(cfg, jtl_agg_stats(out->agg));
    }
    if (!err && th) {
        err = jtl_throttle_finish(th, &out->thr, &diag);
        if (phases.shown)
            fputs("\r\033[K", stderr);
        if (err)
            cli_print_diag(&diag);
        else
            out->have_thr = true;
    }
    jtl_throttle_free(th);
    return err;
}

void cli_analysed_release(struct cli_analysed *a)
{
    if (a->have_thr)
        jtl_throttle_result_release(&a->thr);
    a->have_thr = false;
    jtl_check_win_free(a->win);
    a->win = NULL;
    jtl_throttle_free(a->gathered);
    a->gathered = NULL;
    jtl_run_info_release(&a->info);
    jtl_agg_free(a->agg);
    a->agg = NULL;
}
