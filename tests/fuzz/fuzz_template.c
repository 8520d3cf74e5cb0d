/* SPDX-License-Identifier: MIT
 * fuzz_template.c - the template expander and the escapers: templates come
 * from --template-dir (user files), the values they expand from a JTL.  The
 * input is parsed as a template and, when valid, expanded with values that
 * are lists, flags or hostile strings depending on the name; the same bytes
 * also go through every escaper. */
#include <string.h>

#include "jtl/buf.h"
#include "jtl/escape.h"
#include "jtl/template.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t *g_data;
static size_t g_size;

static enum jtl_err lookup(void *ctx, const char *name,
                           const struct jtl_tpl_frame *frame,
                           struct jtl_tpl_value *v, struct jtl_diag *diag)
{
    size_t depth = 0;

    (void)ctx;
    (void)diag;
    for (; frame; frame = frame->outer)
        depth++;
    switch (name[0]) {
    case 'l': /* a list: short, so nesting stays cheap */
        jtl_tpl_set_list(v, depth < 4 ? 3 : 1);
        break;
    case 'b':
        jtl_tpl_set_bool(v, name[1] != '0');
        break;
    case 'x': /* unknown name: a render error */
        break;
    case 'e':
        jtl_tpl_set_str(v, "", 0);
        break;
    default: /* the fuzz input itself as a value (untrusted bytes) */
        jtl_tpl_set_str(v, (const char *)g_data, g_size < 64 ? g_size : 64);
    }
    return JTL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct jtl_tpl *tpl = NULL;
    struct jtl_diag diag;
    struct jtl_buf b;

    g_data = data;
    g_size = size;
    jtl_buf_init(&b, 1u << 24);
    if (jtl_tpl_parse("fuzz.html", (const char *)data, size, &tpl, &diag) ==
        JTL_OK) {
        jtl_tpl_render(tpl, NULL, &b, lookup, NULL, &diag);
        jtl_tpl_free(tpl);
    }
    jtl_buf_clear(&b);
    jtl_html_escape(&b, (const char *)data, size);
    jtl_html_attr_escape(&b, (const char *)data, size);
    jtl_gpdata_escape(&b, (const char *)data, size, 60);
    jtl_md_escape(&b, (const char *)data, size, 0);
    jtl_md_escape(&b, (const char *)data, size, 7);
    jtl_buf_release(&b);
    if (size < 256) {
        char s[256], slug[64];
        memcpy(s, data, size);
        s[size] = '\0';
        jtl_slug(slug, sizeof(slug), s);
        jtl_name_is_safe(s);
    }
    return 0;
}
