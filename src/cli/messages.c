/* SPDX-License-Identifier: MIT
 * messages.c - the three shapes of a message on stderr: a usage error
 * (exit 2, with the pointer to --help), a diagnostic from the library
 * ("file:line: what"), a warning (not with --quiet); and a size as
 * messages say it.  Below everything else in cli/: every file may say
 * something. */
#include <stdarg.h>
#include <stdio.h>

#include "cli.h"

int cli_usage_error(const char *fmt, ...)
{
    va_list ap;

    fputs("jtlscope: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'jtlscope --help'.\n", stderr);
    return JTL_EXIT_USAGE;
}

void cli_print_diag(const struct jtl_diag *diag)
{
    const char *msg = diag->msg[0] ? diag->msg : jtl_strerror(diag->code);

    if (diag->where[0])
        fprintf(stderr, "jtlscope: %s: %s\n", diag->where, msg);
    else
        fprintf(stderr, "jtlscope: %s\n", msg);
}

void cli_warn(const struct cli_config *cfg, const char *fmt, ...)
{
    va_list ap;

    if (cfg->quiet)
        return;
    fputs("jtlscope: warning: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void cli_size_text(uint64_t bytes, char *out, size_t cap)
{
    if (bytes < 1000000)
        snprintf(out, cap, "%.1f kB", (double)bytes / 1e3);
    else
        snprintf(out, cap, "%.1f MB", (double)bytes / 1e6);
}
