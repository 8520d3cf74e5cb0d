/* SPDX-License-Identifier: MIT
 * page.c - what the HTML pages (index.html of a report, of a comparison)
 * share: the model (a small tree of records and lists of display strings)
 * the template engine reads, the templates (built in or --template-dir),
 * and the charts inlined as data: URIs. */
#include "page.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/report/outfile.h"
#include "jtl/report/tplfiles.h"

#define MAX_TEMPLATE_BYTES (16u << 20)
#define MAX_IMAGE_BYTES (64u << 20)

/* ---- the model ----------------------------------------------------------- */

static void list_free(struct mlist *l)
{
    size_t i;

    if (!l)
        return;
    for (i = 0; i < l->n; i++)
        model_free(&l->r[i]);
    free(l->r);
    free(l);
}

void model_free(struct mrec *r)
{
    size_t i;

    for (i = 0; i < r->n; i++) {
        free(r->v[i].s);
        list_free(r->v[i].list);
    }
    free(r->v);
    memset(r, 0, sizeof(*r));
}

static struct mval *rec_slot(struct mrec *r, const char *key)
{
    struct mval *v;

    jtl_xgrow((void **)&r->v, &r->cap, r->n + 1, sizeof(*r->v));
    v = &r->v[r->n++];
    memset(v, 0, sizeof(*v));
    v->key = key;
    return v;
}

void model_strn(struct mrec *r, const char *key, const char *s, size_t n)
{
    struct mval *v = rec_slot(r, key);

    v->s = jtl_xmalloc(n + 1);
    if (n)
        memcpy(v->s, s, n);
    v->s[n] = '\0';
    v->len = n;
}

void model_str(struct mrec *r, const char *key, const char *s)
{
    model_strn(r, key, s ? s : "", s ? strlen(s) : 0);
}

/* Take ownership of a malloc'ed string (large fragments). */
void model_take(struct mrec *r, const char *key, char *s, size_t n)
{
    struct mval *v = rec_slot(r, key);

    v->s = s;
    v->len = n;
}

void model_flag(struct mrec *r, const char *key, bool on)
{
    model_str(r, key, on ? "1" : "");
}

void model_fmt(struct mrec *r, const char *key, const char *fmt, ...)
{
    struct jtl_buf b;
    va_list ap;

    jtl_buf_init(&b, 0);
    va_start(ap, fmt);
    jtl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    model_strn(r, key, b.p ? b.p : "", b.len);
    jtl_buf_release(&b);
}

struct mlist *model_list(struct mrec *r, const char *key)
{
    struct mval *v = rec_slot(r, key);

    v->list = jtl_xcalloc(1, sizeof(*v->list));
    return v->list;
}

struct mrec *model_add(struct mlist *l)
{
    struct mrec *r;

    jtl_xgrow((void **)&l->r, &l->cap, l->n + 1, sizeof(*l->r));
    r = &l->r[l->n++];
    memset(r, 0, sizeof(*r));
    return r;
}

/* A {name, value} row of a two-column table. */
void model_kv(struct mlist *l, const char *name, const char *value)
{
    struct mrec *r = model_add(l);

    model_str(r, "name", name);
    model_str(r, "value", value);
}

static const struct mval *rec_get(const struct mrec *r, const char *key)
{
    size_t i;

    for (i = 0; i < r->n; i++)
        if (strcmp(r->v[i].key, key) == 0)
            return &r->v[i];
    return NULL;
}

/* Mustache-style resolution: follow the open sections from the root to
 * the innermost row, then look NAME up from the innermost record outwards. */
enum jtl_err model_lookup(void *ctx, const char *name,
                          const struct jtl_tpl_frame *frame,
                          struct jtl_tpl_value *out, struct jtl_diag *diag)
{
    const struct mrec *recs[JTL_TPL_MAX_DEPTH + 2];
    const struct jtl_tpl_frame *chain[JTL_TPL_MAX_DEPTH + 1];
    size_t depth = 0, d;
    const struct mval *v;

    (void)diag;
    for (; frame && depth <= JTL_TPL_MAX_DEPTH; frame = frame->outer)
        chain[depth++] = frame;
    recs[0] = ctx;
    for (d = 0; d < depth; d++) {
        const struct jtl_tpl_frame *f = chain[depth - 1 - d];
        v = rec_get(recs[d], f->name);
        if (v && v->list && f->index < v->list->n)
            recs[d + 1] = &v->list->r[f->index];
        else
            recs[d + 1] = recs[d];
    }
    for (d = depth + 1; d-- > 0;) {
        v = rec_get(recs[d], name);
        if (!v)
            continue;
        if (v->list)
            jtl_tpl_set_list(out, v->list->n);
        else
            jtl_tpl_set_str(out, v->s, v->len);
        return JTL_OK;
    }
    return JTL_OK; /* unknown: the engine reports it with the line */
}

/* Read a whole file we (or the user, for templates) put there. */
enum jtl_err page_slurp(const char *path, size_t max, char **out, size_t *len,
                        struct jtl_diag *diag)
{
    FILE *fp = fopen(path, "rb");
    struct jtl_buf b;
    char chunk[65536];
    size_t n;
    enum jtl_err err = JTL_OK;

    if (!fp)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot open '%s': %s",
                            path, strerror(errno));
    jtl_buf_init(&b, max);
    while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
        if (jtl_buf_add(&b, chunk, n)) {
            err = jtl_diag_set(diag, JTL_ERR_LIMIT, NULL,
                               "'%s' is larger than %zu MiB", path, max >> 20);
            break;
        }
    }
    if (!err && ferror(fp))
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot read '%s': %s", path,
                           strerror(errno));
    fclose(fp);
    if (err) {
        jtl_buf_release(&b);
        return err;
    }
    jtl_buf_add(&b, "", 0);
    *out = jtl_buf_detach(&b, len);
    return JTL_OK;
}

bool page_file_exists(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

char *page_base64_uri(const char *mime, const unsigned char *p, size_t n,
                      size_t *outlen)
{
    static const char tab[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t pre = strlen("data:") + strlen(mime) + strlen(";base64,");
    size_t cap = pre + (n + 2) / 3 * 4 + 1, i, k;
    char *o = jtl_xmalloc(cap);

    k = (size_t)snprintf(o, cap, "data:%s;base64,", mime);
    for (i = 0; i + 2 < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (unsigned)p[i + 1] << 8 | p[i + 2];
        o[k++] = tab[v >> 18 & 63];
        o[k++] = tab[v >> 12 & 63];
        o[k++] = tab[v >> 6 & 63];
        o[k++] = tab[v & 63];
    }
    if (i < n) {
        unsigned v = (unsigned)p[i] << 16;
        if (i + 1 < n)
            v |= (unsigned)p[i + 1] << 8;
        o[k++] = tab[v >> 18 & 63];
        o[k++] = tab[v >> 12 & 63];
        o[k++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        o[k++] = '=';
    }
    o[k] = '\0';
    *outlen = k;
    return o;
}

/* ---- templates ----------------------------------------------------------- */

static const struct jtl_tplfile *builtin(const char *name)
{
    const struct jtl_tplfile *f;

    for (f = jtl_tplfiles; f->name; f++)
        if (strcmp(f->name, name) == 0)
            return f;
    return NULL;
}

/* NAME from TEMPLATE_DIR when it is there, else the built-in copy. */
enum jtl_err page_template(const char *template_dir, const char *name,
                           char **out, size_t *len, struct jtl_diag *diag)
{
    const struct jtl_tplfile *f;
    char path[4096];

    if (template_dir) {
        snprintf(path, sizeof(path), "%s/%s", template_dir, name);
        if (page_file_exists(path))
            return page_slurp(path, MAX_TEMPLATE_BYTES, out, len, diag);
    }
    f = builtin(name);
    if (!f)
        return jtl_diag_set(diag, JTL_ERR_TEMPLATE, name,
                            "no built-in template");
    *out = jtl_xstrndup((const char *)f->data, f->len);
    *len = f->len;
    return JTL_OK;
}

void page_chart_library(struct mrec *m, const char *template_dir)
{
    char *lib = NULL, *p;
    size_t len = 0;
    struct jtl_diag d = {0};

    /* absent from a build without libjs-chart.js: the images alone */
    if (page_template(template_dir, "chart.min.js", &lib, &len, &d) != JTL_OK)
        return;
    /* a library from --template-dir that could end the script element
     * is not embedded */
    for (p = lib; (p = strchr(p, '<')) != NULL; p++)
        if (strncasecmp(p, "</script", 8) == 0) {
            free(lib);
            return;
        }
    model_take(m, "chartjs", lib, len);
}

enum jtl_err page_charts(struct mrec *m, const struct jtl_report_charts *charts,
                         const char *dir, bool folder, struct jtl_diag *diag)
{
    struct mlist *l = model_list(m, "charts");
    char path[4096];
    size_t i, nspecs = 0;
    bool any = false;
    struct jtl_buf specs;

    /* {"chart-01-throughput": {spec}, ...}: what report.js draws the
     * interactive charts from (specs are jtl_json output: no '<') */
    jtl_buf_init(&specs, 0);
    jtl_buf_addc(&specs, '{');
    for (i = 0; charts && i < charts->n; i++) {
        const struct jtl_report_chart *c = &charts->list[i];
        struct mrec *r = model_add(l);
        char *data = NULL, *uri;
        size_t len = 0, urilen;

        model_str(r, "name", c->name);
        model_str(r, "title", c->title);
        model_str(r, "caption", c->caption);
        model_fmt(r, "height", "%d", c->height);
        model_flag(r, "rendered", c->rendered);
        model_flag(r, "interactive", c->spec != NULL);
        if (c->spec) {
            jtl_buf_printf(&specs, "%s\"%s\":%s", nspecs++ ? "," : "", c->name,
                           c->spec);
        }
        any = true;
        if (!c->rendered) {
            model_str(r, "img", "");
            continue;
        }
        /* SVG in an <img>: crisp when enlarged, and an image context never
         * runs scripts or loads anything, whatever the file contains.  But
         * a long step series makes a large SVG: then the PNG, if it is less
         * than half the size, keeps the page light. */
        {
            char *png = NULL;
            size_t pnglen = 0;
            struct jtl_diag d;

            snprintf(path, sizeof(path), "%s/%s.svg", dir, c->name);
            if (page_slurp(path, MAX_IMAGE_BYTES, &data, &len, &d) != JTL_OK)
                len = 0;
            snprintf(path, sizeof(path), "%s/%s.png", dir, c->name);
            if (page_slurp(path, MAX_IMAGE_BYTES, &png, &pnglen, &d) != JTL_OK)
                pnglen = 0;
            if (len && (!pnglen || len <= 2 * pnglen)) {
                uri = page_base64_uri("image/svg+xml", (unsigned char *)data,
                                      len, &urilen);
            } else if (pnglen) {
                uri = page_base64_uri("image/png", (unsigned char *)png, pnglen,
                                      &urilen);
            } else {
                free(data);
                model_str(r, "img", "");
                continue;
            }
            free(png);
        }
        free(data);
        model_take(r, "img", uri, urilen);
    }
    model_flag(m, "has_charts", any);
    model_flag(m, "has_folder", folder);
    jtl_buf_addc(&specs, '}');
    {
        size_t n;
        char *p = jtl_buf_detach(&specs, &n);
        model_take(m, "charts_json", p, n);
    }
    model_flag(m, "has_specs", nspecs > 0);
    if (!charts || charts->n == 0)
        model_str(m, "charts_note", "There was no data to chart.");
    else if (charts->gnuplot_missing && !folder)
        model_str(m, "charts_note",
                  "Charts were not drawn: gnuplot was not found.  Install "
                  "gnuplot (e.g. apt-get install gnuplot-nox) and run jtlscope "
                  "report again.");
    else if (charts->gnuplot_missing)
        model_str(m, "charts_note",
                  "Charts were not drawn: gnuplot was not found.  Install "
                  "gnuplot (e.g. apt-get install gnuplot-nox) and run jtlscope "
                  "report again, or run gnuplot on the .gp scripts in this "
                  "folder (gnuplot *.gp).");
    else if (charts->render_skipped)
        model_str(m, "charts_note",
                  "Charts were not drawn (--no-render).  Run gnuplot on the "
                  ".gp scripts in this folder (gnuplot *.gp), or run jtlscope "
                  "report again without --no-render.");
    else if (charts->render_failed)
        model_fmt(m, "charts_note", "Some charts could not be drawn: %s",
                  charts->render_error);
    else
        model_str(m, "charts_note", "");
    (void)diag;
    return JTL_OK;
}

/* ---- the folder of a page ------------------------------------------------ */

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

enum jtl_err page_file_open(const char *tmp, const char *name, FILE **fp,
                            struct jtl_diag *diag)
{
    char path[4096];

    snprintf(path, sizeof(path), "%s/%s", tmp, name);
    *fp = fopen(path, "w");
    if (!*fp)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot create '%s': %s",
                            path, strerror(errno));
    return JTL_OK;
}

enum jtl_err page_file_close(FILE *fp, const char *dir, const char *name,
                             enum jtl_err err, struct jtl_diag *diag)
{
    int why = jtl_fclose_reason(fp);

    if (why && (!err || err == JTL_ERR_IO))
        err = jtl_diag_set(diag, JTL_ERR_IO, NULL, "cannot write '%s/%s': %s",
                           dir, name, strerror(why));
    return err;
}

enum jtl_err page_dir_open(const char *dir, char **tmp, bool *created,
                           struct jtl_diag *diag)
{
    struct stat st;
    size_t n;

    *tmp = NULL;
    *created = false;
    if (mkdir(dir, 0777) == 0)
        *created = true;
    else if (errno != EEXIST)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL,
                            "cannot create folder '%s': %s", dir,
                            strerror(errno));
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "'%s' is not a folder",
                            dir);
    n = strlen(dir) + 32;
    *tmp = jtl_xmalloc(n);
    snprintf(*tmp, n, "%s/.jtlscope-tmp-XXXXXX", dir);
    if (!mkdtemp(*tmp)) {
        enum jtl_err err = jtl_diag_set(diag, JTL_ERR_IO, NULL,
                                        "cannot create a folder in '%s': %s",
                                        dir, strerror(errno));
        free(*tmp);
        *tmp = NULL;
        return err;
    }
    jtl_xtemp_add(*tmp, true);
    return JTL_OK;
}

enum jtl_err page_dir_commit(const char *dir, const char *tmp,
                             struct jtl_diag *diag)
{
    remove_stale_charts(dir, tmp);
    return move_all(tmp, dir, diag);
}

void page_dir_close(const char *dir, char *tmp, bool created, enum jtl_err err)
{
    if (tmp) {
        jtl_xtemp_remove(tmp, true);
        free(tmp);
    }
    /* a folder this run made and could not fill goes too (rmdir removes
     * only an empty one) */
    if (err && created)
        rmdir(dir);
}
