/* SPDX-License-Identifier: MIT
 * throttle.h - HTTP 429 analysis: is throttling threshold-based or random,
 * which limiter, what limit, Retry-After use, and how to pace the test.
 * Ownership: struct jtl_throttle is an opaque analyzer (jtl_throttle_new /
 * jtl_throttle_free); it keeps a compact copy of every sample it is fed
 * (24 bytes each; the analysis peaks at about 42 bytes a sample, see
 * README) until it is freed.  jtl_throttle_finish()
 * fills a struct jtl_throttle_result that the caller embeds and releases
 * with jtl_throttle_result_release(); the result owns all of its strings
 * and arrays and does not point into the analyzer, so the analyzer may be
 * freed first.  Writers only format a result; they never compute.
 *
 * Usage (one pass, possibly together with other sinks):
 *     jtl_throttle_opts_init(&o);  (set codes, regex, ...)
 *     jtl_throttle_new(&o, &t, &diag);
 *     jtl_throttle_sink(t, &sink);  jtl_read_run(&read_opts, &sink, ...);
 *       (or call jtl_throttle_add(sample, t) from your own sink)
 *     jtl_throttle_finish(t, &res, &diag);  jtl_throttle_free(t);
 *     jtl_report_throttle_text(stdout, &res, ...) (report/writers.h);
 *     jtl_throttle_result_release(&res);
 *
 * Every number the analysis could not determine is NAN (JSON null). */
#ifndef JTL_THROTTLE_H
#define JTL_THROTTLE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/error.h"
#include "jtl/io/sample.h"

/* ------------------------------------------------------------------ */
/* Options                                                             */

#define JTL_THROTTLE_MAX_CODES 16
#define JTL_THROTTLE_ENVELOPE_POINTS 40

struct jtl_throttle_opts {
    /* Response codes that mean "throttled" (default: 429 and 503, what
     * rate limiters, gateways and load balancers answer). */
    int codes[JTL_THROTTLE_MAX_CODES];
    size_t ncodes;
    /* A regex (regex.h): a sample whose responseMessage or
     * failureMessage matches is throttled too (e.g. "ThrottlingException|
     * Rate exceeded"); NULL = none. */
    const char *message_regex;
    /* Name of the CSV sample-variable column (or XML attribute) holding
     * Retry-After; NULL = auto-detect a column named like retryAfter /
     * Retry-After / retry_after (case and '-'/'_' ignored). */
    const char *retry_after_column;
    /* Safety margin of the pacing advice, 0 <= margin < 1 (default 0.2). */
    double margin;
    /* Analyse per label and per thread group as well (default true). */
    bool scopes;
    /* Labels that differ only in ids (a UUID, a number, a long hex or
     * token path segment or query value) are one endpoint template,
     * "PUT /flows/{id}" (default true). */
    bool group_labels;
    /* Threads for the analysis of the scopes; 0 = online CPUs, at most 4
     * (added after the first version; zero from opts_init). */
    unsigned threads;
    /* The zone of the clock times in the findings (jtl_clock_format):
     * NULL for UTC. */
    const char *timezone;
    /* Called at the end of each phase of jtl_throttle_finish() with its
     * name ("sort", "run and labels", ...), for benchmarks; may be NULL. */
    void (*on_phase)(const char *phase, void *ctx);
    void *phase_ctx;
    /* The load generator of samples without a Hostname column (NULL: each
     * input file is one, named after the file): `summarize --generator`,
     * where every generator's file has the same name. */
    const char *generator;
};

void jtl_throttle_opts_init(struct jtl_throttle_opts *opts);

/* ------------------------------------------------------------------ */
/* Result                                                              */

enum jtl_verdict {
    JTL_VERDICT_NONE = 0,     /* no throttled sample */
    JTL_VERDICT_THRESHOLD,    /* 429s depend on state built from the past */
    JTL_VERDICT_RANDOM,       /* consistent with load-independent shedding */
    JTL_VERDICT_INCONCLUSIVE, /* too little data, or the tests disagree */
};

enum jtl_mechanism {
    JTL_MECH_NULL = 0, /* not a threshold verdict (JSON null) */
    JTL_MECH_RATE,     /* token / leaky bucket, GCRA */
    JTL_MECH_FIXED_WINDOW,
    JTL_MECH_SLIDING_WINDOW,
    JTL_MECH_CONCURRENCY,
    JTL_MECH_DISTRIBUTED, /* several counters (nodes) behind a balancer */
    JTL_MECH_STACKED,     /* two or more limits on the same calls */
    JTL_MECH_UNKNOWN,     /* threshold-based, mechanism not identified */
};

enum jtl_scope_kind {
    JTL_SCOPE_RUN = 0,
    JTL_SCOPE_LABEL,
    JTL_SCOPE_GROUP, /* thread group: threadName cut at last space */
};

/* "threshold", "random", "none", "inconclusive". */
const char *jtl_throttle_verdict_name(enum jtl_verdict v);
/* "rate", "fixed-window", ...; NULL for JTL_MECH_NULL. */
const char *jtl_throttle_mechanism_name(enum jtl_mechanism m);
/* "run", "label", "group". */
const char *jtl_throttle_scope_kind_name(enum jtl_scope_kind k);

/* The limit found.  JSON "limit" has the first five members. */
struct jtl_throttle_limit {
    double rate_per_s;  /* sustained rate (rate, distributed: total) */
    double burst;       /* requests accepted at once beyond one, in the
                         * nginx limit_req sense (a token bucket holding B
                         * tokens has burst B - 1) */
    double window_s;    /* fixed / sliding window length */
    double per_window;  /* accepted per window */
    double concurrency; /* requests in flight */
    /* Extras (JSON members after the five above). */
    double window_phase_s;      /* fixed window: start offset from epoch
                                 * multiples of window_s (0 = aligned) */
    bool window_aligned;        /* fixed window starts at epoch multiples */
    double envelope_rate_per_s; /* slope of max-accepted-in-W vs W */
    double envelope_burst;      /* its intercept */
    double max_accepted_1s, max_accepted_10s, max_accepted_60s;
    double max_offered_1s;           /* the most requests started in any 1 s */
    double saturated_accepted_per_s; /* accepted/s while throttled */
    double mean_accepted_elapsed_ms;
    double little_concurrency; /* accepted/s x mean elapsed (Little) */
    /* The points the envelope was fitted to, for the report's chart: the
     * most accepted requests in any window of envelope_w_s[i] seconds is
     * envelope_max[i] (the log grid 0.1 s x 1.5^i up to a fifth of the
     * run; at most 16 points).  nenvelope = 0 when no limit was estimated.
     * Plain arrays, so copying and releasing a limit are unchanged. */
    size_t nenvelope;
    double envelope_w_s[JTL_THROTTLE_ENVELOPE_POINTS];
    double envelope_max[JTL_THROTTLE_ENVELOPE_POINTS];
};

/* One limiter of a stacked (or shared) set. */
struct jtl_throttle_limiter {
    char *name; /* e.g. "shared by all labels" */
    enum jtl_mechanism mechanism;
    struct jtl_throttle_limit limit;
    int order;            /* 1 = first on the path (upstream) */
    double share;         /* of this scope's throttled samples */
    double retry_after_s; /* typical Retry-After of its 429s, NAN */
    double bytes;         /* typical size of its 429s, NAN */
    char **labels;        /* labels it throttled (sorted) */
    size_t nlabels;
};

enum jtl_test_role {
    JTL_TEST_GATE = 0,  /* minimum data: failing makes it inconclusive */
    JTL_TEST_THRESHOLD, /* any pass -> threshold */
    JTL_TEST_RANDOM,    /* all must pass for random */
    JTL_TEST_MECHANISM, /* picks the limiter type */
    JTL_TEST_SUPPORT,   /* reported, not decisive */
};

/* What a test says about the verdict and mechanism found. */
enum jtl_bearing {
    JTL_BEARING_NA = 0, /* a test of another mechanism, or one that
                           cannot speak to this verdict */
    JTL_BEARING_SUPPORTS,
    JTL_BEARING_AGAINST,
};

/* How many responses of the input had CODE (one of rcodes[]), 0 if none. */
struct jtl_throttle_result;
uint64_t jtl_throttle_code_count(const struct jtl_throttle_result *r, int code);

/* "supports", "against", "not-applicable". */
const char *jtl_throttle_bearing_name(enum jtl_bearing b);

/* One row of the evidence table. */
struct jtl_throttle_test {
    const char *test; /* static text, e.g. "likelihood ratio G" */
    char detail[96];  /* e.g. "accepted in trailing 1 s" */
    double statistic;
    const char *op; /* ">=", "<", ... (static) */
    double threshold;
    int pass; /* 1 pass, 0 fail, -1 not run (statistic NAN) */
    enum jtl_test_role role;
    /* The mechanism the test is about (JTL_MECH_NULL: any), and whether
     * it reads one sequence of requests (which many interleaved threads
     * blur: it cannot speak to a rate or concurrency limit). */
    enum jtl_mechanism about;
    bool sequence;
    enum jtl_bearing bearing;
};

/* One finding in plain words, with the chart of the report that shows
 * it (NULL: none). */
struct jtl_throttle_finding {
    char *text;
    const char *chart; /* e.g. "chart-01-throughput" */
};

/* The refused share against the offered load (the dose-response bins):
 * RATE[i] requests/s offered, COUNT[i] requests, SHARE[i] refused. */
#define JTL_THROTTLE_DOSE_BINS 16
struct jtl_throttle_dose {
    size_t n;
    bool load_varied; /* the offered load varied enough to test it */
    double rate[JTL_THROTTLE_DOSE_BINS];
    double count[JTL_THROTTLE_DOSE_BINS];
    double share[JTL_THROTTLE_DOSE_BINS];
};

struct jtl_throttle_ra_value {
    double seconds;
    uint64_t count;
};

#define JTL_THROTTLE_WAIT_Q 101

struct jtl_throttle_retry {
    uint64_t count;   /* throttled samples with a Retry-After */
    uint64_t missing; /* throttled samples without one */
    struct jtl_throttle_ra_value *values; /* ascending by seconds */
    size_t nvalues;
    const char *source;     /* "header", "variable", "body" or NULL */
    bool dynamic;           /* counts down to common reset instants */
    double reset_spacing_s; /* spacing of those instants (window), NAN */
    /* Compliance: the same thread's next request after a 429 with RA. */
    uint64_t pairs;     /* (429 with RA, next request) pairs */
    uint64_t compliant; /* next start >= end + RA - 0.5 s */
    uint64_t early;
    double compliance; /* compliant / pairs, NAN when no pairs */
    double compliance_lo, compliance_hi; /* Wilson 95 % */
    double median_gap_ratio;             /* median of gap / RA */
    double median_gap_s; /* median gap after any 429 (also no RA) */
    /* The wait from a 429's end to the same thread's next request (any
     * 429, with or without RA), in seconds: wait_q[k] is percentile k,
     * k = 0..100 (JTL_THROTTLE_WAIT_Q values); NULL when no 429 had a
     * next request. */
    double *wait_q;
    uint64_t waits; /* how many such waits */
    /* The same after an accepted request (the clients' usual wait: their
     * think time), the whole run's; NULL when there is none. */
    double *wait_success_q;
    uint64_t waits_success;
    /* What the clients did after a 429: compared with their usual wait.
     * "none" (the same wait: no reaction to 429), "longer", "shorter"
     * (immediate re-sends), NULL (not known).  HONOURED: they waited
     * longer after a 429 AND at least Retry-After (90 % of the pairs). */
    const char *reaction;
    bool honoured;
    double p429_after_early; /* P(429 | early retry) */
    double p429_after_compliant;
    double amplification; /* early re-sends / all requests */
    /* First-attempt metrics: requests sent before the previous 429's
     * Retry-After ran out are left out (the load proper backoff gives). */
    uint64_t first_attempts;
    uint64_t first_attempt_throttled;
    double first_attempt_429_share;
    double first_attempt_rate_per_s;
};

struct jtl_throttle_burst {
    double start_s, end_s;    /* from the start of the run */
    int64_t start_ts, end_ts; /* epoch ms */
    uint64_t count;           /* throttled samples in it */
    double peak_per_s;        /* most 429s in any 1 s of it */
    double offered_per_s;     /* requests/s in the second before it */
    double accepted_per_s;    /* accepted/s in the second before it */
    int threads;              /* active threads at its start, -1 unknown */
};

struct jtl_throttle_pacing {
    double target_rate_per_s;           /* safe rate: limit x (1 - margin) */
    double constant_throughput_per_min; /* CTT, shared by all threads */
    double per_thread_per_min;          /* CTT "this thread only" value */
    double threads;                     /* threads used in the test, NAN */
    double threads_needed;              /* Little: rate x (elapsed + think) */
    double max_threads;                 /* concurrency limits, NAN */
    double ramp_up_s;                   /* at least this ramp-up, NAN */
    double margin;
    /* A limit shared with other labels (or groups): this scope's share of
     * their traffic, and the shared target it gets that share of; NAN when
     * the limit is its own. */
    double share;
    double shared_target_rate_per_s;
    char *basis; /* one sentence: why this rate */
};

struct jtl_throttle_scope {
    enum jtl_scope_kind kind;
    char *name;      /* "run", the label, or the group */
    uint64_t labels; /* labels it stands for: 1, more for an endpoint
                        template (the run: all of them) */
    uint64_t samples, throttled, accepted, errors; /* errors: non-throttled
                                                       failures */
    double duration_s;
    enum jtl_verdict verdict;
    enum jtl_mechanism mechanism;
    char *sentence; /* the verdict in one sentence */
    char *settle;   /* inconclusive: what data would settle it */
    /* Why, in a performance engineer's words: 3-5 findings, each with its
     * number and the chart that shows it. */
    struct jtl_throttle_finding *why;
    size_t nwhy;
    const char *confidence; /* "high", "medium", "low" */
    char *confidence_why;   /* what drives it */
    struct jtl_throttle_dose dose;
    bool too_few; /* too few requests to analyse alone (a label
                     or group; they count in the run's) */
    bool sharp;   /* one limiter of the kind found reproduces
                     which requests were refused */
    struct jtl_throttle_limit limit;
    char *limit_scope; /* "shared", "per-label", "own", NULL */
    double share;      /* "shared": its part of the sharing scopes'
                          requests, NAN otherwise */
    struct jtl_throttle_limiter *limiters; /* stacked / shared detail */
    size_t nlimiters;

    /* Key statistics (also in the evidence table). */
    double auc;         /* best past-only predictor */
    char predictor[64]; /* its name */
    double g;           /* its likelihood-ratio statistic */
    double runs_z, lag1_z, lag1_delta, trend_z, trend_rise;
    /* Window edges: the Rayleigh test of the recoveries (first accepted
     * after 3 or more refusals) against windows of EDGE_W_S seconds. */
    double edge_p, edge_w_s;
    size_t recoveries;

    /* First 429 and load. */
    double first_429_s;      /* from the start of the run, NAN */
    int64_t first_429_ts;    /* epoch ms, 0 when none */
    double first_429_before; /* requests that started before it */
    double first_429_offered_per_s;
    double first_429_accepted_per_s;
    /* Threads active then, on every generator (a thread is active from the
     * start of its first request to the end of its last), -1 unknown. */
    int first_429_threads;
    double rampup_end_s; /* when the last thread sent its first request,
                          * from the start of the run */
    int max_threads;     /* most threads active at once, -1 unknown */

    /* Bursts of 429s (runs in time); the longest are kept. */
    struct jtl_throttle_burst *bursts;
    size_t nbursts;
    uint64_t bursts_total;

    /* Gateway (fast 429s) or pass-through (slow 429s). */
    double elapsed_429_ms, elapsed_ok_ms, elapsed_ratio; /* medians */
    const char *where; /* "gateway", "pass-through" or NULL */

    struct jtl_throttle_retry retry;
    struct jtl_throttle_pacing pacing;

    struct jtl_throttle_test *tests;
    size_t ntests;
    char **unchecked; /* what could not be checked, and why */
    size_t nunchecked;
    char **notes; /* other remarks (feedback risk, ...) */
    size_t nnotes;
};

/* What the server says about its own limit (RateLimit-Limit/-Remaining/
 * -Reset, RateLimit-Policy, X-RateLimit-*: XML with response headers). */
struct jtl_throttle_advertised {
    uint64_t responses; /* responses that carried a limit */
    const char *source; /* "RateLimit" (the IETF draft) or
                           "X-RateLimit" */
    double limit;       /* the most common advertised limit */
    double window_s;    /* its window (RateLimit-Policy w=), NAN */
    double rate_per_s;  /* limit / window, NAN without a window */
    double remaining_min, remaining_median; /* NAN when not sent */
    double reset_median_s;                  /* NAN when not sent */
    /* Against the limit found in the traffic: 1 within 15 %, 0 not, -1
     * cannot be compared. */
    int agrees;
};

/* One load generator. */
struct jtl_throttle_generator {
    char *name;       /* the host, or the file */
    bool is_host;     /* named by the Hostname column */
    bool named;       /* named by summarize --generator */
    uint64_t threads; /* threads that sent requests */
};

/* One response code of the input. */
struct jtl_throttle_code {
    char *code;                /* as written ("" when empty) */
    uint64_t count;            /* samples with it */
    uint64_t with_retry_after; /* of them, not analysed, with Retry-After */
    bool analysed;             /* one of the throttling codes */
    /* Not analysed, yet it behaves like a limit: it carries Retry-After,
     * or its share rises with the offered load (TREND_Z, RISE: the
     * dose-response of its share, NAN when not tested). */
    bool limit_like;
    double trend_z, rise;
};

/* Labels and thread groups analysed one by one, at most, each: the busiest
 * (most samples).  A file with thousands of distinct labels (an id in the
 * label) would otherwise cost a full analysis, memory and a JSON object per
 * label; the others are in the run's analysis, and their number is said. */
#define JTL_THROTTLE_MAX_SCOPES 200

struct jtl_throttle_result {
    struct jtl_throttle_scope run;
    /* Labels (sorted by name) then thread groups (sorted by name). */
    struct jtl_throttle_scope *scopes;
    size_t nscopes;
    /* Labels and groups beyond JTL_THROTTLE_MAX_SCOPES, not analysed one
     * by one, and their samples. */
    size_t labels_omitted, groups_omitted;
    uint64_t labels_omitted_samples, groups_omitted_samples;
    int64_t first_ts, last_end; /* epoch ms */
    uint64_t excluded;          /* TC parents and sub-results left out */
    uint64_t unusable;          /* samples without a timestamp */
    char codes[96];             /* the codes analysed: "429,503" */
    int throttle_codes[JTL_THROTTLE_MAX_CODES]; /* the same as numbers */
    /* NULL when no response advertised a limit. */
    struct jtl_throttle_advertised *advertised;
    /* Load generators (a Hostname, else an input file) and their threads. */
    struct jtl_throttle_generator *generators;
    size_t ngenerators;
    /* Requests inside Transaction Controllers: nested in a controller's
     * sample (XML) or in the file before its row (CSV); of those, the ones
     * controller rows stand for (the file has only the rows). */
    uint64_t transactions, requests_in_transactions;
    uint64_t standing_rows, standing_requests;
    size_t nthrottle_codes;
    /* Every response code of the input, by code: how often, and whether
     * it was analysed as throttling or behaves like a limit. */
    struct jtl_throttle_code *rcodes;
    size_t nrcodes;
    char *message_regex;
    size_t record_bytes; /* bytes kept per sample */
    size_t peak_bytes;   /* analyzer memory high-water mark */
};

/* ------------------------------------------------------------------ */
/* Analyzer                                                            */

struct jtl_throttle;

enum jtl_err jtl_throttle_new(const struct jtl_throttle_opts *opts,
                              struct jtl_throttle **out, struct jtl_diag *diag);
/* A jtl_sample_fn: CTX is the struct jtl_throttle.  Always returns 0 (a
 * sample it cannot use is counted, never fatal). */
int jtl_throttle_add(const struct jtl_sample *s, void *ctx);
/* Fill SINK with add/fork/join for jtl_read_run(). */
void jtl_throttle_sink(struct jtl_throttle *t, struct jtl_sink *sink);
/* Analyse everything added.  May be called once. */
enum jtl_err jtl_throttle_finish(struct jtl_throttle *t,
                                 struct jtl_throttle_result *out,
                                 struct jtl_diag *diag);
void jtl_throttle_free(struct jtl_throttle *t); /* NULL is a no-op */

/* Partial states (state.h).  SAVE writes what T has gathered (before
 * jtl_throttle_finish).  LOAD reads a saved part with LIKE's options (LIKE
 * is only read: several states may be read at once), NULL when the input
 * is damaged; JOIN adds it to T, as if its files had been read into T,
 * and frees it. */
struct jtl_bw;
struct jtl_br;
void jtl_throttle_save(const struct jtl_throttle *t, struct jtl_bw *w);
struct jtl_throttle_part;
struct jtl_throttle_part *jtl_throttle_load(const struct jtl_throttle *like,
                                            struct jtl_br *r);
void jtl_throttle_join(struct jtl_throttle *t, struct jtl_throttle_part *p);
void jtl_throttle_part_free(struct jtl_throttle_part *p); /* NULL: no-op */
/* Did the rows read so far name their host (a Hostname column)? */
bool jtl_throttle_hostnames(const struct jtl_throttle *t);

void jtl_throttle_result_release(struct jtl_throttle_result *r);

#endif /* JTL_THROTTLE_H */
