/* SPDX-License-Identifier: MIT
 * report.c - write a whole report folder atomically enough: everything is
 * built in DIR/.jtlscope-tmp-XXXXXX (same file system, so rename() is
 * cheap and cannot half-copy), and only moved into DIR when every file was
 * written.  A failure removes the temporary folder and leaves DIR as it was.
 * index.html is moved last, so a reader never sees a page whose charts are
 * not there yet. */
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

/* A chart file of an earlier report: chart-NN-name.{png,svg,gp,dat}. */
static bool is_chart_file(const char *n)
{
    const char *dot = strrchr(n, '.');

    if (strncmp(n, "chart-", 6) != 0 || !(n[6] >= '0' && n[6] <= '9') ||
        !(n[7] >= '0' && n[7] <= '9') || n[8] != '-' || !dot)
        return false;
    return strcmp(dot, ".png") == 0 || strcmp(dot, ".svg") == 0 ||
           strcmp(dot, ".gp") == 0 || strcmp(dot, ".dat") == 0;
}

/* Remove chart files of an earlier report in DIR that this report does
 * not have, so `gnuplot *.gp` and the folder listing match the page. */
static void remove_stale_charts(const char *dir, const char *tmp)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    char path[4096];
    struct stat st;

    if (!d)
        return;
    while ((e = readdir(d)) != NULL) {
        if (!is_chart_file(e->d_name))
            continue;
        snprintf(path, sizeof(path), "%s/%s", tmp, e->d_name);
        if (stat(path, &st) == 0)
            continue; /* replaced by the new one */
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        unlink(path);
    }
    closedir(d);
}

static enum jtl_err move_all(const char *tmp, const char *dir,
                             struct jtl_diag *diag)
{
    DIR *d = opendir(tmp);
    struct dirent *e;
    char from[4096], to[4096];
    enum jtl_err err = JTL_OK;
    bool has_index = false;

    if (!d)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot read '%s': %s", tmp,
                            strerror(errno));
    while (!err && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (strcmp(e->d_name, "index.html") == 0) {
            has_index = true;
            continue;
        }
        snprintf(from, sizeof(from), "%s/%s", tmp, e->d_name);
        snprintf(to, sizeof(to), "%s/%s", dir, e->d_name);
        if (rename(from, to) != 0)
            err =
                jtl_diag_set(diag, JTL_ERR_IO, NULL,
                             "cannot rename to '%s': %s", to, strerror(errno));
    }
    closedir(d);
    if (!err && has_index) {
        snprintf(from, sizeof(from), "%s/index.html", tmp);
        snprintf(to, sizeof(to), "%s/index.html", dir);
        if (rename(from, to) != 0)
            err =
                jtl_diag_set(diag, JTL_ERR_IO, NULL,
                             "cannot rename to '%s': %s", to, strerror(errno));
    }
    return err;
}

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
    struct stat st;
    char *tmp = NULL;
    size_t n;
    enum jtl_err err = JTL_OK;
    bool created = false;

    memset(charts, 0, sizeof(*charts));
    if (mkdir(opts->dir, 0777) == 0)
        created = true;
    else if (errno != EEXIST) {
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL,
                           "cannot create folder '%s': %s", opts->dir,
                           strerror(errno));
        goto out;
    }
    if (stat(opts->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "'%s' is not a folder",
                           opts->dir);
        goto out;
    }
    n = strlen(opts->dir) + 32;
    tmp = jtl_xmalloc(n);
    snprintf(tmp, n, "%s/.jtlscope-tmp-XXXXXX", opts->dir);
    if (!mkdtemp(tmp)) {
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL,
                           "cannot create a folder in '%s': %s", opts->dir,
                           strerror(errno));
        free(tmp);
        tmp = NULL;
        goto out;
    }
    jtl_xtemp_add(tmp, true);

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
    remove_stale_charts(opts->dir, tmp);
    err = move_all(tmp, opts->dir, diag);
    if (!err && !in->check) {
        /* a check.json of an earlier report with criteria is not this one's */
        char old[4096];
        snprintf(old, sizeof(old), "%s/check.json", opts->dir);
        unlink(old);
    }
out:
    if (tmp) {
        jtl_xtemp_remove(tmp, true);
        free(tmp);
    }
    /* a folder this run made and could not fill goes too (rmdir removes
     * only an empty one) */
    if (err && created)
        rmdir(opts->dir);
    return err;
}
