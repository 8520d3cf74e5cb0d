/* SPDX-License-Identifier: MIT
 * jtlsim.c - write a JMeter CSV JTL of a closed-loop test against a known
 * limiter (tests/gen/limsim.h), for e2e tests and benchmarks.  Built by the
 * scripts that use it: cc -O2 -o jtlsim tests/gen/jtlsim.c -lm
 *
 *   jtlsim [key=value ...] > out.jtl
 *   limiter=bucket|fixed|sliding|conc|random|none  (the upstream limiter)
 *   r= b= L= W= phase= C= p= nodes= ra=    its parameters (ra=0: dynamic)
 *   own=bucket own_r= own_b= own_ra=       a second limiter on label 0 only
 *   threads= ramp= duration= think_lo= think_hi= svc= svc_jitter= rej=
 *   labels= seed= epoch_ms= retry_after_column=0|1
 *   label_copies=N   repeat every label N times (L0#1 ...) for benchmarks */
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "limsim.h"

static enum limsim_kind kind_of(const char *v)
{
    if (strcmp(v, "bucket") == 0)
        return LS_BUCKET;
    if (strcmp(v, "fixed") == 0)
        return LS_FIXED;
    if (strcmp(v, "sliding") == 0)
        return LS_SLIDING;
    if (strcmp(v, "conc") == 0)
        return LS_CONC;
    if (strcmp(v, "random") == 0)
        return LS_RANDOM;
    if (strcmp(v, "none") == 0)
        return LS_NONE;
    fprintf(stderr, "jtlsim: unknown limiter '%s'\n", v);
    exit(2);
}

int main(int argc, char **argv)
{
    static const char *const names[] = {"POST /sessions", "GET /flows",
                                        "GET /users", "PUT /ivrs"};
    struct limsim_cfg c;
    struct limsim_sample *s;
    size_t n, i;
    int k, ra_col = 1, copies = 1;

    limsim_cfg_init(&c);
    c.up.ra = 1;
    c.own[0].ra = 5;
    for (k = 1; k < argc; k++) {
        char *eq = strchr(argv[k], '=');
        const char *key = argv[k], *v;
        double d;
        if (!eq) {
            fprintf(stderr, "jtlsim: expected key=value, got '%s'\n", key);
            return 2;
        }
        *eq = '\0';
        v = eq + 1;
        d = strtod(v, NULL);
        if (strcmp(key, "limiter") == 0)
            c.up.kind = kind_of(v);
        else if (strcmp(key, "own") == 0)
            c.own[0].kind = kind_of(v);
        else if (strcmp(key, "r") == 0)
            c.up.r = d;
        else if (strcmp(key, "b") == 0)
            c.up.b = d;
        else if (strcmp(key, "L") == 0)
            c.up.L = d;
        else if (strcmp(key, "W") == 0)
            c.up.W = d;
        else if (strcmp(key, "phase") == 0)
            c.up.phase = d;
        else if (strcmp(key, "C") == 0)
            c.up.C = d;
        else if (strcmp(key, "p") == 0)
            c.up.p = d;
        else if (strcmp(key, "nodes") == 0)
            c.up.nodes = (int)d;
        else if (strcmp(key, "ra") == 0)
            c.up.ra = d;
        else if (strcmp(key, "own_r") == 0)
            c.own[0].r = d;
        else if (strcmp(key, "own_b") == 0)
            c.own[0].b = d;
        else if (strcmp(key, "own_ra") == 0)
            c.own[0].ra = d;
        else if (strcmp(key, "threads") == 0)
            c.threads = (int)d;
        else if (strcmp(key, "ramp") == 0)
            c.ramp_s = d;
        else if (strcmp(key, "duration") == 0)
            c.duration_s = d;
        else if (strcmp(key, "think_lo") == 0)
            c.think_lo_s = d;
        else if (strcmp(key, "think_hi") == 0)
            c.think_hi_s = d;
        else if (strcmp(key, "svc") == 0)
            c.svc_s = d;
        else if (strcmp(key, "svc_jitter") == 0)
            c.svc_jitter_s = d;
        else if (strcmp(key, "rej") == 0)
            c.rej_s = d;
        else if (strcmp(key, "labels") == 0)
            c.nlabels = (int)d < 1 ? 1 : (int)d > 4 ? 4 : (int)d;
        else if (strcmp(key, "seed") == 0)
            c.seed = (uint64_t)d;
        else if (strcmp(key, "epoch_ms") == 0)
            c.epoch_ms = (int64_t)d;
        else if (strcmp(key, "retry_after_column") == 0)
            ra_col = (int)d;
        else if (strcmp(key, "label_copies") == 0)
            copies = (int)d < 1 ? 1 : (int)d;
        else {
            fprintf(stderr, "jtlsim: unknown key '%s'\n", key);
            return 2;
        }
    }
    s = limsim_run(&c, &n);
    printf("timeStamp,elapsed,label,responseCode,responseMessage,threadName,"
           "dataType,success,failureMessage,bytes,sentBytes,grpThreads,"
           "allThreads,URL,Latency,IdleTime,Connect%s\n",
           ra_col ? ",retryAfter" : "");
    for (i = 0; i < n; i++) {
        const struct limsim_sample *x = &s[i];
        bool ok = x->code == 200;
        char lab[64];
        if (copies > 1)
            snprintf(lab, sizeof(lab), "%s #%zu", names[x->label],
                     (size_t)(i * 2654435761u % (size_t)copies));
        else
            snprintf(lab, sizeof(lab), "%s", names[x->label]);
        printf("%" PRId64 ",%d,%s,%d,%s,Thread Group 1-%d,text,%s,,%d,300,%d,"
               "%d,http://127.0.0.1/x,%d,0,%d",
               x->start_ms, x->elapsed_ms, lab, x->code,
               ok ? "OK" : "Too Many Requests", x->thread + 1,
               ok ? "true" : "false", x->bytes, x->active, x->active,
               x->elapsed_ms, 0);
        if (ra_col) {
            if (ok)
                fputs(",", stdout);
            else
                printf(",%g", (double)x->ra);
        }
        fputc('\n', stdout);
    }
    free(s);
    return 0;
}
