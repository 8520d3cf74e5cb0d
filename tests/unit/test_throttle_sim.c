/* SPDX-License-Identifier: MIT
 * test_throttle_sim.c - the throttle analysis against simulated limiters
 * with parameters other than the nginx data set's (tests/gen/limsim.h):
 * token buckets of several rates and bursts, fixed windows aligned and
 * anchored, sliding logs, concurrency limits, random shedding at several
 * probabilities, distributed and stacked limits, per-endpoint limits, and
 * small inputs that must never give a confident wrong verdict. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../gen/limsim.h"
#include "check.h"
#include "jtl/throttle/throttle.h"

static const char *const label_names[] = {"POST /sessions", "GET /flows",
                                          "GET /users", "PUT /ivrs"};

struct run {
    struct jtl_throttle_result r;
    size_t n, n429;
};

/* Simulate CFG and analyse it like `jtlscope throttle` would. */
static void analyse(struct limsim_cfg *cfg, bool with_ra,
                    const struct jtl_throttle_opts *o, struct run *out)
{
    struct jtl_throttle_opts def;
    struct jtl_throttle *t = NULL;
    struct jtl_diag d = {0};
    struct limsim_sample *s;
    size_t n, i;

    if (!o) {
        jtl_throttle_opts_init(&def);
        o = &def;
    }
    s = limsim_run(cfg, &n);
    memset(out, 0, sizeof(*out));
    out->n = n;
    if (jtl_throttle_new(o, &t, &d))
        abort();
    for (i = 0; i < n; i++) {
        struct jtl_sample x;
        struct jtl_var var;
        char thread[64], code[8], rav[32];
        memset(&x, 0, sizeof(x));
        x.present = (1u << JTL_F_TIMESTAMP) | (1u << JTL_F_ELAPSED) |
                    (1u << JTL_F_LABEL) | (1u << JTL_F_CODE) |
                    (1u << JTL_F_THREAD) | (1u << JTL_F_SUCCESS) |
                    (1u << JTL_F_BYTES) | (1u << JTL_F_GRP_THREADS) |
                    (1u << JTL_F_ALL_THREADS);
        x.timestamp = s[i].start_ms;
        x.elapsed = s[i].elapsed_ms;
        x.label.p = label_names[s[i].label];
        x.label.len = strlen(x.label.p);
        snprintf(code, sizeof(code), "%d", s[i].code);
        x.code.p = code;
        x.code.len = strlen(code);
        snprintf(thread, sizeof(thread), "Thread Group 1-%d", s[i].thread + 1);
        x.thread.p = thread;
        x.thread.len = strlen(thread);
        x.success = s[i].code == 200;
        x.bytes = s[i].bytes;
        x.grp_threads = x.all_threads = s[i].active;
        x.seq = i;
        if (with_ra && s[i].code == 429) {
            snprintf(rav, sizeof(rav), "%g", (double)s[i].ra);
            var.name.p = "retryAfter";
            var.name.len = 10;
            var.value.p = rav;
            var.value.len = strlen(rav);
            x.vars = &var;
            x.nvars = 1;
        }
        out->n429 += s[i].code == 429;
        jtl_throttle_add(&x, t);
    }
    free(s);
    if (jtl_throttle_finish(t, &out->r, &d))
        abort();
    jtl_throttle_free(t);
}

static const struct jtl_throttle_scope *label_scope(const struct run *r,
                                                    const char *name)
{
    size_t i;

    for (i = 0; i < r->r.nscopes; i++)
        if (r->r.scopes[i].kind == JTL_SCOPE_LABEL &&
            strcmp(r->r.scopes[i].name, name) == 0)
            return &r->r.scopes[i];
    return NULL;
}

static bool within(double est, double truth, double tol)
{
    return est == est && fabs(est - truth) <= tol * truth;
}

static void report(const char *name, const struct run *r)
{
    const struct jtl_throttle_scope *sc = &r->r.run;
    fprintf(stderr,
            "  %-34s n=%zu 429=%zu %s %s rate=%.2f burst=%g L=%g W=%g "
            "C=%g auc=%.3f\n",
            name, r->n, r->n429, jtl_throttle_verdict_name(sc->verdict),
            jtl_throttle_mechanism_name(sc->mechanism)
                ? jtl_throttle_mechanism_name(sc->mechanism)
                : "-",
            sc->limit.rate_per_s, sc->limit.burst, sc->limit.per_window,
            sc->limit.window_s, sc->limit.concurrency, sc->auc);
}

static void expect(const char *name, const struct run *r, enum jtl_verdict v,
                   enum jtl_mechanism m)
{
    char what[160];

    report(name, r);
    snprintf(what, sizeof(what), "%s: verdict %s", name,
             jtl_throttle_verdict_name(v));
    CHECK_EQ_STR(jtl_throttle_verdict_name(r->r.run.verdict),
                 jtl_throttle_verdict_name(v), what);
    if (v == JTL_VERDICT_THRESHOLD) {
        snprintf(what, sizeof(what), "%s: mechanism %s", name,
                 jtl_throttle_mechanism_name(m));
        CHECK_EQ_STR(jtl_throttle_mechanism_name(r->r.run.mechanism),
                     jtl_throttle_mechanism_name(m), what);
    }
}

/* ------------------------------------------------------------------ */

static void bucket(double rate, double burst, int threads, double ramp,
                   double think, double dur, uint64_t seed)
{
    struct limsim_cfg c;
    struct run r;
    char name[96];

    limsim_cfg_init(&c);
    c.threads = threads;
    c.ramp_s = ramp;
    c.duration_s = dur;
    c.think_lo_s = think * 0.75;
    c.think_hi_s = think * 1.25;
    c.up.kind = LS_BUCKET;
    c.up.r = rate;
    c.up.b = burst;
    c.up.ra = 1;
    c.seed = seed;
    snprintf(name, sizeof(name), "bucket r=%g b=%g", rate, burst);
    analyse(&c, true, NULL, &r);
    expect(name, &r, JTL_VERDICT_THRESHOLD, JTL_MECH_RATE);
    snprintf(name, sizeof(name), "bucket r=%g b=%g: rate within 10 %%", rate,
             burst);
    CHECK(within(r.r.run.limit.rate_per_s, rate, 0.10), name);
    snprintf(name, sizeof(name), "bucket r=%g b=%g: burst within 1 + 10 %%",
             rate, burst);
    CHECK(fabs(r.r.run.limit.burst - burst) <= 1 + 0.1 * burst, name);
    jtl_throttle_result_release(&r.r);
}

static void fixed(double L, double W, double phase, int threads, double think,
                  double dur)
{
    struct limsim_cfg c;
    struct run r;
    char name[96];

    limsim_cfg_init(&c);
    c.threads = threads;
    c.ramp_s = 2;
    c.duration_s = dur;
    c.think_lo_s = think * 0.75;
    c.think_hi_s = think * 1.25;
    c.up.kind = LS_FIXED;
    c.up.L = L;
    c.up.W = W;
    /* anchored: windows start PHASE s after epoch multiples */
    c.up.phase = phase;
    c.up.ra = 0;
    snprintf(name, sizeof(name), "fixed L=%g W=%g phase=%g", L, W, phase);
    analyse(&c, true, NULL, &r);
    expect(name, &r, JTL_VERDICT_THRESHOLD, JTL_MECH_FIXED_WINDOW);
    CHECK(within(r.r.run.limit.per_window, L, 0.10),
          "fixed window: L within 10 %");
    CHECK_NEAR(r.r.run.limit.window_s, W, 1e-9, "fixed window: W exact");
    CHECK(r.r.run.limit.window_aligned == (phase == 0),
          "fixed window: alignment found");
    if (W > 1) {
        /* below that Retry-After is always 1 (§5.9: never read a window
         * length from RA = 1) */
        CHECK(r.r.run.retry.dynamic, "fixed window: Retry-After counts down");
        CHECK(within(r.r.run.retry.reset_spacing_s, W, 0.10),
              "fixed window: reset instants a window apart");
    }
    jtl_throttle_result_release(&r.r);
}

static void sliding(double L, double W)
{
    struct limsim_cfg c;
    struct run r;
    char name[96];

    limsim_cfg_init(&c);
    c.threads = 20;
    c.ramp_s = 2;
    c.duration_s = 40;
    c.think_lo_s = 0.2;
    c.think_hi_s = 0.4;
    c.up.kind = LS_SLIDING;
    c.up.L = L;
    c.up.W = W;
    c.up.ra = 0;
    snprintf(name, sizeof(name), "sliding L=%g W=%g", L, W);
    analyse(&c, true, NULL, &r);
    expect(name, &r, JTL_VERDICT_THRESHOLD, JTL_MECH_SLIDING_WINDOW);
    CHECK(within(r.r.run.limit.per_window, L, 0.10),
          "sliding window: L within 10 %");
    CHECK_NEAR(r.r.run.limit.window_s, W, 1e-9, "sliding window: W exact");
    jtl_throttle_result_release(&r.r);
}

static void conc(double C, double svc, int threads)
{
    struct limsim_cfg c;
    struct run r;
    char name[96];

    limsim_cfg_init(&c);
    c.threads = threads;
    c.ramp_s = 5;
    c.duration_s = 25;
    c.think_lo_s = 0.05;
    c.think_hi_s = 0.15;
    c.svc_s = svc;
    c.svc_jitter_s = svc * 0.3;
    c.up.kind = LS_CONC;
    c.up.C = C;
    c.up.ra = 3;
    snprintf(name, sizeof(name), "concurrency C=%g svc=%g", C, svc);
    analyse(&c, true, NULL, &r);
    expect(name, &r, JTL_VERDICT_THRESHOLD, JTL_MECH_CONCURRENCY);
    CHECK(within(r.r.run.limit.concurrency, C, 0.10),
          "concurrency: C within 10 %");
    CHECK(strcmp(r.r.run.where ? r.r.run.where : "", "gateway") == 0,
          "concurrency: fast 429s against slow accepts read as a gateway");
    jtl_throttle_result_release(&r.r);
}

static void random_p(double p, int threads, double dur, uint64_t seed)
{
    struct limsim_cfg c;
    struct run r;
    char name[96];

    limsim_cfg_init(&c);
    c.threads = threads;
    c.ramp_s = dur / 2;
    c.duration_s = dur;
    c.up.kind = LS_RANDOM;
    c.up.p = p;
    c.up.ra = 1;
    c.seed = seed;
    snprintf(name, sizeof(name), "random p=%g seed %llu", p,
             (unsigned long long)seed);
    analyse(&c, true, NULL, &r);
    expect(name, &r, JTL_VERDICT_RANDOM, JTL_MECH_NULL);
    CHECK(r.r.run.mechanism == JTL_MECH_NULL, "random: no mechanism");
    CHECK(r.r.run.pacing.target_rate_per_s != r.r.run.pacing.target_rate_per_s,
          "random: no pacing rate (pacing cannot avoid random 429s)");
    CHECK(r.r.run.retry.compliance < 0.05,
          "random: clients that ignore Retry-After are ~0 % compliant");
    jtl_throttle_result_release(&r.r);
}

static void distributed(int nodes, double rate, double burst)
{
    struct limsim_cfg c;
    struct run r;
    char name[96];

    limsim_cfg_init(&c);
    c.threads = 20;
    c.ramp_s = 20;
    c.duration_s = 40;
    c.think_lo_s = 0.25;
    c.think_hi_s = 0.35;
    c.up.kind = LS_BUCKET;
    c.up.r = rate;
    c.up.b = burst;
    c.up.nodes = nodes;
    c.up.ra = 2;
    snprintf(name, sizeof(name), "distributed %d x %g/s", nodes, rate);
    analyse(&c, true, NULL, &r);
    expect(name, &r, JTL_VERDICT_THRESHOLD, JTL_MECH_DISTRIBUTED);
    CHECK(within(r.r.run.limit.rate_per_s, nodes * rate, 0.10),
          "distributed: total rate within 10 %");
    jtl_throttle_result_release(&r.r);
}

static void stacked(double up_rate, double own_rate)
{
    struct limsim_cfg c;
    struct run r;
    const struct jtl_throttle_scope *a, *b;
    char name[96];

    limsim_cfg_init(&c);
    c.threads = 16;
    c.ramp_s = 16;
    c.duration_s = 36;
    c.nlabels = 2;
    c.up.kind = LS_BUCKET;
    c.up.r = up_rate;
    c.up.b = 6;
    c.up.ra = 2;
    c.up.bytes = 264;
    c.own[0].kind = LS_BUCKET;
    c.own[0].r = own_rate;
    c.own[0].b = 2;
    c.own[0].ra = 5;
    c.own[0].bytes = 270;
    snprintf(name, sizeof(name), "stacked %g/s + %g/s", up_rate, own_rate);
    analyse(&c, false, NULL, &r);
    expect(name, &r, JTL_VERDICT_THRESHOLD, JTL_MECH_STACKED);
    a = label_scope(&r, label_names[0]);
    b = label_scope(&r, label_names[1]);
    CHECK(a && within(a->limit.rate_per_s, own_rate, 0.10),
          "stacked: the endpoint's own limit on its label");
    CHECK(b && within(b->limit.rate_per_s, up_rate, 0.10),
          "stacked: the shared limit on the other label");
    CHECK(within(r.r.run.limit.rate_per_s, up_rate, 0.10),
          "stacked: the run's headline is the upstream limit");
    CHECK_EQ_INT(r.r.run.nlimiters, 2, "stacked: two limiters listed");
    jtl_throttle_result_release(&r.r);
}

static void per_endpoint(double ra, double rb)
{
    struct limsim_cfg c;
    struct run r;
    const struct jtl_throttle_scope *a, *b;

    limsim_cfg_init(&c);
    c.threads = 20;
    c.ramp_s = 10;
    c.duration_s = 30;
    c.nlabels = 2;
    c.own[0].kind = LS_BUCKET;
    c.own[0].r = ra;
    c.own[0].b = 2;
    c.own[0].ra = 5;
    c.own[1].kind = LS_BUCKET;
    c.own[1].r = rb;
    c.own[1].b = 5;
    c.own[1].ra = 2;
    /* same 429 body for both: only the per-label analysis can tell */
    c.own[0].bytes = c.own[1].bytes = 264;
    analyse(&c, true, NULL, &r);
    expect("per-endpoint", &r, JTL_VERDICT_THRESHOLD, JTL_MECH_RATE);
    a = label_scope(&r, label_names[0]);
    b = label_scope(&r, label_names[1]);
    CHECK(a && a->mechanism == JTL_MECH_RATE &&
              within(a->limit.rate_per_s, ra, 0.10),
          "per-endpoint: first label's own rate");
    CHECK(b && b->mechanism == JTL_MECH_RATE &&
              within(b->limit.rate_per_s, rb, 0.10),
          "per-endpoint: second label's own rate");
    CHECK(r.r.run.limit_scope && strcmp(r.r.run.limit_scope, "per label") == 0,
          "per-endpoint: the run says the limits are per label");
    jtl_throttle_result_release(&r.r);
}

static void shared_two_labels(void)
{
    struct limsim_cfg c;
    struct run r;
    const struct jtl_throttle_scope *a;

    limsim_cfg_init(&c);
    c.threads = 24;
    c.ramp_s = 10;
    c.duration_s = 30;
    c.nlabels = 2;
    c.up.kind = LS_BUCKET;
    c.up.r = 40;
    c.up.b = 4;
    c.up.ra = 1;
    analyse(&c, true, NULL, &r);
    expect("one bucket shared by two labels", &r, JTL_VERDICT_THRESHOLD,
           JTL_MECH_RATE);
    CHECK(within(r.r.run.limit.rate_per_s, 40, 0.10), "shared: the run's rate");
    a = label_scope(&r, label_names[1]);
    CHECK(a && a->mechanism == JTL_MECH_RATE &&
              within(a->limit.rate_per_s, 40, 0.10) && a->limit_scope &&
              strncmp(a->limit_scope, "shared", 6) == 0,
          "shared: each label reports the shared limit");
    jtl_throttle_result_release(&r.r);
}

/* Few 429s: inconclusive or right, never a confident wrong verdict. */
static void small_inputs(void)
{
    struct limsim_cfg c;
    struct run r;
    uint64_t seed;
    int wrong = 0, n = 0;

    for (seed = 1; seed <= 6; seed++) {
        /* a bucket barely exceeded: a handful of 429s */
        limsim_cfg_init(&c);
        c.threads = 6;
        c.ramp_s = 3;
        c.duration_s = 8;
        c.up.kind = LS_BUCKET;
        c.up.r = 26;
        c.up.b = 3;
        c.seed = seed;
        analyse(&c, false, NULL, &r);
        n++;
        if (r.r.run.verdict == JTL_VERDICT_RANDOM ||
            (r.r.run.verdict == JTL_VERDICT_THRESHOLD &&
             r.r.run.mechanism != JTL_MECH_RATE &&
             r.r.run.mechanism != JTL_MECH_UNKNOWN))
            wrong++;
        if (r.n429 < 20)
            CHECK(r.r.run.verdict == JTL_VERDICT_INCONCLUSIVE,
                  "fewer than 20 429s: inconclusive");
        jtl_throttle_result_release(&r.r);

        /* random shedding with few samples */
        limsim_cfg_init(&c);
        c.threads = 5;
        c.ramp_s = 2;
        c.duration_s = 6;
        c.up.kind = LS_RANDOM;
        c.up.p = 0.15;
        c.seed = seed;
        analyse(&c, false, NULL, &r);
        n++;
        if (r.r.run.verdict == JTL_VERDICT_THRESHOLD)
            wrong++;
        if (r.n429 < 50)
            CHECK(r.r.run.verdict == JTL_VERDICT_INCONCLUSIVE,
                  "random with fewer than 50 429s: inconclusive");
        CHECK(r.r.run.settle && r.r.run.settle[0],
              "inconclusive says what would settle it");
        jtl_throttle_result_release(&r.r);
    }
    CHECK_EQ_INT(wrong, 0, "small inputs: no confident wrong verdict");
    fprintf(stderr, "  small inputs: %d runs, %d wrong\n", n, wrong);
}

static void none_and_codes(void)
{
    struct limsim_cfg c;
    struct run r;
    struct jtl_throttle_opts o;

    limsim_cfg_init(&c);
    c.duration_s = 10;
    analyse(&c, false, NULL, &r);
    CHECK(r.r.run.verdict == JTL_VERDICT_NONE, "no limiter: verdict none");
    CHECK(r.r.run.mechanism == JTL_MECH_NULL, "no limiter: mechanism null");
    jtl_throttle_result_release(&r.r);

    /* 429 not in the configured codes: nothing is throttled */
    limsim_cfg_init(&c);
    c.up.kind = LS_BUCKET;
    c.up.r = 30;
    c.up.b = 5;
    jtl_throttle_opts_init(&o);
    o.codes[0] = 503; /* --throttle-codes 503 (parsed by the CLI) */
    o.ncodes = 1;
    analyse(&c, false, &o, &r);
    CHECK(r.r.run.verdict == JTL_VERDICT_NONE,
          "--throttle-codes 503: 429s are not throttling");
    CHECK_EQ_STR(r.r.codes, "503", "the codes are reported");
    jtl_throttle_result_release(&r.r);
}

static void pass_through(void)
{
    struct limsim_cfg c;
    struct run r;

    limsim_cfg_init(&c);
    c.threads = 20;
    c.svc_s = 0.120;
    c.svc_jitter_s = 0.02;
    c.rej_s = 0.150; /* the upstream worked before refusing */
    c.up.kind = LS_BUCKET;
    c.up.r = 40;
    c.up.b = 5;
    analyse(&c, false, NULL, &r);
    CHECK(r.r.run.where && strcmp(r.r.run.where, "pass-through") == 0,
          "slow 429s read as pass-through");
    jtl_throttle_result_release(&r.r);
}

int main(void)
{
    bucket(30, 5, 30, 20, 0.2, 26, 1); /* the nginx shape, simulated */
    bucket(10, 0, 20, 5, 0.2, 30, 2);
    bucket(25, 0, 20, 5, 0.2, 30, 2); /* nginx limit_req without burst */
    bucket(70, 20, 100, 2, 1.0, 40, 3);
    bucket(50, 10, 100, 40, 0.5, 60, 4);
    bucket(3, 1, 8, 4, 0.5, 60, 5);
    fixed(60, 5, 0, 8, 0.35, 30);
    fixed(100, 10, 0, 30, 0.2, 60);
    fixed(30, 1, 0, 20, 0.2, 20);
    fixed(50, 5, 2.3, 12, 0.3, 40);
    sliding(40, 2);
    sliding(15, 1);
    conc(5, 0.150, 20);
    conc(12, 0.300, 40);
    conc(3, 0.050, 10);
    random_p(0.05, 40, 60, 11);
    random_p(0.25, 32, 22, 12);
    random_p(0.5, 20, 30, 13);
    random_p(0.25, 32, 22, 14);
    distributed(3, 8, 2);
    distributed(4, 10, 3);
    stacked(30, 6);
    stacked(40, 10);
    per_endpoint(5, 25);
    per_endpoint(12, 4);
    shared_two_labels();
    small_inputs();
    none_and_codes();
    pass_through();
    return CHECK_DONE();
}
