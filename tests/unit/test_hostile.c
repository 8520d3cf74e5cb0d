/* SPDX-License-Identifier: MIT
 * test_hostile.c - named regression cases for what fuzzing and the
 * hostile-input cases (tests/e2e/cases/hostile-*) found in the decoders:
 * each case is decoded at every chunk size it can be split into (and, for
 * CSV, with and without the fast path), because every fix in the decoders'
 * recovery paths is a new chance for the result to depend on where a read
 * ended. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "io/decode_csv_priv.h"
#include "io/decode_internal.h"
#include "jtl/base/xalloc.h"
#include "jtl/io/decoder.h"
#include "jtl/io/source.h"
#include "jtl/read/read.h"
#include "jtl/stats/agg.h"
#include "read/read_internal.h"
#include "readcheck.h"

/* What one decoding produced, as text: one line per sample (label, line)
 * and per warning, then the error and the counts. */
struct out {
    char *p;
    size_t len, cap;
};

static void out_add(struct out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->p = jtl_xrealloc(o->p, o->cap);
    }
    memcpy(o->p + o->len, s, n);
    o->len += n;
    o->p[o->len] = '\0';
}

static void out_printf(struct out *o, const char *fmt, ...) JTL_PRINTF(2, 3);
static void out_printf(struct out *o, const char *fmt, ...)
{
    char buf[600];
    va_list ap;
    int n;

    va_start(ap, fmt);
    n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n > (int)sizeof(buf) - 1)
        n = (int)sizeof(buf) - 1;
    out_add(o, buf, (size_t)n);
}

static int keep(const struct jtl_sample *s, void *ctx)
{
    out_printf(ctx, "S %.*s @%llu\n", (int)s->label.len, s->label.p,
               (unsigned long long)s->line);
    return 0;
}

static void warned(const char *where, const char *msg, void *ctx)
{
    out_printf(ctx, "W %s: %s\n", where, msg);
}

/* Decode P[0..N) in CHUNK-byte pieces (0 = at once). */
static void run(const char *p, size_t n, enum jtl_format fmt, size_t chunk,
                bool fast, struct out *o)
{
    struct jtl_decode_opts opts = {0};
    struct jtl_decode_counts c;
    struct jtl_decoder *dec = NULL;
    struct jtl_dcsv *csv = NULL;
    struct jtl_diag diag = {0};
    enum jtl_err err = JTL_OK;
    size_t pos = 0;

    o->len = 0;
    out_add(o, "", 0);
    opts.format = fmt;
    opts.name = "t";
    opts.warn = warned;
    opts.warn_ctx = o;
    if (!chunk)
        chunk = n ? n : 1;
    if (fmt == JTL_FORMAT_CSV) {
        jtl_dcsv_new(&opts, keep, o, &csv, &diag);
        jtl_dcsv_set_fast(csv, fast);
        while (pos < n && !err) {
            size_t k = n - pos < chunk ? n - pos : chunk;
            err = jtl_dcsv_feed(csv, p + pos, k, &diag);
            pos += k;
        }
        if (!err)
            err = jtl_dcsv_finish(csv, &diag);
        jtl_dcsv_counts(csv, &c);
        jtl_dcsv_free(csv);
    } else {
        jtl_decoder_new(&opts, keep, o, &dec, &diag);
        while (pos < n && !err) {
            size_t k = n - pos < chunk ? n - pos : chunk;
            err = jtl_decoder_feed(dec, p + pos, k, &diag);
            pos += k;
        }
        if (!err)
            err = jtl_decoder_finish(dec, &diag);
        jtl_decoder_counts(dec, &c);
        jtl_decoder_free(dec);
    }
    out_printf(o,
               "E %d %s | records %llu samples %llu skipped %llu "
               "truncated %d lines %llu\n",
               (int)err, err ? diag.msg : "", (unsigned long long)c.records,
               (unsigned long long)c.samples, (unsigned long long)c.skipped,
               (int)c.truncated, (unsigned long long)c.lines);
}

/* Decode at every chunk size (up to MAXCHUNK, then a few large ones) and
 * both CSV paths; every way must give the reference result.  Returns the
 * reference (caller frees). */
static char *every_way(const char *what, const char *p, size_t n,
                       enum jtl_format fmt, size_t maxchunk)
{
    static const size_t big[] = {4096, 65536, 1u << 20};
    struct out ref = {0}, o = {0};
    size_t c, bad = 0, ways = 0;
    int fast;

    run(p, n, fmt, 0, false, &ref);
    for (fast = 0; fast < 2; fast++) {
        for (c = 1; c <= maxchunk + 3; c++) {
            size_t chunk = c <= maxchunk ? c : big[c - maxchunk - 1];
            if (fmt != JTL_FORMAT_CSV && fast)
                break;
            run(p, n, fmt, chunk, fast, &o);
            ways++;
            if (strcmp(o.p, ref.p) != 0 && bad++ == 0)
                fprintf(stderr,
                        "  %s: chunk %zu fast %d gives\n%s  instead "
                        "of\n%s",
                        what, chunk, fast, o.p, ref.p);
        }
    }
    CHECK(bad == 0, what);
    (void)ways;
    free(o.p);
    return ref.p;
}

static const char hdr[] = "timeStamp,elapsed,label,responseCode,success\n";

/* fuzz/hostile: a field over JTL_CSV_FIELD_MAX (1 MiB) used to stop the file
 * with JTL_ERR_LIMIT; now the record is skipped and reading resumes at the
 * next physical line, in the fast path and in libcsv alike. */
static void test_csv_field_cap(void)
{
    size_t cap = (size_t)1 << 20, n, len;
    char *p = jtl_xmalloc(3 * cap);
    char *ref;

    /* unquoted: the rest of the line goes */
    n = (size_t)snprintf(p, 3 * cap,
                         "%s1700000000000,1,a,200,true\n"
                         "1700000000001,2,",
                         hdr);
    memset(p + n, 'x', cap + 10);
    n += cap + 10;
    n += (size_t)snprintf(p + n, 200,
                          ",200,true\n1700000000002,3,c,200,true"
                          "\n");
    ref = every_way("csv: unquoted 1 MiB + 10 field: skipped, next line read",
                    p, n, JTL_FORMAT_CSV, 3);
    CHECK(strstr(ref, "S a @2\nW t:3: field 3 is longer than 1 MiB") &&
              strstr(ref, "S c @4\nE 0") && strstr(ref, "skipped 1 "),
          "csv: the capped record is named by line, the next one is read");
    free(ref);

    /* quoted, closed on the same line */
    n = (size_t)snprintf(p, 3 * cap, "%s1700000000001,2,\"", hdr);
    memset(p + n, 'y', 2 * cap);
    n += 2 * cap;
    n += (size_t)snprintf(p + n, 200,
                          "\",200,true\r\n1700000000002,3,c,200,"
                          "true\r\n");
    ref = every_way("csv: quoted 2 MiB field, CRLF: skipped, next line read", p,
                    n, JTL_FORMAT_CSV, 2);
    CHECK(strstr(ref, "W t:2: field 3 is longer") && strstr(ref, "S c @3\nE 0"),
          "csv: quoted capped field skipped, CRLF line counted once");
    free(ref);

    /* an unbalanced quote swallowing many lines: resync where the cap is
     * hit, the lines after it are read again */
    len = (size_t)snprintf(p, 3 * cap, "%s1700000000000,1,\"open,200,true\n",
                           hdr);
    while (len < cap + 4096)
        len += (size_t)snprintf(p + len, 200, "1700000000009,9,r,200,true\n");
    for (n = 0; n < 3; n++)
        len += (size_t)snprintf(p + len, 200,
                                "1700000000009,9,after,200,"
                                "true\n");
    ref = every_way("csv: unbalanced quote: resync after the capped line", p,
                    len, JTL_FORMAT_CSV, 1);
    CHECK(strstr(ref, "W t:2: field 3 is longer") && strstr(ref, "S after") &&
              strstr(ref, "E 0"),
          "csv: rows after the swallowed megabyte are read");
    free(ref);
    free(p);
}

/* hostile: `cat run1.csv run2.csv` puts the header line in the middle of
 * the data; it used to count as a malformed record (exit 4). */
static void test_csv_header_again(void)
{
    char doc[512];
    size_t n;
    char *ref;

    n = (size_t)snprintf(doc, sizeof(doc),
                         "%s1700000000000,1,a,200,true\n%s"
                         "1700000000001,2,b,200,true\r\n%s",
                         hdr, hdr, hdr);
    ref = every_way("csv: repeated header lines", doc, n, JTL_FORMAT_CSV, n);
    CHECK(strstr(ref, "S a @2\nW t:3: the header line again (concatenated "
                      "files?); skipped\nS b @4\nW t:5: the header line "
                      "again (concatenated files?); skipped\nE 0 ") &&
              strstr(ref, "records 2 samples 2 skipped 0"),
          "csv: each repeated header is skipped and named, not damage");
    free(ref);
}

/* hostile: a block of NUL bytes inside <testResults> (a crash, a full disk)
 * used to end reading: "skipping to the next XML prologue" lost the rest of
 * the file.  Now reading resumes at the next top-level sample. */
static void test_xml_resync(void)
{
    char doc[2048];
    size_t n;
    char *ref;

    n = (size_t)snprintf(doc, sizeof(doc),
                         "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                         "<testResults version=\"1.2\">\n"
                         "<httpSample t=\"1\" ts=\"1700000000000\" lb=\"a\"/>\n"
                         "<httpSample t=\"2\" ts=\"1700000000001\" lb=\"b\">\n"
                         "  <responseHeader>x</responseHeader>");
    memset(doc + n, 0, 40);
    n += 40;
    n += (size_t)snprintf(doc + n, sizeof(doc) - n,
                          "\n</httpSample>\n"
                          "<httpSample t=\"3\" ts=\"1700000000002\" lb=\"c\"/>"
                          "\n<sample t=\"4\" ts=\"1700000000003\" lb=\"d\">\n"
                          "</sample>\n</testResults>\n");
    ref = every_way("xml: NUL block inside a sample: resume at the next one",
                    doc, n, JTL_FORMAT_XML, n);
    CHECK(strstr(ref, "S a @3\n") && strstr(ref, "S c @7\n") &&
              strstr(ref, "S d @8\n") && !strstr(ref, "S b"),
          "xml: samples before and after the NUL block are read");
    CHECK(strstr(ref, "W t:4: cannot recover from malformed XML: this "
                      "<httpSample> is lost; skipping to the next top-level "
                      "sample") &&
              strstr(ref, "W t:7: resuming at this sample") &&
              strstr(ref, "records 3 samples 3 skipped 1 truncated 0"),
          "xml: the lost sample is counted, the resume point named");
    free(ref);

    /* between samples, in an ISO-8859-1 document: the stand-in prologue
     * keeps the declared encoding */
    n = (size_t)snprintf(doc, sizeof(doc),
                         "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
                         "<testResults version=\"1.2\">\n"
                         "<httpSample t=\"1\" ts=\"1700000000000\" lb=\"a\"/>"
                         "\n");
    memset(doc + n, 0, 20);
    n += 20;
    n += (size_t)snprintf(doc + n, sizeof(doc) - n,
                          "<httpSample t=\"2\" lb=\"lost\"/>\n"
                          "<httpSample t=\"3\" ts=\"1700000000002\" "
                          "lb=\"caf\xe9\"/>\n");
    ref = every_way("xml: NUL block between samples, Latin-1, truncated", doc,
                    n, JTL_FORMAT_XML, n);
    CHECK(strstr(ref, "S a @3\n") && strstr(ref, "S caf\xc3\xa9 @5\n") &&
              strstr(ref, "skipped 1 truncated 1"),
          "xml: Latin-1 label after the resume point decoded, cut counted");
    free(ref);
}

/* hostile: distinct labels are capped (JTL_AGG_MAX_LABELS); the samples of
 * further labels are counted, under "(other labels)", never dropped. */
static void test_label_cap(void)
{
    struct jtl_agg_opts ao;
    struct jtl_agg *agg;
    const struct jtl_stats_result *r;
    const struct jtl_stats_row *other;
    struct jtl_sample s;
    char label[32];
    uint32_t i, n = JTL_AGG_MAX_LABELS + 7;

    jtl_agg_opts_init(&ao);
    ao.timeline = false;
    agg = jtl_agg_new(&ao);
    memset(&s, 0, sizeof(s));
    s.present = (1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED) |
                (1u << JTL_F_LABEL) | (1u << JTL_F_SUCCESS);
    s.success = true;
    s.code.p = "200";
    s.code.len = 3;
    for (i = 0; i < n; i++) {
        s.timestamp = 1700000000000 + i;
        s.elapsed = i % 100;
        s.label.p = label;
        s.label.len = (size_t)snprintf(label, sizeof(label), "L%u", i);
        jtl_agg_add(&s, agg);
    }
    jtl_agg_finish(agg);
    r = jtl_agg_stats(agg);
    other = jtl_stats_find(r, "(other labels)", 14);
    CHECK(r->total.samples == n, "label cap: every sample is in Total");
    CHECK(other && other->samples == 7 && r->labels_folded == 7,
          "label cap: the 7 labels over the cap are one row, counted");
    CHECK_EQ_INT(r->nrows, JTL_AGG_MAX_LABELS + 1,
                 "label cap: rows = the cap + (other labels)");
    jtl_agg_free(agg);
}

/* Count the samples decoded from P[0..N) in one piece. */
static uint64_t samples_of(const char *p, size_t n, enum jtl_format fmt,
                           bool *truncated)
{
    struct out o = {0};
    const char *e;
    unsigned long long rec, smp, skp;
    int tr = 0;

    run(p, n, fmt, 0, true, &o);
    e = strstr(o.p, "| records ");
    rec = smp = skp = 0;
    if (e)
        sscanf(e, "| records %llu samples %llu skipped %llu truncated %d", &rec,
               &smp, &skp, &tr);
    free(o.p);
    *truncated = tr != 0;
    return smp;
}

/* truncation: a file cut at EVERY byte offset reports exactly the samples
 * complete before the cut (and, XML, says it is truncated).  XML: a sample is
 * complete when its end tag is (a cut "</htt" used to be closed by libxml2's
 * recovery and counted). */
static void test_cut_everywhere(void)
{
    static const char xml[] =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<testResults version=\"1.2\">\n"
        "<httpSample t=\"1\" ts=\"1700000000000\" lb=\"a\" rc=\"200\">\n"
        "  <responseHeader class=\"java.lang.String\">HTTP/1.1 200 OK\n"
        "</responseHeader>\n</httpSample>\n"
        "<sample t=\"2\" ts=\"1700000000001\" lb=\"b\"/>\n"
        "<httpSample t=\"3\" ts=\"1700000000002\" lb=\"c\"><java.net.URL>"
        "http://x/</java.net.URL></httpSample>\n</testResults>\n";
    static const char csv[] =
        "timeStamp,elapsed,label,responseCode,Latency\n"
        "1700000000000,1,a,200,1\n1700000000001,22,b,200,22\r\n"
        "1700000000002,333,c,200,333\n";
    size_t cut, n = sizeof(xml) - 1, bad = 0;
    size_t root = (size_t)(strstr(xml, "1.2\">") + 5 - xml);
    bool tr;

    for (cut = 1; cut <= n; cut++) {
        uint64_t want = 0, got;
        const char *q = xml;
        /* complete ends: "</httpSample>" or the "/>" of <sample .../> */
        while ((q = strstr(q, "</httpSample>")) && q + 13 <= xml + cut) {
            want++;
            q += 13;
        }
        q = strstr(xml, "lb=\"b\"/>");
        if (q + 8 <= xml + cut)
            want++;
        got = samples_of(xml, cut, JTL_FORMAT_XML, &tr);
        if (got != want || (cut > root && cut < n - 1 && !tr)) {
            if (bad++ < 3)
                fprintf(stderr,
                        "  xml cut at %zu: %llu samples (want %llu),"
                        " truncated %d\n",
                        cut, (unsigned long long)got, (unsigned long long)want,
                        (int)tr);
        }
    }
    CHECK(bad == 0, "xml cut at every offset: exactly the complete samples");

    n = sizeof(csv) - 1;
    bad = 0;
    for (cut = 1; cut <= n; cut++) {
        uint64_t want = 0, got;
        size_t i, fields = 1;
        const char *nl = memchr(csv, '\n', cut);
        /* lines ended before the cut, minus the header; a last line with
         * all 5 fields counts (nothing shows that it was cut) */
        for (i = 0; i < cut; i++)
            want += csv[i] == '\n';
        want = want ? want - 1 : 0;
        for (i = cut; i > 0 && csv[i - 1] != '\n'; i--)
            fields += csv[i - 1] == ',';
        if (nl && i < cut && fields == 5)
            want++;
        got = samples_of(csv, cut, JTL_FORMAT_CSV, &tr);
        if (got != want && bad++ < 3)
            fprintf(stderr, "  csv cut at %zu: %llu samples (want %llu)\n", cut,
                    (unsigned long long)got, (unsigned long long)want);
    }
    CHECK(bad == 0, "csv cut at every offset: exactly the complete samples");
}

/* hostile: UTF-16 files (Windows tools save them) were "binary data":
 * XML with a BOM is read (libxml2 knows UTF-16), a CSV says what it is. */
static void test_utf16(void)
{
    static const char xml8[] =
        "<?xml version=\"1.0\" encoding=\"UTF-16\"?>\n<testResults>\n"
        "<httpSample t=\"5\" ts=\"1700000000000\" lb=\"x\"/>\n"
        "</testResults>\n";
    char doc[512], *ref;
    size_t i, n = 0;

    doc[n++] = (char)0xFF;
    doc[n++] = (char)0xFE;
    for (i = 0; xml8[i]; i++) {
        doc[n++] = xml8[i];
        doc[n++] = 0;
    }
    ref = every_way("utf-16le xml with a BOM, format detected", doc, n,
                    JTL_FORMAT_AUTO, 7);
    CHECK(strstr(ref, "S x @3\nE 0 ") != NULL,
          "utf-16 xml: the sample is read, on its line");
    free(ref);

    n = 0;
    doc[n++] = (char)0xFF;
    doc[n++] = (char)0xFE;
    for (i = 0; hdr[i]; i++) {
        doc[n++] = hdr[i];
        doc[n++] = 0;
    }
    ref = every_way("utf-16le csv", doc, n, JTL_FORMAT_AUTO, 3);
    CHECK(strstr(ref, "the file is UTF-16 text; jtlscope reads UTF-8 "
                      "(convert it first: iconv -f UTF-16 -t UTF-8)") != NULL,
          "utf-16 csv: refused, saying what it is and what to do");
    free(ref);
}

/* hostile: values no JMeter run writes overflowed int64 sums downstream
 * (a negative mean from elapsed=9223372036854775807). */
static void test_ranges(void)
{
    char doc[1024], *ref;
    size_t n;

    n = (size_t)snprintf(doc, sizeof(doc),
                         "timeStamp,elapsed,label,responseCode,Latency,bytes\n"
                         "1700000000000,9223372036854775807,a,200,1,1\n"
                         "999999999999999,1,b,200,1,1\n"
                         "1700000000000,1,c,200,-3,1\n"
                         "1700000000000,1,d,200,1,1099511627777\n"
                         "1700000000000,2147483647,ok,200,2147483647,"
                         "1099511627776\n");
    ref = every_way("csv: out-of-range values", doc, n, JTL_FORMAT_CSV, 2);
    CHECK(strstr(ref, "W t:2: elapsed 9223372036854775807 is out of range") &&
              strstr(ref, "W t:3: timeStamp 999999999999999 is out of range") &&
              strstr(ref, "W t:4: Latency -3 is out of range") &&
              strstr(ref, "W t:5: bytes 1099511627777 is out of range") &&
              strstr(ref, "S ok @6\nE 0  | records 5 samples 1 skipped 4"),
          "csv: each out-of-range record skipped and named; the limits "
          "themselves pass");
    free(ref);

    n = (size_t)snprintf(doc, sizeof(doc),
                         "<testResults>\n<httpSample t=\"9223372036854775807\" "
                         "ts=\"1700000000000\" lt=\"-1\" by=\"5\" lb=\"a\"/>\n"
                         "</testResults>\n");
    ref = every_way("xml: out-of-range attributes", doc, n, JTL_FORMAT_XML, n);
    CHECK(strstr(ref, "attribute t=\"9223372036854775807\" is out of range; "
                      "ignored") &&
              strstr(ref, "attribute lt=\"-1\" is out of range; ignored") &&
              strstr(ref, "S a @2\n"),
          "xml: out-of-range attributes ignored and named, sample kept");
    free(ref);
}

/* Read PATH with THREADS; the messages into ERR. */
static uint64_t run_reader(const char *path, unsigned threads, char *err,
                           size_t cap, uint64_t *skipped)
{
    struct digest d;
    struct jtl_sink sink;
    struct jtl_run_info info;
    struct capture c;

    digest_sink(&d, &sink);
    read_one(path, threads, NULL, 10, &sink, &info, &c);
    snprintf(err, cap, "%s", c.text);
    if (skipped)
        *skipped = info.skipped;
    jtl_run_info_release(&info);
    return d.n;
}

/* fuzz (readpar): the parallel reader's workers missed a jump back in time
 * that fell on a block boundary, depending on which thread got the block:
 * the warning came and went between runs.  Now boundaries are judged when
 * the workers are drained; every jump position gives what one thread
 * gives. */
static void test_parallel_jump_back(void)
{
    char path[] = "/tmp/jtl-hostile-jump.XXXXXX";
    char seq[4096], par[4096], msg[160];
    size_t jump, bad = 0;
    int fd = mkstemp(path);

    close(fd);
    jtl_read_set_block_size(64); /* blocks of about 2 rows */
    for (jump = 1; jump < 40; jump++) {
        FILE *fp = fopen(path, "w");
        size_t i;
        uint64_t a, b;
        fputs("timeStamp,elapsed,label,responseCode,success\n", fp);
        for (i = 0; i < 60; i++)
            fprintf(fp, "%lld,5,L,200,true\n",
                    1700000000000LL + (long long)i * 1000 -
                        (i >= jump ? 3600000LL : 0));
        fclose(fp);
        a = run_reader(path, 1, seq, sizeof(seq), NULL);
        b = run_reader(path, 3, par, sizeof(par), NULL);
        if ((a != b || strcmp(seq, par) != 0) && bad++ < 2)
            fprintf(stderr, "  jump at row %zu: 1 thread:\n%s  3 threads:\n%s",
                    jump, seq, par);
        snprintf(msg, sizeof(msg), ":%zu: time goes back 3599 s", jump + 2);
        if (!strstr(seq, msg) && bad++ < 2)
            fprintf(stderr, "  jump at row %zu: no warning:\n%s", jump, seq);
    }
    jtl_read_set_block_size(0);
    unlink(path);
    CHECK(bad == 0, "parallel reader: the jump back is named wherever it "
                    "falls, as with one thread");
}

/* fuzz (xml, UBSan): a reflection dump whose fields are all empty handed
 * out NULL + 0 (the frame's arena was never allocated). */
static void test_xml_empty_reflection(void)
{
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n<testResults version=\"1.2\">\n"
        "<com.example.MyResult>\n<elapsedTime></elapsedTime>\n<label></label>"
        "\n</com.example.MyResult>\n<sample><lb/></sample>\n</testResults>\n";
    char *ref = every_way("xml: reflection dump with empty fields", doc,
                          sizeof(doc) - 1, JTL_FORMAT_XML, 8);

    CHECK(strstr(ref, "S  @3\nS  @7\nE 0  | records 2 samples 2") != NULL,
          "xml: empty reflection fields give samples with empty strings");
    free(ref);
    /* fuzz (xmlchunk crash-a15a707a): the first fix made an empty first
     * string field set the arena length from a pointer difference with a
     * NULL arena (a 2^46-byte allocation came next) */
    {
        static const char doc2[] =
            "<testResults>\n<x.Result>\n<responseHeaders></responseHeaders>"
            "\n<label>lab</label><elapsedTime>7</elapsedTime>\n</x.Result>"
            "\n</testResults>\n";
        ref = every_way("xml: reflection dump, empty string field first", doc2,
                        sizeof(doc2) - 1, JTL_FORMAT_XML, 8);
    }
    CHECK(strstr(ref, "S lab @2\nE 0  | records 1 samples 1") != NULL,
          "xml: fields after an empty one are read");
    free(ref);
}

/* fuzz (readpar crash-2bd4e339): a file ending inside quotes right after a
 * LF counted one line too many (the sequential reader said 5 lines where
 * the file has 4; the parallel reader counts them itself). */
static void test_csv_open_quote_lines(void)
{
    static const char a[] = "timeStamp,elapsed,label\n1,2,\"abc\n";
    static const char b[] = "timeStamp,elapsed,label\n1,2,\"abc\nxyz";
    char *ref;

    ref = every_way("csv: open quote, file ends after a LF", a, sizeof(a) - 1,
                    JTL_FORMAT_CSV, 3);
    CHECK(strstr(ref, "truncated 1 lines 2\n") != NULL,
          "csv: open quote at EOF after a LF: 2 lines");
    free(ref);
    ref = every_way("csv: open quote, file ends mid-line", b, sizeof(b) - 1,
                    JTL_FORMAT_CSV, 3);
    CHECK(strstr(ref, "truncated 1 lines 3\n") != NULL,
          "csv: open quote at EOF mid-line: the last line counts");
    free(ref);
}

static int varlen_add(const struct jtl_sample *s, void *ctx)
{
    size_t i;

    for (i = 0; i < s->nvars; i++)
        *(uint64_t *)ctx += s->vars[i].name.len * 1000 + 1;
    return 0;
}

static void *sum_fork(void *ctx)
{
    (void)ctx;
    return jtl_xcalloc(1, sizeof(uint64_t));
}

static void sum_join(void *ctx, void *child)
{
    *(uint64_t *)ctx += *(uint64_t *)child;
    free(child);
}

/* fuzz (readpar crash-5f54cc86): a header name with a NUL byte was cut at
 * the NUL in the parallel reader's workers (strlen), so samples from
 * workers named the variable differently. */
static void test_parallel_nul_header(void)
{
    char path[] = "/tmp/jtl-hostile-nulhdr.XXXXXX";
    struct jtl_sink sink = {0};
    struct jtl_run_info info;
    uint64_t sum[2] = {0, 0};
    int fd = mkstemp(path), k;
    FILE *fp = fdopen(fd, "w");
    size_t i;

    /* the NUL on the header's second line (the first is sniffed for
     * binary data) */
    fputs("timeStamp,elapsed,label,\"my\n", fp);
    fputc(0, fp);
    fputs("var\"\n", fp);
    for (i = 0; i < 80; i++)
        fprintf(fp, "%lld,5,L,v%zu\n", 1700000000000LL + (long long)i, i);
    fclose(fp);
    jtl_read_set_block_size(64);
    for (k = 0; k < 2; k++) {
        sink.add = varlen_add;
        sink.ctx = &sum[k];
        sink.fork = sum_fork;
        sink.join = sum_join;
        read_one(path, k ? 3 : 1, NULL, 10, &sink, &info, NULL);
        jtl_run_info_release(&info);
    }
    jtl_read_set_block_size(0);
    unlink(path);
    CHECK(sum[0] == 80 * 7001 && sum[1] == sum[0],
          "parallel reader: a variable named with a NUL byte keeps its "
          "7-byte name in every thread");
}

/* fuzz (readpar crash-c1a7ca2e): the parallel reader's workers did not
 * know the file had a header, so a repeated header line in their blocks
 * was a malformed record (exit 4) where one thread skipped it. */
static void test_parallel_header_again(void)
{
    char path[] = "/tmp/jtl-hostile-hdr.XXXXXX";
    char seq[8192], par[8192];
    int fd = mkstemp(path);
    FILE *fp = fdopen(fd, "w");
    uint64_t a, b, skip_a, skip_b;
    size_t i;

    for (i = 0; i < 90; i++) {
        if (i % 10 == 0)
            fputs("timeStamp,elapsed,label,responseCode,success\n", fp);
        fprintf(fp, "%lld,5,L,200,true\n", 1700000000000LL + (long long)i);
    }
    fclose(fp);
    jtl_read_set_block_size(64);
    a = run_reader(path, 1, seq, sizeof(seq), &skip_a);
    b = run_reader(path, 3, par, sizeof(par), &skip_b);
    jtl_read_set_block_size(0);
    unlink(path);
    CHECK(a == 90 && b == 90 && strcmp(seq, par) == 0 && skip_a == 0 &&
              skip_b == 0 && !strstr(par, "malformed"),
          "parallel reader: repeated headers skipped and named as with one "
          "thread");
}

/* fuzz (readpar crash-f40164ca): a broken first tag before any
 * <testResults> was a warning plus an error with one read size, and the
 * error alone with another (libxml2 reports it at once, or only when the
 * input ends).  Now it is one error quoting libxml2's, at every chunk
 * size; and an error before a root that does come is said once it does. */
static void test_xml_pre_root_error(void)
{
    static const char junk[] =
        "<5\xba\x01\x9f\x01 x\ntimeStamp,elapsed,label\n1,2,a\n";
    static const char late_root[] =
        "<?xml version=\"1.0\"?>\n<!-- a -- b -->\n<testResults>\n"
        "<httpSample t=\"5\" ts=\"1700000000000\" s=\"true\" lb=\"x\"/>\n"
        "</testResults>\n";
    char *ref = every_way("xml: broken first tag, no root", junk,
                          sizeof(junk) - 1, JTL_FORMAT_XML, 24);

    CHECK(strstr(ref, "no <testResults> element (") != NULL &&
              strstr(ref, "W ") == NULL,
          "xml: broken first tag: one error quoting libxml2, no warning");
    free(ref);
    ref = every_way("xml: error before a root that comes", late_root,
                    sizeof(late_root) - 1, JTL_FORMAT_XML, 24);
    CHECK(strstr(ref, "malformed XML") != NULL && strstr(ref, "S x @") != NULL,
          "xml: an error before the root is a warning once the root shows, "
          "and the sample is read");
    free(ref);
}

/* PATH holds exactly P[0..N) afterwards. */
static void write_file(const char *path, const void *p, size_t n)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

    if (fd < 0 || write(fd, p, n) != (ssize_t)n)
        exit(1);
    close(fd);
}

/* fuzz (source crash-50022819): a gzip stream that fails before the first
 * byte made a peek fail; a reader that then read instead of giving up saw a
 * clean, empty file.  The error now stays for the reads too. */
static void test_source_peek_error_kept(void)
{
    static const unsigned char bad[] = {
        0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    char path[64], buf[64];
    struct jtl_source *src = NULL;
    struct jtl_diag diag = {0};
    size_t n = 1;
    enum jtl_err err;

    snprintf(path, sizeof(path), "/tmp/jtl-hostile-peek-%ld", (long)getpid());
    write_file(path, bad, sizeof(bad));
    CHECK(jtl_source_open(path, &src, &diag) == JTL_OK, "corrupt gzip opens");
    err = jtl_source_peek(src, buf, sizeof(buf), &n, &diag);
    CHECK(err == JTL_ERR_IO, "corrupt gzip: the peek fails");
    memset(&diag, 0, sizeof(diag));
    err = jtl_source_read(src, buf, sizeof(buf), &n, &diag);
    CHECK(err == JTL_ERR_IO && n == 0 && strstr(diag.msg, "corrupt gzip"),
          "corrupt gzip: a read after the failed peek reports it too");
    jtl_source_close(src);
    unlink(path);
}

/* Read PATH through a source in CAP-byte reads: the bytes and the error. */
static size_t read_all(const char *path, size_t cap, char *out, size_t outcap,
                       enum jtl_err *err)
{
    struct jtl_source *src = NULL;
    struct jtl_diag diag = {0};
    char buf[65536];
    size_t len = 0, n;

    *err = jtl_source_open(path, &src, &diag);
    while (!*err) {
        *err = jtl_source_read(src, buf, cap, &n, &diag);
        if (*err || n == 0)
            break;
        if (len + n > outcap)
            exit(1);
        memcpy(out + len, buf, n);
        len += n;
    }
    jtl_source_close(src);
    return len;
}

/* fuzz (source crash-9ff7a741): a gzip stream cut inside a match gave 2
 * bytes fewer with small reads, as the truncation was called before
 * inflate could hand out what it still held.  Cut at many places, every
 * read size gives the same bytes and the same error. */
static void test_gzip_cut_read_sizes(void)
{
    static const size_t caps[] = {1, 2, 3, 7, 64, 514, 65536};
    char text[6000], path[64], *zbuf, got[8000], ref[8000];
    size_t c, n = 0, zn, bad = 0, cut;
    z_stream zs;

    while (n < sizeof(text) - 64)
        n += (size_t)snprintf(text + n, sizeof(text) - n,
                              "1700000000%03zu,%zu,GET /a/%zu,200,OK\n",
                              n % 997, n % 13, n % 5);
    zbuf = jtl_xmalloc(sizeof(text) + 64);
    memset(&zs, 0, sizeof(zs));
    deflateInit2(&zs, 9, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = (unsigned char *)text;
    zs.avail_in = (uInt)n;
    zs.next_out = (unsigned char *)zbuf;
    zs.avail_out = (uInt)(sizeof(text) + 64);
    deflate(&zs, Z_FINISH);
    zn = sizeof(text) + 64 - zs.avail_out;
    deflateEnd(&zs);
    snprintf(path, sizeof(path), "/tmp/jtl-hostile-gzcut-%ld", (long)getpid());
    for (cut = 12; cut < zn; cut += 7) {
        enum jtl_err e0, e;
        size_t l0, l;
        write_file(path, zbuf, cut);
        l0 = read_all(path, 65536, ref, sizeof(ref), &e0);
        for (c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
            l = read_all(path, caps[c], got, sizeof(got), &e);
            if (l != l0 || e != e0 || memcmp(got, ref, l) != 0 ||
                memcmp(ref, text, l0) != 0) {
                if (bad++ == 0)
                    fprintf(stderr,
                            "  gzip cut at %zu: %zu-byte reads give "
                            "%zu bytes (error %d), 65536-byte reads %zu "
                            "(error %d)\n",
                            cut, caps[c], l, (int)e, l0, (int)e0);
            }
        }
    }
    unlink(path);
    free(zbuf);
    CHECK(bad == 0, "gzip cut anywhere: the same bytes and error for every "
                    "read size, a prefix of the original");
}

int main(void)
{
    test_gzip_cut_read_sizes();
    test_xml_pre_root_error();
    test_source_peek_error_kept();
    test_parallel_header_again();
    test_parallel_nul_header();
    test_csv_open_quote_lines();
    test_xml_empty_reflection();
    test_parallel_jump_back();
    test_utf16();
    test_ranges();
    test_cut_everywhere();
    test_label_cap();
    test_csv_field_cap();
    test_csv_header_again();
    test_xml_resync();
    return CHECK_DONE();
}
