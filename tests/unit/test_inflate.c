/* SPDX-License-Identifier: MIT
 * test_inflate.c - the gzip source gives the same bytes and the same error
 * whichever engine inflates (zlib, the reference, and ISA-L when it is
 * built in) and whatever the read sizes: every gzip file of tests/data and
 * samples/, and streams made here with zlib's deflate: several members,
 * empty ones, stored, fixed and Huffman-only blocks, a stream cut at every
 * offset, a byte changed at every offset, trailing garbage, a bad CRC or
 * size.  Without ISA-L the zlib half runs alone. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "check.h"
#include "jtl/base/buf.h"
#include "jtl/io/source.h"

/* What a read of a whole source gave: its bytes, and its error's message
 * ("" for none). */
struct got {
    struct jtl_buf bytes;
    char err[256];
};

static char tmp_path[256];

static void got_release(struct got *g)
{
    jtl_buf_release(&g->bytes);
}

/* Read PATH with ENGINE, READ_SIZE bytes at a time (the first read a
 * peek of 64 bytes, as format detection does). */
static void read_with(const char *path, enum jtl_inflater engine,
                      size_t read_size, struct got *g)
{
    struct jtl_source *src = NULL;
    struct jtl_diag d = {0};
    unsigned char *buf = malloc(read_size), head[64];
    size_t n;

    jtl_buf_init(&g->bytes, (size_t)1 << 31);
    g->err[0] = 0;
    if (!jtl_source_use_inflater(engine) ||
        jtl_source_open(path, &src, &d) != JTL_OK) {
        snprintf(g->err, sizeof(g->err), "open: %s", d.msg);
        free(buf);
        return;
    }
    if (jtl_source_peek(src, head, sizeof(head), &n, &d) != JTL_OK)
        snprintf(g->err, sizeof(g->err), "%s", d.msg);
    while (!g->err[0]) {
        if (jtl_source_read(src, buf, read_size, &n, &d) != JTL_OK) {
            snprintf(g->err, sizeof(g->err), "%s", d.msg);
            break;
        }
        if (n == 0)
            break;
        jtl_buf_add(&g->bytes, (const char *)buf, n);
    }
    jtl_source_close(src);
    jtl_source_use_inflater(JTL_INFLATER_AUTO);
    free(buf);
}

static const size_t read_sizes[] = {1, 7, 4096, (size_t)1 << 20};

/* PATH read with every engine and read size gives what zlib gives read
 * 64 KB at a time.  Returns the failures (printed under WHAT). */
static int same_everywhere(const char *what, const char *path)
{
    struct got ref, g;
    size_t i;
    int e, bad = 0;

    read_with(path, JTL_INFLATER_ZLIB, 65536, &ref);
    for (e = JTL_INFLATER_ZLIB; e <= JTL_INFLATER_ISAL; e++) {
        if (!jtl_inflater_name((enum jtl_inflater)e))
            continue;
        for (i = 0; i < sizeof(read_sizes) / sizeof(*read_sizes); i++) {
            if (read_sizes[i] == 1 && ref.bytes.len > 200000)
                continue; /* a byte at a time: the small streams */
            read_with(path, (enum jtl_inflater)e, read_sizes[i], &g);
            if (g.bytes.len != ref.bytes.len ||
                (g.bytes.len &&
                 memcmp(g.bytes.p, ref.bytes.p, g.bytes.len) != 0) ||
                strcmp(g.err, ref.err) != 0) {
                if (!bad)
                    fprintf(stderr,
                            "%s, %s, reads of %zu: %zu bytes, error '%s'; "
                            "zlib: %zu bytes, error '%s'\n",
                            what, jtl_inflater_name((enum jtl_inflater)e),
                            read_sizes[i], g.bytes.len, g.err, ref.bytes.len,
                            ref.err);
                bad++;
            }
            got_release(&g);
        }
    }
    got_release(&ref);
    return bad;
}

static int same_bytes(const char *what, const unsigned char *p, size_t n)
{
    FILE *fp = fopen(tmp_path, "wb");

    if (!fp || fwrite(p, 1, n, fp) != n) {
        if (fp)
            fclose(fp);
        return 1;
    }
    fclose(fp);
    return same_everywhere(what, tmp_path);
}

/* ---- gzip files of the repository ---------------------------------------- */

static int nfiles;

static int visit(const char *path, const struct stat *st, int type,
                 struct FTW *ftw)
{
    size_t n = strlen(path);

    (void)st;
    (void)ftw;
    if (type == FTW_F && n > 3 && strcmp(path + n - 3, ".gz") == 0) {
        nfiles++;
        CHECK(same_everywhere(path, path) == 0,
              "a gzip file of the repository: the same bytes and error");
    }
    return 0;
}

/* ---- streams made here --------------------------------------------------- */

/* SRC[N] as one gzip member at LEVEL with STRATEGY, appended to OUT. */
static void gz_member(struct jtl_buf *out, const char *src, size_t n, int level,
                      int strategy)
{
    z_stream zs;
    unsigned char chunk[65536];
    int zr;

    memset(&zs, 0, sizeof(zs));
    if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, strategy) != Z_OK)
        return;
    zs.next_in = (Bytef *)(size_t)src; /* deflate does not write it */
    zs.avail_in = (uInt)n;
    do {
        zs.next_out = chunk;
        zs.avail_out = sizeof(chunk);
        zr = deflate(&zs, Z_FINISH);
        jtl_buf_add(out, (const char *)chunk, sizeof(chunk) - zs.avail_out);
    } while (zr == Z_OK);
    deflateEnd(&zs);
}

/* A JMeter-like CSV of ROWS rows. */
static void make_csv(struct jtl_buf *b, int rows)
{
    int i;

    jtl_buf_adds(b, "timeStamp,elapsed,label,responseCode,success\n");
    for (i = 0; i < rows; i++)
        jtl_buf_printf(b, "%lld,%d,%s,%d,%s\n", 1700000000000LL + i * 37LL,
                       40 + (i * 7919) % 311, i % 3 ? "GET /a" : "POST /b",
                       i % 11 ? 200 : 429, i % 11 ? "true" : "false");
}

static void test_made_streams(void)
{
    struct jtl_buf csv, gz, one;
    size_t i, cut;
    int bad;
    static const int strategies[] = {Z_DEFAULT_STRATEGY, Z_FILTERED,
                                     Z_HUFFMAN_ONLY, Z_RLE, Z_FIXED};

    jtl_buf_init(&csv, (size_t)1 << 30);
    jtl_buf_init(&gz, (size_t)1 << 30);
    jtl_buf_init(&one, (size_t)1 << 30);
    make_csv(&csv, 3000);

    for (i = 0; i < sizeof(strategies) / sizeof(*strategies); i++) {
        jtl_buf_clear(&gz);
        gz_member(&gz, csv.p, csv.len, i == 0 ? 0 : 6, strategies[i]);
        CHECK(same_bytes("a strategy", (unsigned char *)gz.p, gz.len) == 0,
              "stored, filtered, Huffman-only, RLE and fixed blocks");
    }
    jtl_buf_clear(&gz);
    gz_member(&gz, csv.p, 1000, 6, Z_DEFAULT_STRATEGY);
    gz_member(&gz, "", 0, 6, Z_DEFAULT_STRATEGY);
    gz_member(&gz, csv.p + 1000, csv.len - 1000, 9, Z_DEFAULT_STRATEGY);
    CHECK(same_bytes("members", (unsigned char *)gz.p, gz.len) == 0,
          "three members, one empty: read as one stream");
    jtl_buf_adds(&gz, "not gzip at all");
    CHECK(same_bytes("garbage", (unsigned char *)gz.p, gz.len) == 0,
          "trailing garbage: the same bytes, the same message");
    gz.len -= strlen("not gzip at all");
    jtl_buf_adds(&gz, "\037");
    CHECK(same_bytes("half a magic", (unsigned char *)gz.p, gz.len) == 0,
          "one byte of a next member's magic");

    /* a small member: cut at every offset, every byte changed */
    gz_member(&one, csv.p, 4000, 6, Z_DEFAULT_STRATEGY);
    bad = 0;
    for (cut = 0; cut < one.len; cut++)
        bad += same_bytes("cut", (unsigned char *)one.p, cut) != 0;
    CHECK_EQ_INT(bad, 0,
                 "a member cut at every offset: the same bytes "
                 "before the cut, the same message");
    bad = 0;
    for (cut = 0; cut < one.len; cut++) {
        one.p[cut] ^= 0x5a;
        bad += same_bytes("changed", (unsigned char *)one.p, one.len) != 0;
        one.p[cut] ^= 0x5a;
    }
    CHECK_EQ_INT(bad, 0,
                 "a byte changed at every offset: the same bytes, "
                 "the same message");
    jtl_buf_release(&csv);
    jtl_buf_release(&gz);
    jtl_buf_release(&one);
}

int main(void)
{
    const char *dir = getenv("TMPDIR");

    snprintf(tmp_path, sizeof(tmp_path), "%s/jtl_test_inflate_%ld.gz",
             dir ? dir : "/tmp", (long)getpid());
    printf("engines: %s%s%s\n", jtl_inflater_name(JTL_INFLATER_ZLIB),
           jtl_inflater_name(JTL_INFLATER_ISAL) ? ", " : "",
           jtl_inflater_name(JTL_INFLATER_ISAL)
               ? jtl_inflater_name(JTL_INFLATER_ISAL)
               : " (ISA-L not built in)");
    nftw(JTL_TEST_DATA, visit, 16, FTW_PHYS);
    nftw(JTL_SAMPLES, visit, 16, FTW_PHYS);
    CHECK(nfiles >= 20, "the repository's gzip files were found");
    test_made_streams();
    remove(tmp_path);
    return CHECK_DONE();
}
