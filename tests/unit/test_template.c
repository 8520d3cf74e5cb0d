/* SPDX-License-Identifier: MIT
 * test_template.c - template parsing, expansion and error messages. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "jtl/report/template.h"

/* A tiny model: a title, a list of rows with a name and a count, a flag. */
static const char *row_names[] = {"<b>GET</b>", "POST \"x\"", "a\xE2\x80\xA8z"};
static const char *row_counts[] = {"10", "20", "30"};
static size_t nrows = 3;
static int has_charts;
static size_t lookups;

static enum jtl_err lookup(void *ctx, const char *name,
                           const struct jtl_tpl_frame *f,
                           struct jtl_tpl_value *v, struct jtl_diag *diag)
{
    (void)ctx;
    (void)diag;
    lookups++;
    /* Walk out through the open sections to the nearest "rows" row. */
    while (f && strcmp(f->name, "rows") != 0)
        f = f->outer;
    if (f) {
        if (strcmp(name, "name") == 0) {
            jtl_tpl_set_str(v, row_names[f->index],
                            strlen(row_names[f->index]));
            return JTL_OK;
        }
        if (strcmp(name, "count") == 0) {
            jtl_tpl_set_str(v, row_counts[f->index],
                            strlen(row_counts[f->index]));
            return JTL_OK;
        }
    }
    if (strcmp(name, "title") == 0)
        jtl_tpl_set_str(v, "R&D <test>", 10);
    else if (strcmp(name, "svg") == 0)
        jtl_tpl_set_str(v, "<svg></svg>", 11);
    else if (strcmp(name, "rows") == 0)
        jtl_tpl_set_list(v, nrows);
    else if (strcmp(name, "charts") == 0)
        jtl_tpl_set_bool(v, has_charts);
    else if (strcmp(name, "empty") == 0)
        jtl_tpl_set_str(v, "", 0);
    else if (strcmp(name, "fail") == 0)
        return jtl_diag_set(diag, JTL_ERR_IO, NULL, "lookup failed");
    return JTL_OK;
}

static char out[2048];
static struct jtl_diag diag;

/* Parse and render SRC; returns the error, output in `out`. */
static enum jtl_err run(const char *src)
{
    struct jtl_tpl *t = NULL;
    struct jtl_buf b;
    enum jtl_err err;

    memset(&diag, 0, sizeof(diag));
    out[0] = '\0';
    err = jtl_tpl_parse("report.html", src, strlen(src), &t, &diag);
    if (err)
        return err;
    jtl_buf_init(&b, 0);
    err = jtl_tpl_render(t, NULL, &b, lookup, NULL, &diag);
    snprintf(out, sizeof(out), "%s", b.p ? b.p : "");
    jtl_buf_release(&b);
    jtl_tpl_free(t);
    return err;
}

static void test_expand(void)
{
    CHECK_EQ_INT(run("plain text, no tags"), JTL_OK, "plain text parses");
    CHECK_EQ_STR(out, "plain text, no tags", "plain text copied");
    CHECK_EQ_INT(run("<h1>{{title}}</h1>"), JTL_OK, "variable");
    CHECK_EQ_STR(out, "<h1>R&amp;D &lt;test&gt;</h1>",
                 "{{name}} is HTML-escaped");
    CHECK_EQ_INT(run("{{{svg}}}|{{ title }}|{{{ svg }}}"), JTL_OK, "raw");
    CHECK_EQ_STR(out, "<svg></svg>|R&amp;D &lt;test&gt;|<svg></svg>",
                 "{{{name}}} is written as is; spaces inside braces ignored");
    CHECK_EQ_INT(run("<ul>{{#rows}}<li>{{name}}={{count}}</li>{{/rows}}</ul>"),
                 JTL_OK, "section");
    CHECK_EQ_STR(out,
                 "<ul><li>&lt;b&gt;GET&lt;/b&gt;=10</li>"
                 "<li>POST &quot;x&quot;=20</li><li>a&#x2028;z=30</li></ul>",
                 "section repeated per row with row values escaped");
    CHECK_EQ_INT(run("{{#rows}}{{title}};{{/rows}}"), JTL_OK,
                 "outer names inside a section");
    CHECK_EQ_STR(out,
                 "R&amp;D &lt;test&gt;;R&amp;D &lt;test&gt;;"
                 "R&amp;D &lt;test&gt;;",
                 "a name unknown in the row resolves at top level");
    has_charts = 0;
    CHECK_EQ_INT(run("{{#charts}}yes{{/charts}}{{^charts}}no{{/charts}}"),
                 JTL_OK, "flag");
    CHECK_EQ_STR(out, "no", "false flag: inverted section shown");
    has_charts = 1;
    run("{{#charts}}yes{{/charts}}{{^charts}}no{{/charts}}");
    CHECK_EQ_STR(out, "yes", "true flag: section shown once");
    nrows = 0;
    run("[{{#rows}}x{{/rows}}{{^rows}}none{{/rows}}]");
    CHECK_EQ_STR(out, "[none]", "empty list: inverted section shown");
    nrows = 3;
    run("{{#empty}}A{{/empty}}{{#title}}B{{/title}}");
    CHECK_EQ_STR(out, "B", "a string is a section flag when non-empty");
    run("a{{! a comment with {braces} }}b");
    CHECK_EQ_STR(out, "ab", "comments dropped");
    run("{ {x} } {{title}}}");
    CHECK_EQ_STR(out, "{ {x} } R&amp;D &lt;test&gt;}",
                 "single braces are text");
    run("{{#rows}}{{#charts}}{{name}}{{/charts}}{{/rows}}");
    CHECK_EQ_STR(out, "&lt;b&gt;GET&lt;/b&gt;POST &quot;x&quot;a&#x2028;z",
                 "nested sections: the callback sees the outer row index");
}

static void test_errors(void)
{
    CHECK_EQ_INT(run("line1\nline2 {{#rows}}\n{{name}}\n"), JTL_ERR_TEMPLATE,
                 "unclosed section");
    CHECK_EQ_STR(diag.where, "report.html:2", "error names the opening line");
    CHECK_EQ_STR(diag.msg, "unclosed {{#rows}}", "unclosed message");

    CHECK_EQ_INT(run("{{#rows}}\n{{#charts}}\n{{/rows}}{{/charts}}"),
                 JTL_ERR_TEMPLATE, "crossed sections");
    CHECK_EQ_STR(diag.where, "report.html:3", "at the bad close");
    CHECK(strstr(diag.msg, "'{{#charts}}' opened at line 2") != NULL,
          "message names the section left open and its line");

    CHECK_EQ_INT(run("{{/rows}}"), JTL_ERR_TEMPLATE, "close without open");
    CHECK_EQ_INT(run("a\n\nb {{title"), JTL_ERR_TEMPLATE, "unterminated tag");
    CHECK_EQ_STR(diag.where, "report.html:3", "unterminated tag line");
    CHECK_EQ_INT(run("{{{svg}}"), JTL_ERR_TEMPLATE,
                 "triple brace closed by two");
    CHECK_EQ_INT(run("{{}}"), JTL_ERR_TEMPLATE, "empty name");
    CHECK_EQ_INT(run("{{a b}}"), JTL_ERR_TEMPLATE, "space inside a name");
    CHECK_EQ_INT(run("{{<script>}}"), JTL_ERR_TEMPLATE, "bad name chars");

    CHECK_EQ_INT(run("x\n{{nosuch}}"), JTL_ERR_TEMPLATE, "unknown name");
    CHECK_EQ_STR(diag.where, "report.html:2", "unknown name line");
    CHECK_EQ_STR(diag.msg, "unknown name 'nosuch'", "unknown name message");
    CHECK_EQ_INT(run("{{rows}}"), JTL_ERR_TEMPLATE, "list used as a value");
    CHECK_EQ_INT(run("{{fail}}"), JTL_ERR_IO, "callback error passes through");

    {
        char deep[400] = "";
        int i;
        for (i = 0; i < 17; i++)
            strcat(deep, "{{#rows}}");
        for (i = 0; i < 17; i++)
            strcat(deep, "{{/rows}}");
        CHECK_EQ_INT(run(deep), JTL_ERR_TEMPLATE, "nesting is capped");
    }
    /* A template error writes nothing: parse errors come first. */
    lookups = 0;
    CHECK_EQ_INT(run("{{title}} {{#rows}}"), JTL_ERR_TEMPLATE, "parse error");
    CHECK_EQ_INT(lookups, 0, "no lookup before the whole template parsed");
}

static void test_file_output(void)
{
    struct jtl_tpl *t = NULL;
    char *mem = NULL;
    size_t memlen = 0;
    FILE *fp = open_memstream(&mem, &memlen);

    memset(&diag, 0, sizeof(diag));
    CHECK_EQ_INT(jtl_tpl_parse("t", "<p>{{title}}</p>", 16, &t, &diag), JTL_OK,
                 "parse for file output");
    CHECK_EQ_INT(jtl_tpl_render(t, fp, NULL, lookup, NULL, &diag), JTL_OK,
                 "render to FILE");
    fclose(fp);
    CHECK_EQ_STR(mem, "<p>R&amp;D &lt;test&gt;</p>", "FILE output escaped");
    free(mem);
    jtl_tpl_free(t);
}

int main(void)
{
    test_expand();
    test_errors();
    test_file_output();
    return CHECK_DONE();
}
