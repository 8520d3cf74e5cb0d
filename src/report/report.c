/* SPDX-License-Identifier: MIT
 * report.c - write a whole report folder: the JSON files, the charts, the
 * summary and index.html into a temporary folder, moved into DIR only when
 * every file was written (page.h).  A failure leaves DIR as it was.  Or,
 * for -o NAME.html, the page alone with everything inlined. */
#include "jtl/report/report.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jtl/base/xalloc.h"
#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"
#include "page.h"

/* The report's writers, in the one writer shape; IN and RUN are handed
 * to each, and each picks the result it writes. */
enum part { PART_STATS, PART_THROTTLE, PART_CHECK, PART_SUMMARY, PART_INDEX };

static enum jtl_err write_part(FILE *fp, enum part part,
                               const struct jtl_report_input *in,
                               const struct jtl_run_info *run,
                               struct jtl_diag *diag)
{
    switch (part) {
    case PART_STATS:
        return jtl_report_stats_json(fp, in->stats, run, diag);
    case PART_THROTTLE:
        return jtl_report_throttle_json(fp, in->throttle, run, diag);
    case PART_CHECK:
        return jtl_report_check_json(fp, in->check, run, diag);
    case PART_SUMMARY:
        return jtl_report_summary_md(fp, in, run, diag);
    case PART_INDEX:
        break;
    }
    return jtl_report_index_html(fp, in, run, diag);
}

static enum jtl_err write_one(const char *tmp, const char *dir,
                              const char *name, enum part part,
                              const struct jtl_report_input *in,
                              const struct jtl_run_info *run,
                              struct jtl_diag *diag)
{
    FILE *fp;
    enum jtl_err err = page_file_open(tmp, name, &fp, diag);

    if (err)
        return err;
    err = write_part(fp, part, in, run, diag);
    return page_file_close(fp, dir, name, err, diag);
}

/* The JSON files and the charts (drawn unless --no-render) into TMP, the
 * working folder of both kinds of report; SHOWN names it in messages. */
static enum jtl_err write_parts(const char *tmp, const char *shown,
                                const struct jtl_report_input *in,
                                const struct jtl_run_info *run,
                                const struct jtl_report_opts *opts,
                                struct jtl_report_charts *charts,
                                struct jtl_diag *diag)
{
    enum jtl_err err = JTL_OK;

    if (in->stats)
        err =
            write_one(tmp, shown, "statistics.json", PART_STATS, in, run, diag);
    if (!err && in->throttle)
        err = write_one(tmp, shown, "throttle.json", PART_THROTTLE, in, run,
                        diag);
    if (!err && in->check)
        err = write_one(tmp, shown, "check.json", PART_CHECK, in, run, diag);
    if (!err)
        err = jtl_report_charts_write(in, run, tmp, charts, diag);
    if (err)
        return err;
    if (!opts->render)
        charts->render_skipped = true;
    else if (charts->n)
        jtl_report_charts_render(charts, tmp, opts->gnuplot, opts->timeout_ms,
                                 diag);
    return JTL_OK;
}

/* -o NAME.html: the page alone, the file to attach.  Its charts and JSON
 * are made in a working folder beside NAME.html (the same file system, so
 * nothing large goes to /tmp), inlined, and the folder removed; the page
 * itself goes through a temporary name (outfile.h). */
static enum jtl_err write_page_alone(const struct jtl_report_input *in,
                                     const struct jtl_run_info *run,
                                     const struct jtl_report_opts *opts,
                                     struct jtl_report_charts *charts,
                                     struct jtl_diag *diag)
{
    struct jtl_report_input full = *in;
    struct jtl_outfile of = {0};
    char parent[4096];
    const char *slash = strrchr(opts->dir, '/');
    char *tmp = NULL;
    bool created = false;
    enum jtl_err err;

    if (!slash)
        snprintf(parent, sizeof(parent), ".");
    else if (slash == opts->dir)
        snprintf(parent, sizeof(parent), "/");
    else
        snprintf(parent, sizeof(parent), "%.*s", (int)(slash - opts->dir),
                 opts->dir);
    err = page_dir_open(parent, &tmp, &created, diag);
    if (!err)
        err = write_parts(tmp, parent, in, run, opts, charts, diag);
    if (err)
        goto out;
    full.charts = charts;
    full.charts_dir = tmp;
    full.template_dir = opts->template_dir;
    full.page_alone = true;
    err = jtl_outfile_open(&of, opts->dir, diag);
    if (err)
        goto out;
    err = jtl_report_index_html(of.fp, &full, run, diag);
    if (err && !ferror(of.fp)) {
        /* the writer's own reason (a template error); a failed write
         * is said by the commit, with the file name */
        jtl_outfile_abort(&of);
        goto out;
    }
    err = jtl_outfile_commit(&of, diag);
out:
    page_dir_close(parent, tmp, created, err);
    jtl_report_charts_release(charts);
    return err;
}

enum jtl_err jtl_report_write(const struct jtl_report_input *in,
                              const struct jtl_run_info *run,
                              const struct jtl_report_opts *opts,
                              struct jtl_report_charts *charts,
                              struct jtl_diag *diag)
{
    struct jtl_report_input full = *in;
    char *tmp = NULL;
    enum jtl_err err = JTL_OK;
    bool created = false;

    memset(charts, 0, sizeof(*charts));
    if (opts->page_alone)
        return write_page_alone(in, run, opts, charts, diag);
    err = page_dir_open(opts->dir, &tmp, &created, diag);
    if (!err)
        err = write_parts(tmp, opts->dir, in, run, opts, charts, diag);
    if (err)
        goto out;
    full.charts = charts;
    full.charts_dir = tmp;
    full.template_dir = opts->template_dir;
    err =
        write_one(tmp, opts->dir, "summary.md", PART_SUMMARY, &full, run, diag);
    if (!err)
        err = write_one(tmp, opts->dir, "index.html", PART_INDEX, &full, run,
                        diag);
    if (err)
        goto out;
    err = page_dir_commit(opts->dir, tmp, diag);
    if (!err && !in->check) {
        /* a check.json of an earlier report with criteria is not this one's */
        char old[4096];
        snprintf(old, sizeof(old), "%s/check.json", opts->dir);
        unlink(old);
    }
out:
    page_dir_close(opts->dir, tmp, created, err);
    jtl_report_charts_release(charts);
    return err;
}
