/* SPDX-License-Identifier: MIT
 * spawn.h - run an external program (gnuplot) with an argument vector,
 * never through a shell, with a time limit and its stderr captured.
 * Ownership: struct jtl_spawn_result owns the captured text until
 * jtl_spawn_result_release(). */
#ifndef JTL_SPAWN_H
#define JTL_SPAWN_H
#include <stdbool.h>
#include <stddef.h>

#include "jtl/base/error.h"

struct jtl_spawn_opts {
    const char *cwd;    /* working directory of the child; NULL = ours */
    int timeout_ms;     /* killed (SIGKILL) after this; <= 0 = 60 s */
    size_t capture_max; /* bytes of stdout+stderr kept; 0 = 8 KiB */
};

struct jtl_spawn_result {
    int exit_code;   /* when the child exited; -1 otherwise */
    int term_signal; /* signal that ended it, or 0 */
    bool timed_out;  /* we killed it after timeout_ms */
    char *output;    /* stdout and stderr interleaved, NUL-terminated,
                        cut at capture_max */
    size_t output_len;
};

/* Run ARGV[0] (looked up in PATH when it has no '/') with ARGV, stdin from
 * /dev/null and stdout+stderr captured.  Returns JTL_OK when the child ran
 * and was waited for, whatever its exit status (see RES); JTL_ERR_EXTERNAL
 * when it could not be started (DIAG says why: "'gnuplot' not found").
 * The child's environment is ours. */
enum jtl_err jtl_spawn_run(const char *const argv[],
                           const struct jtl_spawn_opts *opts,
                           struct jtl_spawn_result *res, struct jtl_diag *diag);
void jtl_spawn_result_release(struct jtl_spawn_result *res);

/* True when PROG can be executed: a path with '/' that is an executable
 * regular file, or a name found that way in PATH.  Stores the full path in
 * OUT (CAP bytes) when OUT is not NULL. */
bool jtl_spawn_find(const char *prog, char *out, size_t cap);

#endif /* JTL_SPAWN_H */
