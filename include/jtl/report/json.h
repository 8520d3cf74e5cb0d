/* SPDX-License-Identifier: MIT
 * json.h - a small streaming JSON writer for reports.
 * Ownership: the caller embeds struct jtl_json and owns the FILE or jtl_buf
 * it writes to.  Strings from a JTL are untrusted: jtl_json_str escapes
 * them so the output is valid JSON and also safe inside an HTML <script>
 * (`<`, `>`, `&`, U+2028, U+2029 escaped; invalid UTF-8 becomes U+FFFD). */
#ifndef JTL_JSON_H
#define JTL_JSON_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/base/buf.h"

#define JTL_JSON_MAX_DEPTH 32

struct jtl_json {
    FILE *fp; /* exactly one of fp / buf is set */
    struct jtl_buf *buf;
    int indent; /* spaces per level; 0 = compact */
    int depth;
    bool first[JTL_JSON_MAX_DEPTH]; /* no member written yet at this level */
    bool after_key;
};

void jtl_json_init_file(struct jtl_json *j, FILE *fp, int indent);
void jtl_json_init_buf(struct jtl_json *j, struct jtl_buf *buf, int indent);

void jtl_json_obj_begin(struct jtl_json *j);
void jtl_json_obj_end(struct jtl_json *j);
void jtl_json_arr_begin(struct jtl_json *j);
void jtl_json_arr_end(struct jtl_json *j);
/* Object member name; the next value call writes its value. */
void jtl_json_key(struct jtl_json *j, const char *key);
void jtl_json_keyn(struct jtl_json *j, const char *key, size_t len);
void jtl_json_str(struct jtl_json *j, const char *s); /* NULL -> null */
void jtl_json_strn(struct jtl_json *j, const char *s, size_t len);
void jtl_json_int(struct jtl_json *j, int64_t v);
/* Shortest form that reads back to the same double ("%.17g" trimmed, as
 * Java's Double.toString does for the values JMeter writes); NaN and
 * infinities become null. */
void jtl_json_num(struct jtl_json *j, double v);
/* Fixed decimals, e.g. 3 for "0.123". */
void jtl_json_numf(struct jtl_json *j, double v, int decimals);
void jtl_json_bool(struct jtl_json *j, bool v);
void jtl_json_null(struct jtl_json *j);
/* Write an already valid JSON fragment as the next value. */
void jtl_json_raw(struct jtl_json *j, const char *s);
/* Finish: a trailing newline at depth 0. */
void jtl_json_end(struct jtl_json *j);

/* Escape S[0..LEN) as the body of a JSON string (no quotes) into OUT. */
void jtl_json_escape(struct jtl_buf *out, const char *s, size_t len);

#endif /* JTL_JSON_H */
