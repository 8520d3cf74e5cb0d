/* SPDX-License-Identifier: MIT
 * template.h - a small logic-less template expander for the HTML report
 * (the subset of Mustache the report needs, rendered in C).
 *
 *   {{name}}             value, HTML-escaped (untrusted text is fine here)
 *   {{{name}}}           value written as is: ONLY for fragments jtlscope
 *                        produced itself (CSS, inline SVG, escaped tables)
 *   {{#name}}...{{/name}} section: repeated for each row of a list, or
 *                        shown once when a flag is true
 *   {{^name}}...{{/name}} inverted section: shown when the list is empty or
 *                        the flag is false
 *   {{! comment }}       dropped
 * Names are [A-Za-z0-9_.-], spaces inside the braces are ignored.
 *
 * Values come from a lookup callback, which sees the stack of open sections
 * (innermost first) with the row index of each, so `{{#labels}}{{name}}
 * {{/labels}}` asks for "name" in frame {"labels", i}.
 *
 * Ownership: jtl_tpl_parse() copies nothing from SRC that it needs later
 * except through struct jtl_tpl, which keeps its own copy; jtl_tpl_free()
 * releases it.  Strings a lookup returns must stay valid until the next
 * lookup call.  Errors carry "NAME:LINE" in diag->where, e.g.
 * "report.html:12" with "unclosed {{#rows}}". */
#ifndef JTL_TEMPLATE_H
#define JTL_TEMPLATE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "jtl/base/buf.h"
#include "jtl/base/error.h"

#define JTL_TPL_MAX_DEPTH 16 /* nested sections */
#define JTL_TPL_MAX_NAME 64  /* bytes in a name */

enum jtl_tpl_type {
    JTL_TPL_NONE = 0, /* unknown name: an error at render time */
    JTL_TPL_STR,      /* text: s[0..len) */
    JTL_TPL_LIST,     /* section rows: count */
    JTL_TPL_BOOL,     /* section flag: count is 0 or 1 */
};

struct jtl_tpl_value {
    enum jtl_tpl_type type;
    const char *s;
    size_t len;
    size_t count;
};

/* One open section while rendering; OUTER is the enclosing one or NULL. */
struct jtl_tpl_frame {
    const char *name;
    size_t index; /* row being rendered */
    const struct jtl_tpl_frame *outer;
};

/* Fill *OUT for NAME inside FRAME (NULL at top level).  Leave it
 * JTL_TPL_NONE for an unknown name.  A nonzero return aborts rendering with
 * that error (the callback fills DIAG). */
typedef enum jtl_err (*jtl_tpl_lookup_fn)(void *ctx, const char *name,
                                          const struct jtl_tpl_frame *frame,
                                          struct jtl_tpl_value *out,
                                          struct jtl_diag *diag);

struct jtl_tpl; /* opaque: a parsed template */

/* Parse SRC[0..LEN) named NAME (for messages).  Syntax errors: unclosed
 * tag, unclosed or mismatched section, empty or invalid name, too deep. */
enum jtl_err jtl_tpl_parse(const char *name, const char *src, size_t len,
                           struct jtl_tpl **out, struct jtl_diag *diag);
/* Expand into FP or BUF (exactly one non-NULL).  Unknown names and a
 * section given a string are errors naming the template line. */
enum jtl_err jtl_tpl_render(const struct jtl_tpl *tpl, FILE *fp,
                            struct jtl_buf *buf, jtl_tpl_lookup_fn fn,
                            void *ctx, struct jtl_diag *diag);
void jtl_tpl_free(struct jtl_tpl *tpl); /* NULL is a no-op */

/* Helpers for callbacks. */
static inline void jtl_tpl_set_str(struct jtl_tpl_value *v, const char *s,
                                   size_t len)
{
    v->type = JTL_TPL_STR;
    v->s = s;
    v->len = len;
}
static inline void jtl_tpl_set_list(struct jtl_tpl_value *v, size_t count)
{
    v->type = JTL_TPL_LIST;
    v->count = count;
}
static inline void jtl_tpl_set_bool(struct jtl_tpl_value *v, bool on)
{
    v->type = JTL_TPL_BOOL;
    v->count = on ? 1 : 0;
}

#endif /* JTL_TEMPLATE_H */
