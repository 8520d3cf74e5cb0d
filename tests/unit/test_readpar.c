/* SPDX-License-Identifier: MIT
 * test_readpar.c - the threaded readers give exactly what the sequential
 * reader gives: same samples (every field and line number), same counts,
 * same warnings in the same order, on inputs built to break block cuts
 * (quotes everywhere, multi-line fields, CRLF, lone CRs, broken quoting,
 * records longer than a block, malformed rows) and on gzip (overlap). */
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"
#include "jtl/read/read.h"
#include "read/read_internal.h"
#include "readcheck.h"

struct outcome {
    struct digest acc;
    struct jtl_run_info info;
    enum jtl_err err;
    struct capture cap;
};

/* Read PATH with THREADS, keeping the messages. */
static void run(const char *path, unsigned threads, const char *columns,
                struct outcome *o)
{
    struct jtl_sink sink;

    memset(o, 0, sizeof(*o));
    digest_sink(&o->acc, &sink);
    o->err = read_one(path, threads, columns, 5, &sink, &o->info, &o->cap);
}

static bool same_outcome(const struct outcome *a, const struct outcome *b)
{
    const struct jtl_decode_counts *x = &a->info.files[0].counts;
    const struct jtl_decode_counts *y = &b->info.files[0].counts;

    return a->err == b->err && a->acc.n == b->acc.n &&
           a->acc.sum == b->acc.sum && a->acc.x == b->acc.x &&
           a->info.samples == b->info.samples &&
           a->info.skipped == b->info.skipped &&
           a->info.warnings == b->info.warnings &&
           a->info.first_ts == b->info.first_ts &&
           a->info.last_end == b->info.last_end &&
           a->info.any_damage == b->info.any_damage &&
           x->records == y->records && x->samples == y->samples &&
           x->skipped == y->skipped && x->lines == y->lines &&
           x->truncated == y->truncated && x->had_header == y->had_header &&
           a->info.files[0].damaged == b->info.files[0].damaged &&
           strcmp(a->cap.text, b->cap.text) == 0;
}

static char tmpdir[] = "/tmp/jtl-readpar.XXXXXX";

static const char *write_tmp(const char *name, const char *data, size_t n)
{
    static char path[512];
    FILE *fp;

    snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
    fp = fopen(path, "wb");
    fwrite(data, 1, n, fp);
    fclose(fp);
    return path;
}

/* Sequential (1 thread) against 2, 3 and 4 threads; PARALLEL: the input
 * must actually have been split into blocks (forks happened). */
static void compare(const char *what, const char *path, const char *columns,
                    bool parallel)
{
    struct outcome seq, par;
    unsigned t;
    char msg[300];

    run(path, 1, columns, &seq);
    CHECK_EQ_INT(seq.acc.forks, 0, "one thread: no fork");
    for (t = 2; t <= 4; t++) {
        run(path, t, columns, &par);
        snprintf(msg, sizeof(msg), "%s: %u threads give what 1 thread gives",
                 what, t);
        if (!same_outcome(&seq, &par)) {
            fprintf(
                stderr,
                "  %s t=%u: n %" PRIu64 "/%" PRIu64 " lines %" PRIu64
                "/%" PRIu64 " skipped %" PRIu64 "/%" PRIu64
                " err %d/%d\n--- seq stderr:\n%s--- par stderr:\n%s",
                what, t, seq.acc.n, par.acc.n, seq.info.files[0].counts.lines,
                par.info.files[0].counts.lines, seq.info.skipped,
                par.info.skipped, seq.err, par.err, seq.cap.text, par.cap.text);
        }
        CHECK(same_outcome(&seq, &par), msg);
        if (parallel) {
            snprintf(msg, sizeof(msg), "%s: %u threads really forked", what, t);
            CHECK(par.acc.forks == (int)t && par.acc.joins == (int)t, msg);
        }
        jtl_run_info_release(&par.info);
    }
    jtl_run_info_release(&seq.info);
}

static uint64_t rs = 0x2545F4914F6CDD1Dull;

static unsigned rnd(unsigned n)
{
    rs ^= rs << 13;
    rs ^= rs >> 7;
    rs ^= rs << 17;
    return (unsigned)(rs % n);
}

enum {
    Q_SOME = 1,     /* a few quoted messages with commas */
    Q_ALL = 2,      /* every string quoted */
    MULTILINE = 4,  /* labels with newlines inside quotes */
    CRLF = 8,       /* CRLF line ends */
    MALFORMED = 16, /* short rows and bad numbers */
    NO_FINAL_LF = 32,
    TAB = 64,
};

static void gen(struct jtl_buf *b, unsigned rows, unsigned flags)
{
    const char *eol = flags & CRLF ? "\r\n" : "\n";
    char d = flags & TAB ? '\t' : ',';
    unsigned i;
    int64_t ts = 1700000000000;

    jtl_buf_printf(b,
                   "timeStamp%celapsed%clabel%cresponseCode%c"
                   "responseMessage%cthreadName%csuccess%cbytes%cLatency%s",
                   d, d, d, d, d, d, d, d, eol);
    for (i = 0; i < rows; i++) {
        unsigned k = rnd(100);
        const char *q = flags & Q_ALL ? "\"" : "";
        ts += rnd(5);
        if ((flags & MALFORMED) && k == 7) {
            jtl_buf_printf(b, "%" PRId64 "%c12%cshort%s", ts, d, d, eol);
            continue;
        }
        if ((flags & MALFORMED) && k == 8) {
            jtl_buf_printf(b,
                           "%" PRId64 "%cx%cbad%c200%cOK%cT 1-1%ctrue%c1%c"
                           "1%s",
                           ts, d, d, d, d, d, d, d, d, eol);
            continue;
        }
        jtl_buf_printf(b, "%" PRId64 "%c%u%c", ts, d, rnd(500), d);
        if ((flags & MULTILINE) && k < 5)
            jtl_buf_printf(b, "\"multi%sline \"\"%u\"\"\nlabel\"", eol, k);
        else
            jtl_buf_printf(b, "%sGET /item/%u%s", q, k % 20, q);
        jtl_buf_printf(b, "%c%s%s%s%c", d, q, k < 90 ? "200" : "429", q, d);
        if ((flags & Q_SOME) && k >= 90)
            jtl_buf_printf(b, "\"Too Many Requests, retry%c later\"", d);
        else
            jtl_buf_printf(b, "%sOK%s", q, q);
        jtl_buf_printf(b, "%c%sGroup 1-%u%s%c%s%c%u%c%u", d, q, k % 7, q, d,
                       k < 90 ? "true" : "false", d, 100 + k, d, rnd(400));
        if (!(flags & NO_FINAL_LF) || i + 1 < rows)
            jtl_buf_adds(b, eol);
    }
}

static void test_generated(void)
{
    static const struct {
        const char *name;
        unsigned flags;
    } cases[] = {
        {"plain", 0},
        {"some quoted", Q_SOME},
        {"all quoted", Q_ALL | Q_SOME},
        {"multi-line fields", MULTILINE | Q_SOME},
        {"CRLF", CRLF | Q_SOME},
        {"CRLF multi-line", CRLF | MULTILINE},
        {"malformed rows", MALFORMED},
        {"no final newline", NO_FINAL_LF | Q_SOME},
        {"tab", TAB | Q_SOME | MULTILINE},
    };
    size_t i;

    for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct jtl_buf b;
        const char *path;
        jtl_buf_init(&b, 0);
        gen(&b, 3000, cases[i].flags);
        path = write_tmp("gen.csv", b.p, b.len);
        compare(cases[i].name, path, NULL, true);
        jtl_buf_release(&b);
    }
}

static void test_odd(void)
{
    struct jtl_buf b;
    const char *path;
    size_t i;

    /* a stray quote in an unquoted field halfway: the parallel reader
     * must notice and leave the rest to the main decoder */
    jtl_buf_init(&b, 0);
    gen(&b, 1500, Q_SOME);
    jtl_buf_adds(&b, "1700000009999,5,ab\"cd,200,OK,G 1-1,true,1,1\n");
    jtl_buf_adds(&b, "1700000009999,5,\"x\"y,200,OK,G 1-1,true,1,1\n");
    gen(&b, 1500, Q_SOME | MULTILINE);
    path = write_tmp("broken.csv", b.p, b.len);
    compare("broken quoting midway", path, NULL, true);
    jtl_buf_release(&b);

    /* a lone stray quote, then quoted multi-line fields that start with
     * the delimiter: a scanner that took the stray quote for an opening one
     * would read their quotes the wrong way round and cut inside them */
    jtl_buf_init(&b, 0);
    gen(&b, 1000, 0);
    jtl_buf_adds(&b, "1700000009999,5,ab\"cd,200,OK,G 1-1,true,1,1\n");
    for (i = 0; i < 200; i++)
        jtl_buf_adds(&b, "1700000009999,5,\",\nx,\n\",200,OK,G 1-1,true,1,"
                         "1\n");
    gen(&b, 1000, 0);
    path = write_tmp("stray.csv", b.p, b.len);
    compare("stray quote, then multi-line fields opening with a delimiter",
            path, NULL, true);
    jtl_buf_release(&b);
    /* the same where quotes are dense (the 64-byte mask scan) */
    jtl_buf_init(&b, 0);
    gen(&b, 1000, Q_ALL);
    jtl_buf_adds(&b, "1700000009999,5,ab\"cd,200,OK,G 1-1,true,1,1\n");
    for (i = 0; i < 200; i++)
        jtl_buf_adds(&b, "1700000009999,5,\",\nx,\n\",200,OK,G,true,1,1\n");
    gen(&b, 1000, Q_ALL);
    path = write_tmp("stray2.csv", b.p, b.len);
    compare("dense quotes: stray quote, then multi-line fields", path, NULL,
            true);
    jtl_buf_release(&b);

    /* a record longer than a block */
    jtl_buf_init(&b, 0);
    gen(&b, 1500, 0);
    jtl_buf_adds(&b, "1700000009999,5,\"");
    for (i = 0; i < 5000; i++)
        jtl_buf_adds(&b, "long label, ");
    jtl_buf_adds(&b, "\",200,OK,G 1-1,true,1,1\n");
    gen(&b, 1500, 0);
    path = write_tmp("long.csv", b.p, b.len);
    compare("a record longer than a block", path, NULL, true);
    jtl_buf_release(&b);

    /* lone CRs as line ends: no LF at all */
    jtl_buf_init(&b, 0);
    gen(&b, 2000, 0);
    for (i = 0; i < b.len; i++)
        if (b.p[i] == '\n')
            b.p[i] = '\r';
    path = write_tmp("cr.csv", b.p, b.len);
    compare("CR-only line ends", path, NULL, false);
    jtl_buf_release(&b);

    /* BOM and blank lines before the header, header-less with --columns */
    jtl_buf_init(&b, 0);
    jtl_buf_adds(&b, "\xEF\xBB\xBF\n\r\n");
    gen(&b, 3000, Q_SOME);
    path = write_tmp("bom.csv", b.p, b.len);
    compare("BOM and blank lines", path, NULL, true);
    jtl_buf_release(&b);

    jtl_buf_init(&b, 0);
    for (i = 0; i < 3000; i++)
        jtl_buf_printf(&b, "%zu,%zu,L%zu,200\n", 1700000000000 + i, i % 97,
                       i % 13);
    path = write_tmp("cols.csv", b.p, b.len);
    compare("--columns", path, "timeStamp,elapsed,label,responseCode", true);
    jtl_buf_release(&b);
}

static void test_fixtures(void)
{
    static const char *const files[] = {
        "jmeter-nginx/threshold-rate.csv.jtl",
        "jmeter-nginx/threshold-rate.default.csv.jtl",
        "jmeter-nginx/distributed.csv.jtl",
        "upstream/taurus/csv_112_threads_500_errors.jtl",
        "upstream/jenkins-performance-plugin/csv_5x_tc_rows_after_children.csv",
    };
    char path[512];
    size_t i;

    for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", JTL_TEST_DATA, files[i]);
        compare(files[i], path, NULL, true);
    }
}

static void test_gzip(void)
{
    char path[512];
    struct outcome o;
    FILE *fp;
    char *data;
    long n;

    /* overlap: inflating in one thread, decoding in the other */
    snprintf(path, sizeof(path), "%s/jmeter-nginx/random.csv.jtl.gz",
             JTL_TEST_DATA);
    compare("gzip CSV (overlap)", path, NULL, false);
    /* zlib, two threads: one inflates, one decodes (no blocks); three or
     * more: the inflating thread cuts blocks for the workers */
    CHECK(jtl_source_use_inflater(JTL_INFLATER_ZLIB), "zlib is built in");
    run(path, 2, NULL, &o);
    CHECK_EQ_INT(o.acc.n, 2258, "gzip CSV: 2258 samples (truth.json)");
    CHECK_EQ_INT(o.acc.forks, 0, "gzip CSV, zlib, 2 threads: overlap, no fork");
    jtl_run_info_release(&o.info);
    /* ISA-L does not set the pace: blocks from two threads */
    if (jtl_source_use_inflater(JTL_INFLATER_ISAL)) {
        run(path, 2, NULL, &o);
        CHECK_EQ_INT(o.acc.n, 2258, "gzip CSV, ISA-L: 2258 samples");
        CHECK_EQ_INT(o.acc.forks, 2,
                     "gzip CSV, ISA-L, 2 threads: parallel blocks");
        jtl_run_info_release(&o.info);
    }
    jtl_source_use_inflater(JTL_INFLATER_AUTO);
    run(path, 3, NULL, &o);
    CHECK_EQ_INT(o.acc.n, 2258, "gzip CSV, 3 threads: 2258 samples");
    CHECK_EQ_INT(o.acc.forks, 3, "gzip CSV, 3 threads: parallel blocks");
    jtl_run_info_release(&o.info);
    snprintf(path, sizeof(path), "%s/jmeter-nginx/per-endpoint.xml.jtl.gz",
             JTL_TEST_DATA);
    compare("gzip XML (overlap)", path, NULL, false);

    /* a gzip file cut in half: same samples, same damage report */
    snprintf(path, sizeof(path), "%s/jmeter-nginx/random.csv.jtl.gz",
             JTL_TEST_DATA);
    fp = fopen(path, "rb");
    fseek(fp, 0, SEEK_END);
    n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    data = jtl_xmalloc((size_t)n);
    if (fread(data, 1, (size_t)n, fp) != (size_t)n)
        exit(1);
    fclose(fp);
    snprintf(path, sizeof(path),
             "%s/upstream/jmeter-plugins/"
             "csv_2015_no_connect.jtl",
             JTL_TEST_DATA);
    compare("small CRLF file (under 4 blocks: sequential)", path, NULL, false);
    compare("truncated gzip (overlap)",
            write_tmp("cut.gz", data, (size_t)n / 2), NULL, false);
    free(data);
}

int main(void)
{
    if (!mkdtemp(tmpdir))
        return 1;
    setenv("TZ", "UTC", 1);
    /* 4 KiB blocks: files from 16 KiB are split, into ~100 blocks here */
    jtl_read_set_block_size(4096);
    test_generated();
    test_odd();
    test_fixtures();
    test_gzip();
    {
        char cmd[600];
        snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
        if (system(cmd) != 0)
            return 1;
    }
    return CHECK_DONE();
}
