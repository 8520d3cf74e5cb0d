/* SPDX-License-Identifier: MIT
 * fuzz_template.c - the report template expander (template.h) and the
 * escapers it and the other reporters use (escape.h), on arbitrary bytes.
 *
 * The input is a template (a --template-dir file is user-supplied) rendered
 * with a lookup whose answer depends on the name: "s..." is hostile text
 * (markup, quotes, U+2028, invalid UTF-8, a NUL), "l..." a list of 0-2 rows
 * (3 in the outer frames), "b..." a flag, "e..." a lookup error, "n..." an
 * unknown name, anything else plain text.  Checked:
 *   - parse errors and render errors carry "fuzz:LINE" and a message;
 *   - a capped output buffer stops rendering with JTL_ERR_LIMIT, not more;
 *   - {{name}} escapes: when the template itself has no '<' and no {{{ }}},
 *     the output has no '<' although every value is full of them;
 *   - the escapers on the raw input: HTML output has none of < > " ' ` and
 *     is valid UTF-8 without C0/C1 controls other than TAB, LF, CR; gnuplot
 *     data has no '"', TAB, CR or LF; Markdown has no raw '<' or '|'. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/report/escape.h"
#include "jtl/report/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OUT_MAX (256 * 1024)

static const char hostile[] = "<script>alert(1)</script>&amp;\"'`"
                              "\xe2\x80\xa8\xff\xfe<img src=x onerror=y>\0<";

static void must(bool cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "template: contract broken: %s\n", what);
        abort();
    }
}

static size_t depth_of(const struct jtl_tpl_frame *f)
{
    size_t d = 0;

    for (; f; f = f->outer)
        d++;
    return d;
}

static enum jtl_err lookup(void *ctx, const char *name,
                           const struct jtl_tpl_frame *frame,
                           struct jtl_tpl_value *out, struct jtl_diag *diag)
{
    size_t len = strlen(name);

    (void)ctx;
    must(len > 0 && len <= JTL_TPL_MAX_NAME, "lookup got a bad name");
    switch (name[0]) {
    case 's':
        jtl_tpl_set_str(out, hostile, sizeof(hostile) - 1);
        break;
    case 'l':
        jtl_tpl_set_list(out, depth_of(frame) < 2 ? len % 4 : len % 3);
        break;
    case 'b':
        jtl_tpl_set_bool(out, len & 1);
        break;
    case 'e':
        return jtl_diag_set(diag, JTL_ERR_TEMPLATE, "fuzz", "lookup error");
    case 'n':
        break;
    default:
        jtl_tpl_set_str(out, name, len);
        break;
    }
    return JTL_OK;
}

static void check_html(const struct jtl_buf *b)
{
    const unsigned char *p = (const unsigned char *)b->p;
    size_t i = 0, k;
    uint32_t cp;

    while (i < b->len) {
        must(p[i] != '<' && p[i] != '>' && p[i] != '"' && p[i] != '\'' &&
                 p[i] != '`',
             "html escape let a markup character through");
        k = jtl_utf8_decode(p + i, b->len - i, &cp);
        must(k > 0, "html escape produced invalid UTF-8");
        must(!(cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') &&
                 !(cp >= 0x7f && cp <= 0x9f) && cp != 0x2028 && cp != 0x2029,
             "html escape let a control character through");
        i += k;
    }
}

static void check_escapers(const char *s, size_t n)
{
    struct jtl_buf b;
    size_t i;

    jtl_buf_init(&b, 0);
    jtl_html_escape(&b, s, n);
    check_html(&b);
    jtl_buf_clear(&b);
    jtl_html_attr_escape(&b, s, n);
    check_html(&b);
    for (i = 0; i < b.len; i++)
        must(b.p[i] != '\t' && b.p[i] != '\n' && b.p[i] != '\r',
             "attribute escape kept a raw TAB/LF/CR");
    jtl_buf_clear(&b);
    jtl_gpdata_escape(&b, s, n, n % 50);
    for (i = 0; i < b.len; i++)
        must(b.p[i] != '"' && b.p[i] != '\t' && b.p[i] != '\n' &&
                 b.p[i] != '\r',
             "gnuplot data escape kept a quote, TAB, CR or LF");
    jtl_buf_clear(&b);
    jtl_md_escape(&b, s, n, n % 3 ? 0 : 40);
    for (i = 0; i < b.len; i++) {
        must(b.p[i] != '<' && b.p[i] != '\n' && b.p[i] != '\r',
             "markdown escape kept a raw '<' or a line end");
        must(b.p[i] != '|' || (i > 0 && b.p[i - 1] == '\\'),
             "markdown escape kept a raw '|'");
    }
    jtl_buf_release(&b);
    {
        char slug[32];
        jtl_slug(slug, sizeof(slug), hostile);
        must(jtl_name_is_safe(slug), "a slug is not a safe file name");
    }
}

static bool has_triple(const char *s, size_t n)
{
    size_t i;

    for (i = 0; i + 2 < n; i++)
        if (s[i] == '{' && s[i + 1] == '{' && s[i + 2] == '{')
            return true;
    return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *src = (const char *)data;
    struct jtl_tpl *tpl = NULL;
    struct jtl_diag diag = {0};
    struct jtl_buf out;
    enum jtl_err err;

    check_escapers(src, size);

    err = jtl_tpl_parse("fuzz", src, size, &tpl, &diag);
    if (err) {
        must(err == JTL_ERR_TEMPLATE && strncmp(diag.where, "fuzz:", 5) == 0 &&
                 diag.msg[0],
             "a parse error without template:line and message");
        return 0;
    }
    jtl_buf_init(&out, OUT_MAX);
    memset(&diag, 0, sizeof(diag));
    err = jtl_tpl_render(tpl, NULL, &out, lookup, NULL, &diag);
    must(out.len <= OUT_MAX, "render went past the output cap");
    if (err) {
        must(diag.msg[0] != '\0', "a render error without a message");
        must(err == JTL_ERR_TEMPLATE || err == JTL_ERR_LIMIT,
             "a render error of an unexpected kind");
    } else if (!memchr(src, '<', size) && !has_triple(src, size)) {
        must(!memchr(out.p ? out.p : "", '<', out.len),
             "{{name}} let a '<' of a value through");
    }
    jtl_buf_release(&out);
    jtl_tpl_free(tpl);
    return 0;
}
