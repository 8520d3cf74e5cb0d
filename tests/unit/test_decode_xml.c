/* SPDX-License-Identifier: MIT
 * test_decode_xml.c - the XML decoder on every real XML fixture and on
 * hostile inputs, each fed whole and split at many chunk sizes (every size
 * 1..len for small inputs) with the same sample stream expected. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "jtl/base/buf.h"
#include "jtl/io/decoder.h"
#include "jtl/io/headers.h"
#include "jtl/io/source.h"
#include "samples.h"

#define DATA JTL_TEST_DATA
#define SMALL_MAX (12 * 1024) /* every chunk size up to this length */

/* ------------------------------------------------------------------ */
/* harness: decode a buffer, digest everything delivered */

typedef void (*observer_fn)(const struct jtl_sample *s, void *ctx);

struct run {
    observer_fn obs;
    void *obs_ctx;
    uint64_t stop_after; /* callback returns nonzero at this sample (1-based) */
    bool strict;
    enum jtl_format format;
    const char *name;
    /* results */
    uint64_t h, wh, n;
    unsigned nwarn;
    char warn[8][400];
    enum jtl_err err;
    struct jtl_diag diag;
    struct jtl_decode_counts counts;
};

/* Everything about a sample, where it came from and its file name. */
static uint64_t digest_sample(uint64_t h, const struct jtl_sample *s)
{
    h = sample_hash(h, s, SAMPLE_LINE | SAMPLE_SEQ | SAMPLE_SOURCE);
    sample_fnv(&h, s->file, strlen(s->file));
    return h;
}

static int on_sample(const struct jtl_sample *s, void *ctx)
{
    struct run *r = ctx;

    r->n++;
    r->h = digest_sample(r->h, s);
    if (r->obs)
        r->obs(s, r->obs_ctx);
    return r->stop_after && r->n == r->stop_after ? 7 : 0;
}

static void on_warn(const char *where, const char *msg, void *ctx)
{
    struct run *r = ctx;

    sample_fnv(&r->wh, where, strlen(where));
    sample_fnv(&r->wh, msg, strlen(msg));
    if (r->nwarn < 8)
        snprintf(r->warn[r->nwarn], sizeof(r->warn[0]), "%s: %s", where, msg);
    r->nwarn++;
}

/* Feed DATA in chunks: CHUNK bytes each, or random sizes 1..RANDMAX from
 * SEED when CHUNK is 0. */
static void decode(struct run *r, const char *data, size_t len, size_t chunk,
                   unsigned seed, size_t randmax)
{
    struct jtl_decode_opts o;
    struct jtl_decoder *dec = NULL;
    size_t off = 0;

    memset(&o, 0, sizeof(o));
    o.format = r->format;
    o.strict = r->strict;
    o.name = r->name ? r->name : "test.jtl";
    o.warn = on_warn;
    o.warn_ctx = r;
    r->h = r->wh = 1469598103934665603ULL;
    r->n = 0;
    r->nwarn = 0;
    memset(&r->diag, 0, sizeof(r->diag));
    r->err = jtl_decoder_new(&o, on_sample, r, &dec, &r->diag);
    while (!r->err && off < len) {
        size_t k = chunk;
        if (!chunk) {
            seed = seed * 1103515245u + 12345u;
            k = 1 + (seed >> 8) % randmax;
        }
        if (k > len - off)
            k = len - off;
        r->err = jtl_decoder_feed(dec, data + off, k, &r->diag);
        off += k;
    }
    if (!r->err)
        r->err = jtl_decoder_finish(dec, &r->diag);
    jtl_decoder_counts(dec, &r->counts);
    jtl_decoder_free(dec);
}

static bool same(const struct run *a, const struct run *b)
{
    return a->h == b->h && a->n == b->n && a->wh == b->wh &&
           a->nwarn == b->nwarn && a->err == b->err &&
           strcmp(a->diag.msg, b->diag.msg) == 0 &&
           strcmp(a->diag.where, b->diag.where) == 0 &&
           a->counts.records == b->counts.records &&
           a->counts.samples == b->counts.samples &&
           a->counts.skipped == b->counts.skipped &&
           a->counts.lines == b->counts.lines &&
           a->counts.truncated == b->counts.truncated;
}

/* Off when a file's stream was already checked at every chunking. */
static bool split_ways = true;

/* Decode whole into *REF (observer on), then split many ways (observer
 * off) and check every stream equals the whole one. */
static void decode_all_ways(struct run *ref, const char *data, size_t len,
                            const char *what)
{
    static const size_t sizes[] = {1, 2, 3, 7, 64, 4096, 65536};
    struct run r = *ref;
    size_t k, bad = 0, tried = 0, first_bad = 0;
    char msg[300];

    decode(ref, data, len, len ? len : 1, 0, 0);
    r.obs = NULL;
    if (!split_ways)
        return;
    if (len <= SMALL_MAX) {
        for (k = 1; k <= len; k++) {
            decode(&r, data, len, k, 0, 0);
            tried++;
            if (!same(&r, ref) && !bad++)
                first_bad = k;
        }
    } else {
        for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
            /* 1-3 byte chunks of a multi-MiB synthetic text only cost time:
             * the real MiB fixtures get them */
            if (len > 2 * 1024 * 1024 && sizes[k] < 7)
                continue;
            decode(&r, data, len, sizes[k], 0, 0);
            tried++;
            if (!same(&r, ref) && !bad++)
                first_bad = sizes[k];
        }
        for (k = 0; k < 3; k++) {
            decode(&r, data, len, 0, (unsigned)(k * 7919 + 1),
                   k == 0   ? 16
                   : k == 1 ? 700
                            : 20000);
            tried++;
            if (!same(&r, ref) && !bad++)
                first_bad = 100000 + k;
        }
    }
    snprintf(msg, sizeof(msg),
             "%s: the same samples, counts and warnings at %zu chunkings "
             "(first difference at chunk size %zu)",
             what, tried, first_bad);
    CHECK(bad == 0, msg);
}

/* ------------------------------------------------------------------ */
/* input files */

static char *load(const char *path, size_t *len)
{
    struct jtl_source *src = NULL;
    struct jtl_diag d;
    struct jtl_buf b;
    char chunk[65536];
    size_t n;

    *len = 0;
    if (jtl_source_open(path, &src, &d) != JTL_OK) {
        fprintf(stderr, "cannot open %s: %s\n", path, d.msg);
        return NULL;
    }
    jtl_buf_init(&b, 0);
    while (jtl_source_read(src, chunk, sizeof(chunk), &n, &d) == JTL_OK && n)
        jtl_buf_add(&b, chunk, n);
    jtl_source_close(src);
    return jtl_buf_detach(&b, len);
}

static uint64_t count_substr(const char *p, size_t len, const char *lit)
{
    size_t n = strlen(lit), i;
    uint64_t c = 0;

    for (i = 0; i + n <= len; i++)
        if (p[i] == lit[0] && memcmp(p + i, lit, n) == 0)
            c++;
    return c;
}

/* ------------------------------------------------------------------ */
/* observers */

struct nginx_obs {
    uint64_t n200, n429, other;
    uint64_t ra429[8];       /* Retry-After value histogram (0..7 s) */
    uint64_t ra_other_value; /* 429 with an unexpected Retry-After */
    uint64_t ra_missing;     /* 429 without Retry-After */
    uint64_t ra_on_200;      /* Retry-After on a non-429 */
    /* by label: flows GET and sessions POST */
    uint64_t get200, get429, post200, post429;
    uint64_t get_ra[8], post_ra[8];
    uint64_t ts_min, ts_first;
    uint64_t nosub;  /* samples with depth 0 and no flags */
    uint64_t *lines; /* delivered lines, in order */
    size_t nlines, caplines;
};

static void obs_nginx(const struct jtl_sample *s, void *ctx)
{
    struct nginx_obs *o = ctx;
    double ra = -1;
    bool is429 = jtl_str_eq(s->code, "429");
    bool get = jtl_str_eq(s->label, "GET /api/v2/architect/flows/{flowId}");
    bool post =
        jtl_str_eq(s->label, "POST /api/v2/architect/flows/{flowId}/sessions");
    enum jtl_ra_source src = jtl_retry_after_seconds(s, &ra);

    if (jtl_str_eq(s->code, "200"))
        o->n200++;
    else if (is429)
        o->n429++;
    else
        o->other++;
    if (get)
        is429 ? o->get429++ : o->get200++;
    if (post)
        is429 ? o->post429++ : o->post200++;
    if (is429) {
        if (src != JTL_RA_HEADER)
            o->ra_missing++;
        else if (ra >= 0 && ra < 8 && ra == (double)(int)ra) {
            o->ra429[(int)ra]++;
            if (get)
                o->get_ra[(int)ra]++;
            if (post)
                o->post_ra[(int)ra]++;
        } else
            o->ra_other_value++;
    } else if (src) {
        o->ra_on_200++;
    }
    if (s->depth == 0 && s->flags == 0)
        o->nosub++;
    if (o->nlines == o->caplines) {
        o->caplines = o->caplines ? o->caplines * 2 : 1024;
        o->lines = realloc(o->lines, o->caplines * sizeof(*o->lines));
    }
    o->lines[o->nlines++] = s->line;
}

/* Lines of "<httpSample" start tags at column 0, in file order. */
static bool lines_match(const char *p, size_t len, const struct nginx_obs *o)
{
    uint64_t line = 1;
    size_t i, k = 0;

    for (i = 0; i < len; i++) {
        if ((i == 0 || p[i - 1] == '\n') && len - i > 11 &&
            memcmp(p + i, "<httpSample", 11) == 0) {
            if (k >= o->nlines || o->lines[k] != line)
                return false;
            k++;
        }
        if (p[i] == '\n')
            line++;
    }
    return k == o->nlines;
}

struct nginx_case {
    const char *file;
    uint64_t samples, n200, n429;
    int ra[8]; /* expected Retry-After histogram over the 429s */
};

static void test_nginx(void)
{
    /* Counts from tests/data/jmeter-nginx/<scenario>.truth.json,
     * files.xml.observed (by_code, retry_after_values_on_429). */
    static const struct nginx_case cases[] = {
        {"threshold-rate.xml.jtl", 2445, 733, 1712, {0, 0, 1712}},
        {"random.xml.jtl", 2279, 1745, 534, {0, 534}},
        {"none.xml.jtl", 1074, 1074, 0, {0}},
        {"per-endpoint.xml.jtl", 1936, 644, 1292, {0, 0, 438, 0, 0, 854}},
        {"per-endpoint.xml.jtl.gz", 1936, 644, 1292, {0, 0, 438, 0, 0, 854}},
        {"fixed-window.xml.jtl", 644, 375, 269, {0, 111, 115, 43}},
        {"concurrency.xml.jtl", 1373, 520, 853, {0, 0, 0, 853}},
        {"distributed.xml.jtl", 948, 594, 354, {0, 0, 354}},
        {"stacked.xml.jtl", 1162, 514, 648, {0, 0, 434, 0, 0, 214}},
    };
    size_t i, k;
    char path[512], what[600];

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        const struct nginx_case *c = &cases[i];
        struct nginx_obs o;
        struct run r;
        size_t len;
        char *data;
        bool ra_ok = true;

        snprintf(path, sizeof(path), "%s/jmeter-nginx/%s", DATA, c->file);
        data = load(path, &len);
        CHECK(data != NULL, "nginx fixture loads");
        if (!data)
            continue;
        memset(&o, 0, sizeof(o));
        memset(&r, 0, sizeof(r));
        r.obs = obs_nginx;
        r.obs_ctx = &o;
        r.name = c->file;
        /* the .gz holds the same bytes as the plain file: its chunkings
         * would repeat that file's */
        split_ways = strstr(c->file, ".gz") == NULL;
        decode_all_ways(&r, data, len, c->file);
        split_ways = true;
        snprintf(what, sizeof(what), "%s: decodes without error", c->file);
        CHECK_EQ_INT(r.err, JTL_OK, what);
        snprintf(what, sizeof(what), "%s: sample count of truth.json", c->file);
        CHECK_EQ_INT(r.counts.records, c->samples, what);
        CHECK_EQ_INT(r.counts.samples, c->samples, what);
        snprintf(what, sizeof(what), "%s: 200/429 split of truth.json",
                 c->file);
        CHECK(o.n200 == c->n200 && o.n429 == c->n429 && o.other == 0, what);
        for (k = 0; k < 8; k++)
            if (o.ra429[k] != (uint64_t)c->ra[k])
                ra_ok = false;
        snprintf(what, sizeof(what),
                 "%s: Retry-After values on 429s equal truth.json", c->file);
        CHECK(ra_ok && o.ra_missing == 0 && o.ra_other_value == 0, what);
        snprintf(what, sizeof(what), "%s: no Retry-After on other codes",
                 c->file);
        CHECK_EQ_INT(o.ra_on_200, 0, what);
        snprintf(what, sizeof(what), "%s: flat file, all top-level", c->file);
        CHECK_EQ_INT(o.nosub, c->samples, what);
        snprintf(what, sizeof(what),
                 "%s: sample->line is the line of each <httpSample>", c->file);
        CHECK(lines_match(data, len, &o), what);
        snprintf(what, sizeof(what), "%s: counts.lines equals newlines",
                 c->file);
        CHECK_EQ_INT(r.counts.lines,
                     count_substr(data, len, "\n") +
                         (len && data[len - 1] != '\n'),
                     what);
        CHECK_EQ_INT(r.nwarn, 0, "clean nginx file: no warnings");
        if (strcmp(c->file, "stacked.xml.jtl") == 0) {
            /* retry_after_on_429_by_label in stacked.truth.json */
            CHECK(o.get429 == 225 && o.get_ra[2] == 225,
                  "stacked: flows GET 429s all have Retry-After 2");
            CHECK(o.post429 == 423 && o.post_ra[5] == 214 &&
                      o.post_ra[2] == 209,
                  "stacked: sessions POST 429s: 214x Retry-After 5, 209x 2");
            CHECK(o.get200 == 352 && o.post200 == 162,
                  "stacked: 200s by label");
        }
        if (strcmp(c->file, "per-endpoint.xml.jtl") == 0) {
            CHECK(o.get429 == 438 && o.get_ra[2] == 438 && o.post429 == 854 &&
                      o.post_ra[5] == 854,
                  "per-endpoint: Retry-After 2 on flows, 5 on sessions");
            CHECK(o.get200 == 524 && o.post200 == 120,
                  "per-endpoint: 200s by label");
        }
        free(o.lines);
        free(data);
    }
}

/* ------------------------------------------------------------------ */
/* upstream fixtures */

struct tree_obs {
    uint64_t depth[8];
    uint64_t tc_parent, tc_empty, sub, failmsg, headers, urls;
    uint64_t s_false, code404, code429;
    bool order_ok;
    /* pending sub-samples (depth, line) not yet claimed by a parent */
    unsigned pd[256];
    uint64_t pl[256];
    size_t np;
    struct jtl_str first_label; /* copied */
    char label0[200];
    char fm0[200];
    char enc0[40];
    int64_t ts0;
};

static void obs_tree(const struct jtl_sample *s, void *ctx)
{
    struct tree_obs *o = ctx;
    size_t i, j = 0;

    if (o->depth[0] + o->depth[1] + o->depth[2] + o->sub == 0 &&
        o->label0[0] == 0) {
        snprintf(o->label0, sizeof(o->label0), "%.*s", (int)s->label.len,
                 s->label.p);
        snprintf(o->fm0, sizeof(o->fm0), "%.*s", (int)s->failure_message.len,
                 s->failure_message.p);
        snprintf(o->enc0, sizeof(o->enc0), "%.*s", (int)s->encoding.len,
                 s->encoding.p);
        o->ts0 = s->timestamp;
    }
    if (s->depth < 8)
        o->depth[s->depth]++;
    if (s->flags & JTL_SAMPLE_TC_PARENT)
        o->tc_parent++;
    if (s->flags & JTL_SAMPLE_TC_EMPTY)
        o->tc_empty++;
    if (s->flags & JTL_SAMPLE_SUBRESULT)
        o->sub++;
    if (JTL_HAS(s, JTL_F_FAILMSG))
        o->failmsg++;
    if (s->response_headers.len)
        o->headers++;
    if (s->url.len)
        o->urls++;
    if (JTL_HAS(s, JTL_F_SUCCESS) && !s->success)
        o->s_false++;
    if (jtl_str_eq(s->code, "404"))
        o->code404++;
    if (jtl_str_eq(s->code, "429"))
        o->code429++;
    if ((s->depth > 0) != ((s->flags & JTL_SAMPLE_SUBRESULT) != 0))
        o->order_ok = false;
    /* children (depth d+1) delivered before this parent start after it */
    for (i = 0; i < o->np; i++) {
        if (o->pd[i] == s->depth + 1) {
            if (o->pl[i] <= s->line)
                o->order_ok = false;
            continue;
        }
        if (o->pd[i] > s->depth + 1)
            o->order_ok = false; /* an orphan that no parent claimed */
        o->pd[j] = o->pd[i];
        o->pl[j++] = o->pl[i];
    }
    o->np = j;
    if (s->depth > 0 && o->np < 256) {
        o->pd[o->np] = s->depth;
        o->pl[o->np++] = s->line;
    }
}

static void run_tree(const char *rel, struct tree_obs *o, struct run *r)
{
    char path[512];
    size_t len;
    char *data;

    snprintf(path, sizeof(path), "%s/upstream/%s", DATA, rel);
    memset(o, 0, sizeof(*o));
    o->order_ok = true;
    memset(r, 0, sizeof(*r));
    r->obs = obs_tree;
    r->obs_ctx = o;
    r->name = rel;
    data = load(path, &len);
    CHECK(data != NULL, "upstream fixture loads");
    if (!data)
        return;
    decode_all_ways(r, data, len, rel);
    {
        char what[600];
        snprintf(what, sizeof(what), "%s: counts.lines is the line count", rel);
        CHECK_EQ_INT(r->counts.lines,
                     count_substr(data, len, "\n") +
                         (len && data[len - 1] != '\n'),
                     what);
    }
    free(data);
}

static void test_upstream_counts(void)
{
    /* Sample counts from tests/data/upstream/README.md, checked by hand
     * with grep (depth = indentation of the start tag). */
    static const struct {
        const char *file;
        uint64_t records, samples;
    } cases[] = {
        {"apache-jmeter/xml_2005_sample_log1c_2000_samples.jtl", 2000, 2000},
        {"apache-jmeter/xml_2005_sample_log2_10000_samples.jtl", 10000, 10000},
        {"apache-jmeter/batch_TEST_HTTP_HttpClient4_no_timing.xml", 22, 44},
        {"apache-jmeter/batch_BatchTestLocal_with_empty_header_elements.xml",
         131, 131},
        {"apache-jmeter/batch_TestResultStatusAction.xml", 189, 189},
        {"taurus/pair1_errors.xml.jtl", 6, 12},
        {"taurus/xml_5x_401s_headers_body.jtl", 189, 189},
        {"taurus/xml_SYNTHETIC_nested_tc_429.jtl", 3, 10},
        {"taurus/xml_nested_tc_embedded_resources.jtl", 5, 107},
        {"taurus/xml_windows1255_encoding_attr.jtl", 32, 32},
        {"taurus/xml_all_attributes_hn_sc_ec_it.jtl", 2, 2},
        {"taurus/xml_tc_parent_redirect_302.jtl", 2, 26},
        {"jenkins-performance-plugin/xml_2011_nested_assertions.jtl", 10, 10},
        {"jmeter-analysis-maven-plugin/xml_2011_mixed_sample_httpSample.jtl",
         10, 10},
        {"jmeter-plugins/xml_2011_udp_timeouts.jtl", 174, 174},
    };
    size_t i;
    char what[600];

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tree_obs o;
        struct run r;

        run_tree(cases[i].file, &o, &r);
        snprintf(what, sizeof(what), "%s: %llu top-level, %llu in all",
                 cases[i].file, (unsigned long long)cases[i].records,
                 (unsigned long long)cases[i].samples);
        CHECK(r.err == JTL_OK && r.counts.records == cases[i].records &&
                  r.counts.samples == cases[i].samples && !r.counts.truncated &&
                  r.counts.skipped == 0,
              what);
        snprintf(what, sizeof(what), "%s: sub-samples come before their parent",
                 cases[i].file);
        CHECK(o.order_ok && o.np == 0, what);
        snprintf(what, sizeof(what), "%s: no warnings", cases[i].file);
        CHECK_EQ_INT(r.nwarn, 0, what);
    }
}

/* The other XML files under upstream/ are not results: refused by name. */
static void test_upstream_not_jtl(void)
{
    static const struct {
        const char *file, *root;
    } cases[] = {
        {"lightning/cipassfail_2_transactions.criteria.xml", "<testSet>"},
        {"lightning/cipassfail_2_transactions.expected-junit.xml",
         "<testsuite>"},
    };
    size_t i;
    char what[600];

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct tree_obs o;
        struct run r;
        char path[512];
        size_t len;
        char *data;

        snprintf(path, sizeof(path), "%s/upstream/%s", DATA, cases[i].file);
        data = load(path, &len);
        if (!data) {
            CHECK(0, "upstream fixture loads");
            continue;
        }
        memset(&o, 0, sizeof(o));
        memset(&r, 0, sizeof(r));
        r.obs = obs_tree;
        r.obs_ctx = &o;
        r.name = cases[i].file;
        decode_all_ways(&r, data, len, cases[i].file);
        snprintf(what, sizeof(what),
                 "%s: JTL_ERR_FORMAT naming the root %s, no samples",
                 cases[i].file, cases[i].root);
        CHECK(r.err == JTL_ERR_FORMAT && r.n == 0 &&
                  strstr(r.diag.msg, cases[i].root) != NULL,
              what);
        free(data);
    }
}

static void test_upstream_details(void)
{
    struct tree_obs o;
    struct run r;

    split_ways = false; /* all split in test_upstream_counts */
    run_tree("taurus/xml_nested_tc_embedded_resources.jtl", &o, &r);
    CHECK(o.depth[0] == 5 && o.depth[1] == 12 && o.depth[2] == 90,
          "nested TC: 5 / 12 / 90 samples at depth 0 / 1 / 2 (grep by "
          "indentation)");
    CHECK_EQ_INT(o.sub, 102, "nested TC: 102 flagged JTL_SAMPLE_SUBRESULT");
    CHECK_EQ_INT(o.tc_parent, 3,
                 "nested TC: 3 'Number of samples in transaction' parents");
    CHECK_EQ_INT(o.failmsg, 28,
                 "nested TC: 28 samples with a failed-assertion message");
    CHECK_EQ_INT(o.s_false, 95, "nested TC: 95 failed (README)");
    CHECK_EQ_INT(o.code404, 69, "nested TC: 69x 404 (README)");

    run_tree("taurus/xml_tc_parent_redirect_302.jtl", &o, &r);
    CHECK_EQ_INT(o.tc_parent, 2, "302 file: 2 transaction parents");
    CHECK_EQ_INT(o.tc_empty, 0, "302 file: no empty transaction");
    CHECK_EQ_INT(o.depth[1], 24, "302 file: 24 children");
    CHECK_EQ_INT(o.s_false, 4, "302 file: 4 failed (README)");

    run_tree("taurus/xml_SYNTHETIC_nested_tc_429.jtl", &o, &r);
    CHECK_EQ_INT(o.tc_parent, 3, "synthetic 429: three TC parents");
    CHECK_EQ_INT(o.code429, 6, "synthetic 429: six samples answered 429");

    split_ways = true;
    run_tree("taurus/xml_2015_errors_with_headers_1MB.jtl", &o, &r);
    CHECK_EQ_INT(r.counts.records, 185,
                 "truncated 1 MB file: all 185 complete samples");
    CHECK(r.counts.truncated && r.err == JTL_OK,
          "truncated 1 MB file: flagged truncated, not an error");
    CHECK(r.nwarn == 1 && strstr(r.warn[0], "truncated") &&
              strstr(r.warn[0], "185 complete samples") &&
              strstr(r.warn[0], "xml_2015_errors_with_headers_1MB.jtl:"),
          "truncated 1 MB file: one file:line warning naming the count");
    CHECK_EQ_STR(o.fm0,
                 "The operation lasted too long: It took 11 milliseconds, "
                 "but should not have lasted longer than 10 milliseconds.",
                 "failure_message is the failed assertion's message");
    CHECK_EQ_INT(o.failmsg, 172,
                 "1 MB file: 172 <failureMessage> of failed assertions");
    CHECK_EQ_INT(o.headers, 92,
                 "1 MB file: the 92 assertion-failed 200s kept headers");
    CHECK_EQ_INT(o.urls, 185, "1 MB file: every sample has java.net.URL");

    run_tree("jmeter-sla-report/xml_truncated_no_closing_tag.jtl", &o, &r);
    CHECK(r.err == JTL_OK && r.counts.records == 498 && r.counts.truncated &&
              r.counts.skipped == 0,
          "sla truncated file: 498 samples, truncated, none skipped");
    CHECK(r.nwarn == 1 && strstr(r.warn[0], "before </testResults>"),
          "sla truncated file: warns that </testResults> is missing");

    run_tree("taurus/xml_windows1255_encoding_attr.jtl", &o, &r);
    CHECK_EQ_STR(o.enc0, "windows-1255", "de attribute is the encoding");
    CHECK_EQ_STR(o.label0, "FAILED - JMeter file.encoding=Cp1255",
                 "windows-1255 file: label read");

    run_tree("taurus/xml_nonstandard_element_webdriver.jtl", &o, &r);
    CHECK(r.err == JTL_OK && r.counts.records == 3 && r.counts.skipped == 0,
          "XStream reflection dumps: 3 plugin samples read from fields");
    CHECK_EQ_STR(o.label0, "http://unknown.host/",
                 "reflection dump: <label> field");
    CHECK_EQ_INT(o.ts0, 1431506202173LL,
                 "reflection dump: timestamp from <startTime> (timeStamp 0)");
    CHECK_EQ_INT(o.s_false, 3, "reflection dump: <success>false");
    CHECK(r.nwarn == 1 && strstr(r.warn[0], "XStream"),
          "reflection dump: one warning per file");
}

/* One attribute-rich sample checked field by field. */
struct one_obs {
    struct jtl_sample s;
    char buf[16][300];
    struct jtl_str vn[8], vv[8];
    size_t nv;
    size_t hdr_len;
    int n;
};

static struct jtl_str keep(struct one_obs *o, int slot, struct jtl_str s)
{
    struct jtl_str k;

    snprintf(o->buf[slot], sizeof(o->buf[slot]), "%.*s", (int)s.len, s.p);
    k.p = o->buf[slot];
    k.len = strlen(o->buf[slot]);
    return k;
}

static void obs_one(const struct jtl_sample *s, void *ctx)
{
    struct one_obs *o = ctx;
    size_t i;

    if (o->n++)
        return;
    o->s = *s;
    o->hdr_len = s->response_headers.len;
    o->s.label = keep(o, 0, s->label);
    o->s.code = keep(o, 1, s->code);
    o->s.message = keep(o, 2, s->message);
    o->s.thread = keep(o, 3, s->thread);
    o->s.data_type = keep(o, 4, s->data_type);
    o->s.failure_message = keep(o, 5, s->failure_message);
    o->s.url = keep(o, 6, s->url);
    o->s.encoding = keep(o, 7, s->encoding);
    o->s.hostname = keep(o, 8, s->hostname);
    o->s.response_headers = keep(o, 9, s->response_headers);
    o->nv = s->nvars < 3 ? s->nvars : 3;
    for (i = 0; i < o->nv; i++) {
        o->vn[i] = keep(o, 10 + (int)i * 2, s->vars[i].name);
        o->vv[i] = keep(o, 11 + (int)i * 2, s->vars[i].value);
    }
}

static void run_text(struct run *r, const char *xml, observer_fn obs, void *ctx,
                     const char *what)
{
    memset(r, 0, sizeof(*r));
    r->obs = obs;
    r->obs_ctx = ctx;
    r->name = "t.jtl";
    decode_all_ways(r, xml, strlen(xml), what);
}

static void test_attributes(void)
{
    struct one_obs o;
    struct run r;
    const char *xml =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testResults version=\"1.2\">\n"
        "<httpSample t=\"189\" it=\"3\" lt=\"188\" ct=\"138\" "
        "ts=\"1795336269629\" s=\"false\" lb=\"GET /a?x=1&amp;y=&lt;2&gt;\" "
        "rc=\"429\" rm=\"Too Many Requests\" tn=\"API users 1-1\" dt=\"text\" "
        "de=\"utf-8\" by=\"264\" sby=\"120\" sc=\"1\" ec=\"1\" ng=\"2\" "
        "na=\"3\" hn=\"inj1\" retryAfter=\"7\" my_var=\"a&#10;b&#38;c\">\n"
        "  <responseHeader class=\"java.lang.String\">HTTP/1.1 429 Too Many "
        "Requests\nRetry-After: 2\n</responseHeader>\n"
        "  <assertionResult><name>a</name><failure>false</failure>"
        "<error>false</error><failureMessage>not this one</failureMessage>"
        "</assertionResult>\n"
        "  <assertionResult><name>b</name><failure>true</failure>"
        "<error>false</error><failureMessage>expected 200</failureMessage>"
        "</assertionResult>\n"
        "  <assertionResult><name>c</name><failure>true</failure>"
        "<error>false</error><failureMessage>second failure</failureMessage>"
        "</assertionResult>\n"
        "  <responseData class=\"java.lang.String\">{&quot;m&quot;:1}"
        "</responseData>\n"
        "  <java.net.URL>http://h/a?x=1&amp;y=2</java.net.URL>\n"
        "</httpSample>\n"
        "</testResults>\n";
    double ra = 0;

    memset(&o, 0, sizeof(o));
    run_text(&r, xml, obs_one, &o, "all attributes");
    CHECK(r.err == JTL_OK && o.n == 1, "one sample");
    CHECK(o.s.elapsed == 189 && o.s.idle == 3 && o.s.latency == 188 &&
              o.s.connect == 138 && o.s.timestamp == 1795336269629LL &&
              o.s.bytes == 264 && o.s.sent_bytes == 120 &&
              o.s.sample_count == 1 && o.s.error_count == 1 &&
              o.s.grp_threads == 2 && o.s.all_threads == 3 && !o.s.success,
          "t it lt ct ts by sby sc ec ng na s map to their fields");
    CHECK_EQ_STR(o.buf[0], "GET /a?x=1&y=<2>",
                 "&amp; &lt; &gt; in an attribute become & < >");
    CHECK_EQ_STR(o.buf[1], "429", "rc");
    CHECK_EQ_STR(o.buf[2], "Too Many Requests", "rm");
    CHECK_EQ_STR(o.buf[3], "API users 1-1", "tn");
    CHECK_EQ_STR(o.buf[4], "text", "dt");
    CHECK_EQ_STR(o.buf[7], "utf-8", "de");
    CHECK_EQ_STR(o.buf[8], "inj1", "hn");
    CHECK_EQ_STR(o.buf[5], "expected 200",
                 "failure_message: the first FAILED assertion's message");
    CHECK_EQ_STR(o.buf[6], "http://h/a?x=1&y=2", "java.net.URL is the url");
    CHECK_EQ_STR(o.buf[9], "HTTP/1.1 429 Too Many Requests\nRetry-After: 2\n",
                 "responseHeader text kept raw");
    CHECK(o.nv == 2 && jtl_str_eq(o.vn[0], "retryAfter") &&
              jtl_str_eq(o.vv[0], "7") && jtl_str_eq(o.vn[1], "my_var") &&
              jtl_str_eq(o.vv[1], "a\nb&c"),
          "unknown attributes become vars, entities decoded");
    CHECK(JTL_HAS(&o.s, JTL_F_TIMESTAMP) && JTL_HAS(&o.s, JTL_F_HOSTNAME) &&
              JTL_HAS(&o.s, JTL_F_FAILMSG) && JTL_HAS(&o.s, JTL_F_URL) &&
              JTL_HAS(&o.s, JTL_F_IDLE) && !JTL_HAS(&o.s, JTL_F_FILENAME),
          "present bits follow the attributes");
    o.s.vars = NULL;
    o.s.nvars = 0;
    CHECK(jtl_retry_after_seconds(&o.s, &ra) == JTL_RA_HEADER && ra == 2,
          "Retry-After from the response header beats the variable");

    memset(&o, 0, sizeof(o));
    run_text(&r,
             "<testResults>\n<sample t=\"5\" ts=\"1\" s=\"true\" lb=\"x\" "
             "rs=\"200\" rm=\"OK\"/>\n</testResults>",
             obs_one, &o, "old rs attribute");
    CHECK_EQ_STR(o.buf[1], "200", "old files: rs is the response code");
    CHECK(o.s.success && JTL_HAS(&o.s, JTL_F_CODE), "rs sets the code bit");

    memset(&o, 0, sizeof(o));
    run_text(&r,
             "<testResults>\n<sample t=\"x1\" ts=\"1\" s=\"maybe\" lb=\"x\"/>"
             "\n</testResults>",
             obs_one, &o, "bad numbers");
    CHECK(o.n == 1 && !JTL_HAS(&o.s, JTL_F_ELAPSED) &&
              !JTL_HAS(&o.s, JTL_F_SUCCESS) && r.nwarn == 2,
          "bad t and s: sample kept, fields absent, two warnings");
    CHECK(strstr(r.warn[0], "t.jtl:2: attribute t=\"x1\"") != NULL,
          "bad number warning names file:line and attribute");

    memset(&o, 0, sizeof(o));
    run_text(&r,
             "<testResults>\n<sample t=\"1\" lb=\"tc\" rm=\"Number of "
             "samples in transaction : 0, number of failing samples : 0\"/>"
             "\n</testResults>",
             obs_one, &o, "empty transaction");
    CHECK(o.s.flags == (JTL_SAMPLE_TC_PARENT | JTL_SAMPLE_TC_EMPTY),
          "': 0' transaction is TC_PARENT and TC_EMPTY");
    memset(&o, 0, sizeof(o));
    run_text(&r,
             "<testResults>\n<sample t=\"1\" lb=\"tc\" rm=\"Number of "
             "samples in transaction : 10, number of failing samples : 0\"/>"
             "\n</testResults>",
             obs_one, &o, "ten-sample transaction");
    CHECK(o.s.flags == JTL_SAMPLE_TC_PARENT, "': 10' is not empty");

    /* multi-line start tag: line of the '<' */
    memset(&o, 0, sizeof(o));
    run_text(&r,
             "<testResults>\n\n<httpSample\n t=\"1\"\n lb=\"m\"\n/>\n"
             "</testResults>\n",
             obs_one, &o, "multi-line tag");
    CHECK_EQ_INT(o.s.line, 3, "a start tag over 4 lines has its first line");

    /* plugin element with sampler attributes, and an unknown element */
    {
        struct tree_obs t;
        memset(&t, 0, sizeof(t));
        t.order_ok = true;
        run_text(&r,
                 "<testResults>\n<kg.apc.Foo t=\"3\" lb=\"plug\" ts=\"9\"/>\n"
                 "<note class=\"x\">hi</note>\n<sample lb=\"s\"><other "
                 "t=\"1\" lb=\"child\"/><java.util.Map t=\"1\"/></sample>\n"
                 "</testResults>\n",
                 obs_tree, &t, "plugin elements");
        CHECK(r.counts.records == 2 && r.counts.samples == 3,
              "elements with sampler attributes are samples; <note> and an "
              "element with one sampler attribute are not");
        CHECK_EQ_INT(t.depth[1], 1, "nested plugin element is a sub-sample");
    }
}

/* ------------------------------------------------------------------ */
/* damage */

static void test_truncation(void)
{
    struct tree_obs t;
    struct run r;
    const char *cut = "<?xml version=\"1.0\"?>\n<testResults>\n"
                      "<httpSample t=\"1\" lb=\"a\"/>\n"
                      "<httpSample t=\"2\" lb=\"b\">\n"
                      "  <httpSample t=\"3\" lb=\"b-0\"/>\n"
                      "  <responseHeader>HTTP/1.1 200 OK\nDate: Sun";

    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r, cut, obs_tree, &t, "cut inside a sample");
    CHECK(r.err == JTL_OK && r.counts.truncated,
          "cut inside a sample: truncated, not an error");
    CHECK(r.counts.records == 1 && r.counts.skipped == 1,
          "cut inside a sample: 1 complete, the open one skipped");
    CHECK(r.nwarn == 1 &&
              strcmp(r.warn[0],
                     "t.jtl:4: file ends inside <httpSample> (truncated): 1 "
                     "complete samples read") == 0,
          "cut inside a sample: warning names the open sample's line");
    /* Its sub-sample had ended: it was delivered (depth 1). */
    CHECK_EQ_INT(t.depth[1], 1, "the finished child of the cut sample");

    memset(&r, 0, sizeof(r));
    r.strict = true;
    r.name = "t.jtl";
    decode(&r, cut, strlen(cut), 5, 0, 0);
    CHECK(r.err == JTL_ERR_PARSE && strstr(r.diag.msg, "truncated") &&
              strcmp(r.diag.where, "t.jtl:4") == 0,
          "strict: truncation is an error at file:line");

    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r,
             "<?xml version=\"1.0\"?>\n<testResults>\n<httpSample t=\"1\" l",
             obs_tree, &t, "cut inside a tag");
    CHECK(r.err == JTL_OK && r.counts.truncated && r.counts.records == 0 &&
              r.nwarn == 1 && strstr(r.warn[0], "(truncated)"),
          "cut inside a start tag: truncated warning");
}

static void test_appended(void)
{
    struct tree_obs t;
    struct run r;
    struct nginx_obs o;
    const char *two = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testResults version=\"1.2\">\n"
                      "<httpSample t=\"1\" lb=\"a\" rc=\"200\"/>\n"
                      "<httpSample t=\"2\" lb=\"b\" rc=\"200\">\n"
                      "  <responseHeader>HTTP/1.1 200 OK\n"
                      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                      "<testResults version=\"1.2\">\n"
                      "<httpSample t=\"3\" lb=\"c\" rc=\"429\"/>\n"
                      "<httpSample t=\"4\" lb=\"d\" rc=\"429\"/>\n"
                      "</testResults>\n";
    const char *cat =
        "<?xml version=\"1.0\"?>\n<testResults>\n"
        "<httpSample t=\"1\" lb=\"a\" rc=\"200\"/>\n</testResults>\n"
        "<?xml version=\"1.0\"?>\n<testResults>\n"
        "<httpSample t=\"2\" lb=\"b\" rc=\"200\"/>\n</testResults>\n";
    const char *cdata =
        "<?xml version=\"1.0\"?>\n<testResults>\n"
        "<httpSample t=\"1\" lb=\"a\"><responseData><![CDATA[\n"
        "<?xml version=\"1.0\"?><x/>]]></responseData></httpSample>\n"
        "<!-- <?xml version=\"1.0\"?> -->\n"
        "<httpSample t=\"2\" lb=\"b\"/>\n</testResults>\n";

    memset(&o, 0, sizeof(o));
    run_text(&r, two, obs_nginx, &o, "prologue mid-file");
    CHECK(r.err == JTL_OK && r.counts.records == 3 && r.counts.skipped == 1,
          "appended after a crash: 1 + 2 samples, the cut one skipped");
    CHECK(o.nlines == 3 && o.lines[0] == 3 && o.lines[1] == 8 &&
              o.lines[2] == 9,
          "lines after the second prologue count from the file start");
    CHECK(r.nwarn == 1 && strstr(r.warn[0], "t.jtl:4: a new XML prologue "
                                            "starts inside <httpSample>"),
          "appended: one warning at the cut sample");
    free(o.lines);

    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r, cat, obs_tree, &t, "concatenated documents");
    CHECK(r.err == JTL_OK && r.counts.records == 2 && r.nwarn == 0 &&
              !r.counts.truncated,
          "two complete documents back to back: both read, no warning");

    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r, cdata, obs_tree, &t, "prologue inside CDATA and comment");
    CHECK(r.err == JTL_OK && r.counts.records == 2 && r.nwarn == 0,
          "'<?xml' inside CDATA or a comment is text, not a new document");
}

struct labels {
    int n;
    char l[16][40];
};

static void obs_labels(const struct jtl_sample *s, void *ctx)
{
    struct labels *o = ctx;

    if (o->n < 16)
        snprintf(o->l[o->n], sizeof(o->l[0]), "%.*s", (int)s->label.len,
                 s->label.p);
    o->n++;
}

static void test_malformed(void)
{
    static const char latin1[] =
        "\xEF\xBB\xBF<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
        "<testResults><sample lb=\"caf\xE9\"/></testResults>";
    struct tree_obs t;
    struct run r;
    const char *soft =
        "<?xml version=\"1.0\"?>\n<testResults>\n"
        "<httpSample t=\"1\" lb=\"a\"><responseData>x&#1;y</responseData>"
        "</httpSample>\n"
        "<httpSample t=\"2\" lb=\"b\"><x></y></httpSample>\n"
        "<httpSample t=\"3\" lb=\"c\"/>\n</testResults>\n";
    const char *hard =
        "<?xml version=\"1.0\"?>\n<testResults>\n"
        "<httpSample t=\"1\" lb=\"a\"/>\n"
        "<httpSample t=\"2\" lb=\"b\"/>\n"
        "</testResults>\n"
        "garbage after the root\n"
        "  <httpSample t=\"0\" lb=\"indented: nested, not a resync point\"/>\n"
        "<httpSample t=\"3\" lb=\"c\"/>\n"
        "<?xml version=\"1.0\"?>\n<testResults>\n"
        "<httpSample t=\"4\" lb=\"d\"/>\n</testResults>\n";
    static const char nul[] =
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<testResults>\n"
        "<httpSample t=\"1\" lb=\"a\"/>\n"
        "<httpSample t=\"2\" lb=\"b\">\n"
        "  <httpSample t=\"3\" lb=\"b-0\"/>\n"
        "  <responseData>abc\0\0\0\0def\n"
        "more</responseData>\n"
        "</httpSample>\n"
        "<httpSample t=\"4\" lb=\"caf\xE9\">\n"
        "  <httpSample t=\"5\" lb=\"d-0\"/>\n"
        "</httpSample>\n"
        "<sample t=\"6\" lb=\"e\"/>\n"
        "</testResults>\n";
    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r, soft, obs_tree, &t, "recoverable errors");
    CHECK(r.err == JTL_OK && r.counts.records == 3,
          "bad char reference and mismatched tag: all 3 samples kept");
    CHECK(r.nwarn == 2 && strstr(r.warn[0], "t.jtl:3: malformed XML") &&
              strstr(r.warn[1], "t.jtl:4: malformed XML"),
          "each error reported once with file:line");

    {
        struct labels lb;
        memset(&lb, 0, sizeof(lb));
        run_text(&r,
                 "<testResults>\n<httpSample t=\"1\" lb=\"a&#x1;b\"/>\n"
                 "<httpSample t=\"2\" lb=\"c\"/>\n</testResults>\n",
                 obs_labels, &lb, "control character reference");
        CHECK(r.counts.records == 2 && lb.n == 2 &&
                  strcmp(lb.l[0], "ab") == 0 && r.nwarn == 1 &&
                  strstr(r.warn[0], "t.jtl:2: malformed XML"),
              "JMeter's &#x1; in a label: dropped with a warning, sample "
              "kept");
    }

    {
        struct labels lb;
        memset(&lb, 0, sizeof(lb));
        run_text(&r,
                 "<testResults>\n<httpSample t=\"1\" lb=\"a\"/>\n"
                 "<httpSample t=\"2\" lb=\"b\x01c\">\n"
                 "  <httpSample t=\"3\" lb=\"b-0\"/>\n</httpSample>\n"
                 "<httpSample t=\"4\" lb=\"d\"/>\n</testResults>\n",
                 obs_labels, &lb, "raw control character in a tag");
        CHECK(r.counts.records == 2 && r.counts.skipped == 1 && lb.n == 2 &&
                  strcmp(lb.l[1], "d") == 0,
              "a start tag broken by a raw control character: that sample "
              "is lost and counted; the next one is top-level, not nested "
              "in the broken tag");
        CHECK(r.nwarn >= 2 && strstr(r.warn[r.nwarn - 1],
                                     "t.jtl:6: resuming at this sample"),
              "broken tag: resume point named");
    }

    memset(&r, 0, sizeof(r));
    r.strict = true;
    decode(&r, soft, strlen(soft), 9, 0, 0);
    CHECK(r.err == JTL_ERR_PARSE && r.n == 0 && strstr(r.diag.where, ":3"),
          "strict: the first malformed XML is fatal");

    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r, hard, obs_tree, &t, "unrecoverable error");
    CHECK(r.err == JTL_OK && r.counts.records == 4 && r.counts.skipped == 0,
          "text after </testResults>: the samples before, the column-0 one "
          "after it and those after the next prologue are read");
    CHECK(r.nwarn == 5 && strstr(r.warn[1], "t.jtl:6: cannot recover") &&
              strstr(r.warn[2], "t.jtl:6: skipped 2 lines") &&
              strstr(r.warn[3], "t.jtl:8: resuming at this sample") &&
              strstr(r.warn[4], "t.jtl:8: a new XML prologue"),
          "skip and resume are reported with lines");

    {
        struct one_obs o1;
        memset(&t, 0, sizeof(t));
        t.order_ok = true;
        memset(&r, 0, sizeof(r));
        r.obs = obs_tree;
        r.obs_ctx = &t;
        r.name = "t.jtl";
        decode_all_ways(&r, nul, sizeof(nul) - 1, "NUL bytes");
        CHECK(r.err == JTL_OK && r.counts.records == 3 &&
                  r.counts.samples == 5 && r.counts.skipped == 1 &&
                  !r.counts.truncated,
              "NUL bytes in a sample: it is lost (its finished child was "
              "delivered), reading resumes at the next top-level sample");
        CHECK(r.nwarn >= 3 &&
                  strstr(r.warn[r.nwarn - 3],
                         "t.jtl:4: cannot recover from malformed XML: this "
                         "<httpSample> is lost") &&
                  strstr(r.warn[r.nwarn - 2], "t.jtl:6: skipped 3 lines") &&
                  strstr(r.warn[r.nwarn - 1], "t.jtl:9: resuming"),
              "NUL bytes: lost sample, skipped lines and resume point named");
        memset(&o1, 0, sizeof(o1));
        memset(&r, 0, sizeof(r));
        r.obs = obs_one;
        r.obs_ctx = &o1;
        r.stop_after = 0;
        decode(&r, nul, sizeof(nul) - 1, 17, 0, 0);
        CHECK(o1.n == 5, "five samples seen");
        CHECK(t.depth[0] == 3 && t.depth[1] == 2,
              "depths after the resume are right (the lost sample's "
              "finished child stays at depth 1)");
    }
    {
        /* the resumed document keeps the declared ISO-8859-1 */
        struct labels lb;
        memset(&lb, 0, sizeof(lb));
        memset(&r, 0, sizeof(r));
        r.obs = obs_labels;
        r.obs_ctx = &lb;
        decode(&r, nul, sizeof(nul) - 1, 4096, 0, 0);
        CHECK(lb.n == 5 && strcmp(lb.l[3], "caf\xC3\xA9") == 0 &&
                  strcmp(lb.l[4], "e") == 0,
              "after the resume, the declared ISO-8859-1 still applies");
    }

    memset(&r, 0, sizeof(r));
    r.name = "junit.xml";
    decode(&r, "<testsuite name=\"x\"/>", 21, 3, 0, 0);
    CHECK(r.err == JTL_ERR_FORMAT && strstr(r.diag.msg, "<testsuite>"),
          "another XML vocabulary is JTL_ERR_FORMAT naming its root");

    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r, "<testResults version=\"1.2\"/>", obs_tree, &t, "empty");
    CHECK(r.err == JTL_OK && r.counts.records == 0 && r.nwarn == 0,
          "an empty <testResults/> is a valid file with no samples");

    /* Detected, not forced: a BOM cut after 1-2 bytes must still be
     * recognized as the start of an XML file at every chunk size. */
    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    memset(&r, 0, sizeof(r));
    r.format = JTL_FORMAT_AUTO;
    r.obs = obs_tree;
    r.obs_ctx = &t;
    r.name = "t.jtl";
    decode_all_ways(&r, latin1, strlen(latin1), "BOM and Latin-1");
    CHECK_EQ_STR(t.label0, "caf\xC3\xA9",
                 "declared ISO-8859-1 is converted to UTF-8");
}

/* Attribute values over our 1 MiB cap, and over libxml2's 10 MB one. */
static void test_huge_attr(void)
{
    static const size_t mib[] = {2, 12};
    static const size_t chunks[] = {65536, 1 << 20, 0};
    static char xs[1024];
    size_t i, j;

    memset(xs, 'x', sizeof(xs));
    for (i = 0; i < 2; i++) {
        struct jtl_buf b;
        struct labels lb;
        struct run r;
        char *data, what[200];
        size_t len, k;
        uint64_t h0 = 0;
        bool same_all = true;

        jtl_buf_init(&b, 0);
        jtl_buf_adds(&b, "<?xml version=\"1.0\"?>\n<testResults>\n"
                         "<httpSample t=\"1\" lb=\"ok1\"/>\n"
                         "<httpSample t=\"2\" lb=\"");
        for (k = 0; k < mib[i] * 1024; k++)
            jtl_buf_add(&b, xs, sizeof(xs));
        jtl_buf_adds(&b, "\"/>\n<httpSample t=\"3\" lb=\"ok3\"/>\n"
                         "</testResults>\n");
        data = jtl_buf_detach(&b, &len);
        for (j = 0; j < sizeof(chunks) / sizeof(chunks[0]); j++) {
            memset(&lb, 0, sizeof(lb));
            memset(&r, 0, sizeof(r));
            r.obs = obs_labels;
            r.obs_ctx = &lb;
            r.name = "t.jtl";
            decode(&r, data, len, chunks[j] ? chunks[j] : len, 0, 0);
            if (j == 0)
                h0 = r.h;
            else if (r.h != h0)
                same_all = false;
            snprintf(what, sizeof(what),
                     "%zu MiB label: the two good samples read, the huge one "
                     "skipped and counted, not an error",
                     mib[i]);
            CHECK(r.err == JTL_OK && lb.n == 2 && strcmp(lb.l[0], "ok1") == 0 &&
                      strcmp(lb.l[1], "ok3") == 0 && r.counts.skipped == 1 &&
                      r.counts.records == 2,
                  what);
        }
        snprintf(what, sizeof(what), "%zu MiB label: same stream per chunking",
                 mib[i]);
        CHECK(same_all, what);
        snprintf(what, sizeof(what), "%zu MiB label: warned at line 4", mib[i]);
        CHECK(r.nwarn >= 1 && strstr(r.warn[0], "t.jtl:4:") != NULL, what);
        free(data);
    }
}

static void test_security(void)
{
    struct tree_obs t;
    struct run r;
    char xml[4096], path[600];
    clock_t c0;
    const char *lol = "<?xml version=\"1.0\"?>\n<!DOCTYPE testResults [\n"
                      "<!ENTITY a \"lolololololololololololololol\">\n"
                      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                      "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
                      "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
                      "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n"
                      "<!ENTITY g \"&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;\">\n"
                      "<!ENTITY h \"&g;&g;&g;&g;&g;&g;&g;&g;&g;&g;\">\n"
                      "<!ENTITY i \"&h;&h;&h;&h;&h;&h;&h;&h;&h;&h;\">\n"
                      "]>\n<testResults>\n<httpSample t=\"1\" lb=\"x&i;y\">"
                      "<responseHeader>&i;</responseHeader></httpSample>\n"
                      "</testResults>\n";

    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    c0 = clock();
    run_text(&r, lol, obs_tree, &t, "billion laughs");
    CHECK(r.err == JTL_OK && r.counts.records == 1,
          "billion laughs: the sample is read");
    CHECK_EQ_STR(t.label0, "xy", "billion laughs: the entity is not expanded");
    CHECK(t.headers == 0, "billion laughs: no text from the entity");
    CHECK((double)(clock() - c0) / CLOCKS_PER_SEC < 60,
          "billion laughs: bounded time (no expansion)");

    /* An external entity and an external DTD pointing at a real file
     * whose content would add a sample if it were loaded. */
    snprintf(path, sizeof(path), "%s/xml/xxe_target.xml", DATA);
    snprintf(xml, sizeof(xml),
             "<?xml version=\"1.0\"?>\n"
             "<!DOCTYPE testResults SYSTEM \"%s\" [\n"
             "<!ENTITY x SYSTEM \"%s\">\n<!ENTITY n SYSTEM "
             "\"http://127.0.0.1:9/x\">\n]>\n"
             "<testResults>\n<httpSample t=\"1\" lb=\"a&x;&n;\">&x;&n;"
             "</httpSample>\n</testResults>\n",
             path, path);
    memset(&t, 0, sizeof(t));
    t.order_ok = true;
    run_text(&r, xml, obs_tree, &t, "external entities");
    CHECK(r.err == JTL_OK && r.counts.samples == 1,
          "external entity/DTD: nothing from the file is parsed");
    CHECK_EQ_STR(t.label0, "a", "external entity not substituted");
}

static void test_big_text(void)
{
    struct jtl_buf b;
    struct one_obs o;
    struct run r;
    size_t i;
    char *data;
    size_t len;

    jtl_buf_init(&b, 0);
    jtl_buf_adds(&b, "<?xml version=\"1.0\"?>\n<testResults>\n"
                     "<httpSample t=\"1\" lb=\"big\" rc=\"200\">\n"
                     "<responseHeader>HTTP/1.1 200 OK\n");
    for (i = 0; i < 5000; i++)
        jtl_buf_printf(&b, "X-Filler-%05zu: %s\n", i,
                       "0123456789012345678901234567890123456789");
    jtl_buf_adds(&b, "</responseHeader>\n<responseData>");
    for (i = 0; i < 3 * 1024 * 1024 / 64; i++)
        jtl_buf_adds(&b, "abcdefghijklmnopqrstuvwxyz&amp;abcdefghijklmnop"
                         "qrstuvwxyz01234\n");
    jtl_buf_adds(&b, "</responseData>\n</httpSample>\n"
                     "<httpSample t=\"2\" lb=\"after\"/>\n</testResults>\n");
    data = jtl_buf_detach(&b, &len);
    memset(&o, 0, sizeof(o));
    memset(&r, 0, sizeof(r));
    r.obs = obs_one;
    r.obs_ctx = &o;
    decode_all_ways(&r, data, len, "3 MiB responseData, 300 KiB headers");
    CHECK(r.err == JTL_OK && r.counts.records == 2,
          "huge text nodes: both samples read");
    CHECK_EQ_INT(o.hdr_len, 65536, "responseHeader text is capped at 64 KiB");
    CHECK(r.nwarn == 1 && strstr(r.warn[0], "65536"),
          "responseHeader over 64 KiB: kept the first 64 KiB, warned once");
    free(data);
}

struct stop_obs {
    uint64_t n;
};

static void test_stop(void)
{
    struct run r;
    char path[512];
    size_t len;
    char *data;

    snprintf(path, sizeof(path), "%s/jmeter-nginx/none.xml.jtl", DATA);
    data = load(path, &len);
    if (!data)
        return;
    memset(&r, 0, sizeof(r));
    r.stop_after = 3;
    decode(&r, data, len, 1000, 0, 0);
    CHECK(r.err == JTL_ERR_STOPPED && r.n == 3 && strstr(r.diag.msg, "code 7"),
          "a nonzero callback return stops decoding with JTL_ERR_STOPPED");
    free(data);
}

#define T(f)                                                                   \
    do {                                                                       \
        clock_t c0_ = clock();                                                 \
        f();                                                                   \
        if (getenv("TEST_TIMES"))                                              \
            fprintf(stderr, "%-24s %.2f s\n", #f,                              \
                    (double)(clock() - c0_) / CLOCKS_PER_SEC);                 \
    } while (0)

int main(void)
{
    T(test_nginx);
    T(test_upstream_counts);
    T(test_upstream_not_jtl);
    T(test_upstream_details);
    T(test_attributes);
    T(test_truncation);
    T(test_appended);
    T(test_malformed);
    T(test_huge_attr);
    T(test_security);
    T(test_big_text);
    T(test_stop);
    return CHECK_DONE();
}
