/* SPDX-License-Identifier: MIT
 * template.c - parse a template once into a flat node list, then expand it
 * with values from a lookup callback.
 *
 * Sections are stored as an OPEN node that knows the index of its CLOSE
 * node, so rendering is a recursive walk over index ranges and a template
 * error is found at parse time, before any output is written. */
#include "jtl/report/template.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "jtl/base/xalloc.h"
#include "jtl/report/escape.h"

enum node_kind { N_TEXT, N_VAR, N_RAW, N_OPEN, N_INVERTED, N_CLOSE };

struct node {
    enum node_kind kind;
    size_t off, len; /* N_TEXT: bytes of tpl->src */
    char name[JTL_TPL_MAX_NAME + 1];
    size_t line;
    size_t close; /* N_OPEN/N_INVERTED: index of the N_CLOSE */
};

struct jtl_tpl {
    char *name;
    char *src;
    struct node *nodes;
    size_t nnodes, cap;
};

static struct node *add_node(struct jtl_tpl *t, enum node_kind kind,
                             size_t line)
{
    struct node *n;

    jtl_xgrow((void **)&t->nodes, &t->cap, t->nnodes + 1, sizeof(*t->nodes));
    n = &t->nodes[t->nnodes++];
    memset(n, 0, sizeof(*n));
    n->kind = kind;
    n->line = line;
    return n;
}

static size_t count_lines(const char *p, size_t n)
{
    size_t k = 0;

    while (n--)
        if (*p++ == '\n')
            k++;
    return k;
}

static bool name_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= '0' && c <= '9') || c == '_' || c == '.' || c == '-';
}

static enum jtl_err tpl_error(struct jtl_diag *diag, const char *tname,
                              size_t line, const char *fmt, ...)
    JTL_PRINTF(4, 5);

static enum jtl_err tpl_error(struct jtl_diag *diag, const char *tname,
                              size_t line, const char *fmt, ...)
{
    char where[160], msg[256];
    va_list ap;

    snprintf(where, sizeof(where), "%s:%zu", tname, line);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return jtl_diag_set(diag, JTL_ERR_TEMPLATE, where, "%s", msg);
}

/* Copy the trimmed tag body P[0..N) into NAME; false if invalid. */
static bool take_name(const char *p, size_t n, char *name)
{
    size_t i;

    while (n && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) {
        p++;
        n--;
    }
    while (n && (p[n - 1] == ' ' || p[n - 1] == '\t' || p[n - 1] == '\n' ||
                 p[n - 1] == '\r'))
        n--;
    if (n == 0 || n > JTL_TPL_MAX_NAME)
        return false;
    for (i = 0; i < n; i++)
        if (!name_char(p[i]))
            return false;
    memcpy(name, p, n);
    name[n] = '\0';
    return true;
}

/* A printable excerpt of a bad tag for messages (never raw control bytes). */
static void excerpt(const char *p, size_t n, char *out, size_t cap)
{
    size_t i, k = 0;

    for (i = 0; i < n && k + 4 < cap; i++)
        out[k++] = (p[i] >= 0x20 && p[i] < 0x7F) ? p[i] : '?';
    if (i < n && k + 3 < cap) {
        memcpy(out + k, "...", 3);
        k += 3;
    }
    out[k] = '\0';
}

enum jtl_err jtl_tpl_parse(const char *name, const char *src, size_t len,
                           struct jtl_tpl **out, struct jtl_diag *diag)
{
    struct jtl_tpl *t = jtl_xcalloc(1, sizeof(*t));
    size_t stack[JTL_TPL_MAX_DEPTH];
    size_t depth = 0, pos = 0, line = 1;
    enum jtl_err err = JTL_OK;
    char buf[80];

    t->name = jtl_xstrdup(name);
    t->src = jtl_xmalloc(len + 1);
    if (len)
        memcpy(t->src, src, len);
    t->src[len] = '\0';
    src = t->src;

    while (pos < len) {
        const char *open = NULL;
        size_t i, body, body_len, end, tag_line;
        bool triple;
        struct node *n;
        char kind;

        for (i = pos; i + 1 < len; i++)
            if (src[i] == '{' && src[i + 1] == '{') {
                open = src + i;
                break;
            }
        if (!open) {
            n = add_node(t, N_TEXT, line);
            n->off = pos;
            n->len = len - pos;
            break;
        }
        if (i > pos) {
            n = add_node(t, N_TEXT, line);
            n->off = pos;
            n->len = i - pos;
            line += count_lines(src + pos, i - pos);
        }
        tag_line = line;
        triple = i + 2 < len && src[i + 2] == '{';
        body = i + (triple ? 3 : 2);
        end = body;
        for (;;) {
            if (end + (triple ? 2 : 1) >= len) {
                excerpt(src + i, len - i < 20 ? len - i : 20, buf, sizeof(buf));
                err = tpl_error(diag, name, tag_line, "unterminated tag '%s'",
                                buf);
                goto out;
            }
            if (src[end] == '}' && src[end + 1] == '}' &&
                (!triple || src[end + 2] == '}'))
                break;
            end++;
        }
        body_len = end - body;
        line += count_lines(src + i, end - i);
        pos = end + (triple ? 3 : 2);
        kind = body_len ? src[body] : '\0';

        if (!triple && kind == '!')
            continue;
        if (!triple && (kind == '#' || kind == '^' || kind == '/')) {
            body++;
            body_len--;
        } else {
            kind = triple ? '{' : '=';
        }
        n = add_node(t, N_TEXT, tag_line);
        if (!take_name(src + body, body_len, n->name)) {
            excerpt(src + i, pos - i, buf, sizeof(buf));
            err =
                tpl_error(diag, name, tag_line,
                          "invalid name in '%s' (letters, digits, _ . -)", buf);
            goto out;
        }
        switch (kind) {
        case '{':
            n->kind = N_RAW;
            break;
        case '=':
            n->kind = N_VAR;
            break;
        case '#':
        case '^':
            n->kind = kind == '#' ? N_OPEN : N_INVERTED;
            if (depth == JTL_TPL_MAX_DEPTH) {
                err = tpl_error(diag, name, tag_line,
                                "sections nested deeper than 16 at "
                                "'{{#%s}}'",
                                n->name);
                goto out;
            }
            stack[depth++] = t->nnodes - 1;
            break;
        case '/': {
            struct node *o;
            n->kind = N_CLOSE;
            if (depth == 0) {
                err = tpl_error(diag, name, tag_line,
                                "'{{/%s}}' closes no open section", n->name);
                goto out;
            }
            o = &t->nodes[stack[depth - 1]];
            if (strcmp(o->name, n->name) != 0) {
                err = tpl_error(diag, name, tag_line,
                                "'{{/%s}}' does not close '{{%c%s}}' opened "
                                "at line %zu",
                                n->name, o->kind == N_OPEN ? '#' : '^', o->name,
                                o->line);
                goto out;
            }
            o->close = t->nnodes - 1;
            depth--;
            break;
        }
        }
    }
    if (depth > 0) {
        struct node *o = &t->nodes[stack[depth - 1]];
        err = tpl_error(diag, name, o->line, "unclosed {{%c%s}}",
                        o->kind == N_OPEN ? '#' : '^', o->name);
        goto out;
    }
out:
    if (err) {
        jtl_tpl_free(t);
        return err;
    }
    *out = t;
    return JTL_OK;
}

void jtl_tpl_free(struct jtl_tpl *tpl)
{
    if (!tpl)
        return;
    free(tpl->name);
    free(tpl->src);
    free(tpl->nodes);
    free(tpl);
}

/* ---- rendering ---------------------------------------------------------- */

struct render {
    const struct jtl_tpl *tpl;
    FILE *fp;
    struct jtl_buf *buf;
    struct jtl_buf scratch; /* escaped value */
    jtl_tpl_lookup_fn fn;
    void *ctx;
    struct jtl_diag *diag;
};

static enum jtl_err emit(struct render *r, const char *p, size_t n)
{
    if (n == 0)
        return JTL_OK;
    if (r->fp) {
        if (fwrite(p, 1, n, r->fp) != n)
            return jtl_diag_set(r->diag, JTL_ERR_IO, NULL,
                                "cannot write report");
        return JTL_OK;
    }
    if (jtl_buf_add(r->buf, p, n))
        return jtl_diag_set(r->diag, JTL_ERR_LIMIT, r->tpl->name,
                            "expanded template too large");
    return JTL_OK;
}

static enum jtl_err lookup(struct render *r, const struct node *n,
                           const struct jtl_tpl_frame *frame,
                           struct jtl_tpl_value *v)
{
    enum jtl_err err;

    memset(v, 0, sizeof(*v));
    err = r->fn(r->ctx, n->name, frame, v, r->diag);
    if (err)
        return err;
    if (v->type == JTL_TPL_NONE)
        return tpl_error(r->diag, r->tpl->name, n->line, "unknown name '%s'",
                         n->name);
    return JTL_OK;
}

static enum jtl_err render_range(struct render *r, size_t from, size_t to,
                                 const struct jtl_tpl_frame *frame)
{
    size_t i = from;
    enum jtl_err err = JTL_OK;

    while (i < to && !err) {
        const struct node *n = &r->tpl->nodes[i];
        struct jtl_tpl_value v;

        switch (n->kind) {
        case N_TEXT:
            err = emit(r, r->tpl->src + n->off, n->len);
            i++;
            break;
        case N_VAR:
        case N_RAW:
            err = lookup(r, n, frame, &v);
            if (err)
                break;
            if (v.type != JTL_TPL_STR) {
                err = tpl_error(r->diag, r->tpl->name, n->line,
                                "'%s' is a section, not a value", n->name);
                break;
            }
            if (n->kind == N_RAW) {
                err = emit(r, v.s, v.len);
            } else {
                jtl_buf_clear(&r->scratch);
                jtl_html_escape(&r->scratch, v.s, v.len);
                err = emit(r, r->scratch.p, r->scratch.len);
            }
            i++;
            break;
        case N_OPEN:
        case N_INVERTED: {
            size_t count, k;
            err = lookup(r, n, frame, &v);
            if (err)
                break;
            count = v.type == JTL_TPL_STR ? (v.len > 0) : v.count;
            if (n->kind == N_INVERTED) {
                /* nothing to iterate: names resolve as outside it */
                if (count == 0)
                    err = render_range(r, i + 1, n->close, frame);
            } else {
                for (k = 0; k < count && !err; k++) {
                    struct jtl_tpl_frame f = {n->name, k, frame};
                    err = render_range(r, i + 1, n->close, &f);
                }
            }
            i = n->close + 1;
            break;
        }
        case N_CLOSE:
            i++;
            break;
        }
    }
    return err;
}

enum jtl_err jtl_tpl_render(const struct jtl_tpl *tpl, FILE *fp,
                            struct jtl_buf *buf, jtl_tpl_lookup_fn fn,
                            void *ctx, struct jtl_diag *diag)
{
    struct render r;
    enum jtl_err err;

    memset(&r, 0, sizeof(r));
    r.tpl = tpl;
    r.fp = fp;
    r.buf = buf;
    r.fn = fn;
    r.ctx = ctx;
    r.diag = diag;
    jtl_buf_init(&r.scratch, 0);
    err = render_range(&r, 0, tpl->nnodes, NULL);
    jtl_buf_release(&r.scratch);
    return err;
}
