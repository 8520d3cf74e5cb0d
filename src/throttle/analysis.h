/* SPDX-License-Identifier: MIT
 * analysis.h - shared types of the throttle analysis modules (src/throttle/).
 * Ownership: struct an_store owns its records and string tables; views and
 * series borrow from it and must not outlive it.  Nothing here is public:
 * include/jtl/throttle/throttle.h is the contract. */
#ifndef JTL_AN_INTERNAL_H
#define JTL_AN_INTERNAL_H
#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "jtl/base/regex.h"
#include "jtl/base/strtab.h"
#include "jtl/base/xalloc.h"
#include "jtl/throttle/throttle.h"

/* ------------------------------------------------------------------ */
/* Record store (records.c)                                          */

/* Outcome class of a sample. */
enum {
    AN_ACC = 0,    /* passed the limiter, success */
    AN_THR = 1,    /* throttled */
    AN_ERR = 2,    /* HTTP failure that is not throttling: passed the limiter */
    AN_NOHTTP = 3, /* no HTTP status (connection error): never reached it */
};

#define AN_ELAPSED_MAX ((1u << 30) - 1)
#define AN_CODES_MAX 0xFFFEu  /* distinct response codes kept by name */
#define AN_CODE_OTHER 0xFFFFu /* every further code */
#define AN_GENS_MAX 0xFFFFu   /* load generators */

/* 24 bytes per sample: everything the order-dependent analyses need.
 * What takes few values in a run (the response code; a throttled
 * request's Retry-After and size) is interned: EXT is an id into the
 * store's table (an_ext_of), 4 bytes where the values took 10 and the
 * alignment 8 more.  The time, the thread and the label are what vary. */
struct an_rec {
    int64_t start;   /* epoch ms */
    uint32_t ec;     /* elapsed ms << 2 | class */
    uint32_t label;  /* interned label id */
    uint32_t thread; /* interned (thread name, load generator) id */
    uint32_t ext;    /* interned struct an_ext id */
};

/* The rest of a record.  Only a throttled request keeps its Retry-After
 * and size (nothing reads them on the others): most runs have a handful
 * of these, one for each code and one or two for the 429s. */
struct an_ext {
    float ra;       /* Retry-After seconds of a throttled request, else NAN */
    uint32_t bytes; /* received bytes (saturated) of a throttled request,
                     * else 0 */
    uint16_t code;  /* interned responseCode id, AN_CODE_OTHER */
};

static inline unsigned an_cls(const struct an_rec *r)
{
    return r->ec & 3u;
}
static inline uint32_t an_elapsed(const struct an_rec *r)
{
    return r->ec >> 2;
}
static inline int64_t an_end(const struct an_rec *r)
{
    return r->start + (int64_t)(r->ec >> 2);
}

enum an_ra_source {
    AN_RA_NONE = 0,
    AN_RA_HEADER = 1,
    AN_RA_VAR = 2,
    AN_RA_BODY = 4
};

struct an_opts {
    int codes[JTL_THROTTLE_MAX_CODES];
    size_t ncodes;
    struct jtl_regex *re; /* --throttle-message, or NULL */
    bool group_labels;    /* labels that differ only in ids: one endpoint */
    char *ra_column;      /* NULL = auto */
    char *generator;      /* the generator of rows without a Hostname */
};

/* Direct-mapped cache in front of jtl_strtab_intern: labels and thread
 * names repeat on every row, and a compare is cheaper than a hash. */
#define AN_ICACHE 1024
struct an_icache {
    const char *str[AN_ICACHE]; /* interned bytes (stable), NULL = empty */
    uint32_t len[AN_ICACHE];
    uint32_t id[AN_ICACHE];
};

/* Records arrive in fixed-size chunks (no realloc doubling, which costs up
 * to twice the records plus a copy), and a worker's chunks are joined by
 * pointer.  The chunks are sorted one by one and merged into REC, each
 * chunk freed as soon as the merge has used it up: the records never
 * exist twice. */
#define AN_CHUNK_RECS (1u << 16)
struct an_chunk {
    struct an_rec *rec; /* AN_CHUNK_RECS slots */
    size_t n;
};

/* A Transaction Controller's own row, kept aside: its requests may be in
 * the file (rows before it, CSV default mode: it is then only a
 * container) or not (JMeter before 5.0 in "Generate parent sample" mode
 * writes the parent alone: it then stands for its N requests, M of them
 * failed).  Decided when the store is sorted. */
struct an_tc {
    int64_t start;
    uint32_t elapsed;
    uint32_t thread;
    uint32_t label;
    uint32_t bytes;
    uint32_t n, m; /* requests, failing requests (from its message) */
    uint16_t code;
    uint8_t cls; /* the class its failing requests get */
};

/* One response code as the store saw it. */
struct an_code_count {
    uint64_t n;       /* samples with this code */
    uint64_t with_ra; /* of which carried a Retry-After */
    bool throttled;   /* one of the codes analysed as throttling */
};

struct an_store {
    const struct an_opts *opts; /* shared with forked children */
    struct an_icache *lcache, *tcache, *ccache; /* labels, threads, codes */
    struct an_chunk *chunks; /* before the sort, in arrival order */
    size_t nchunks, capchunks;
    struct an_rec *rec; /* after an_store_sort(): all, in order */
    size_t n;
    struct jtl_strtab labels;
    /* A thread is a thread name on one load generator: two engines of a
     * distributed test both run "Group 1-1".  The key is the name, the
     * generator id (4 bytes) and the name's length (4 bytes). */
    struct jtl_strtab threads;
    /* Load generators: 'H' + the Hostname column, or 'F' + the file name
     * when the file has none (each input file is one generator). */
    struct jtl_strtab gens;
    uint32_t last_gen_file; /* cache: source index -> gen id */
    bool last_gen_valid;
    unsigned last_gen_source;
    /* Response codes by name, with their counts (by code id). */
    struct jtl_strtab codes;
    struct an_code_count *code_n;
    size_t code_cap, code_init;
    uint64_t code_other; /* samples past AN_CODES_MAX codes */
    char *keybuf;        /* the thread key being built */
    /* the last response code seen: most rows repeat it ("200") */
    const char *last_code;
    size_t last_code_len;
    uint16_t last_code_id;
    size_t keycap;
    uint64_t excluded, unusable, dropped;
    struct an_tc *tc; /* Transaction Controller rows */
    size_t ntc, captc;
    /* The records' struct an_ext values, interned (an_ext_id): an open
     * addressing table of ids + 1 (0: empty) over EXT, both budgeted
     * memory (a hostile file can make one per request). */
    struct an_ext *ext; /* room for EXT_SLOTS / 2 (at most half full) */
    size_t next;
    uint32_t *ext_slot;
    size_t ext_slots;  /* a power of two */
    uint32_t ext_last; /* the id given last: most rows repeat it */
    /* Requests inside transactions: nested in a controller's sample (XML)
     * or written before its row (CSV), and rows that stand for their
     * requests (filled by the sort). */
    uint64_t transactions, in_transactions;
    uint64_t tc_standing, tc_standing_requests;
    /* What the responses say of the limit (RateLimit-*, X-RateLimit-*):
     * allocated with the first response that says anything. */
    struct an_adv *adv;
    unsigned ra_sources; /* AN_RA_* seen */
    bool has_bytes, has_headers, has_thread, has_hostname;
    /* after an_store_sort(): */
    uint32_t *label_raws; /* label id -> labels it stands for (1, or more
                           * for an endpoint template) */
    uint32_t *group_of;   /* thread id -> group id */
    struct jtl_strtab groups;
    bool sorted;
};

/* The interned rest of record R (its code, Retry-After and size). */
static inline const struct an_ext *an_ext_of(const struct an_store *st,
                                             const struct an_rec *r)
{
    return &st->ext[r->ext];
}
/* The id of (CODE, RA, BYTES), interned as they are. */
uint32_t an_ext_id(struct an_store *st, uint16_t code, float ra,
                   uint32_t bytes);
/* Set R's rest (R's class set first): only a throttled request keeps its
 * Retry-After and size; the others get NAN and 0. */
void an_rec_set_ext(struct an_store *st, struct an_rec *r, uint16_t code,
                    float ra, uint32_t bytes);

/* The thread name of thread id T (without the generator). */
struct jtl_str an_thread_name(const struct an_store *st, uint32_t t);
/* The generator of thread id T. */
uint32_t an_thread_gen(const struct an_store *st, uint32_t t);
/* The display name of generator G (a host or a file name). */
struct jtl_str an_gen_name(const struct an_store *st, uint32_t g);

void an_store_init(struct an_store *st, const struct an_opts *opts);
void an_store_release(struct an_store *st);
int an_store_add(struct an_store *st, const struct jtl_sample *s);
/* A new record at the end of the store (the caller fills it). */
struct an_rec *an_store_push(struct an_store *st);
/* The counts of code id ID (< AN_CODES_MAX), zeroed when new. */
struct an_code_count *an_store_code_slot(struct an_store *st, uint32_t id);
/* A store in a partial state (state_store.c): everything an_store_add()
 * gathered, before the sort.  LOAD fills an empty store; false when the
 * input is damaged. */
struct jtl_bw;
struct jtl_br;
void an_store_save(const struct an_store *st, struct jtl_bw *w);
bool an_store_load(struct an_store *st, struct jtl_br *r);
/* Append CHILD's records (ids remapped) and release CHILD. */
void an_store_join(struct an_store *st, struct an_store *child);
/* Sort by (start, thread name), requests of one thread that start in the
 * same millisecond by content (arrival order depends on the decoding
 * threads, so it never decides), and build thread groups. */
/* CPUS: threads that sort chunks at once (0 or 1: this one only). */
void an_store_sort(struct an_store *st, unsigned cpus);

/* A scope: a time-ordered subsequence of the store's records.  Label and
 * group scopes are 4-byte indices into the store, not copies of the
 * records: a copy per scope would double the memory of the analysis. */
struct an_view {
    const struct an_rec *rec; /* the store's records */
    const uint32_t *idx;      /* the scope's indices in REC, ascending, or
                               * NULL when the scope is all of REC */
    size_t n;
};
static inline const struct an_rec *an_view_at(const struct an_view *v, size_t i)
{
    return v->idx ? &v->rec[v->idx[i]] : &v->rec[i];
}
static inline uint32_t an_view_index(const struct an_view *v, size_t i)
{
    return v->idx ? v->idx[i] : (uint32_t)i;
}

/* ------------------------------------------------------------------ */
/* Threads as they ran (threads.c)                                     */

struct an_threads {
    size_t n; /* threads that sent a request */
    /* active threads, a step function: AT_N[i] from AT_T[i] (epoch ms) */
    int64_t *at_t;
    uint32_t *at_n;
    size_t nat;
    uint32_t max_active;   /* most threads active at once */
    int64_t max_active_t;  /* when that was first reached */
    int64_t rampup_end;    /* the last thread's first request, or
                            * INT64_MIN without requests */
    size_t ngens;          /* load generators */
    uint32_t *gen_threads; /* threads per generator id */
};

/* From the sorted store. */
void an_threads_build(const struct an_store *st, struct an_threads *out);
uint32_t an_threads_active(const struct an_threads *t, int64_t when);
void an_threads_release(struct an_threads *t);

/* ------------------------------------------------------------------ */
/* Numerics (numerics.c)                                                */

/* Counts of outcome 0/1 per integer predictor value.  Values below 4096
 * are exact; larger ones are grouped to 1/2048 relative precision. */
struct an_gtab {
    uint32_t *c; /* c[2*slot + y] */
    size_t cap;  /* slots allocated */
    size_t hi;   /* 1 + highest slot used */
    uint64_t n0, n1;
};

struct an_eval {
    double auc, se, lo; /* AUC, Hanley-McNeil SE, lower 95 % bound */
    double g;           /* logistic likelihood ratio statistic */
    double p;           /* its p-value (chi-square 1 df) */
    bool separated;     /* (quasi-)complete separation */
    double thr;         /* balanced threshold: 1 iff x >= thr */
    double bal_err;     /* 1 - (TPR + TNR) / 2 at thr */
    double r2;          /* McFadden */
};

size_t an_gtab_slot(uint64_t x);
double an_gtab_value(size_t slot);
void an_gtab_grow(struct an_gtab *g, size_t slot);
/* Inline: called once per predictor per request. */
static inline void an_gtab_add(struct an_gtab *g, uint64_t x, int y)
{
    size_t s = x < 4096 ? (size_t)x : an_gtab_slot(x);

    if (s >= g->cap)
        an_gtab_grow(g, s);
    g->c[2 * s + (y ? 1 : 0)]++;
    if (s + 1 > g->hi)
        g->hi = s + 1;
    if (y)
        g->n1++;
    else
        g->n0++;
}
void an_gtab_release(struct an_gtab *g);
/* The one AUC scan: the AUC of "the larger the slot, the likelier y = 1"
 * (Mann-Whitney over the counts C[2 s + y] of slots 0..NSLOT-1, ties
 * counted half), and the balanced threshold "1 iff slot >= thr_slot" with
 * its error 1 - (TPR + TNR) / 2.  N0, N1: the totals, both > 0. */
struct an_auc {
    double auc;
    size_t thr_slot;
    double bal_err;
};
void an_auc_scan(const uint32_t *c, size_t nslot, double n0, double n1,
                 struct an_auc *out);
void an_gtab_eval(const struct an_gtab *g, struct an_eval *out);
/* AUC and balanced threshold only (no logistic fit): for scans. */
void an_gtab_auc(const struct an_gtab *g, double *auc, double *thr,
                 double *bal_err);
void an_gtab_clear(struct an_gtab *g);
/* Median of the values (both outcomes), NAN when empty. */
double an_gtab_median(const struct an_gtab *g);
/* Q[k] = nearest-rank quantile k/(NQ-1) of the values (both outcomes),
 * for k = 0..NQ-1 (NQ >= 2); all NAN when empty. */
void an_gtab_quantiles(const struct an_gtab *g, double *q, size_t nq);

double an_norm_sf2(double z); /* two-sided normal p */
double an_chi2_sf1(double x); /* chi-square 1 df upper tail */
void an_wilson(double k, double n, double *lo, double *hi);

struct an_runs {
    double z, p;
    uint64_t runs;
};
void an_runs_test(uint64_t n1, uint64_t n0, uint64_t runs, struct an_runs *out);
struct an_lag {
    double p11, p01, delta, log_or, z;
};
/* a = 1->1, b = 1->0, c = 0->1, d = 0->0 */
void an_lag1(uint64_t a, uint64_t b, uint64_t c, uint64_t d,
             struct an_lag *out);

/* Pool-adjacent-violators: non-decreasing fit of Y with weights W. */
void an_pava(const double *y, const double *w, size_t n, double *fit);
/* Cochran-Armitage trend z over bins (score S, trials N, events K). */
double an_trend_z(const double *s, const double *n, const double *k, size_t m);
/* Rayleigh test on phases: returns p (Zar); *rbar and *mean (radians). */
double an_rayleigh(const double *theta, size_t n, double *rbar, double *mean);

int an_cmp_double(const void *a, const void *b);
double an_median(double *v, size_t n); /* reorders V */

/* Distinct values with their counts (hash table), e.g. Retry-After values
 * or 429 sizes of millions of samples. */
struct an_distinct {
    struct jtl_throttle_ra_value *v;
    size_t n, cap;
    uint32_t *slots;
    size_t nslots;
    size_t last; /* index of the value added last */
};
void an_distinct_add(struct an_distinct *d, double x, uint64_t n);
/* Add every value of FROM to D; FROM is left as it was. */
void an_distinct_merge(struct an_distinct *d, const struct an_distinct *from);

/* The advertised limit: the values the responses carried, by count. */
struct an_adv {
    uint64_t responses; /* responses with a limit */
    unsigned families;  /* 1 RateLimit-*, 2 X-RateLimit-* */
    struct an_distinct limit, window_s, remaining, reset_s;
};
void an_adv_release(struct an_adv *a);
/* Hand over the values sorted ascending (free() them); D is reset. */
struct jtl_throttle_ra_value *an_distinct_sorted(struct an_distinct *d,
                                                 size_t *n);

/* ------------------------------------------------------------------ */
/* Outcome of a record in one analysis (families of stacked limits)    */

#define AN_MAXFAM 8

struct an_families {
    size_t n;                            /* 0 or 1 = no split */
    bool by_bytes;                       /* else by Retry-After value */
    double lo[AN_MAXFAM], hi[AN_MAXFAM]; /* inclusive ranges */
};

struct an_outcome {
    const struct an_ext *ext;      /* the store's (an_ext_of) */
    const struct an_families *fam; /* NULL: every throttled record is 1 */
    int family;                    /* rejected = this family */
    uint32_t skip_mask;            /* families that never reached the limiter */
    /* >= 0: the outcome is "this response code" (a code id of the store)
     * instead of throttled: to test whether another code behaves like a
     * limit.  Records without an HTTP status are left out. */
    int code;
};

/* The family of a throttled record (by its size or its Retry-After, in
 * E, its an_ext_of), or -1 when it is in none. */
static inline int an_family_of(const struct an_families *f,
                               const struct an_ext *e)
{
    double v = f->by_bytes ? (double)e->bytes : (double)e->ra;
    size_t i;

    if (!f->by_bytes && e->ra != e->ra)
        return -1;
    for (i = 0; i < f->n; i++)
        if (v >= f->lo[i] && v <= f->hi[i])
            return (int)i;
    return -1;
}
/* 1 rejected, 0 passed, -1 not part of this analysis. */
static inline int an_outcome_of(const struct an_outcome *o,
                                const struct an_rec *r)
{
    unsigned c = an_cls(r);
    int f;

    if (c == AN_NOHTTP)
        return -1;
    if (o && o->code >= 0)
        return o->ext[r->ext].code == (unsigned)o->code;
    if (c != AN_THR)
        return 0;
    if (!o || !o->fam)
        return 1;
    f = an_family_of(o->fam, &o->ext[r->ext]);
    if (f == o->family)
        return 1;
    if (f >= 0 && ((o->skip_mask >> f) & 1u))
        return -1;
    return 0;
}

/* ------------------------------------------------------------------ */
/* The predictor pass (predictors.c)                                      */

enum an_pred_kind { AN_P_TRAIL, AN_P_ALIGNED, AN_P_INFLIGHT, AN_P_BUCKET };

#define AN_MAXPRED 32

struct an_pred {
    enum an_pred_kind kind;
    double w_s;     /* window (trail, aligned) */
    double phase_s; /* aligned: window start offset */
    double rate;    /* bucket: tokens per second */
    char name[64];
    struct an_gtab tab;
    struct an_eval ev;
};

/* The scope's outcome sequence in time order (compact). */
struct an_series {
    uint32_t *t; /* start, ms since t0 */
    uint8_t *y;  /* 0 passed, 1 rejected */
    size_t n;
    int64_t t0;    /* epoch ms of the first start */
    int64_t t_end; /* epoch ms of the last end */
    uint64_t n0, n1;
    uint32_t *acc; /* starts of the passed requests only */
};

struct an_pass {
    struct an_series s;
    struct an_pred pred[AN_MAXPRED];
    int npred;
    int best; /* index of best AUC, -1 */
    /* sequence statistics */
    uint64_t runs, a, b, c, d; /* global lag-1 transitions */
    uint64_t ta, tb, tc, td;   /* per-thread transitions */
    /* dose-response: offered requests in the trailing w_off */
    double w_off_s;
    struct an_gtab offered;
    /* recoveries: first passed after >= 3 rejected (epoch ms) */
    int64_t *recov;
    size_t nrecov, caprecov;
    /* accepted elapsed while saturated (Little's law) */
    double sat_elapsed_sum;
    uint64_t sat_elapsed_n;
    uint64_t sat_acc;      /* passed between first/last 1 */
    int64_t first1, last1; /* epoch ms of first / last 1 */
    double rayleigh_p, rayleigh_w, rayleigh_rbar;
    bool timing_estimated; /* most request times are estimates */
    bool too_long;         /* span over 2^32 ms: not analysed */
};

/* Build the series and every past-only predictor for VIEW under OUT.
 * NTHREADS sizes the per-thread state. */
void an_pass_run(const struct an_view *view, const struct an_outcome *oc,
                 size_t nthreads, struct an_pass *p);
/* Add aligned-window predictors with a phase (anchored windows). */
void an_pass_phased(struct an_pass *p, const double *w_s, const double *phase_s,
                    size_t n);
/* Rayleigh test of recovery phases; adds phased window predictors for
 * significant ones (mechanism.c). */
void an_pass_align(struct an_pass *p);
void an_pass_release(struct an_pass *p);

/* ------------------------------------------------------------------ */
/* Stage A: verdict (verdict.c)                                     */

struct an_tests {
    struct jtl_throttle_test *t;
    size_t n, cap;
};
struct jtl_throttle_test *an_test_add(struct an_tests *ts, const char *test,
                                      const char *detail, double stat,
                                      const char *op, double thr,
                                      enum jtl_test_role role);

struct an_stage_a {
    enum jtl_verdict verdict;
    struct an_runs runs;
    struct an_lag lag, tlag;
    double trend_z, rise, sharpness;
    bool load_varied, dose_ok;
    double hinge_c, hinge_dll;
    struct jtl_throttle_dose dose; /* the bins of the dose-response */
    int best;                      /* predictor index */
    double auc, lo, g;
    bool gate_ok;
    char settle[256];
};

void an_stage_a(const struct an_pass *p, struct an_tests *ts,
                struct an_stage_a *out);
/* Dose-response of the share of y = 1 against the offered requests in the
 * trailing W_OFF_S (G: its table): A's trend_z, rise, hinge, dose bins,
 * load_varied and dose_ok (an_stage_a's, for any outcome). */
void an_dose(const struct an_gtab *g, double w_off_s, struct an_stage_a *a);

/* ------------------------------------------------------------------ */
/* Limits (limits.c)                                                 */

/* Most passed requests in any W-long interval (two pointers). */
uint64_t an_max_in_window(const struct an_series *s, uint32_t w_ms);
/* The same for up to 16 windows in one sweep. */
void an_max_in_windows(const struct an_series *s, const uint32_t *w_ms,
                       uint64_t *best, size_t nw);
/* Envelope fit of max-in-W over a log grid: slope and intercept into
 * L->envelope_rate_per_s/_burst, the grid's points into L->envelope_*[]. */
void an_envelope(const struct an_series *s, struct jtl_throttle_limit *l);
/* Saturated windows of length W with phase: median passed count and IQR
 * over windows that hold a rejection. */
void an_window_counts(const struct an_series *s, double w_s, double phase_s,
                      double *median, double *iqr, size_t *nsat);

struct an_replay {
    double rate, burst, auc, bal_err;
    bool ok;
};
/* Fit a single bucket by replaying it from the passed starts. */
void an_bucket_replay(const struct an_series *s, double env_rate,
                      struct an_replay *out);

/* ------------------------------------------------------------------ */
/* Stage B: mechanism (mechanism.c)                                 */

struct an_mech {
    enum jtl_mechanism mech;
    struct jtl_throttle_limit limit;
    struct an_replay replay;
    bool sharp;       /* explained by one visible limiter */
    double sharp_auc; /* the deciding AUC */
};

void an_limit_init(struct jtl_throttle_limit *l);
void an_stage_b(struct an_pass *p, const struct an_stage_a *a,
                struct an_tests *ts, struct an_mech *out);
/* The limit numbers every scope gets (max in 1/10/60 s, envelope). */
void an_describe_limit(const struct an_pass *p, struct jtl_throttle_limit *l);

/* ------------------------------------------------------------------ */
/* Bursts, first 429, Retry-After, pacing                              */

void an_bursts(const struct an_view *view, const struct an_outcome *oc,
               const struct an_series *s, int64_t run_t0,
               const struct an_threads *th, struct jtl_throttle_scope *sc);
void an_timing(const struct an_view *view, const struct an_outcome *oc,
               struct jtl_throttle_scope *sc);

/* Run-level facts for Retry-After compliance (retry_after.c). */
struct an_next {
    uint32_t *thr; /* record indices of throttled samples, ascending */
    int64_t *gap;  /* same thread's next start - this end (ms), or
                    * INT64_MIN when the thread sent nothing more */
    uint8_t *nthr; /* that next request was throttled */
    size_t n;
    uint8_t *early;  /* bitset over records: sent before RA ran out */
    double think_ms; /* median gap end -> next start after a pass */
    double *succ_q;  /* percentiles (0..100, s) of that gap; NULL: none */
    uint64_t nsucc;
};
void an_next_build(const struct an_store *st, struct an_next *nx);
void an_next_release(struct an_next *nx);
/* Retry-After facts of one scope, accumulated by an_retry_sweep(). */
struct ra_ev {
    int64_t start, reset;
    double ra;
    size_t cluster;
};
struct an_retry_acc {
    uint64_t count, missing, pairs, compliant, early;
    uint64_t early_thr, comp_thr, total, first, first_thr;
    struct an_gtab gaps, ratios;
    struct an_distinct dv;
    struct ra_ev *ev;
    size_t nev, capev;
};
/* LABELS and GROUPS (indexed by id, may be NULL) point at the
 * accumulators of the scopes analysed one by one; a NULL entry is a label
 * or group that is not. */
void an_retry_sweep(const struct an_store *st, const struct an_next *nx,
                    struct an_retry_acc *run, struct an_retry_acc **labels,
                    struct an_retry_acc **groups);
void an_retry_result(const struct an_store *st, const struct an_next *nx,
                     struct an_retry_acc *a, double duration_s,
                     struct jtl_throttle_retry *out);
void an_retry_acc_release(struct an_retry_acc *a);

void an_pacing(const struct jtl_throttle_scope *sc, double margin,
               double think_ms, double threads,
               struct jtl_throttle_pacing *out);

/* ------------------------------------------------------------------ */
/* Scopes (scope.c), cross-scope logic (shared_limits.c), words          */

struct an_ctx {
    struct an_store *st;
    struct an_next nx;
    int64_t run_t0, run_end;
    double margin;
    size_t nthreads;       /* distinct threads (name, generator) */
    double threads;        /* threads of the test (most active), NAN */
    struct an_threads thr; /* the threads as they ran */
    unsigned cpus;         /* analysis threads */
    const char *tz;        /* the zone of clock times in words, NULL: UTC */
    struct an_retry_acc *ra_run;
    /* by id; an id with no accumulator is not analysed one by one */
    struct an_retry_acc **ra_labels, **ra_groups;
};

/* What the cross-scope step needs to know about an analysed scope. */
struct an_work {
    struct jtl_throttle_scope *sc;
    struct an_view view;
    bool sharp;
    double sharp_auc;
    uint64_t n1;
};

/* One limiter analysed under a family outcome. */
struct an_limiter_res {
    enum jtl_verdict verdict;
    enum jtl_mechanism mech;
    struct jtl_throttle_limit limit;
    bool sharp;
    double sharp_auc;
    uint64_t n1;
};

/* RA: the scope's Retry-After accumulator (an_retry_sweep). */
void an_scope_analyze(struct an_ctx *cx, const struct an_view *v,
                      const struct an_outcome *oc, struct an_retry_acc *ra,
                      struct jtl_throttle_scope *sc, struct an_work *w);
void an_limiter_analyze(struct an_ctx *cx, const struct an_view *v,
                        const struct an_outcome *oc, struct an_tests *ts,
                        struct an_limiter_res *out);
void an_scope_copy(struct jtl_throttle_scope *dst,
                   const struct jtl_throttle_scope *src);
void an_scope_release(struct jtl_throttle_scope *sc);
void an_limiter_copy(struct jtl_throttle_limiter *d,
                     const struct jtl_throttle_limiter *s);
void an_limiter_release(struct jtl_throttle_limiter *l);

/* Labels (or thread groups) sharing one limit, stacked limits, or limits
 * of their own; adjusts the run and the scopes. */
void an_multi_labels(struct an_ctx *cx, struct an_work *run,
                     struct an_work *labels, size_t n);
void an_multi_groups(struct an_ctx *cx, struct an_work *run,
                     struct an_work *groups, size_t n);

/* Wording (sentences.c). */
void an_words_unchecked(struct an_ctx *cx, const struct an_pass *p,
                        const struct an_stage_a *a, const struct an_mech *m,
                        struct jtl_throttle_scope *sc);
void an_words_finish(struct an_ctx *cx, struct jtl_throttle_scope *sc);
/* The findings in plain words, the confidence, and each test's bearing;
 * SHARP: one limiter reproduces which requests were refused. */
void an_words_why(struct an_ctx *cx, struct jtl_throttle_scope *sc, bool sharp);
/* A run limited per label (or group): the first finding names each one's
 * limit, in place of the pooled traffic's. */
void an_words_per_scope(struct jtl_throttle_scope *run,
                        const struct jtl_throttle_scope *scopes, size_t n);
/* No refusal with the codes ANALYSED ("429"), yet another code behaves like
 * a limit's refusal: the run's why says so, names the option, and its
 * confidence is low. */
void an_words_limit_like(struct jtl_throttle_scope *run,
                         const struct jtl_throttle_code *codes, size_t n,
                         const char *analysed);

#endif /* JTL_AN_INTERNAL_H */
