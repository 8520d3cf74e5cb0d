/* SPDX-License-Identifier: MIT
 * states.c - partial states (.jtls) among a command's inputs: which inputs
 * are states (by their signature, whatever their name), reading them, the
 * options they must share with the run, and adding them to its analyses
 * after the JTL files were read. */
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "jtl/base/buf.h"
#include "jtl/base/xalloc.h"

static bool has_ext(const char *name, const char *ext)
{
    size_t n = strlen(name), e = strlen(ext);

    return n > e && strcmp(name + n - e, ext) == 0;
}

size_t cli_peek_file(const char *name, void *buf, size_t cap)
{
    struct stat sb;
    FILE *fp;
    size_t got;

    if (strcmp(name, "-") == 0 || stat(name, &sb) != 0 || !S_ISREG(sb.st_mode))
        return 0;
    fp = fopen(name, "rb");
    if (!fp)
        return 0;
    got = fread(buf, 1, cap, fp);
    fclose(fp);
    return got;
}

/* Does NAME start with a state's signature? */
static bool looks_like_state(const char *name)
{
    unsigned char head[JTL_STATE_MAGIC_LEN];

    return jtl_state_sniff(head, cli_peek_file(name, head, sizeof(head)));
}

int cli_states_split(const struct cli_config *cfg, struct cli_states *st)
{
    const struct jtl_read_opts *r = &cfg->read;
    size_t i;

    memset(st, 0, sizeof(*st));
    st->raw = jtl_xcalloc(r->ninputs + 1, sizeof(*st->raw));
    st->f = jtl_xcalloc(r->ninputs + 1, sizeof(*st->f));
    st->is_state = jtl_xcalloc(r->ninputs + 1, sizeof(*st->is_state));
    st->nfiles = jtl_xcalloc(r->ninputs + 1, sizeof(*st->nfiles));
    st->ninputs = r->ninputs;
    for (i = 0; i < r->ninputs; i++) {
        const char *name = r->inputs[i];
        struct jtl_state_file *f;
        struct jtl_diag diag = {0};

        if (!has_ext(name, ".jtls") && !looks_like_state(name)) {
            st->raw[st->nraw++] = name;
            continue;
        }
        st->is_state[i] = true;
        f = &st->f[st->n++];
        f->name = name;
        if (jtl_state_open(f, &diag)) {
            cli_print_diag(&diag);
            return JTL_EXIT_ERROR;
        }
    }
    if (st->n && (r->filter.from_rel || r->filter.to_rel) &&
        (r->filter.has_from || r->filter.has_to))
        return cli_usage_error(
            "--from/--to as an offset count from the start of the run, which "
            "a state ('%s') does not know: give clock times or epoch ms",
            st->f[0].name);
    return 0;
}

void cli_states_release(struct cli_states *st)
{
    size_t i;

    for (i = 0; i < st->n; i++) {
        jtl_state_close(&st->f[i]);
    }
    free(st->is_state);
    free(st->nfiles);
    free(st->f);
    free(st->raw);
    memset(st, 0, sizeof(*st));
}

void cli_filters_text(const struct jtl_filter *f, char *out, size_t cap)
{
    struct jtl_buf b;
    static char none[1];
    char *s;

    jtl_buf_init(&b, 1 << 16);
    if (f->has_from)
        jtl_buf_printf(&b, "--from %" PRId64 " ", f->from_ms);
    if (f->has_to)
        jtl_buf_printf(&b, "--to %" PRId64 " ", f->to_ms);
    if (f->include)
        jtl_buf_printf(&b, "--include '%s' ", f->include);
    if (f->exclude)
        jtl_buf_printf(&b, "--exclude '%s' ", f->exclude);
    if ((f->include || f->exclude) && f->whole_match)
        jtl_buf_adds(&b, "(whole labels) ");
    s = b.p ? b.p : none;
    if (b.len && s[b.len - 1] == ' ')
        s[b.len - 1] = '\0';
    snprintf(out, cap, "%s", s);
    jtl_buf_release(&b);
}

/* Each file without a Hostname column is one load generator, named after
 * the file: two generators' files of the same name, summarized apart
 * without --generator, would count their threads as one generator's.
 * Said once (the run info: the JTL files, then each state's in turn). */
static void warn_same_names(const struct cli_config *cfg,
                            const struct cli_states *st,
                            const struct jtl_run_info *info)
{
    size_t n = info->nfiles, base = st->nraw, i, j, k;
    long *src = jtl_xcalloc(n + 1, sizeof(*src));
    const char **by = jtl_xcalloc(n + 1, sizeof(*by));

    for (i = 0; i < st->nraw && i < n; i++) {
        src[i] = -1 - (long)i;
        by[i] = NULL;
    }
    for (k = 0; k < st->n; k++)
        for (j = 0; j < st->nfiles[k] && base < n; j++, base++) {
            src[base] = (long)k;
            by[base] = st->f[k].shape.generator   ? st->f[k].shape.generator
                       : st->f[k].shape.hostnames ? "Hostname"
                                                  : NULL;
        }
    for (i = 0; i < n; i++)
        for (j = i + 1; j < n; j++) {
            if (src[i] == src[j] || by[i] || by[j] ||
                (src[i] < 0 && src[j] < 0) ||
                strcmp(info->files[i].name, info->files[j].name) != 0)
                continue;
            cli_warn(cfg,
                     "two inputs hold a file named '%s': without a Hostname "
                     "column each file is one load generator, named after "
                     "the file, so their threads count as one generator's; "
                     "summarize each with --generator NAME",
                     info->files[i].name);
            i = j = n;
        }
    free(src);
    free(by);
}

/* The run info lists the JTL files first, then each state's: put them in
 * the order of the command line, as if every input were a file. */
static void in_given_order(const struct cli_states *st,
                           struct jtl_run_info *info)
{
    size_t n = info->nfiles, raw = 0, sbase = st->nraw, k = 0, i, j, s = 0;
    size_t *to = jtl_xcalloc(n + 1, sizeof(*to)); /* old index -> new */
    size_t *start = jtl_xcalloc(st->n + 1, sizeof(*start));
    struct jtl_file_info *files = jtl_xcalloc(n + 1, sizeof(*files));

    for (i = 0; i < st->n; i++) {
        start[i] = sbase;
        sbase += st->nfiles[i];
    }
    for (i = 0; i < st->ninputs; i++) {
        if (!st->is_state[i]) {
            if (raw < st->nraw && raw < n)
                to[raw++] = k++;
            continue;
        }
        for (j = 0; j < st->nfiles[s] && start[s] + j < n; j++)
            to[start[s] + j] = k++;
        s++;
    }
    for (i = 0; i < n; i++) {
        files[to[i]] = info->files[i];
        if (files[to[i]].duplicate_of >= 0)
            files[to[i]].duplicate_of = (long)to[files[to[i]].duplicate_of];
    }
    memcpy(info->files, files, n * sizeof(*files));
    free(files);
    free(start);
    free(to);
}

/* Several states are read (inflated, decoded, checked) at once, each
 * into its own part; the parts are then added in the order given. */
struct read_job {
    struct cli_states *st;
    const struct jtl_agg *agg;
    const struct jtl_throttle *th;
    const bool *skip;
    struct jtl_state_part **part;
    enum jtl_err *err;
    struct jtl_diag *diag;
    pthread_mutex_t lock;
    size_t next;
};

static void *read_worker(void *arg)
{
    struct read_job *j = arg;

    for (;;) {
        size_t i;
        pthread_mutex_lock(&j->lock);
        i = j->next++;
        pthread_mutex_unlock(&j->lock);
        if (i >= j->st->n)
            return NULL;
        if (!j->skip[i])
            j->err[i] = jtl_state_read(&j->st->f[i], j->agg, j->th, &j->part[i],
                                       &j->diag[i]);
    }
}

static void read_all(struct read_job *j, unsigned threads)
{
    pthread_t tid[8];
    size_t started = 0, i;

    if (threads == 0) {
        long nc = sysconf(_SC_NPROCESSORS_ONLN);
        threads = nc < 1 ? 1 : (unsigned)nc;
    }
    if (threads > 8)
        threads = 8;
    pthread_mutex_init(&j->lock, NULL);
    for (i = 1; i < threads && i < j->st->n; i++)
        if (pthread_create(&tid[started], NULL, read_worker, j) == 0)
            started++;
    read_worker(j);
    for (i = 0; i < started; i++)
        pthread_join(tid[i], NULL);
    pthread_mutex_destroy(&j->lock);
}

enum jtl_err cli_states_load(const struct cli_config *cfg,
                             struct cli_states *st,
                             const struct jtl_state_shape *want, unsigned parts,
                             struct jtl_run_info *info, struct jtl_agg *agg,
                             struct jtl_throttle *th)
{
    struct jtl_diag diag = {0};
    struct read_job job;
    bool *skip = jtl_xcalloc(st->n + 1, sizeof(*skip));
    enum jtl_err err = JTL_OK;
    size_t i, j;

    for (i = 0; i < st->n; i++) {
        struct jtl_state_file *f = &st->f[i];
        if (jtl_state_check_shape(f, want, parts, &diag)) {
            cli_print_diag(&diag);
            free(skip);
            return JTL_ERR_USAGE;
        }
        /* the same state twice would count every request twice */
        for (j = 0; j < i && !skip[i]; j++)
            if (!skip[j] && jtl_state_same(&st->f[j], f)) {
                cli_warn(cfg,
                         "%s: the same state as '%s': read once, not twice",
                         f->name, st->f[j].name);
                skip[i] = true;
            }
    }
    memset(&job, 0, sizeof(job));
    job.st = st;
    job.agg = agg;
    job.th = th;
    job.skip = skip;
    job.part = jtl_xcalloc(st->n + 1, sizeof(*job.part));
    job.err = jtl_xcalloc(st->n + 1, sizeof(*job.err));
    job.diag = jtl_xcalloc(st->n + 1, sizeof(*job.diag));
    read_all(&job, cfg->read.threads);
    for (i = 0; i < st->n && !err; i++)
        if (job.err[i]) {
            cli_print_diag(&job.diag[i]);
            err = job.err[i];
        }
    if (info->samples == 0) {
        info->first_ts = INT64_MAX;
        info->last_end = INT64_MIN;
    }
    for (i = 0; i < st->n; i++) {
        size_t before = info->nfiles;
        if (err || skip[i]) {
            jtl_state_part_free(job.part[i]);
            continue;
        }
        jtl_state_join(job.part[i], info, agg, th);
        st->nfiles[i] = info->nfiles - before;
    }
    free(job.part);
    free(job.err);
    free(job.diag);
    free(skip);
    if (err)
        return err;
    warn_same_names(cfg, st, info);
    in_given_order(st, info);
    if (info->first_ts == INT64_MAX)
        info->first_ts = 0;
    if (info->last_end == INT64_MIN)
        info->last_end = info->first_ts;
    return JTL_OK;
}
