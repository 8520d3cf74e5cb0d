/* SPDX-License-Identifier: MIT
 * test_json.c - JSON writer output and escaping; temp-then-rename files. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "jtl/report/json.h"
#include "jtl/report/outfile.h"

static void test_shape(void)
{
    struct jtl_buf b;
    struct jtl_json j;

    jtl_buf_init(&b, 0);
    jtl_json_init_buf(&j, &b, 0);
    jtl_json_obj_begin(&j);
    jtl_json_key(&j, "a");
    jtl_json_int(&j, 1);
    jtl_json_key(&j, "b");
    jtl_json_arr_begin(&j);
    jtl_json_num(&j, 0.1);
    jtl_json_num(&j, 101.0);
    jtl_json_null(&j);
    jtl_json_arr_end(&j);
    jtl_json_key(&j, "c");
    jtl_json_obj_begin(&j);
    jtl_json_obj_end(&j);
    jtl_json_obj_end(&j);
    CHECK_EQ_STR(b.p, "{\"a\":1,\"b\":[0.1,101.0,null],\"c\":{}}",
                 "compact nesting with separators and empty object");
    jtl_buf_release(&b);

    jtl_buf_init(&b, 0);
    jtl_json_init_buf(&j, &b, 0);
    jtl_json_num(&j, 4.187089806430174);
    CHECK_EQ_STR(b.p, "4.187089806430174",
                 "doubles print in the shortest round-trip form");
    jtl_buf_release(&b);
}

static void test_escape(void)
{
    struct jtl_buf b;
    const char hostile[] = "</script><img onerror=x>\"\\\n\x01"
                           "\xe2\x80\xa8\xff\xc3\xa9";

    jtl_buf_init(&b, 0);
    jtl_json_escape(&b, hostile, sizeof(hostile) - 1);
    CHECK(strstr(b.p, "<") == NULL && strstr(b.p, ">") == NULL,
          "angle brackets never appear raw (safe inside <script>)");
    CHECK(strstr(b.p, "\\u2028") != NULL, "U+2028 is escaped");
    CHECK(strstr(b.p, "\\ufffd") != NULL, "invalid UTF-8 becomes U+FFFD");
    CHECK(strstr(b.p, "\xc3\xa9") != NULL, "valid UTF-8 passes through");
    CHECK(strstr(b.p, "\\u0001") != NULL, "control characters are escaped");
    CHECK(strstr(b.p, "\\\"") != NULL && strstr(b.p, "\\n") != NULL,
          "quote and newline are escaped");
    jtl_buf_release(&b);
}

static void test_outfile(void)
{
    char dir[] = "/tmp/jtl_outXXXXXX";
    char path[256];
    struct jtl_outfile of;
    struct jtl_diag d;
    struct stat st;

    CHECK(mkdtemp(dir) != NULL, "scratch dir");
    snprintf(path, sizeof(path), "%s/out.json", dir);
    CHECK_EQ_INT(jtl_outfile_open(&of, path, &d), JTL_OK, "open");
    fputs("half", of.fp);
    CHECK(stat(path, &st) != 0, "final name does not exist while writing");
    jtl_outfile_abort(&of);
    CHECK(stat(path, &st) != 0, "aborted output leaves nothing behind");
    jtl_outfile_open(&of, path, &d);
    fputs("whole", of.fp);
    CHECK_EQ_INT(jtl_outfile_commit(&of, &d), JTL_OK, "commit");
    CHECK(stat(path, &st) == 0 && st.st_size == 5, "committed file in place");
    unlink(path);
    CHECK_EQ_INT(jtl_outfile_open(&of, "/nonexistent-dir/x", &d), JTL_ERR_IO,
                 "unwritable directory is an I/O error");
    rmdir(dir);
}

int main(void)
{
    test_shape();
    test_escape();
    test_outfile();
    return CHECK_DONE();
}
