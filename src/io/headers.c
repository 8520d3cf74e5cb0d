/* SPDX-License-Identifier: MIT
 * headers.c - response header blocks, HTTP-dates, rate-limit header families
 * and the per-sample Retry-After lookup.  Everything works on the caller's
 * bytes: no allocation, no NUL terminator needed (blocks can hold NULs). */
#include "jtl/io/headers.h"

#include <string.h>

/* ------------------------------------------------------------------ */
/* small helpers */

static int lower(int c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static bool is_alpha(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static struct jtl_str trim(struct jtl_str s)
{
    while (s.len && is_ws(s.p[0])) {
        s.p++;
        s.len--;
    }
    while (s.len && is_ws(s.p[s.len - 1]))
        s.len--;
    return s;
}

/* S equals the NUL-terminated LIT ignoring ASCII case. */
static bool eq_ci(struct jtl_str s, const char *lit)
{
    size_t i;

    for (i = 0; i < s.len; i++)
        if (!lit[i] ||
            lower((unsigned char)s.p[i]) != lower((unsigned char)lit[i]))
            return false;
    return lit[i] == '\0';
}

/* Case-insensitive search of LIT in S; offset or -1. */
static long find_ci(struct jtl_str s, const char *lit)
{
    size_t n = strlen(lit), i, j;

    if (n == 0 || s.len < n)
        return n == 0 ? 0 : -1;
    for (i = 0; i + n <= s.len; i++) {
        for (j = 0; j < n; j++)
            if (lower((unsigned char)s.p[i + j]) !=
                lower((unsigned char)lit[j]))
                break;
        if (j == n)
            return (long)i;
    }
    return -1;
}

/* A non-negative decimal "123" or "1.5" filling all of S (after trimming).
 * At most 15 integer digits, so hostile lengths cannot overflow. */
static bool parse_decimal(struct jtl_str s, double *out)
{
    double v = 0, scale = 1;
    size_t i = 0, nd = 0;

    s = trim(s);
    if (!s.len)
        return false;
    for (; i < s.len && is_digit(s.p[i]); i++) {
        if (++nd > 15)
            return false;
        v = v * 10 + (s.p[i] - '0');
    }
    if (nd == 0)
        return false;
    if (i < s.len && s.p[i] == '.') {
        size_t nf = 0;
        for (i++; i < s.len && is_digit(s.p[i]); i++) {
            if (nf++ < 9) {
                scale /= 10;
                v += (s.p[i] - '0') * scale;
            }
        }
        if (nf == 0)
            return false;
    }
    if (i != s.len)
        return false;
    *out = v;
    return true;
}

/* The leading number of S, up to the first ',', ';' or blank: old drafts
 * write "RateLimit-Limit: 100, 100;w=60". */
static bool lead_number(struct jtl_str s, double *out)
{
    size_t i = 0;

    s = trim(s);
    while (i < s.len && s.p[i] != ',' && s.p[i] != ';' && !is_ws(s.p[i]))
        i++;
    s.len = i;
    return parse_decimal(s, out);
}

/* ------------------------------------------------------------------ */
/* header lines */

void jtl_headers_iter_init(struct jtl_header_iter *it, struct jtl_str block)
{
    it->p = block.p;
    it->end = block.p ? block.p + block.len : NULL;
    it->section = 0;
}

/* End of the line starting at P (before CR LF / LF) and the start of the
 * next one. */
static const char *line_end(const char *p, const char *end, const char **next)
{
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    const char *e = nl ? nl : end;

    *next = nl ? nl + 1 : end;
    if (e > p && e[-1] == '\r')
        e--;
    return e;
}

bool jtl_headers_next(struct jtl_header_iter *it, struct jtl_header *out)
{
    while (it->p && it->p < it->end) {
        const char *ls = it->p, *next, *le, *colon, *ne, *vs, *ve;

        le = line_end(ls, it->end, &next);
        it->p = next;
        if (le == ls || is_blank(*ls))
            continue; /* blank, or a fold with no header before it */
        if (le - ls >= 5 && memcmp(ls, "HTTP/", 5) == 0) {
            it->section++;
            continue;
        }
        colon = memchr(ls, ':', (size_t)(le - ls));
        if (!colon)
            continue;
        ne = colon;
        while (ne > ls && is_blank(ne[-1]))
            ne--;
        if (ne == ls)
            continue;
        vs = colon + 1;
        ve = le;
        /* folded continuation lines belong to this value */
        while (it->p < it->end && is_blank(*it->p)) {
            const char *e2 = line_end(it->p, it->end, &next);
            const char *q = it->p;
            while (q < e2 && is_blank(*q))
                q++;
            if (q < e2)
                ve = e2;
            it->p = next;
        }
        while (vs < ve && is_ws(*vs))
            vs++;
        while (ve > vs && is_ws(ve[-1]))
            ve--;
        out->name.p = ls;
        out->name.len = (size_t)(ne - ls);
        out->value.p = vs;
        out->value.len = (size_t)(ve - vs);
        out->section = it->section;
        return true;
    }
    return false;
}

/* Number of the last section of BLOCK (status lines seen). */
static unsigned last_section(struct jtl_str block)
{
    const char *p = block.p, *end = block.p + block.len, *next;
    unsigned n = 0;

    if (!p)
        return 0;
    while (p < end) {
        const char *le = line_end(p, end, &next);
        if (le - p >= 5 && memcmp(p, "HTTP/", 5) == 0)
            n++;
        p = next;
    }
    return n;
}

bool jtl_headers_get(struct jtl_str block, const char *name,
                     struct jtl_str *value)
{
    struct jtl_header_iter it;
    struct jtl_header h;
    unsigned last = last_section(block);

    jtl_headers_iter_init(&it, block);
    while (jtl_headers_next(&it, &h)) {
        if (h.section == last && eq_ci(h.name, name)) {
            *value = h.value;
            return true;
        }
    }
    return false;
}

bool jtl_headers_status(struct jtl_str block, int *code)
{
    const char *p = block.p, *end = block.p + block.len, *next;
    bool found = false;

    if (!p)
        return false;
    while (p < end) {
        const char *le = line_end(p, end, &next);
        if (le - p >= 5 && memcmp(p, "HTTP/", 5) == 0) {
            const char *q = p + 5;
            while (q < le && !is_blank(*q))
                q++;
            while (q < le && is_blank(*q))
                q++;
            if (le - q >= 3 && is_digit(q[0]) && is_digit(q[1]) &&
                is_digit(q[2]) && (le - q == 3 || is_blank(q[3]))) {
                *code = (q[0] - '0') * 100 + (q[1] - '0') * 10 + (q[2] - '0');
                found = true;
            }
        }
        p = next;
    }
    return found;
}

size_t jtl_headers_unfold(struct jtl_str value, char *buf, size_t cap)
{
    size_t i = 0, o = 0;

    if (cap == 0)
        return 0;
    while (i < value.len && o + 1 < cap) {
        char c = value.p[i];
        if (c == '\r' || c == '\n') {
            while (i < value.len && is_ws(value.p[i]))
                i++;
            buf[o++] = ' ';
            continue;
        }
        buf[o++] = c;
        i++;
    }
    buf[o] = '\0';
    return o;
}

/* ------------------------------------------------------------------ */
/* HTTP-date */

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
    /* Howard Hinnant's algorithm (proleptic Gregorian). */
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

struct cur {
    const char *p, *e;
};

static bool c_char(struct cur *c, char ch)
{
    if (c->p < c->e && *c->p == ch) {
        c->p++;
        return true;
    }
    return false;
}

static size_t c_blanks(struct cur *c)
{
    size_t n = 0;

    while (c->p < c->e && *c->p == ' ') {
        c->p++;
        n++;
    }
    return n;
}

static bool c_int(struct cur *c, size_t min, size_t max, int *out)
{
    size_t n = 0;
    int v = 0;

    while (c->p < c->e && is_digit(*c->p) && n < max) {
        v = v * 10 + (*c->p - '0');
        c->p++;
        n++;
    }
    if (n < min || (c->p < c->e && is_digit(*c->p)))
        return false;
    *out = v;
    return true;
}

static size_t c_letters(struct cur *c)
{
    size_t n = 0;

    while (c->p < c->e && is_alpha(*c->p)) {
        c->p++;
        n++;
    }
    return n;
}

static bool c_month(struct cur *c, int *mon)
{
    static const char names[] = "janfebmaraprmayjunjulaugsepoctnovdec";
    int i;

    if (c->e - c->p < 3)
        return false;
    for (i = 0; i < 12; i++)
        if (lower((unsigned char)c->p[0]) == names[i * 3] &&
            lower((unsigned char)c->p[1]) == names[i * 3 + 1] &&
            lower((unsigned char)c->p[2]) == names[i * 3 + 2]) {
            c->p += 3;
            *mon = i + 1;
            return true;
        }
    return false;
}

static bool c_time(struct cur *c, int *h, int *mi, int *s)
{
    return c_int(c, 2, 2, h) && c_char(c, ':') && c_int(c, 2, 2, mi) &&
           c_char(c, ':') && c_int(c, 2, 2, s);
}

static bool c_zone(struct cur *c)
{
    struct jtl_str z;

    z.p = c->p;
    z.len = c_letters(c);
    return eq_ci(z, "GMT") || eq_ci(z, "UTC");
}

bool jtl_http_date_parse(const char *p, size_t len, int64_t *epoch_s)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    struct cur c = {p, p + len};
    int day = 0, mon = 0, year = 0, h = 0, mi = 0, s = 0;
    bool leap;

    while (c.p < c.e && is_ws(*c.p))
        c.p++;
    while (c.e > c.p && is_ws(c.e[-1]))
        c.e--;
    if (c_letters(&c) < 3)
        return false;
    if (c_char(&c, ',')) {
        if (!c_blanks(&c) || !c_int(&c, 1, 2, &day))
            return false;
        if (c_char(&c, '-')) { /* RFC 850: 06-Nov-94 */
            if (!c_month(&c, &mon) || !c_char(&c, '-') ||
                !c_int(&c, 2, 2, &year))
                return false;
            year += year < 70 ? 2000 : 1900;
        } else { /* IMF-fixdate: 06 Nov 1994 */
            if (!c_blanks(&c) || !c_month(&c, &mon) || !c_blanks(&c) ||
                !c_int(&c, 4, 4, &year))
                return false;
        }
        if (!c_blanks(&c) || !c_time(&c, &h, &mi, &s) || !c_blanks(&c) ||
            !c_zone(&c))
            return false;
    } else { /* asctime: Nov  6 08:49:37 1994 */
        if (!c_blanks(&c) || !c_month(&c, &mon) || !c_blanks(&c) ||
            !c_int(&c, 1, 2, &day) || !c_blanks(&c) ||
            !c_time(&c, &h, &mi, &s) || !c_blanks(&c) ||
            !c_int(&c, 4, 4, &year))
            return false;
    }
    if (c.p != c.e)
        return false;
    leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    if (year < 1900 || day < 1 || day > mdays[mon - 1] ||
        (mon == 2 && day == 29 && !leap) || h > 23 || mi > 59 || s > 60)
        return false;
    *epoch_s = days_from_civil(year, (unsigned)mon, (unsigned)day) * 86400 +
               h * 3600 + mi * 60 + s;
    return true;
}

/* ------------------------------------------------------------------ */
/* Retry-After and reset values */

#define RA_MAX 1e9 /* seconds; more is garbage, not a delay */

static bool date_value(struct jtl_str v, int64_t *epoch_s)
{
    char buf[128];
    size_t n;

    if (v.len >= sizeof(buf))
        return false;
    n = jtl_headers_unfold(v, buf, sizeof(buf));
    return jtl_http_date_parse(buf, n, epoch_s);
}

bool jtl_retry_after_parse(struct jtl_str value, int64_t ref_ms, double *secs,
                           enum jtl_time_kind *kind)
{
    double v;
    int64_t t;

    value = trim(value);
    if (parse_decimal(value, &v)) {
        if (v > RA_MAX)
            return false;
        *secs = v;
        if (kind)
            *kind = JTL_TK_DELTA;
        return true;
    }
    if (ref_ms == INT64_MIN || !date_value(value, &t))
        return false;
    v = ((double)t * 1000.0 - (double)ref_ms) / 1000.0;
    if (v > RA_MAX)
        return false;
    *secs = v < 0 ? 0 : v;
    if (kind)
        *kind = JTL_TK_DATE;
    return true;
}

/* A reset value in any of the shapes servers use (see headers.h). */
static bool reset_value(struct jtl_str value, int64_t ref_ms, double *secs,
                        enum jtl_time_kind *kind)
{
    size_t i;
    bool datey = false;
    double v;
    int64_t t;

    value = trim(value);
    for (i = 0; i < value.len; i++)
        if (is_alpha(value.p[i]) || value.p[i] == ',')
            datey = true;
    if (datey) {
        if (ref_ms == INT64_MIN || !date_value(value, &t))
            return false;
        v = ((double)t * 1000.0 - (double)ref_ms) / 1000.0;
        *kind = JTL_TK_DATE;
    } else {
        if (!parse_decimal(value, &v))
            return false;
        if (v >= 1e12) {
            if (ref_ms == INT64_MIN)
                return false;
            v = (v - (double)ref_ms) / 1000.0;
            *kind = JTL_TK_EPOCH_MS;
        } else if (v >= 1e9) {
            if (ref_ms == INT64_MIN)
                return false;
            v = v - (double)ref_ms / 1000.0;
            *kind = JTL_TK_EPOCH_S;
        } else {
            *kind = JTL_TK_DELTA;
        }
    }
    *secs = v < 0 ? 0 : v;
    return true;
}

static void set_reset(struct jtl_rl_counter *c, struct jtl_str v, int64_t ref)
{
    if (reset_value(v, ref, &c->reset_s, &c->reset_kind))
        c->has_reset = true;
}

/* ------------------------------------------------------------------ */
/* structured fields (IETF RateLimit drafts) */

#define SF_PARAMS 8
#define SF_MEMBERS 8

struct sf_member {
    struct jtl_str item;  /* bare item, or the key of "key=value" */
    struct jtl_str value; /* the value of "key=value" */
    bool is_pair;
    struct jtl_str pk[SF_PARAMS], pv[SF_PARAMS];
    size_t nparams;
};

static bool sf_tokch(char c)
{
    return is_alpha(c) || is_digit(c) || c == '_' || c == '-' || c == '.' ||
           c == '*' || c == ':' || c == '/' || c == '%' || c == '+';
}

static void sf_ws(struct cur *c)
{
    while (c->p < c->e && is_ws(*c->p))
        c->p++;
}

/* A string ("...", backslash escapes kept raw) or a token/number. */
static struct jtl_str sf_item(struct cur *c)
{
    struct jtl_str s = {c->p, 0};

    if (c->p < c->e && *c->p == '"') {
        c->p++;
        s.p = c->p;
        while (c->p < c->e && *c->p != '"') {
            if (*c->p == '\\' && c->p + 1 < c->e)
                c->p++;
            c->p++;
        }
        s.len = (size_t)(c->p - s.p);
        if (c->p < c->e)
            c->p++; /* closing quote */
        return s;
    }
    while (c->p < c->e && sf_tokch(*c->p))
        c->p++;
    s.len = (size_t)(c->p - s.p);
    return s;
}

/* Parse a list or dictionary into at most SF_MEMBERS members. */
static size_t sf_parse(struct jtl_str v, struct sf_member *m)
{
    struct cur c = {v.p, v.p + v.len};
    size_t n = 0;

    while (c.p < c.e && n < SF_MEMBERS) {
        struct sf_member *x = &m[n];

        memset(x, 0, sizeof(*x));
        sf_ws(&c);
        x->item = sf_item(&c);
        sf_ws(&c);
        if (c.p < c.e && *c.p == '=') {
            c.p++;
            sf_ws(&c);
            x->is_pair = true;
            x->value = sf_item(&c);
            sf_ws(&c);
        }
        while (c.p < c.e && *c.p == ';') {
            struct jtl_str k, pv = {c.p, 0};
            c.p++;
            sf_ws(&c);
            k = sf_item(&c);
            sf_ws(&c);
            if (c.p < c.e && *c.p == '=') {
                c.p++;
                sf_ws(&c);
                pv = sf_item(&c);
                sf_ws(&c);
            }
            if (x->nparams < SF_PARAMS && k.len) {
                x->pk[x->nparams] = k;
                x->pv[x->nparams++] = pv;
            }
        }
        if (x->item.len || x->nparams)
            n++;
        /* skip anything unparsable up to the next member */
        while (c.p < c.e && *c.p != ',') {
            if (*c.p == '"') {
                (void)sf_item(&c);
                continue;
            }
            c.p++;
        }
        if (c.p < c.e)
            c.p++;
    }
    return n;
}

static bool sf_param(const struct sf_member *m, const char *key, double *out)
{
    size_t i;

    for (i = 0; i < m->nparams; i++)
        if (eq_ci(m->pk[i], key))
            return parse_decimal(m->pv[i], out);
    return false;
}

static bool str_same(struct jtl_str a, struct jtl_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

static void sf_ratelimit(struct jtl_rl_counter *c, struct jtl_str v)
{
    struct sf_member m[SF_MEMBERS];
    size_t n = sf_parse(v, m), i;
    double r, t, best = 0;
    int pick = -1;

    for (i = 0; i < n; i++) {
        if (m[i].is_pair) { /* draft 07: limit=100, remaining=50, reset=5 */
            if (eq_ci(m[i].item, "limit") &&
                parse_decimal(m[i].value, &c->limit))
                c->has_limit = true;
            else if (eq_ci(m[i].item, "remaining") &&
                     parse_decimal(m[i].value, &c->remaining))
                c->has_remaining = true;
            else if (eq_ci(m[i].item, "reset") &&
                     parse_decimal(m[i].value, &c->reset_s)) {
                c->has_reset = true;
                c->reset_kind = JTL_TK_DELTA;
            }
            continue;
        }
        if (sf_param(&m[i], "r", &r) && (pick < 0 || r < best)) {
            pick = (int)i;
            best = r;
        }
    }
    if (pick < 0)
        return;
    c->has_remaining = true;
    c->remaining = best;
    c->policy = m[pick].item;
    if (sf_param(&m[pick], "t", &t)) {
        c->has_reset = true;
        c->reset_s = t;
        c->reset_kind = JTL_TK_DELTA;
    }
}

static void sf_policy(struct jtl_rl_counter *c, struct jtl_str v)
{
    struct sf_member m[SF_MEMBERS];
    size_t n = sf_parse(v, m), i;
    const struct sf_member *p = NULL;
    double q;

    if (!n)
        return;
    for (i = 0; i < n && c->policy.len; i++)
        if (str_same(m[i].item, c->policy))
            p = &m[i];
    if (!p)
        p = &m[0];
    if (!c->has_limit) {
        if (sf_param(p, "q", &q) || parse_decimal(p->item, &q)) {
            c->limit = q;
            c->has_limit = true;
        }
    }
    if (sf_param(p, "w", &c->window_s))
        c->has_window = true;
    if (!c->policy.len && !is_digit(p->item.len ? p->item.p[0] : '0'))
        c->policy = p->item;
}

/* ------------------------------------------------------------------ */
/* the families */

bool jtl_ratelimit_parse(struct jtl_str block, int64_t now_ms,
                         struct jtl_ratelimit *out)
{
    struct jtl_header_iter it;
    struct jtl_header h;
    unsigned last = last_section(block);
    struct jtl_str ra = {NULL, 0}, x_reset = {NULL, 0}, x_after = {NULL, 0};
    struct jtl_str d_reset = {NULL, 0}, sf_rl = {NULL, 0}, sf_pol = {NULL, 0};
    struct jtl_str inin_reset = {NULL, 0};
    int64_t ref, date_s;
    double v;
    bool any = false;

    memset(out, 0, sizeof(*out));
    jtl_headers_iter_init(&it, block);
    while (jtl_headers_next(&it, &h)) {
        struct jtl_str n = h.name;
        if (h.section != last)
            continue;
        if (eq_ci(n, "Date")) {
            if (!out->has_date && date_value(h.value, &date_s)) {
                out->has_date = true;
                out->date_ms = date_s * 1000;
            }
        } else if (eq_ci(n, "Retry-After")) {
            if (!ra.p)
                ra = h.value;
        } else if (eq_ci(n, "X-RateLimit-Limit") ||
                   eq_ci(n, "X-Rate-Limit-Limit")) {
            if (lead_number(h.value, &v)) {
                out->x.limit = v;
                out->x.has_limit = any = true;
            }
        } else if (eq_ci(n, "X-RateLimit-Remaining") ||
                   eq_ci(n, "X-Rate-Limit-Remaining")) {
            if (lead_number(h.value, &v)) {
                out->x.remaining = v;
                out->x.has_remaining = any = true;
            }
        } else if (eq_ci(n, "X-RateLimit-Reset") ||
                   eq_ci(n, "X-Rate-Limit-Reset")) {
            x_reset = h.value;
        } else if (eq_ci(n, "X-RateLimit-Reset-After")) {
            x_after = h.value;
        } else if (eq_ci(n, "RateLimit-Limit")) {
            if (lead_number(h.value, &v)) {
                out->draft.limit = v;
                out->draft.has_limit = any = true;
            }
        } else if (eq_ci(n, "RateLimit-Remaining")) {
            if (lead_number(h.value, &v)) {
                out->draft.remaining = v;
                out->draft.has_remaining = any = true;
            }
        } else if (eq_ci(n, "RateLimit-Reset")) {
            d_reset = h.value;
        } else if (eq_ci(n, "RateLimit")) {
            sf_rl = h.value;
        } else if (eq_ci(n, "RateLimit-Policy")) {
            sf_pol = h.value;
        } else if (eq_ci(n, "inin-ratelimit-allowed")) {
            if (lead_number(h.value, &v)) {
                out->inin.limit = v;
                out->inin.has_limit = any = true;
            }
        } else if (eq_ci(n, "inin-ratelimit-count")) {
            if (lead_number(h.value, &v)) {
                out->inin.used = v;
                out->inin.has_used = any = true;
            }
        } else if (eq_ci(n, "inin-ratelimit-reset")) {
            inin_reset = h.value;
        }
    }
    ref = out->has_date ? out->date_ms : now_ms;
    if (ra.p && jtl_retry_after_parse(ra, ref, &out->retry_after_s,
                                      &out->retry_after_kind))
        out->has_retry_after = any = true;
    if (x_after.p && parse_decimal(x_after, &out->x.reset_s)) {
        out->x.has_reset = true;
        out->x.reset_kind = JTL_TK_DELTA;
    } else if (x_reset.p) {
        set_reset(&out->x, x_reset, ref);
    }
    if (d_reset.p)
        set_reset(&out->draft, d_reset, ref);
    if (sf_rl.p)
        sf_ratelimit(&out->sf, sf_rl);
    if (sf_pol.p)
        sf_policy(&out->sf, sf_pol);
    if (inin_reset.p && lead_number(inin_reset, &out->inin.reset_s)) {
        out->inin.has_reset = true;
        out->inin.reset_kind = JTL_TK_DELTA;
    }
    if (out->inin.has_limit && out->inin.has_used) {
        out->inin.remaining = out->inin.limit - out->inin.used;
        if (out->inin.remaining < 0)
            out->inin.remaining = 0;
        out->inin.has_remaining = true;
    }
    any = any || out->x.has_reset || out->draft.has_reset ||
          out->inin.has_reset || out->sf.has_limit || out->sf.has_remaining ||
          out->sf.has_reset || out->sf.has_window;
    return any;
}

/* ------------------------------------------------------------------ */
/* Genesys body and the per-sample lookup */

bool jtl_body_retry_in(struct jtl_str text, double *secs)
{
    static const char lead[] = "retry the request in";
    struct jtl_str rest = text;

    while (rest.len) {
        long at = find_ci(rest, lead);
        size_t i, j;
        struct jtl_str num;

        if (at < 0)
            return false;
        i = (size_t)at + sizeof(lead) - 1;
        while (i < rest.len && is_blank(rest.p[i]))
            i++;
        if (i < rest.len && rest.p[i] == '[')
            i++;
        j = i;
        while (j < rest.len && (is_digit(rest.p[j]) || rest.p[j] == '.'))
            j++;
        num.p = rest.p + i;
        num.len = j - i;
        if (j < rest.len && rest.p[j] == ']')
            j++;
        while (j < rest.len && is_blank(rest.p[j]))
            j++;
        {
            struct jtl_str tail = {rest.p + j, rest.len - j};
            if (tail.len > 6)
                tail.len = 6;
            if (eq_ci(tail, "second") && parse_decimal(num, secs) &&
                *secs <= RA_MAX)
                return true;
        }
        rest.p += at + 1;
        rest.len -= (size_t)at + 1;
    }
    return false;
}

/* "retryAfter", "Retry-After", "retry_after", "RETRYAFTER" ... */
static bool is_retry_var(struct jtl_str name)
{
    static const char want[] = "retryafter";
    size_t i, j = 0;

    for (i = 0; i < name.len; i++) {
        char c = name.p[i];
        if (c == '-' || c == '_')
            continue;
        if (j >= sizeof(want) - 1 || lower((unsigned char)c) != want[j])
            return false;
        j++;
    }
    return j == sizeof(want) - 1;
}

enum jtl_ra_source jtl_retry_after_seconds(const struct jtl_sample *s,
                                           double *secs)
{
    int64_t end_ms = INT64_MIN;
    struct jtl_str v;
    double x;
    size_t i;

    if (JTL_HAS(s, JTL_F_TIMESTAMP))
        end_ms = s->timestamp +
                 (JTL_HAS(s, JTL_F_ELAPSED) && s->elapsed > 0 ? s->elapsed : 0);
    if (s->response_headers.len &&
        jtl_headers_get(s->response_headers, "Retry-After", &v)) {
        struct jtl_str dv;
        int64_t date_s, ref = end_ms;
        if (jtl_headers_get(s->response_headers, "Date", &dv) &&
            date_value(dv, &date_s))
            ref = date_s * 1000;
        if (jtl_retry_after_parse(v, ref, &x, NULL)) {
            *secs = x;
            return JTL_RA_HEADER;
        }
    }
    for (i = 0; i < s->nvars; i++) {
        struct jtl_str val = trim(s->vars[i].value);
        if (!is_retry_var(s->vars[i].name) || !val.len || eq_ci(val, "null"))
            continue;
        if (jtl_retry_after_parse(val, end_ms, &x, NULL)) {
            *secs = x;
            return JTL_RA_VAR;
        }
    }
    if (jtl_body_retry_in(s->message, &x) ||
        jtl_body_retry_in(s->failure_message, &x)) {
        *secs = x;
        return JTL_RA_BODY;
    }
    return JTL_RA_NONE;
}
