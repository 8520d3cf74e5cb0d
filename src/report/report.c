/* SPDX-License-Identifier: MIT
 * report.c - write a whole report folder: the JSON files, the charts, the
 * summary and index.html into a temporary folder, moved into DIR only when
 * every file was written (page.h).  A failure leaves DIR as it was. */
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
    char path[4096];
    FILE *fp;
    enum jtl_err err;
    int why;

    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    fp = fopen(path, "w");
    if (!fp)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot create '%s': %s",
                            path, strerror(errno));
    err = write_part(fp, part, in, run, diag);
    /* the reason with the file name beats a writer's own message */
    why = jtl_fclose_reason(fp);
    if (why && (!err || err == JTL_ERR_IO))
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot write '%s/%s': %s",
                           dir, name, strerror(why));
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
    err = page_dir_open(opts->dir, &tmp, &created, diag);
    if (err)
        goto out;

    if (in->stats)
        err = write_one(tmp, opts->dir, "statistics.json", PART_STATS, in, run,
                        diag);
    if (!err && in->throttle)
        err = write_one(tmp, opts->dir, "throttle.json", PART_THROTTLE, in, run,
                        diag);
    if (!err && in->check)
        err =
            write_one(tmp, opts->dir, "check.json", PART_CHECK, in, run, diag);
    if (!err)
        err = jtl_report_charts_write(in, run, tmp, charts, diag);
    if (err)
        goto out;
    if (!opts->render)
        charts->render_skipped = true;
    else if (charts->n)
        jtl_report_charts_render(charts, tmp, opts->gnuplot, opts->timeout_ms,
                                 diag);
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
    return err;
}
