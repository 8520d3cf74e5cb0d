/* SPDX-License-Identifier: MIT
 * throttle_phases.c - `jtlscope throttle`'s analysis with the wall and CPU
 * time of each phase and the memory after it (VmRSS, and VmHWM: a phase's
 * transient buffers show only in the peak), for tests/bench/throttle_bench.sh.
 * The library only reports the end of each phase (jtl_throttle_opts
 * on_phase); the measuring is done here.
 *
 *   throttle_phases [--threads N] FILE... */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "jtl/read/read.h"
#include "jtl/throttle/throttle.h"

struct clock {
    double t0, c0;
};

static double seconds(clockid_t id)
{
    struct timespec ts;

    clock_gettime(id, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void memory(long *rss, long *hwm)
{
    char line[128];
    FILE *f = fopen("/proc/self/status", "r");

    *rss = *hwm = 0;
    while (f && fgets(line, sizeof(line), f)) {
        if (strncmp(line, "VmRSS:", 6) == 0)
            *rss = strtol(line + 6, NULL, 10);
        else if (strncmp(line, "VmHWM:", 6) == 0)
            *hwm = strtol(line + 6, NULL, 10);
    }
    if (f)
        fclose(f);
}

static void on_phase(const char *what, void *ctx)
{
    struct clock *c = ctx;
    double t = seconds(CLOCK_MONOTONIC),
           cpu = seconds(CLOCK_PROCESS_CPUTIME_ID);
    long rss, hwm;

    memory(&rss, &hwm);
    printf("throttle: %-26s %7.3f s wall %7.3f s cpu %6.0f MB, peak %6.0f MB\n",
           what, t - c->t0, cpu - c->c0, (double)rss * 1024 / 1e6,
           (double)hwm * 1024 / 1e6);
    c->t0 = t;
    c->c0 = cpu;
}

int main(int argc, char **argv)
{
    struct jtl_read_opts ro;
    struct jtl_throttle_opts to;
    struct jtl_throttle *t = NULL;
    struct jtl_throttle_result res;
    struct jtl_run_info info;
    struct jtl_sink sink;
    struct jtl_diag diag = {0};
    struct clock clk;
    int first = 1;

    jtl_read_opts_init(&ro);
    jtl_throttle_opts_init(&to);
    if (argc > 2 && strcmp(argv[1], "--threads") == 0) {
        ro.threads = to.threads = (unsigned)atoi(argv[2]);
        first = 3;
    }
    if (first >= argc) {
        fprintf(stderr, "usage: throttle_phases [--threads N] FILE...\n");
        return 2;
    }
    ro.inputs = (const char *const *)(argv + first);
    ro.ninputs = (size_t)(argc - first);
    to.on_phase = on_phase;
    to.phase_ctx = &clk;
    clk.t0 = seconds(CLOCK_MONOTONIC);
    clk.c0 = seconds(CLOCK_PROCESS_CPUTIME_ID);
    if (jtl_throttle_new(&to, &t, &diag) != JTL_OK ||
        (jtl_throttle_sink(t, &sink), jtl_read_run(&ro, &sink, &info, &diag)) !=
            JTL_OK ||
        jtl_throttle_finish(t, &res, &diag) != JTL_OK) {
        fprintf(stderr, "throttle_phases: %s\n", diag.msg);
        return 1;
    }
    printf("throttle: verdict %s, %zu scopes\n",
           jtl_throttle_verdict_name(res.run.verdict), res.nscopes);
    jtl_throttle_result_release(&res);
    jtl_throttle_free(t);
    jtl_run_info_release(&info);
    return 0;
}
