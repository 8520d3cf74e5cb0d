/* SPDX-License-Identifier: MIT
 * check_out.c - the pass/fail criteria's result (check.h) as text, Markdown,
 * JSON and JUnit XML (writers.h).  Labels and messages may come from the JTL:
 * escaped for each format (controls never reach a terminal). */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "jtl/base/buf.h"
#include "jtl/io/timefmt.h"
#include "jtl/report/escape.h"
#include "jtl/report/json.h"
#include "jtl/report/outfile.h"
#include "jtl/report/writers.h"

static const char *unit_name(const struct jtl_criterion *c)
{
    switch (jtl_criterion_unit(c)) {
    case JTL_UNIT_MS:
        return "ms";
    case JTL_UNIT_PCT:
        return "%";
    case JTL_UNIT_PER_S:
        return "/s";
    case JTL_UNIT_KB_S:
        return "KB/s";
    case JTL_UNIT_NONE:
        break;
    }
    return "";
}

/* Terminal text: no control character from a label or a message. */
static void put_plain(FILE *fp, const char *s)
{
    for (; *s; s++)
        fputc((unsigned char)*s < 0x20 || *s == 0x7f ? '?' : *s, fp);
}

/* The item's name: the criterion (or its "as" name), and the label when
 * the criterion does not name it itself (each label, a regex). */
static void item_name(struct jtl_buf *b, const struct jtl_check_item *it)
{
    const struct jtl_criterion *c = it->crit;

    jtl_buf_adds(b, c->name ? c->name : c->text);
    if (c->scope == JTL_CRIT_REGEX ||
        (c->scope == JTL_CRIT_TOTAL && strcmp(it->label, "Total") != 0))
        jtl_buf_printf(b, " [%s]", it->label);
}

static const char *status_word(enum jtl_check_status s)
{
    return s == JTL_CHECK_PASS   ? "PASS"
           : s == JTL_CHECK_FAIL ? "FAIL"
                                 : "ERROR";
}

static void summary_line(struct jtl_buf *b, const struct jtl_check_result *r)
{
    jtl_buf_printf(b, "%s: %zu criteri%s checked, %zu passed, %zu failed",
                   r->passed ? "PASSED" : "FAILED", r->n,
                   r->n == 1 ? "on" : "a", r->npass, r->nfail);
    if (r->nerror)
        jtl_buf_printf(b, ", %zu could not be evaluated", r->nerror);
}

enum jtl_err jtl_report_check_text(FILE *fp, const struct jtl_check_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag)
{
    struct jtl_buf b;
    size_t i;

    (void)info;
    jtl_buf_init(&b, 0);
    summary_line(&b, r);
    fprintf(fp, "%s\n", b.p);
    for (i = 0; i < r->n; i++) {
        const struct jtl_check_item *it = &r->items[i];
        b.len = 0;
        item_name(&b, it);
        jtl_buf_addc(&b, 0);
        fprintf(fp, "  %-5s  ", status_word(it->status));
        put_plain(fp, b.p);
        fputs(": ", fp);
        put_plain(fp, it->message ? it->message : "");
        fputc('\n', fp);
    }
    jtl_buf_release(&b);
    return jtl_write_status(fp, diag);
}

void jtl_report_check_md_buf(struct jtl_buf *out,
                             const struct jtl_check_result *r)
{
    struct jtl_buf line;
    struct jtl_buf *bp = out;
    size_t i;

#define b (*bp)
    jtl_buf_init(&line, 0);
    summary_line(&line, r);
    jtl_buf_printf(&b,
                   "**%s**\n\n| Result | Criterion | Label | Measured |\n"
                   "|---|---|---|---|\n",
                   line.p);
    for (i = 0; i < r->n; i++) {
        const struct jtl_check_item *it = &r->items[i];
        const struct jtl_criterion *c = it->crit;
        const char *name = c->name ? c->name : c->text;
        jtl_buf_printf(&b, "| %s | ", status_word(it->status));
        jtl_md_escape(&b, name, strlen(name), 0);
        jtl_buf_adds(&b, " | ");
        jtl_md_escape(&b, it->label, strlen(it->label), 80);
        jtl_buf_adds(&b, " | ");
        jtl_md_escape(&b, it->message ? it->message : "",
                      it->message ? strlen(it->message) : 0, 0);
        jtl_buf_adds(&b, " |\n");
    }
#undef b
    jtl_buf_release(&line);
}

enum jtl_err jtl_report_check_md(FILE *fp, const struct jtl_check_result *r,
                                 const struct jtl_run_info *info,
                                 struct jtl_diag *diag)
{
    struct jtl_buf b;

    (void)info;
    jtl_buf_init(&b, 0);
    jtl_report_check_md_buf(&b, r);
    fwrite(b.p, 1, b.len, fp);
    jtl_buf_release(&b);
    return jtl_write_status(fp, diag);
}

/* The check's JSON object into J (also the "check" member of a report). */
void jtl_report_check_json_obj(struct jtl_json *j,
                               const struct jtl_check_result *r)
{
    size_t i;
    char t[64];

    jtl_json_obj_begin(j);
    jtl_json_key(j, "passed");
    jtl_json_bool(j, r->passed);
    jtl_json_key(j, "passes");
    jtl_json_int(j, (int64_t)r->npass);
    jtl_json_key(j, "failures");
    jtl_json_int(j, (int64_t)r->nfail);
    jtl_json_key(j, "errors");
    jtl_json_int(j, (int64_t)r->nerror);
    jtl_json_key(j, "criteria");
    jtl_json_arr_begin(j);
    for (i = 0; i < r->n; i++) {
        const struct jtl_check_item *it = &r->items[i];
        const struct jtl_criterion *c = it->crit;
        jtl_json_obj_begin(j);
        jtl_json_key(j, "criterion");
        jtl_json_str(j, c->text);
        jtl_json_key(j, "name");
        jtl_json_str(j, c->name);
        jtl_json_key(j, "label");
        jtl_json_str(j, it->label);
        jtl_json_key(j, "labels");
        jtl_json_int(j, (int64_t)it->labels);
        jtl_json_key(j, "status");
        jtl_json_str(j, jtl_check_status_name(it->status));
        if (c->subject == JTL_CRIT_VERDICT) {
            jtl_json_key(j, "value");
            if (it->status == JTL_CHECK_ERROR)
                jtl_json_null(j);
            else
                jtl_json_str(j, jtl_throttle_verdict_name(it->verdict));
            jtl_json_key(j, "threshold");
            jtl_json_str(j, jtl_throttle_verdict_name(c->verdict));
        } else {
            jtl_json_key(j, "value");
            jtl_json_num(j, it->value);
            jtl_json_key(j, "threshold");
            jtl_json_num(j, c->value);
        }
        jtl_json_key(j, "op");
        jtl_json_str(j, jtl_crit_op_text(c->op));
        jtl_json_key(j, "unit");
        jtl_json_str(j, unit_name(c));
        jtl_json_key(j, "samples");
        jtl_json_int(j, (int64_t)it->samples);
        jtl_json_key(j, "window");
        if (it->win_start) {
            jtl_json_obj_begin(j);
            jtl_json_key(j, "start");
            jtl_clock_format(it->win_start, NULL, JTL_CLOCK_ISO, t, sizeof(t));
            jtl_json_str(j, t);
            jtl_json_key(j, "end");
            jtl_clock_format(it->win_end, NULL, JTL_CLOCK_ISO, t, sizeof(t));
            jtl_json_str(j, t);
            jtl_json_key(j, "length_s");
            jtl_json_num(j, (double)c->window / 1000);
            jtl_json_obj_end(j);
        } else {
            jtl_json_null(j);
        }
        jtl_json_key(j, "message");
        jtl_json_str(j, it->message);
        jtl_json_obj_end(j);
    }
    jtl_json_arr_end(j);
    jtl_json_obj_end(j);
}

enum jtl_err jtl_report_check_json(FILE *fp, const struct jtl_check_result *r,
                                   const struct jtl_run_info *info,
                                   struct jtl_diag *diag)
{
    struct jtl_json j;

    (void)info;
    jtl_json_init_file(&j, fp, 2);
    jtl_report_check_json_obj(&j, r);
    jtl_json_end(&j);
    return jtl_write_status(fp, diag);
}

/* XML text or attribute (HTML escaping is XML-safe: & < > " ' as
 * references, controls and invalid UTF-8 as U+FFFD). */
static void xml(struct jtl_buf *b, const char *s)
{
    jtl_html_escape(b, s, strlen(s));
}

enum jtl_err jtl_report_check_junit(FILE *fp, const struct jtl_check_result *r,
                                    const struct jtl_run_info *info,
                                    struct jtl_diag *diag)
{
    struct jtl_buf b, name;
    size_t i;
    char t[64];

    jtl_buf_init(&b, 0);
    jtl_buf_init(&name, 0);
    jtl_buf_printf(
        &b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testsuite name=\"jtlscope\" tests=\"%zu\" failures=\"%zu\" "
        "errors=\"%zu\" skipped=\"0\" time=\"0\"",
        r->n, r->nfail, r->nerror);
    if (info && info->last_end > info->first_ts) {
        jtl_clock_format(info->first_ts, NULL, JTL_CLOCK_ISO, t, sizeof(t));
        jtl_buf_printf(&b, " timestamp=\"%s\"", t);
    }
    jtl_buf_adds(&b, ">\n");
    for (i = 0; i < r->n; i++) {
        const struct jtl_check_item *it = &r->items[i];
        const struct jtl_criterion *c = it->crit;
        const char *tag = it->status == JTL_CHECK_FAIL ? "failure" : "error";
        name.len = 0;
        item_name(&name, it);
        jtl_buf_addc(&name, 0);
        jtl_buf_adds(&b, "  <testcase name=\"");
        xml(&b, name.p);
        jtl_buf_adds(&b, "\" classname=\"");
        xml(&b, it->label);
        jtl_buf_adds(&b, "\" time=\"0\"");
        if (it->status == JTL_CHECK_PASS) {
            jtl_buf_adds(&b, "/>\n");
            continue;
        }
        jtl_buf_printf(&b, ">\n    <%s message=\"", tag);
        xml(&b, it->message ? it->message : "");
        jtl_buf_printf(&b, "\" type=\"%s\">",
                       it->status == JTL_CHECK_FAIL
                           ? "criterion failed"
                           : "criterion not evaluated");
        jtl_buf_adds(&b, "Criterion: ");
        xml(&b, c->text);
        jtl_buf_adds(&b, "\nLabel: ");
        xml(&b, it->label);
        jtl_buf_adds(&b, "\nResult: ");
        xml(&b, it->message ? it->message : "");
        jtl_buf_printf(&b, "\nSamples: %llu\n</%s>\n  </testcase>\n",
                       (unsigned long long)it->samples, tag);
    }
    jtl_buf_adds(&b, "</testsuite>\n");
    fwrite(b.p, 1, b.len, fp);
    jtl_buf_release(&b);
    jtl_buf_release(&name);
    return jtl_write_status(fp, diag);
}
