/* SPDX-License-Identifier: MIT
 * page.h - what the HTML pages share (page.c): the model the template
 * engine reads, the templates, and charts inlined as data: URIs.
 *
 * The model holds display strings only: every number is formatted by the
 * page's builder, once, so the templates stay logic-less.  Strings from the
 * JTL are stored as they are and escaped by the template engine
 * ({{name}}); only our own fragments (CSS, JS, base64 images, JSON) are
 * written raw ({{{name}}}).  Keys are static strings. */
#ifndef JTL_REPORT_PAGE_H
#define JTL_REPORT_PAGE_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/base/error.h"
#include "jtl/report/report.h"
#include "jtl/report/template.h"

struct mlist;

struct mval {
    const char *key; /* static */
    char *s;         /* owned; NULL for a list */
    size_t len;
    struct mlist *list;
};

struct mrec {
    struct mval *v;
    size_t n, cap;
};

struct mlist {
    struct mrec *r;
    size_t n, cap;
};

void model_free(struct mrec *r);
void model_strn(struct mrec *r, const char *key, const char *s, size_t n);
void model_str(struct mrec *r, const char *key, const char *s);
/* Take ownership of a malloc'ed string (large fragments). */
void model_take(struct mrec *r, const char *key, char *s, size_t n);
/* "1" or "" (a template section shows or not). */
void model_flag(struct mrec *r, const char *key, bool on);
void model_fmt(struct mrec *r, const char *key, const char *fmt, ...)
    JTL_PRINTF(3, 4);
struct mlist *model_list(struct mrec *r, const char *key);
struct mrec *model_add(struct mlist *l);
/* A {name, value} row of a two-column table. */
void model_kv(struct mlist *l, const char *name, const char *value);
/* The template engine's lookup over a model (CTX: its root record). */
enum jtl_err model_lookup(void *ctx, const char *name,
                          const struct jtl_tpl_frame *frame,
                          struct jtl_tpl_value *out, struct jtl_diag *diag);

/* Read a whole file (at most MAX bytes; NUL-ended). */
enum jtl_err page_slurp(const char *path, size_t max, char **out, size_t *len,
                        struct jtl_diag *diag);
bool page_file_exists(const char *path);
/* "data:MIME;base64,..." of P[0..N). */
char *page_base64_uri(const char *mime, const unsigned char *p, size_t n,
                      size_t *outlen);
/* NAME from TEMPLATE_DIR when it is there, else the built-in copy. */
enum jtl_err page_template(const char *template_dir, const char *name,
                           char **out, size_t *len, struct jtl_diag *diag);
/* "chartjs": the chart library (chart.min.js, built in or from
 * TEMPLATE_DIR) that draws the interactive charts, when there is one. */
void page_chart_library(struct mrec *m, const char *template_dir);
/* The list "charts" (name, title, caption, height, rendered, img: the SVG
 * or PNG from DIR as a data: URI, interactive: it has a spec), the JSON
 * object "charts_json" of the specs by name, the flags "has_specs",
 * "has_charts" and "has_folder"
 * (FOLDER: the page's folder keeps the chart files, so the page may link
 * them and its notes may point there; false for a page written alone). */
enum jtl_err page_charts(struct mrec *m, const struct jtl_report_charts *charts,
                         const char *dir, bool folder, struct jtl_diag *diag);

/* The folder of a page, written atomically enough: everything goes into
 * DIR/.jtlscope-tmp-XXXXXX (*TMP; the same file system, so rename() is cheap
 * and cannot half-copy) and is moved into DIR by page_dir_commit() when
 * every file was written, index.html last, so a reader never sees a page
 * whose charts are not there yet; chart files of an earlier page that this
 * one has not are removed.  page_dir_close() removes the temporary folder,
 * and DIR too when this run made it and ERR says it failed. */
enum jtl_err page_dir_open(const char *dir, char **tmp, bool *created,
                           struct jtl_diag *diag);
enum jtl_err page_dir_commit(const char *dir, const char *tmp,
                             struct jtl_diag *diag);
void page_dir_close(const char *dir, char *tmp, bool created, enum jtl_err err);

/* One file of a page: NAME created in the working folder TMP, and closed
 * after a writer returned ERR; a failed close or write is said with DIR's
 * name and the reason, which beats a writer's own message. */
enum jtl_err page_file_open(const char *tmp, const char *name, FILE **fp,
                            struct jtl_diag *diag);
enum jtl_err page_file_close(FILE *fp, const char *dir, const char *name,
                             enum jtl_err err, struct jtl_diag *diag);

#endif /* JTL_REPORT_PAGE_H */
