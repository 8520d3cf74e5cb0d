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

#include "jtl/report/escape.h"
#include "jtl/report/outfile.h"
#include "jtl/base/xalloc.h"

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

typedef enum jtl_err (*writer_fn)(const struct jtl_report_input *in,
                                  const struct jtl_report_charts *charts,
                                  const struct jtl_report_opts *opts,
                                  const char *tmp, FILE *fp,
                                  struct jtl_diag *diag);

static enum jtl_err write_one(const char *tmp, const char *name, writer_fn fn,
                              const struct jtl_report_input *in,
                              const struct jtl_report_charts *charts,
                              const struct jtl_report_opts *opts,
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
    err = fn(in, charts, opts, tmp, fp, diag);
    /* the reason with the file name beats a writer's own message */
    why = jtl_fclose_reason(fp);
    if (why && (!err || err == JTL_ERR_IO))
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot write '%s/%s': %s",
                           opts->dir, name, strerror(why));
    return err;
}

static enum jtl_err w_stats(const struct jtl_report_input *in,
                            const struct jtl_report_charts *charts,
                            const struct jtl_report_opts *opts, const char *tmp,
                            FILE *fp, struct jtl_diag *diag)
{
    (void)charts;
    (void)tmp;
    return opts->write_stats_json(in, fp, diag);
}

static enum jtl_err w_throttle(const struct jtl_report_input *in,
                               const struct jtl_report_charts *charts,
                               const struct jtl_report_opts *opts,
                               const char *tmp, FILE *fp, struct jtl_diag *diag)
{
    (void)charts;
    (void)tmp;
    return opts->write_throttle_json(in, fp, diag);
}

static enum jtl_err w_md(const struct jtl_report_input *in,
                         const struct jtl_report_charts *charts,
                         const struct jtl_report_opts *opts, const char *tmp,
                         FILE *fp, struct jtl_diag *diag)
{
    (void)opts;
    (void)tmp;
    return jtl_report_md(in, charts, fp, diag);
}

static enum jtl_err w_html(const struct jtl_report_input *in,
                           const struct jtl_report_charts *charts,
                           const struct jtl_report_opts *opts, const char *tmp,
                           FILE *fp, struct jtl_diag *diag)
{
    return jtl_report_html(in, charts, tmp, opts->template_dir, fp, diag);
}

enum jtl_err jtl_report_write(const struct jtl_report_input *in,
                              const struct jtl_report_opts *opts,
                              struct jtl_diag *diag)
{
    struct jtl_report_charts *charts = jtl_xcalloc(1, sizeof(*charts));
    struct stat st;
    char *tmp = NULL;
    size_t n;
    enum jtl_err err = JTL_OK;
    bool created = false;

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

    if (opts->write_stats_json && in->stats)
        err =
            write_one(tmp, "statistics.json", w_stats, in, charts, opts, diag);
    if (!err && opts->write_throttle_json && in->throttle)
        err =
            write_one(tmp, "throttle.json", w_throttle, in, charts, opts, diag);
    if (!err)
        err = jtl_report_charts_write(in, tmp, charts, diag);
    if (err)
        goto out;
    if (!opts->render) {
        charts->render_skipped = true;
    } else if (charts->n) {
        jtl_report_charts_render(charts, tmp, opts->gnuplot, opts->timeout_ms,
                                 diag);
        if (charts->gnuplot_missing && !opts->quiet)
            fprintf(stderr,
                    "jtlscope: warning: gnuplot not found%s%s; wrote the "
                    "chart scripts only (install gnuplot, then run "
                    "'gnuplot *.gp' in '%s' or run the report again)\n",
                    opts->gnuplot ? " at " : "",
                    opts->gnuplot ? opts->gnuplot : "", opts->dir);
        else if (charts->render_failed && !opts->quiet)
            fprintf(stderr, "jtlscope: warning: %s\n", charts->render_error);
    }
    err = write_one(tmp, "summary.md", w_md, in, charts, opts, diag);
    if (!err)
        err = write_one(tmp, "index.html", w_html, in, charts, opts, diag);
    if (err)
        goto out;
    remove_stale_charts(opts->dir, tmp);
    err = move_all(tmp, opts->dir, diag);
out:
    if (tmp) {
        jtl_xtemp_remove(tmp, true);
        free(tmp);
    }
    /* a folder this run made and could not fill goes too (rmdir removes
     * only an empty one) */
    if (err && created)
        rmdir(opts->dir);
    free(charts);
    return err;
}
