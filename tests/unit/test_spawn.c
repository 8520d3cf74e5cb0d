/* SPDX-License-Identifier: MIT
 * test_spawn.c - running a program with an argv: no shell, working
 * directory, captured output, exit status, time limit, missing program. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "jtl/report/spawn.h"

static void test_argv_not_shell(void)
{
    /* If a shell saw this argument it would create the file. */
    const char *argv[] = {"echo", "x; touch spawn-pwned; `touch spawn-bt`",
                          NULL};
    struct jtl_spawn_opts o = {NULL, 5000, 0};
    struct jtl_spawn_result r;
    struct jtl_diag d;

    CHECK_EQ_INT(jtl_spawn_run(argv, &o, &r, &d), JTL_OK, "echo runs");
    CHECK_EQ_INT(r.exit_code, 0, "echo exits 0");
    CHECK_EQ_STR(r.output, "x; touch spawn-pwned; `touch spawn-bt`\n",
                 "the argument arrives as one literal word");
    CHECK(access("spawn-pwned", F_OK) != 0 && access("spawn-bt", F_OK) != 0,
          "no shell interpreted ; or backticks");
    jtl_spawn_result_release(&r);
}

static void test_cwd_and_status(void)
{
    char dir[] = "/tmp/jtl-spawn-XXXXXX";
    const char *pwd[] = {"pwd", NULL};
    const char *fail[] = {"sh", "-c", "echo oops >&2; exit 3", NULL};
    struct jtl_spawn_opts o = {NULL, 5000, 0};
    struct jtl_spawn_result r;
    struct jtl_diag d;
    char want[64];

    CHECK(mkdtemp(dir) != NULL, "temp dir");
    o.cwd = dir;
    CHECK_EQ_INT(jtl_spawn_run(pwd, &o, &r, &d), JTL_OK, "pwd runs");
    snprintf(want, sizeof(want), "%s\n", dir);
    CHECK_EQ_STR(r.output, want, "the child runs in opts.cwd");
    jtl_spawn_result_release(&r);
    rmdir(dir);

    o.cwd = NULL;
    CHECK_EQ_INT(jtl_spawn_run(fail, &o, &r, &d), JTL_OK,
                 "a failing child still counts as run");
    CHECK_EQ_INT(r.exit_code, 3, "exit status reported");
    CHECK_EQ_STR(r.output, "oops\n", "stderr captured");
    jtl_spawn_result_release(&r);
}

static void test_capture_cap(void)
{
    const char *big[] = {"sh", "-c", "yes 0123456789 | head -c 100000", NULL};
    struct jtl_spawn_opts o = {NULL, 5000, 100};
    struct jtl_spawn_result r;
    struct jtl_diag d;

    CHECK_EQ_INT(jtl_spawn_run(big, &o, &r, &d), JTL_OK, "chatty child");
    CHECK_EQ_INT(r.output_len, 100, "capture stops at capture_max");
    CHECK_EQ_INT(r.exit_code, 0, "child not blocked by a full pipe");
    jtl_spawn_result_release(&r);
}

static void test_timeout(void)
{
    const char *slow[] = {"sleep", "10", NULL};
    struct jtl_spawn_opts o = {NULL, 200, 0};
    struct jtl_spawn_result r;
    struct jtl_diag d;
    time_t t0 = time(NULL);

    CHECK_EQ_INT(jtl_spawn_run(slow, &o, &r, &d), JTL_OK, "sleep started");
    CHECK(r.timed_out, "timed out");
    CHECK_EQ_INT(r.term_signal, 9, "killed with SIGKILL");
    CHECK(time(NULL) - t0 < 5, "did not wait for the child's 10 s");
    jtl_spawn_result_release(&r);
}

static void test_missing(void)
{
    const char *nope[] = {"jtl-no-such-program-xyz", NULL};
    const char *path[] = {"/nonexistent/gnuplot", NULL};
    struct jtl_spawn_result r;
    struct jtl_diag d;
    char found[4096];

    memset(&d, 0, sizeof(d));
    CHECK_EQ_INT(jtl_spawn_run(nope, NULL, &r, &d), JTL_ERR_EXTERNAL,
                 "missing program is an external error");
    CHECK_EQ_STR(d.msg, "'jtl-no-such-program-xyz' not found",
                 "message names the program");
    jtl_spawn_result_release(&r);
    CHECK_EQ_INT(jtl_spawn_run(path, NULL, &r, &d), JTL_ERR_EXTERNAL,
                 "missing path too");
    jtl_spawn_result_release(&r);

    CHECK(!jtl_spawn_find("jtl-no-such-program-xyz", NULL, 0), "find: absent");
    CHECK(jtl_spawn_find("sh", found, sizeof(found)), "find: sh in PATH");
    CHECK(strchr(found, '/') != NULL, "find: full path returned");
    CHECK(!jtl_spawn_find("/etc/passwd", NULL, 0),
          "find: a non-executable file is not a program");
    CHECK(!jtl_spawn_find("/tmp", NULL, 0), "find: a directory is not");
}

int main(void)
{
    char dir[] = "/tmp/jtl-spawn-cwd-XXXXXX";

    /* Run from a scratch directory so the "pwned" checks look there. */
    if (!mkdtemp(dir) || chdir(dir) != 0)
        return 1;
    test_argv_not_shell();
    test_cwd_and_status();
    test_capture_cap();
    test_timeout();
    test_missing();
    unlink("spawn-pwned");
    unlink("spawn-bt");
    if (chdir("/") == 0)
        rmdir(dir);
    return CHECK_DONE();
}
