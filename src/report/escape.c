/* SPDX-License-Identifier: MIT
 * escape.c - HTML, gnuplot-data and file-name escaping of untrusted text. */
#include "jtl/report/escape.h"

#include <string.h>

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Control characters HTML forbids as text or as references (and which
 * would render as nothing or as mojibake): C0 except tab/LF/CR, DEL, C1. */
static bool is_bad_control(uint32_t cp)
{
    return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') ||
           (cp >= 0x7F && cp <= 0x9F);
}

static void html_escape(struct jtl_buf *o, const char *str, size_t len,
                        bool attr)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, run = 0; /* s[i-run .. i) is copied verbatim */

    while (i < len) {
        const char *rep = NULL;
        uint32_t cp = 0;
        size_t k = jtl_utf8_decode(s + i, len - i, &cp);

        if (k == 0) {
            rep = replacement;
            k = 1;
        } else if (k == 1) {
            switch (s[i]) {
            case '&':
                rep = "&amp;";
                break;
            case '<':
                rep = "&lt;";
                break;
            case '>':
                rep = "&gt;";
                break;
            case '"':
                rep = "&quot;";
                break;
            case '\'':
                rep = "&#39;";
                break;
            case '`':
                rep = "&#96;";
                break;
            case '\t':
                rep = attr ? "&#9;" : NULL;
                break;
            case '\n':
                rep = attr ? "&#10;" : NULL;
                break;
            case '\r':
                rep = attr ? "&#13;" : NULL;
                break;
            default:
                if (is_bad_control(cp))
                    rep = replacement;
            }
        } else if (cp == 0x2028) {
            rep = "&#x2028;";
        } else if (cp == 0x2029) {
            rep = "&#x2029;";
        } else if (is_bad_control(cp)) {
            rep = replacement;
        }
        if (rep) {
            if (run)
                jtl_buf_add(o, s + i - run, run);
            run = 0;
            jtl_buf_adds(o, rep);
        } else {
            run += k;
        }
        i += k;
    }
    if (run)
        jtl_buf_add(o, s + i - run, run);
    if (!o->p)
        jtl_buf_add(o, "", 0);
}

void jtl_html_escape(struct jtl_buf *out, const char *s, size_t len)
{
    html_escape(out, s, len, false);
}

void jtl_html_attr_escape(struct jtl_buf *out, const char *s, size_t len)
{
    html_escape(out, s, len, true);
}

void jtl_gpdata_escape(struct jtl_buf *o, const char *str, size_t len,
                       size_t maxchars)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, nchars = 0;

    while (i < len) {
        uint32_t cp = 0;
        size_t k = jtl_utf8_decode(s + i, len - i, &cp);

        if (nchars == maxchars) {
            jtl_buf_adds(o, "...");
            break;
        }
        if (k == 0) {
            jtl_buf_adds(o, replacement);
            k = 1;
        } else if (cp == '"') {
            jtl_buf_addc(o, '\'');
        } else if (cp == '\\') {
            /* gnuplot reads \n, \t, \\ and \" in a quoted data field as
             * escapes: doubled, the backslash shows as itself and cannot
             * swallow the closing quote */
            jtl_buf_adds(o, "\\\\");
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
                   cp == 0x2029) {
            jtl_buf_addc(o, ' ');
        } else {
            jtl_buf_add(o, s + i, k);
        }
        nchars++;
        i += k;
    }
    if (!o->p)
        jtl_buf_add(o, "", 0);
}

void jtl_md_escape(struct jtl_buf *o, const char *str, size_t len,
                   size_t maxchars)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0, nchars = 0;

    while (i < len) {
        uint32_t cp = 0;
        size_t k = jtl_utf8_decode(s + i, len - i, &cp);

        if (maxchars && nchars == maxchars) {
            jtl_buf_adds(o, "...");
            break;
        }
        if (k == 0) {
            jtl_buf_adds(o, replacement);
            k = 1;
        } else if (cp == '<') {
            jtl_buf_adds(o, "&lt;");
        } else if (cp == '>') {
            jtl_buf_adds(o, "&gt;");
        } else if (cp == '&') {
            jtl_buf_adds(o, "&amp;");
        } else if (cp < 0x80 && strchr("\\`*_[]|~#$", (int)cp) && cp != 0) {
            jtl_buf_addc(o, '\\');
            jtl_buf_addc(o, (char)cp);
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 ||
                   cp == 0x2029) {
            jtl_buf_addc(o, ' ');
        } else {
            jtl_buf_add(o, s + i, k);
        }
        nchars++;
        i += k;
    }
    if (!o->p)
        jtl_buf_add(o, "", 0);
}

void jtl_slug(char *out, size_t cap, const char *s)
{
    size_t n = 0;
    bool dash = false;

    if (cap == 0)
        return;
    for (; *s && n + 1 < cap; s++) {
        unsigned char c = (unsigned char)*s;

        if (c >= 'A' && c <= 'Z')
            c = (unsigned char)(c - 'A' + 'a');
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (dash && n > 0 && n + 2 < cap)
                out[n++] = '-';
            dash = false;
            out[n++] = (char)c;
        } else {
            dash = true;
        }
    }
    if (n == 0 && cap > 1)
        out[n++] = 'x';
    out[n] = '\0';
}

bool jtl_name_is_safe(const char *name)
{
    size_t n = strlen(name), i;

    if (n == 0 || n > 128 || name[0] == '.' || name[0] == '-')
        return false;
    for (i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-'))
            return false;
    }
    return true;
}
