/* SPDX-License-Identifier: MIT
 * spawn.c - posix_spawnp with a pipe for output, poll() for the time limit.
 *
 * Why posix_spawnp and an argv: the arguments are file names we chose, but
 * a shell would still be one more interpreter between us and gnuplot; with
 * an argv there is nothing to quote and nothing to inject.  The working
 * directory is set in the child (posix_spawn_file_actions_addchdir_np,
 * glibc >= 2.29 and musl >= 1.1.24) so scripts can use relative names and
 * stay re-runnable from the report folder; elsewhere we fall back to
 * fork + chdir + execvp. */
#if !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* posix_spawn_file_actions_addchdir_np */
#endif
#include "jtl/report/spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "jtl/base/xalloc.h"

extern char **environ;

#if defined(__GLIBC__) &&                                                      \
    (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 29))
#define HAVE_ADDCHDIR 1
#else
#define HAVE_ADDCHDIR 0
#endif

static bool is_exec_file(const char *path)
{
    struct stat st;

    return stat(path, &st) == 0 && S_ISREG(st.st_mode) &&
           access(path, X_OK) == 0;
}

bool jtl_spawn_find(const char *prog, char *out, size_t cap)
{
    const char *path, *p;

    if (!prog || !*prog)
        return false;
    if (strchr(prog, '/')) {
        if (!is_exec_file(prog))
            return false;
        if (out)
            snprintf(out, cap, "%s", prog);
        return true;
    }
    path = getenv("PATH");
    if (!path || !*path)
        path = "/usr/local/bin:/usr/bin:/bin";
    for (p = path;;) {
        const char *e = strchr(p, ':');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char cand[4096];
        int k;

        /* An empty PATH entry means the current directory (POSIX). */
        if (n == 0)
            k = snprintf(cand, sizeof(cand), "./%s", prog);
        else
            k = snprintf(cand, sizeof(cand), "%.*s/%s", (int)n, p, prog);
        if (k > 0 && (size_t)k < sizeof(cand) && is_exec_file(cand)) {
            if (out)
                snprintf(out, cap, "%s", cand);
            return true;
        }
        if (!e)
            break;
        p = e + 1;
    }
    return false;
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int start_child(const char *const argv[], const char *cwd, int outfd,
                       pid_t *pid)
{
    int rc;
#if HAVE_ADDCHDIR
    posix_spawn_file_actions_t fa;

    rc = posix_spawn_file_actions_init(&fa);
    if (rc)
        return rc;
    rc = posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    if (!rc)
        rc = posix_spawn_file_actions_adddup2(&fa, outfd, 1);
    if (!rc)
        rc = posix_spawn_file_actions_adddup2(&fa, outfd, 2);
    if (!rc && cwd)
        rc = posix_spawn_file_actions_addchdir_np(&fa, cwd);
    if (!rc) {
        /* POSIX's prototype predates const: the strings are not changed */
        char *const *args;
        memcpy(&args, &argv, sizeof(args));
        rc = posix_spawnp(pid, argv[0], &fa, NULL, args, environ);
    }
    posix_spawn_file_actions_destroy(&fa);
    return rc;
#else
    /* The child reports an exec failure through a close-on-exec pipe. */
    int ep[2], err = 0, devnull;
    ssize_t r;

    if (pipe(ep))
        return errno;
    fcntl(ep[1], F_SETFD, FD_CLOEXEC);
    *pid = fork();
    if (*pid < 0) {
        rc = errno;
        close(ep[0]);
        close(ep[1]);
        return rc;
    }
    if (*pid == 0) {
        close(ep[0]);
        devnull = open("/dev/null", O_RDONLY);
        if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(outfd, 1) < 0 ||
            dup2(outfd, 2) < 0 || (cwd && chdir(cwd) != 0)) {
            err = errno;
        } else {
            execvp(argv[0], (char *const *)argv);
            err = errno;
        }
        r = write(ep[1], &err, sizeof(err));
        (void)r;
        _exit(127);
    }
    close(ep[1]);
    r = read(ep[0], &err, sizeof(err));
    close(ep[0]);
    if (r == (ssize_t)sizeof(err)) {
        waitpid(*pid, NULL, 0);
        return err;
    }
    return 0;
#endif
}

enum jtl_err jtl_spawn_run(const char *const argv[],
                           const struct jtl_spawn_opts *opts,
                           struct jtl_spawn_result *res, struct jtl_diag *diag)
{
    int timeout = opts && opts->timeout_ms > 0 ? opts->timeout_ms : 60000;
    size_t cap = opts && opts->capture_max ? opts->capture_max : 8192;
    const char *cwd = opts ? opts->cwd : NULL;
    int pfd[2] = {-1, -1}, rc, status = 0;
    pid_t pid = -1;
    long long deadline;
    bool eof = false;

    memset(res, 0, sizeof(*res));
    res->exit_code = -1;
    res->output = jtl_xmalloc(cap + 1);
    res->output[0] = '\0';
    /* Close-on-exec from the start (pipe2): charts render on two threads,
     * and a child started by the other thread between pipe() and fcntl()
     * would inherit our write end and hold our EOF back.  The dup2() in
     * the child clears the flag on its own copy. */
#if defined(__linux__) || defined(__FreeBSD__) || defined(__NetBSD__)
    if (pipe2(pfd, O_CLOEXEC))
#else
    if (pipe(pfd) || fcntl(pfd[0], F_SETFD, FD_CLOEXEC) ||
        fcntl(pfd[1], F_SETFD, FD_CLOEXEC))
#endif
        return jtl_diag_set(diag, JTL_ERR_EXTERNAL, NULL,
                            "cannot create a pipe: %s", strerror(errno));
    rc = start_child(argv, cwd, pfd[1], &pid);
    close(pfd[1]);
    if (rc) {
        close(pfd[0]);
        if (rc == ENOENT)
            return jtl_diag_set(diag, JTL_ERR_EXTERNAL, NULL, "'%s' not found",
                                argv[0]);
        return jtl_diag_set(diag, JTL_ERR_EXTERNAL, NULL, "cannot run '%s': %s",
                            argv[0], strerror(rc));
    }

    deadline = now_ms() + timeout;
    while (!eof) {
        struct pollfd p = {pfd[0], POLLIN, 0};
        long long left = deadline - now_ms();
        char chunk[4096];
        ssize_t n;

        if (left <= 0) {
            res->timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        rc = poll(&p, 1, (int)(left > 1000000 ? 1000000 : left));
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0)
            continue;
        n = read(pfd[0], chunk, sizeof(chunk));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            eof = true;
            break;
        }
        if (res->output_len < cap) {
            size_t k = (size_t)n;
            if (k > cap - res->output_len)
                k = cap - res->output_len;
            memcpy(res->output + res->output_len, chunk, k);
            res->output_len += k;
            res->output[res->output_len] = '\0';
        }
    }
    close(pfd[0]);
    /* EOF on the pipe can come before exit, and a grandchild may keep the
     * pipe open: wait with the same deadline, then kill. */
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid)
            break;
        if (w < 0 && errno != EINTR) {
            status = 0;
            break;
        }
        if (!res->timed_out && now_ms() >= deadline) {
            res->timed_out = true;
            kill(pid, SIGKILL);
        }
        if (res->timed_out) {
            waitpid(pid, &status, 0);
            break;
        }
        {
            struct timespec ts = {0, 2 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    }
    if (WIFEXITED(status))
        res->exit_code = WEXITSTATUS(status);
    else if (WIFSIGNALED(status))
        res->term_signal = WTERMSIG(status);
    return JTL_OK;
}

void jtl_spawn_result_release(struct jtl_spawn_result *res)
{
    if (!res)
        return;
    free(res->output);
    res->output = NULL;
    res->output_len = 0;
}
