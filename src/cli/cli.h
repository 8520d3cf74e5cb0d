/* SPDX-License-Identifier: MIT
 * cli.h - the command line: the only place that sees argv, prints
 * diagnostics or picks an exit code.  Layers inside cli/ (each file uses
 * only those below it):
 *   cli.c        the dispatcher: the command table, the one option parser,
 *                --help and -V
 *   cmd_*.c      one command each: its state, options, help and run()
 *   options.c    the option groups several commands share, and the one
 *                duration syntax
 *   session.c    what every command does around its own work: the shared
 *                read sequence (filters, threads, warnings, progress, the
 *                "no sample" checks), outputs, exit codes
 *   states.c     partial states (.jtls) among the inputs
 *   messages.c   usage errors, diagnostics and warnings on stderr
 * Option ids: common 256-399, a command's own 400-799, shared groups
 * 800-899. */
#ifndef JTL_CLI_H
#define JTL_CLI_H
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "jtl/check/check.h"
#include "jtl/read/read.h"
#include "jtl/report/outfile.h"
#include "jtl/state/state.h"
#include "jtl/stats/agg.h"
#include "jtl/throttle/throttle.h"

/* Exit codes (documented in README and --help). */
enum {
    JTL_EXIT_OK = 0,      /* success */
    JTL_EXIT_ERROR = 1,   /* runtime error: nothing (complete) was written */
    JTL_EXIT_USAGE = 2,   /* bad command line */
    JTL_EXIT_FAILED = 3,  /* check: a pass/fail criterion failed */
    JTL_EXIT_DAMAGED = 4, /* output written, but input had skipped records,
                             was truncated or partly unreadable */
};

/* What the command line asked for, shared by every command.  Strings point
 * into argv. */
struct cli_config {
    const char *command;
    struct jtl_read_opts read; /* inputs, decoding, filters, threads */
    const char *output;        /* -o: file or directory; NULL = stdout */
    const char *format;        /* --format; NULL = the command's default */
    bool quiet;                /* --quiet: no progress, no warnings */
    bool progress;             /* stderr is a terminal and not --quiet */
    const char *tz;            /* --timezone: clock times shown in it */
    const char *tz_given;      /* --timezone as given (UTC too), or NULL */
    bool wide;                 /* --wide: tables at full width on a tty */
    bool group_digits;         /* --group-digits: 10,000,000 in tables */
    uint64_t memory;           /* --memory: bytes of per-request arrays in
                                * memory, then spilled (bigmem.h) */
};

/* The default of --memory: 128 MiB, so that with the report's timeline
 * (bounded on its own, about 100 MB) a run fits a 256 MB container. */
#define CLI_MEMORY_DEFAULT ((uint64_t)128 << 20)

/* A command.  Its state (STATE_SIZE bytes, zeroed, then INIT) lives for
 * one run; OPTION and RUN get it back. */
struct cli_command {
    const char *name;
    const char *summary;
    const struct option *long_opts; /* extra options, {0} ended; or NULL */
    size_t state_size;
    void (*init)(void *state);
    /* One of the command's own options: 0 taken, -1 bad value (message
     * printed: exit 2), 1 not the command's. */
    int (*option)(void *state, int id, const char *arg);
    void (*help)(FILE *fp); /* the command's own options */
    int (*run)(void *state, const struct cli_config *cfg); /* exit code */
    /* Long options (without "--") that take every following word up to
     * the next option: "--baseline A1 A2" is "--baseline=A1
     * --baseline=A2".  NULL-ended, or NULL. */
    const char *const *list_opts;
    bool inputs_optional; /* no FILE is fine (the options name them) */
    /* Frees what OPTION kept in the state; called once whether RUN ran or
     * not (a usage error stops before it).  NULL: nothing to free. */
    void (*release)(void *state);
};

extern const struct cli_command cli_cmd_stats;
extern const struct cli_command cli_cmd_throttle;
extern const struct cli_command cli_cmd_report;
extern const struct cli_command cli_cmd_convert;
extern const struct cli_command cli_cmd_check;
extern const struct cli_command cli_cmd_compare;
extern const struct cli_command cli_cmd_summarize;
extern const struct cli_command cli_cmd_merge;
extern const struct cli_command cli_cmd_compare;
extern const struct cli_command cli_cmd_summarize;
extern const struct cli_command cli_cmd_merge;

int cli_main(int argc, char **argv);

/* ---- session.c ----------------------------------------------------------- */

/* Print "jtlscope: MSG" and "Try 'jtlscope --help'." and return 2. */
/* The closest of the N names CANDS to WORD when WORD looks like a typo of
 * it (suggest.c), else NULL: "did you mean". */
const char *cli_suggest(const char *word, const char *const *cands, size_t n);
int cli_usage_error(const char *fmt, ...) JTL_PRINTF(1, 2);
/* Print "jtlscope: WHERE: MSG" (or without WHERE). */
void cli_print_diag(const struct jtl_diag *diag);
/* BYTES as "812.0 kB" below a megabyte, else "3212.4 MB", into OUT (a
 * size said in a message; 16 bytes are enough). */
void cli_size_text(uint64_t bytes, char *out, size_t cap);
/* "jtlscope: warning: MSG" unless QUIET. */
void cli_warn(const struct cli_config *cfg, const char *fmt, ...)
    JTL_PRINTF(2, 3);
/* The exit code of a run: ERR (0, 1 or 2), else 4 when the input was
 * damaged, else 0. */
int cli_exit_code(enum jtl_err err, const struct jtl_run_info *info);

/* The read every command does: CFG's inputs through the filters into SINK,
 * with the warnings, unreadable files and progress printed as they come,
 * then the totals (more warnings, skipped records), then the checks: no
 * sample at all is an error (JTL_ERR_EMPTY), every sample filtered out a
 * warning.  Errors are printed; the caller only maps them to an exit code. */
enum jtl_err cli_read(const struct cli_config *cfg, const struct jtl_sink *sink,
                      struct jtl_run_info *info);

/* One read, every analysis a command asks of it: the statistics, the
 * throttling analysis, the criteria's windows (each NULL when not asked;
 * THROTTLE gets the read's threads and --timezone).  The statistics'
 * options shape the read too (--jmeter-compat: whole-label filters). */
struct cli_stats_opts;
struct cli_criteria;
struct cli_analyses {
    struct cli_stats_opts *stats;
    struct jtl_throttle_opts *throttle;
    const struct cli_criteria *criteria;
    /* summarize and merge: leave the agg and the analysis unfinished (the
     * analysis in cli_analysed.gathered) to save them */
    bool gather;
    const char *filters; /* the states' filters (merge), or NULL: CFG's */
};
/* What the read computed; cli_analysed_release() frees it.  INFO is
 * filled even when the read failed (for the exit code). */
struct cli_analysed {
    struct jtl_agg *agg;            /* finished; NULL without stats */
    struct jtl_throttle_result thr; /* when have_thr */
    struct jtl_throttle *gathered;  /* with WANT.gather: not finished */
    bool have_thr;
    struct jtl_check_win *win; /* NULL: no windowed criterion */
    struct jtl_run_info info;
};
/* Read CFG's inputs once into the analyses WANT asks for, then finish
 * them; errors printed, as cli_read(). */
enum jtl_err cli_analyse(const struct cli_config *cfg,
                         const struct cli_analyses *want,
                         struct cli_analysed *out);
void cli_analysed_release(struct cli_analysed *a);

/* Partial states among the inputs (states.c).  SPLIT sorts CFG's inputs
 * into JTL files (RAW) and states (F, opened and their headers checked):
 * 0, or the exit code with the reason printed. */
struct cli_states {
    const char **raw;
    size_t nraw;
    struct jtl_state_file *f;
    size_t n;
    /* input I is a state when IS_STATE[I]; its files in the run info:
     * NFILES[state index] of them */
    bool *is_state;
    size_t ninputs;
    size_t *nfiles;
};
int cli_states_split(const struct cli_config *cfg, struct cli_states *st);
/* The first bytes of the regular file NAME into BUF[CAP]: how many (0 for
 * "-", a pipe, a FIFO or a device, whose bytes a look would take from the
 * reader, and for a file that cannot be opened). */
size_t cli_peek_file(const char *name, void *buf, size_t cap);
void cli_states_release(struct cli_states *st);
/* The filters as a state records them. */
void cli_filters_text(const struct jtl_filter *f, char *out, size_t cap);
/* Add every state to INFO, AGG and TH (either may be NULL), once each,
 * after checking the PARTS of WANT they must share. */
enum jtl_err cli_states_load(const struct cli_config *cfg,
                             struct cli_states *st,
                             const struct jtl_state_shape *want, unsigned parts,
                             struct jtl_run_info *info, struct jtl_agg *agg,
                             struct jtl_throttle *th);

/* One pass, several consumers: the reader takes one sink, this one hands
 * every sample to each of up to four, and forks/joins them all for worker
 * threads (only when every one can). */
#define CLI_FAN_MAX 4
struct cli_fanout {
    struct jtl_sink s[CLI_FAN_MAX];
    size_t n;
};
/* Add SINK to FAN (in order: each sample reaches them in this order). */
void cli_fanout_add(struct cli_fanout *fan, const struct jtl_sink *sink);
/* The one sink over FAN's. */
void cli_fanout_sink(struct cli_fanout *fan, struct jtl_sink *out);

/* A command's output formats: NAME for --format (ALIASES too, space
 * separated), EXT for -o FILE.EXT.  The first is the default. */
struct cli_format {
    const char *name;
    const char *aliases;
    const char *ext;
};
/* The index in FORMATS (N of them) that --format or the -o extension asks
 * for, or -1 with the usage error printed. */
int cli_pick_format(const struct cli_config *cfg,
                    const struct cli_format *formats, size_t n);

/* Open CFG's output (stdout without -o), or print why not. */
enum jtl_err cli_output_open(const struct cli_config *cfg,
                             struct jtl_outfile *of);
/* After a writer returned ERR: commit the output (the file appears under
 * its name) or drop it; prints why not.  Returns the error. */
enum jtl_err cli_output_close(const struct cli_config *cfg,
                              struct jtl_outfile *of, enum jtl_err err,
                              const struct jtl_diag *diag);

/* The statistics result's own warnings (labels folded over the cap). */
void cli_warn_stats(const struct cli_config *cfg,
                    const struct jtl_stats_result *r);

/* ---- options.c ----------------------------------------------------------- */

/* A duration: a number with a unit (ms, s, m or min, h), a bare number in
 * seconds, like every duration option.  False on anything else. */
bool cli_parse_duration(const char *s, double *ms);

enum {
    JTL_OPT_PERCENTILES = 800,
    JTL_OPT_PCT_METHOD,
    JTL_OPT_APDEX,
    JTL_OPT_JMETER_COMPAT,
    JTL_OPT_SUBRESULTS,
    JTL_OPT_GRANULARITY,
    JTL_OPT_TH_CODES = 850,
    JTL_OPT_TH_MESSAGE,
    JTL_OPT_RA_COLUMN,
    JTL_OPT_MARGIN,
    JTL_OPT_NO_SCOPES,
    JTL_OPT_GROUP_LABELS,
    JTL_OPT_CRITERIA = 870,
    JTL_OPT_EACH_LABEL,
    JTL_OPT_ALLOW_MISSING,
    JTL_OPT_JUNIT,
};

/* clang-format off */
#define JTL_CLI_STATS_OPTIONS \
    {"percentiles",        required_argument, NULL, JTL_OPT_PERCENTILES},   \
    {"percentile-method",  required_argument, NULL, JTL_OPT_PCT_METHOD},    \
    {"apdex",              required_argument, NULL, JTL_OPT_APDEX},         \
    {"jmeter-compat",      no_argument,       NULL, JTL_OPT_JMETER_COMPAT}, \
    {"subresults",         no_argument,       NULL, JTL_OPT_SUBRESULTS},    \
    {"granularity",        required_argument, NULL, JTL_OPT_GRANULARITY}

#define JTL_CLI_THROTTLE_OPTIONS \
    {"throttle-codes",     required_argument, NULL, JTL_OPT_TH_CODES},      \
    {"throttle-message",   required_argument, NULL, JTL_OPT_TH_MESSAGE},    \
    {"retry-after-column", required_argument, NULL, JTL_OPT_RA_COLUMN},     \
    {"margin",             required_argument, NULL, JTL_OPT_MARGIN},        \
    {"no-scopes",          no_argument,       NULL, JTL_OPT_NO_SCOPES}

/* check and report: pass/fail criteria (-c is a short option of the
 * dispatcher) */
#define JTL_CLI_CRITERIA_OPTIONS \
    {"criterion",          required_argument, NULL, 'c'},                   \
    {"criteria",           required_argument, NULL, JTL_OPT_CRITERIA},      \
    {"each-label",         no_argument,       NULL, JTL_OPT_EACH_LABEL},    \
    {"allow-missing",      no_argument,       NULL, JTL_OPT_ALLOW_MISSING}, \
    {"junit",              required_argument, NULL, JTL_OPT_JUNIT}

/* stats, throttle and report: endpoints, not ids */
#define JTL_CLI_LABEL_OPTIONS \
    {"group-labels",       required_argument, NULL, JTL_OPT_GROUP_LABELS}
/* clang-format on */

/* Statistics options (stats, report). */
struct cli_stats_opts {
    struct jtl_agg_opts agg;
    bool method_set;
    bool group_set; /* --group-labels given */
};
void cli_stats_opts_init(struct cli_stats_opts *s);
/* The width text tables may take (session.c): the terminal's columns
 * when stdout is one and the tables go there, 0 (no limit) otherwise or
 * with --wide. */
unsigned cli_table_width(const struct cli_config *cfg);
/* 0 taken, -1 bad value (printed), 1 not a statistics option. */
int cli_stats_option(struct cli_stats_opts *s, int id, const char *arg);
/* Conflicts between options, once all are read: 0, or exit code 2. */
int cli_stats_check(const struct cli_stats_opts *s);
void cli_stats_help(FILE *fp);

/* 429-analysis options (throttle, report), into options that
 * jtl_throttle_opts_init() set up. */
int cli_throttle_option(struct jtl_throttle_opts *o, int id, const char *arg);
void cli_throttle_help(FILE *fp);

/* Pass/fail criteria (check, report): the criteria read so far, the
 * evaluation options and --junit. */
struct cli_criteria {
    struct jtl_criterion *crit;
    size_t n, cap;
    struct jtl_check_opts opts;
    const char *junit;
    bool bad; /* one did not read (printed): exit 2 */
};
/* 0 taken, -1 bad value (printed), 1 not a criteria option. */
int cli_criteria_option(struct cli_criteria *c, int id, const char *arg);
void cli_criteria_help(FILE *fp);
/* Whether a criterion needs the throttling analysis. */
bool cli_criteria_need_throttle(const struct cli_criteria *c);
void cli_criteria_release(struct cli_criteria *c);
/* Write R as JUnit XML to C->junit (temporary name, renamed when whole);
 * prints why not. */
enum jtl_err cli_criteria_junit(const struct cli_criteria *c,
                                const struct jtl_check_result *r,
                                const struct jtl_run_info *info);
/* Before the read: the criteria's APDEX thresholds are the statistics'
 * (S), their clock times in --timezone. */
void cli_criteria_prepare(struct cli_criteria *c,
                          const struct cli_stats_opts *s,
                          const struct cli_config *cfg);
/* After it: C's criteria against what GOT read (its windows are spent:
 * once), into R (jtl_check_release()), then --junit; prints why not. */
enum jtl_err cli_criteria_evaluate(const struct cli_criteria *c,
                                   struct cli_analysed *got,
                                   struct jtl_check_result *r);

/* --group-labels auto|off into *ON: 0, or -1 with the usage error printed. */
int cli_group_labels(const char *arg, bool *on);
/* Its help line, with the default of the command. */
void cli_group_labels_help(FILE *fp, bool on_by_default);

#endif /* JTL_CLI_H */
