/* SPDX-License-Identifier: MIT
 * test_core.c - buffers, interning, integer parsing, sources. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "check.h"
#include "jtl/base/buf.h"
#include "jtl/base/strtab.h"
#include "jtl/io/decoder.h"
#include "jtl/io/sample.h"
#include "jtl/io/source.h"
#include "jtl/io/timefmt.h"

static void test_strtab(void)
{
    struct jtl_strtab t;
    char key[32];
    uint32_t ids[5000];
    int i, ok = 1;

    jtl_strtab_init(&t);
    for (i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "label-%d", i);
        ids[i] = jtl_strtab_intern(&t, key, strlen(key));
    }
    for (i = 0; i < 5000; i++) {
        snprintf(key, sizeof(key), "label-%d", i);
        if (jtl_strtab_intern(&t, key, strlen(key)) != ids[i] ||
            strcmp(jtl_strtab_str(&t, ids[i]), key) != 0)
            ok = 0;
    }
    CHECK(ok, "interning the same bytes twice gives the same id and string");
    CHECK_EQ_INT(jtl_strtab_count(&t), 5000, "5000 distinct labels interned");
    CHECK_EQ_INT(jtl_strtab_find(&t, "nope", 4), UINT32_MAX,
                 "find does not add");
    CHECK(jtl_strtab_intern(&t, "a\0b", 3) != jtl_strtab_intern(&t, "a", 1),
          "embedded NUL bytes are part of the key");
    jtl_strtab_release(&t);
}

static void test_buf(void)
{
    struct jtl_buf b;

    jtl_buf_init(&b, 10);
    CHECK_EQ_INT(jtl_buf_adds(&b, "0123456789"), JTL_OK, "fill to the cap");
    CHECK_EQ_INT(jtl_buf_addc(&b, 'x'), JTL_ERR_LIMIT,
                 "one byte over the cap is refused, not grown");
    CHECK_EQ_STR(b.p, "0123456789", "refused append leaves content intact");
    jtl_buf_release(&b);
    jtl_buf_init(&b, 0);
    jtl_buf_printf(&b, "%d-%s", 42, "x");
    CHECK_EQ_STR(b.p, "42-x", "printf appends");
    jtl_buf_release(&b);
}

static void test_parse_i64(void)
{
    int64_t v = 0;

    CHECK(jtl_parse_i64("1795300000123", 13, &v) && v == 1795300000123LL,
          "epoch ms parses");
    CHECK(jtl_parse_i64("-5", 2, &v) && v == -5, "negative parses");
    CHECK(!jtl_parse_i64("12a", 3, &v), "trailing junk is rejected");
    CHECK(!jtl_parse_i64("", 0, &v), "empty is rejected");
    CHECK(!jtl_parse_i64("99999999999999999999", 20, &v),
          "overflow is rejected");
    CHECK(jtl_parse_i64("9223372036854775807", 19, &v) && v == INT64_MAX,
          "INT64_MAX parses");
}

static void test_iso(void)
{
    int64_t ms = 0;

    CHECK(jtl_time_parse_iso("1970-01-02 00:00:01.5", &ms) && ms == 86401005,
          "ISO date with fraction digits as written (5 ms)");
    CHECK(jtl_time_parse_iso("2026-11-22T10:00:00Z", &ms) &&
              ms == 1795341600000LL,
          "ISO with T and Z");
    CHECK(!jtl_time_parse_iso("2026-13-01", &ms), "month 13 is rejected");
}

static char *read_all(struct jtl_source *src, size_t *len, enum jtl_err *err,
                      struct jtl_diag *d)
{
    char *out = NULL, buf[7];
    size_t n = 0, cap = 0;

    *err = JTL_OK;
    for (;;) {
        size_t k = 0;
        *err = jtl_source_read(src, buf, sizeof(buf), &k, d);
        if (*err || k == 0)
            break;
        if (n + k > cap) {
            cap = (n + k) * 2;
            out = realloc(out, cap);
        }
        memcpy(out + n, buf, k);
        n += k;
    }
    *len = n;
    return out;
}

static void write_file(const char *path, const void *p, size_t n)
{
    FILE *fp = fopen(path, "wb");
    fwrite(p, 1, n, fp);
    fclose(fp);
}

static size_t gz(const char *in, unsigned char *out, size_t cap)
{
    z_stream zs;
    size_t n;

    memset(&zs, 0, sizeof(zs));
    deflateInit2(&zs, 6, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
    zs.next_in = (unsigned char *)(uintptr_t)in;
    zs.avail_in = (uInt)strlen(in);
    zs.next_out = out;
    zs.avail_out = (uInt)cap;
    deflate(&zs, Z_FINISH);
    n = zs.total_out;
    deflateEnd(&zs);
    return n;
}

static void test_source(void)
{
    char path[] = "/tmp/jtl_test_srcXXXXXX";
    int fd = mkstemp(path);
    unsigned char z[4096];
    size_t zn, zn2, len;
    struct jtl_source *src;
    struct jtl_diag d;
    enum jtl_err err;
    char *data;

    close(fd);
    write_file(path, "a,b\n1,2\n", 8);
    CHECK_EQ_INT(jtl_source_open(path, &src, &d), JTL_OK, "open plain");
    data = read_all(src, &len, &err, &d);
    CHECK(err == JTL_OK && len == 8 && memcmp(data, "a,b\n1,2\n", 8) == 0,
          "plain file reads back unchanged");
    CHECK(!jtl_source_is_gzip(src), "plain is not gzip");
    free(data);
    jtl_source_close(src);

    zn = gz("hello ", z, sizeof(z));
    zn2 = gz("world\n", z + zn, sizeof(z) - zn);
    write_file(path, z, zn + zn2);
    jtl_source_open(path, &src, &d);
    data = read_all(src, &len, &err, &d);
    CHECK(jtl_source_is_gzip(src), "gzip detected by magic bytes");
    CHECK(err == JTL_OK && len == 12 && memcmp(data, "hello world\n", 12) == 0,
          "concatenated gzip members read as one stream");
    free(data);
    jtl_source_close(src);

    write_file(path, z, zn + zn2 - 5);
    jtl_source_open(path, &src, &d);
    data = read_all(src, &len, &err, &d);
    CHECK(err == JTL_ERR_IO, "truncated gzip reports an error at the end");
    CHECK(len >= 6 && memcmp(data, "hello ", 6) == 0,
          "the complete first member is still delivered");
    free(data);
    jtl_source_close(src);

    memcpy(z + zn, "GARBAGE!", 8);
    write_file(path, z, zn + 8);
    jtl_source_open(path, &src, &d);
    data = read_all(src, &len, &err, &d);
    CHECK(err == JTL_ERR_IO && strstr(d.msg, "trailing garbage"),
          "trailing garbage after gzip is reported");
    CHECK(len == 6, "data before the garbage is delivered");
    free(data);
    jtl_source_close(src);

    CHECK_EQ_INT(jtl_source_open("/nonexistent/x.jtl", &src, &d), JTL_ERR_IO,
                 "missing file is an I/O error");
    CHECK(strstr(d.msg, "/nonexistent/x.jtl") != NULL,
          "the message names the file");
    CHECK_EQ_INT(jtl_source_open("/tmp", &src, &d), JTL_ERR_IO,
                 "a directory is refused");
    unlink(path);
}

static void test_detect(void)
{
    CHECK_EQ_INT(jtl_detect_format("\xEF", 1), JTL_FORMAT_AUTO,
                 "first byte of a BOM: undecided");
    CHECK_EQ_INT(jtl_detect_format("\xEF\xBB", 2), JTL_FORMAT_AUTO,
                 "two bytes of a BOM: undecided");
    CHECK_EQ_INT(jtl_detect_format("\xEF\xBB\xBF<", 4), JTL_FORMAT_XML,
                 "BOM then '<' is XML");
    CHECK_EQ_INT(jtl_detect_format("\xEF\xBB\xBF\r\n", 5), JTL_FORMAT_AUTO,
                 "BOM and blank space: undecided");
    CHECK_EQ_INT(jtl_detect_format(" \ntimeStamp", 11), JTL_FORMAT_CSV,
                 "a CSV header is CSV");
}

int main(void)
{
    test_detect();
    test_strtab();
    test_buf();
    test_parse_i64();
    test_iso();
    test_source();
    return CHECK_DONE();
}
