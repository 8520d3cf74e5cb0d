/* SPDX-License-Identifier: MIT
 * decode_xml.c - JMeter XML results (<testResults>) to samples, streaming,
 * through the libxml2 SAX2 push parser.
 *
 * Memory does not depend on the file size: libxml2 keeps only the current
 * token, and we keep one frame per OPEN sample element (its attribute strings
 * plus a few capped captured texts).  <responseData>, <samplerData> and every
 * other text we do not need is never buffered.
 *
 * Which elements are samples.  <httpSample> and <sample>, and any element
 * under <testResults> or under a sample that carries at least two sampler
 * attributes (t, lt, ts, s, lb, rc, rm, tn): JMeter writes plugin results
 * whose class has an alias in saveservice.properties that way.  A plugin
 * result WITHOUT an alias is written by XStream as a reflection dump: an
 * element named after the Java class, with no attributes, whose child
 * elements are SampleResult's fields (<label>, <responseCode>, <startTime>,
 * ...).  Such an element directly under <testResults> is read from those
 * child elements (one warning per file says so); if none of them is there it
 * is skipped with a warning and counted as skipped.
 *
 * Delivery order.  A sample is delivered when its element ENDS, because its
 * <responseHeader>, <assertionResult> and <java.net.URL> children come after
 * its start tag.  Nested sub-samples therefore reach the callback before
 * their parent (depth > 0, JTL_SAMPLE_SUBRESULT); the parent follows with
 * depth 0.  counts.records counts top-level samples, counts.samples all.
 *
 * Field mapping: attributes t it lt ct ts s lb rc (rs in old files) rm tn dt
 * de by sby sc ec ng na hn; any other attribute becomes a jtl_var
 * (sample_variables).  <responseHeader> text (first one, at most 64 KiB) is
 * response_headers; <java.net.URL> is url; the <failureMessage> of the first
 * <assertionResult> whose <failure> or <error> is true is failure_message
 * (JTL_F_FAILMSG is present only then).  sample->line is the line of the
 * start tag's '<'.  `ts` is epoch milliseconds.
 *
 * Damage.  The parser runs with XML_PARSE_RECOVER, so a bad character or a
 * mismatched tag is reported (file:line) and reading goes on.  An error
 * libxml2 cannot recover from (a NUL byte, a control character in a tag,
 * text after </testResults>, a start tag without its '>') stops the
 * document: what was read is kept, the open top-level sample is counted as
 * skipped, and reading resumes at the next line that starts with
 * "<httpSample " or "<sample " (JMeter writes top-level samples at column
 * 0) inside a made-up <testResults> in the declared encoding, or at the next
 * XML prologue.  A second "<?xml" prologue after the root element (JMeter
 * appends a new <testResults> to a file it did not close) ends the current
 * document and starts a new one ("<?xml" inside CDATA or a comment is
 * text).  A file that ends before </testResults> keeps every complete
 * sample, sets counts.truncated and warns; it is an error only with
 * opts->strict, as is any malformed XML.  Damage before any <testResults>
 * is JTL_ERR_FORMAT.  All of this gives the same samples whatever the
 * chunking (the unparsed tail of libxml2's buffer is kept for the resume,
 * and a doubtful UTF-8 tail is held back: see utf8_hold).  Limits: an
 * attribute value over 1 MiB skips its sample (JTL_ERR_LIMIT if strict);
 * libxml2's own 10 MB limits apply beyond.  After the first invalid UTF-8
 * byte libxml2 reads the rest of that document as ISO-8859-1 (its recovery
 * heuristic).
 *
 * Lines: sample->line and counts.lines come from libxml2's own line counter
 * (we add no counting pass over the bytes); CR LF counts once.
 *
 * Security: XML_PARSE_NONET, no XML_PARSE_NOENT, no DTD loading; getEntity
 * answers only the five predefined entities and resolveEntity refuses
 * everything, so internal entities are never expanded (billion laughs) and
 * external ones never fetched. */
#include <libxml/SAX2.h>
#include <libxml/entities.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode_internal.h"
#include "jtl/base/xalloc.h"

#define HEADERS_MAX (64 * 1024) /* <responseHeader> text kept */
#define TEXT_MAX (64 * 1024)    /* any other captured text */
#define ATTR_MAX (1024 * 1024)  /* one attribute value */
#define ELEM_DEPTH_MAX 4096     /* libxml2 stops at 256 without HUGE */

/* Strings of a frame, kept as offsets into its arena until delivery (the
 * arena may move while it grows). */
enum {
    S_LABEL,
    S_CODE,
    S_CODE_OLD, /* `rs`: responseCode in files before JMeter 2.1 */
    S_MESSAGE,
    S_THREAD,
    S_DTYPE,
    S_FAILMSG,
    S_URL,
    S_ENCODING,
    S_HOSTNAME,
    S_HEADERS,
    S_COUNT
};

/* What an open element is, by depth, so end tags know what ends. */
enum kind {
    K_OTHER,     /* ignored subtree */
    K_ROOT,      /* <testResults> */
    K_SAMPLE,    /* a sample frame */
    K_REFLECT,   /* XStream reflection dump of a sample */
    K_CAPTURE,   /* text kept into the innermost frame (see cap_*) */
    K_ASSERTION, /* <assertionResult> */
};

/* What a capture is for. */
enum cap {
    C_NONE,
    C_STR,    /* frame string cap_str */
    C_AMSG,   /* <failureMessage> of the current assertion */
    C_AFLAG,  /* <failure>/<error> of the current assertion */
    C_RFIELD, /* a field of a reflection dump */
};

struct span {
    size_t off, len;
};

struct vspan {
    struct span name, value;
};

struct frame {
    struct jtl_sample s; /* numbers, present, flags */
    struct span str[S_COUNT];
    unsigned strset; /* bit per S_* set */
    char *arena;
    size_t len, cap;
    struct vspan *vars;
    size_t nvars, vcap;
    struct jtl_var *out; /* built at delivery */
    size_t ocap;
    uint64_t line;
    bool reflect;
    bool skip;     /* damaged beyond use: not delivered, counted */
    bool children; /* a nested sample was delivered inside it */
    bool a_failed; /* its <failure> or <error> said true */
    bool a_has_msg;
    struct span a_msg;
    int64_t r_timestamp, r_start; /* reflection: timeStamp, startTime */
    bool r_has_ts, r_has_start;
    const char *elem; /* element name, for messages (libxml2 dict) */
};

enum state {
    ST_NEW,  /* no parser yet: collecting the first bytes */
    ST_DOC,  /* parsing a document */
    ST_DEAD, /* unrecoverable error: skipping to the next prologue */
};

struct jtl_dxml {
    struct jtl_decode_opts opts;
    jtl_sample_fn fn;
    void *ctx;
    xmlSAXHandler sax;
    xmlParserCtxtPtr ctxt;
    enum state state;
    char start[8]; /* first bytes of a document (encoding detection) */
    size_t start_len;

    /* element stack of the current document */
    unsigned char kind[ELEM_DEPTH_MAX];
    unsigned edepth;
    bool root_seen, root_closed;

    struct frame *frames;
    size_t nframes, fcap;

    /* capture of the text of the innermost K_CAPTURE element */
    enum cap cap;
    int cap_str;    /* S_* for C_STR, field id for C_RFIELD */
    size_t cap_off; /* start of the text in the frame arena */
    bool cap_cut;   /* text longer than its cap */
    char small[16]; /* C_AFLAG text */
    size_t small_len;

    /* the raw stream */
    uint64_t lines;     /* '\n' bytes fed so far */
    uint64_t line_base; /* lines before the current document */
    bool fed_any;
    char last;
    char hold[8]; /* a possible "<?xml" cut by a chunk boundary */
    size_t hold_len;
    /* ST_DEAD bookkeeping */
    uint64_t dead_from;       /* line where reading stopped */
    uint64_t err_sample_line; /* last error: on a column-0 sample tag */
    int err_code;             /* libxml2 code of the last error */
    uint64_t err_line;        /* ... its line */
    char err_msg[200];        /* ... and its text */
    /* The first libxml2 error before the first <testResults>, held: see
     * hold_pre_root() */
    bool pre_set;
    uint64_t pre_line;
    char pre_msg[200];
    bool any_root; /* some document of the input had <testResults> */
    bool kill;     /* a start tag broke: drop this document */
    char *replay;  /* libxml2's unparsed tail before the last chunk */
    size_t replay_len, replay_cap;
    uint64_t replay_line; /* line of its first byte */
    bool replay_bol;      /* ... which starts a line */
    char u8[16];          /* a doubtful UTF-8 tail held back (utf8_hold) */
    size_t u8_len;
    char given_last;    /* last byte handed to libxml2 or dropped, 0 = none */
    uint64_t kill_line; /* where */
    char dead_line[16]; /* start of the current discarded line */
    char encoding[48];  /* declared by the document that died */
    size_t dead_line_len;
    bool dead_line_done;

    /* Element and attribute names come interned from the parser's
     * dictionary, so pointers identify them: the names we look for, and
     * the attribute ids by position (JMeter writes them in a fixed order). */
    struct {
        const xmlChar *http_sample, *sample, *response_header, *assertion, *url;
    } nm;
    const xmlChar *apred[24];
    signed char aid[24];

    struct jtl_decode_counts counts;
    uint64_t seq;
    bool terminating; /* inside xmlParseChunk(terminate=1) */
    bool in_parse;    /* inside xmlParseChunk: stopping waits for its end */
    bool term_error;  /* an error came while terminating */
    bool term_cut;    /* ... and a sample's end tag was cut */
    bool warned_reflect, warned_cut;
    enum jtl_err fatal;  /* sticky error to return from feed/finish */
    uint64_t fatal_line; /* where reading stopped: counts.lines then */
    struct jtl_diag fatal_diag;
};

/* ------------------------------------------------------------------ */
/* messages */

static void vwarn_at(struct jtl_dxml *d, uint64_t line, const char *fmt,
                     va_list ap) JTL_PRINTF(3, 0);
static void vwarn_at(struct jtl_dxml *d, uint64_t line, const char *fmt,
                     va_list ap)
{
    char where[160], msg[320];

    if (!d->opts.warn)
        return;
    if (line)
        snprintf(where, sizeof(where), "%s:%llu", d->opts.name,
                 (unsigned long long)line);
    else
        snprintf(where, sizeof(where), "%s", d->opts.name);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    d->opts.warn(where, msg, d->opts.warn_ctx);
}

static void warn_at(struct jtl_dxml *d, uint64_t line, const char *fmt, ...)
    JTL_PRINTF(3, 4);
static void warn_at(struct jtl_dxml *d, uint64_t line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vwarn_at(d, line, fmt, ap);
    va_end(ap);
}

static uint64_t total_newlines(const struct jtl_dxml *d);

/* Remember the first fatal condition; feed/finish return it from now on. */
static void set_fatal(struct jtl_dxml *d, enum jtl_err err, uint64_t line,
                      const char *fmt, ...) JTL_PRINTF(4, 5);
static void set_fatal(struct jtl_dxml *d, enum jtl_err err, uint64_t line,
                      const char *fmt, ...)
{
    char where[160];
    va_list ap;

    if (d->fatal)
        return;
    if (line)
        snprintf(where, sizeof(where), "%s:%llu", d->opts.name,
                 (unsigned long long)line);
    else
        snprintf(where, sizeof(where), "%s", d->opts.name);
    d->fatal = err;
    d->fatal_line = line ? line : total_newlines(d) + 1;
    d->fatal_diag.code = err;
    snprintf(d->fatal_diag.where, sizeof(d->fatal_diag.where), "%s", where);
    va_start(ap, fmt);
    vsnprintf(d->fatal_diag.msg, sizeof(d->fatal_diag.msg), fmt, ap);
    va_end(ap);
    /* Stopping the parser frees its input buffer.  From inside
     * xmlParseChunk (an error or SAX callback) libxml2 may still be using
     * that buffer, e.g. while converting an encoding (fuzz decode
     * crash-93da38e3, SEGV with --strict on a bad UTF-16 byte), so it is
     * stopped once the call returns; the callbacks ignore everything after
     * a fatal error meanwhile. */
    if (d->ctxt && !d->in_parse)
        xmlStopParser(d->ctxt);
}

/* xmlParseChunk with a stop requested meanwhile carried out after it. */
static void parse_call(struct jtl_dxml *d, const char *p, int n, int term)
{
    d->in_parse = true;
    xmlParseChunk(d->ctxt, p, n, term);
    d->in_parse = false;
    if (d->fatal)
        xmlStopParser(d->ctxt);
}

static enum jtl_err return_fatal(struct jtl_dxml *d, struct jtl_diag *diag)
{
    if (diag)
        *diag = d->fatal_diag;
    return d->fatal;
}

/* Line of the current parser position in the whole input. */
static uint64_t cur_line(const struct jtl_dxml *d)
{
    if (!d->ctxt || !d->ctxt->input)
        return d->line_base + 1;
    return d->line_base +
           (uint64_t)(d->ctxt->input->line > 0 ? d->ctxt->input->line : 1);
}

/* Line of the '<' of the start tag being reported.  libxml2 calls
 * startElementNs with input->cur on the tag's '>' (its line is where the
 * tag ENDS); JMeter writes one tag per line, but a hand-edited file may
 * not, so count the newlines back to the '<' (attribute values cannot hold a
 * raw '<', and the whole tag is still in the input buffer).  The first
 * attribute's value normally points into that buffer a few bytes after the
 * '<', so the byte-wise backward search starts there. */
static uint64_t tag_line(const struct jtl_dxml *d, int nattr,
                         const xmlChar **attrs)
{
    const xmlParserInputPtr in = d->ctxt->input;
    const unsigned char *cur = in->cur, *base = in->base, *from, *lt, *nl;
    uint64_t line = cur_line(d);

    if (!cur || !base || cur <= base)
        return line;
    from = cur;
    if (nattr > 0 && (uintptr_t)attrs[3] > (uintptr_t)base &&
        (uintptr_t)attrs[3] < (uintptr_t)cur)
        from = attrs[3];
    for (lt = from - 1; lt > base && *lt != '<'; lt--)
        ;
    if (*lt != '<')
        return line;
    nl = memchr(lt, '\n', (size_t)(cur - lt));
    while (nl) {
        if (line > d->line_base + 1)
            line--;
        nl = memchr(nl + 1, '\n', (size_t)(cur - nl - 1));
    }
    return line;
}

/* ------------------------------------------------------------------ */
/* frames */

/* F's arena at OFF; "" when nothing was ever stored there (NULL + 0 is
 * undefined behaviour: UBSan in the xml fuzz run). */
static const char *arena_at(const struct frame *f, size_t off)
{
    return f->arena ? f->arena + off : "";
}

static bool arena_add(struct frame *f, const void *p, size_t n)
{
    if (f->len + n + 1 > f->cap) {
        size_t cap = f->cap ? f->cap : 512;
        while (cap < f->len + n + 1)
            cap *= 2;
        f->arena = jtl_xrealloc(f->arena, cap);
        f->cap = cap;
    }
    memcpy(f->arena + f->len, p, n);
    f->len += n;
    return true;
}

/* Copy an attribute value.  Without entity substitution libxml2 hands an
 * '&' that came from a reference ("&amp;", "&#38;") over as "&#38;" (so a
 * tree builder can re-parse it); a literal '&' cannot occur in an
 * attribute, so every "&#38;" here is one '&'. */
static struct span arena_attr(struct frame *f, const char *p, size_t n)
{
    struct span sp = {f->len, 0};
    const char *amp = memchr(p, '&', n);

    if (!amp) {
        arena_add(f, p, n);
    } else {
        const char *end = p + n;
        while (p < end) {
            amp = memchr(p, '&', (size_t)(end - p));
            if (!amp) {
                arena_add(f, p, (size_t)(end - p));
                break;
            }
            arena_add(f, p, (size_t)(amp - p) + 1);
            p = amp + 1;
            if (end - p >= 4 && memcmp(p, "#38;", 4) == 0)
                p += 4;
        }
    }
    sp.len = f->len - sp.off;
    return sp;
}

static struct frame *push_frame(struct jtl_dxml *d)
{
    struct frame *f;

    if (d->nframes == d->fcap) {
        size_t old = d->fcap;
        jtl_xgrow((void **)&d->frames, &d->fcap, d->nframes + 1,
                  sizeof(*d->frames));
        memset(d->frames + old, 0, (d->fcap - old) * sizeof(*d->frames));
    }
    f = &d->frames[d->nframes++];
    memset(&f->s, 0, sizeof(f->s));
    f->strset = 0;
    f->len = 0;
    f->nvars = 0;
    f->reflect = false;
    f->skip = false;
    f->children = false;
    f->a_failed = false;
    f->a_has_msg = false;
    f->r_has_ts = f->r_has_start = false;
    return f;
}

static struct frame *top_frame(struct jtl_dxml *d)
{
    return d->nframes ? &d->frames[d->nframes - 1] : NULL;
}

/* ------------------------------------------------------------------ */
/* attributes */

/* Unsigned decimal of at most 18 digits (cannot overflow): every number
 * JMeter writes; anything else goes through jtl_parse_i64. */
static bool fast_u63(const char *p, size_t n, int64_t *out)
{
    uint64_t v = 0;
    size_t i;

    if (n == 0 || n > 18)
        return false;
    for (i = 0; i < n; i++) {
        unsigned dg = (unsigned)(unsigned char)p[i] - '0';
        if (dg > 9)
            return false;
        v = v * 10 + dg;
    }
    *out = (int64_t)v;
    return true;
}

static bool parse_num(struct jtl_dxml *d, struct frame *f, const char *name,
                      const char *p, size_t n, int64_t *out)
{
    if (fast_u63(p, n, out) || jtl_parse_i64(p, n, out))
        return true;
    if (d->opts.strict)
        set_fatal(d, JTL_ERR_PARSE, f->line,
                  "attribute %s=\"%.*s\" is not a number", name,
                  (int)(n > 40 ? 40 : n), p);
    else
        warn_at(d, f->line, "attribute %s=\"%.*s\" is not a number; ignored",
                name, (int)(n > 40 ? 40 : n), p);
    return false;
}

/* The ranges of sample.h (JTL_TS_MAX, ...): values beyond them would
 * overflow sums and end times downstream; no JMeter run writes them. */
static bool in_range(enum jtl_field fl, int64_t v)
{
    switch (fl) {
    case JTL_F_TIMESTAMP:
        return v >= 0 && v <= JTL_TS_MAX;
    case JTL_F_ELAPSED:
    case JTL_F_LATENCY:
    case JTL_F_CONNECT:
    case JTL_F_IDLE:
        return v >= 0 && v <= JTL_DURATION_MAX;
    case JTL_F_BYTES:
    case JTL_F_SENT_BYTES:
        return v >= 0 && v <= JTL_BYTES_MAX;
    default:
        return v >= INT32_MIN && v <= INT32_MAX;
    }
}

static void set_i64(struct jtl_dxml *d, struct frame *f, const char *name,
                    const char *p, size_t n, int64_t *dst, enum jtl_field fl)
{
    int64_t v;

    if (!parse_num(d, f, name, p, n, &v))
        return;
    if (!in_range(fl, v)) {
        if (d->opts.strict)
            set_fatal(d, JTL_ERR_PARSE, f->line,
                      "attribute %s=\"%.*s\" is out of range", name,
                      (int)(n > 40 ? 40 : n), p);
        else
            warn_at(d, f->line,
                    "attribute %s=\"%.*s\" is out of range; ignored", name,
                    (int)(n > 40 ? 40 : n), p);
        return;
    }
    *dst = v;
    f->s.present |= 1u << fl;
}

static void set_i32(struct jtl_dxml *d, struct frame *f, const char *name,
                    const char *p, size_t n, int32_t *dst, enum jtl_field fl)
{
    int64_t v;

    if (!parse_num(d, f, name, p, n, &v))
        return;
    if (v < INT32_MIN || v > INT32_MAX) {
        warn_at(d, f->line, "attribute %s=\"%.*s\" is out of range; ignored",
                name, (int)(n > 40 ? 40 : n), p);
        return;
    }
    *dst = (int32_t)v;
    f->s.present |= 1u << fl;
}

static bool eq_ci(const char *p, size_t n, const char *lit)
{
    size_t i;

    if (strlen(lit) != n)
        return false;
    for (i = 0; i < n; i++) {
        char c = p[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != lit[i])
            return false;
    }
    return true;
}

static void set_bool(struct jtl_dxml *d, struct frame *f, const char *p,
                     size_t n)
{
    if (eq_ci(p, n, "true")) {
        f->s.success = true;
    } else if (eq_ci(p, n, "false")) {
        f->s.success = false;
    } else {
        warn_at(d, f->line, "attribute s=\"%.*s\" is not true/false; ignored",
                (int)(n > 40 ? 40 : n), p);
        return;
    }
    f->s.present |= 1u << JTL_F_SUCCESS;
}

static void set_str(struct frame *f, int which, const char *p, size_t n)
{
    f->str[which] = arena_attr(f, p, n);
    f->strset |= 1u << which;
}

/* JMeter's sample attributes (SampleSaveConfiguration / XStream names). */
enum attr {
    A_NONE = -1,
    A_T,
    A_IT,
    A_LT,
    A_CT,
    A_TS,
    A_S,
    A_BY,
    A_SBY,
    A_NG,
    A_NA,
    A_SC,
    A_EC,
    A_LB,
    A_RC,
    A_RS,
    A_RM,
    A_TN,
    A_DT,
    A_DE,
    A_HN,
};

/* Called for every attribute of every sample: a switch on the first
 * characters, no string comparisons. */
static enum attr attr_id(const char *n)
{
    /* clang-format off */
#define A2(c, id) if (n[1] == (c) && !n[2]) return id
    switch (n[0]) {
    case 't': if (!n[1]) return A_T; A2('s', A_TS); A2('n', A_TN); break;
    case 's':
        if (!n[1]) return A_S;
        A2('c', A_SC);
        if (n[1] == 'b' && n[2] == 'y' && !n[3]) return A_SBY;
        break;
    case 'l': A2('t', A_LT); A2('b', A_LB); break;
    case 'c': A2('t', A_CT); break;
    case 'i': A2('t', A_IT); break;
    case 'r': A2('c', A_RC); A2('m', A_RM); A2('s', A_RS); break;
    case 'd': A2('t', A_DT); A2('e', A_DE); break;
    case 'b': A2('y', A_BY); break;
    case 'n': A2('g', A_NG); A2('a', A_NA); break;
    case 'e': A2('c', A_EC); break;
    case 'h': A2('n', A_HN); break;
    default: break;
    }
#undef A2
    /* clang-format on */
    return A_NONE;
}

/* Apply one attribute; false when it is not one of JMeter's. */
static bool apply_attr(struct jtl_dxml *d, struct frame *f, enum attr id,
                       const char *name, const char *p, size_t n)
{
    struct jtl_sample *s = &f->s;

    /* clang-format off */
    switch (id) {
    case A_T: set_i64(d, f, name, p, n, &s->elapsed, JTL_F_ELAPSED); break;
    case A_IT: set_i64(d, f, name, p, n, &s->idle, JTL_F_IDLE); break;
    case A_LT: set_i64(d, f, name, p, n, &s->latency, JTL_F_LATENCY); break;
    case A_CT: set_i64(d, f, name, p, n, &s->connect, JTL_F_CONNECT); break;
    case A_TS: set_i64(d, f, name, p, n, &s->timestamp, JTL_F_TIMESTAMP); break;
    case A_S: set_bool(d, f, p, n); break;
    case A_BY: set_i64(d, f, name, p, n, &s->bytes, JTL_F_BYTES); break;
    case A_SBY: set_i64(d, f, name, p, n, &s->sent_bytes, JTL_F_SENT_BYTES); break;
    case A_NG: set_i32(d, f, name, p, n, &s->grp_threads, JTL_F_GRP_THREADS); break;
    case A_NA: set_i32(d, f, name, p, n, &s->all_threads, JTL_F_ALL_THREADS); break;
    case A_SC: set_i32(d, f, name, p, n, &s->sample_count, JTL_F_SAMPLE_COUNT); break;
    case A_EC: set_i32(d, f, name, p, n, &s->error_count, JTL_F_ERROR_COUNT); break;
    case A_LB: set_str(f, S_LABEL, p, n); break;
    case A_RC: set_str(f, S_CODE, p, n); break;
    case A_RS: set_str(f, S_CODE_OLD, p, n); break;
    case A_RM: set_str(f, S_MESSAGE, p, n); break;
    case A_TN: set_str(f, S_THREAD, p, n); break;
    case A_DT: set_str(f, S_DTYPE, p, n); break;
    case A_DE: set_str(f, S_ENCODING, p, n); break;
    case A_HN: set_str(f, S_HOSTNAME, p, n); break;
    default: return false;
    }
    /* clang-format on */
    return true;
}

/* Is NAME one of the attributes that mark a sampler result? */
static bool sampler_attr(const char *name)
{
    switch (attr_id(name)) {
    case A_T:
    case A_LT:
    case A_TS:
    case A_S:
    case A_LB:
    case A_RC:
    case A_RM:
    case A_TN:
        return true;
    default:
        return false;
    }
}

static bool is_sample(const struct jtl_dxml *d, const xmlChar *ln, int nattr,
                      const xmlChar **attrs)
{
    const char *name = (const char *)ln;
    int i, hits = 0;

    if (ln == d->nm.http_sample || ln == d->nm.sample)
        return true;
    if (ln == d->nm.response_header || ln == d->nm.assertion || ln == d->nm.url)
        return false;
    if (strcmp(name, "httpSample") == 0 || strcmp(name, "sample") == 0)
        return true;
    for (i = 0; i < nattr && hits < 2; i++)
        if (sampler_attr((const char *)attrs[i * 5]))
            hits++;
    return hits >= 2;
}

static void open_sample(struct jtl_dxml *d, const char *name, int nattr,
                        const xmlChar **attrs)
{
    struct frame *f = push_frame(d);
    int i;

    f->line = tag_line(d, nattr, attrs);
    f->elem = name;
    /* set_fatal() stops the parser, which frees the input buffer the
     * attribute values point into: no attribute after that (fuzz decode
     * crash-5af6c2c4, heap-use-after-free with --strict). */
    for (i = 0; i < nattr && !d->fatal; i++) {
        const char *an = (const char *)attrs[i * 5];
        const char *v = (const char *)attrs[i * 5 + 3];
        size_t n = (size_t)(attrs[i * 5 + 4] - attrs[i * 5 + 3]);
        struct vspan *vs;
        enum attr id;

        if (n > ATTR_MAX) {
            if (d->opts.strict)
                set_fatal(d, JTL_ERR_LIMIT, f->line,
                          "attribute %s is %zu bytes long (limit %d)", an, n,
                          ATTR_MAX);
            else
                warn_at(d, f->line,
                        "attribute %s is %zu bytes long (limit %d); sample "
                        "skipped",
                        an, n, ATTR_MAX);
            f->skip = true;
            continue;
        }
        if (i < 24 && attrs[i * 5] == d->apred[i]) {
            id = (enum attr)d->aid[i];
        } else {
            id = attr_id(an);
            if (i < 24) {
                d->apred[i] = attrs[i * 5];
                d->aid[i] = (signed char)id;
            }
        }
        if (apply_attr(d, f, id, an, v, n))
            continue;
        if (f->nvars == f->vcap)
            jtl_xgrow((void **)&f->vars, &f->vcap, f->nvars + 1,
                      sizeof(*f->vars));
        vs = &f->vars[f->nvars++];
        vs->name.off = f->len;
        arena_add(f, an, strlen(an));
        vs->name.len = f->len - vs->name.off;
        vs->value = arena_attr(f, v, n);
    }
}

/* ------------------------------------------------------------------ */
/* captures */

static void begin_capture(struct jtl_dxml *d, enum cap cap, int which)
{
    struct frame *f = top_frame(d);

    d->cap = cap;
    d->cap_str = which;
    d->cap_cut = false;
    d->small_len = 0;
    if (f)
        d->cap_off = f->len;
}

static size_t cap_limit(const struct jtl_dxml *d)
{
    if (d->cap == C_STR && d->cap_str == S_HEADERS)
        return HEADERS_MAX;
    return TEXT_MAX;
}

static void on_chars(void *ud, const xmlChar *ch, int len)
{
    struct jtl_dxml *d = ud;
    struct frame *f;
    size_t n = (size_t)len, have, room;

    if (d->cap == C_NONE || d->fatal)
        return;
    if (d->cap == C_AFLAG) {
        room = sizeof(d->small) - 1 - d->small_len;
        if (n > room)
            n = room;
        memcpy(d->small + d->small_len, ch, n);
        d->small_len += n;
        return;
    }
    f = top_frame(d);
    have = f->len - d->cap_off;
    room = cap_limit(d) - have;
    if (n > room) {
        n = room;
        d->cap_cut = true;
    }
    if (n)
        arena_add(f, ch, n);
}

static void parse_reflect_field(struct jtl_dxml *d, struct frame *f, int field,
                                const char *p, size_t n);

static void end_capture(struct jtl_dxml *d, const char *elem)
{
    struct frame *f = top_frame(d);
    struct span sp;
    enum cap cap = d->cap;
    size_t limit = cap_limit(d);

    d->cap = C_NONE;
    if (cap == C_AFLAG) {
        const char *p = d->small;
        size_t n = d->small_len;
        while (n &&
               (p[0] == ' ' || p[0] == '\n' || p[0] == '\r' || p[0] == '\t')) {
            p++;
            n--;
        }
        while (n && (p[n - 1] == ' ' || p[n - 1] == '\n' || p[n - 1] == '\r' ||
                     p[n - 1] == '\t'))
            n--;
        if (f && eq_ci(p, n, "true"))
            f->a_failed = true;
        return;
    }
    if (!f)
        return;
    sp.off = d->cap_off;
    sp.len = f->len - d->cap_off;
    if (d->cap_cut && !d->warned_cut) {
        d->warned_cut = true;
        warn_at(d, f->line,
                "<%s> text longer than %zu bytes: kept the first %zu (said "
                "once per file)",
                elem, limit, limit);
    }
    switch (cap) {
    case C_STR:
        f->str[d->cap_str] = sp;
        f->strset |= 1u << d->cap_str;
        break;
    case C_AMSG:
        if (!f->a_has_msg) {
            f->a_msg = sp;
            f->a_has_msg = true;
        } else {
            f->len = sp.off; /* a second one in the same assertion */
        }
        break;
    case C_RFIELD:
        parse_reflect_field(d, f, d->cap_str, arena_at(f, sp.off), sp.len);
        break;
    default:
        break;
    }
}

/* ------------------------------------------------------------------ */
/* XStream reflection dumps */

enum rfield {
    R_LABEL,
    R_CODE,
    R_MESSAGE,
    R_THREAD,
    R_DTYPE,
    R_ENCODING,
    R_HEADERS,
    R_SUCCESS,
    R_TIMESTAMP,
    R_START,
    R_ELAPSED,
    R_LATENCY,
    R_CONNECT,
    R_IDLE,
    R_BYTES,
    R_SENT,
    R_GRP,
    R_ALL,
    R_SC,
    R_EC,
};

/* clang-format off */
static const struct { const char *name; enum rfield f; } rfields[] = {
    {"label", R_LABEL}, {"responseCode", R_CODE},
    {"responseMessage", R_MESSAGE}, {"threadName", R_THREAD},
    {"dataType", R_DTYPE}, {"dataEncoding", R_ENCODING},
    {"responseHeaders", R_HEADERS}, {"success", R_SUCCESS},
    {"timeStamp", R_TIMESTAMP}, {"startTime", R_START},
    {"elapsedTime", R_ELAPSED}, {"latency", R_LATENCY},
    {"connectTime", R_CONNECT}, {"idleTime", R_IDLE}, {"bytes", R_BYTES},
    {"sentBytes", R_SENT}, {"groupThreads", R_GRP}, {"allThreads", R_ALL},
    {"sampleCount", R_SC}, {"errorCount", R_EC},
};
/* clang-format on */

static int rfield_lookup(const char *name)
{
    size_t i;

    for (i = 0; i < sizeof(rfields) / sizeof(rfields[0]); i++)
        if (strcmp(name, rfields[i].name) == 0)
            return (int)rfields[i].f;
    return -1;
}

static void parse_reflect_field(struct jtl_dxml *d, struct frame *f, int field,
                                const char *p, size_t n)
{
    /* P is arena_at(): "" when the arena was never allocated */
    struct span sp = {f->arena ? (size_t)(p - f->arena) : 0, n};
    int64_t v = 0;
    bool num;
    static const int strmap[] = {
        [R_LABEL] = S_LABEL,     [R_CODE] = S_CODE,   [R_MESSAGE] = S_MESSAGE,
        [R_THREAD] = S_THREAD,   [R_DTYPE] = S_DTYPE, [R_ENCODING] = S_ENCODING,
        [R_HEADERS] = S_HEADERS,
    };

    if (field <= R_HEADERS) {
        if (f->strset & (1u << strmap[field]))
            f->len = sp.off; /* keep the first */
        else {
            f->str[strmap[field]] = sp;
            f->strset |= 1u << strmap[field];
        }
        return;
    }
    f->len = sp.off; /* numbers and booleans need no text kept */
    if (field == R_SUCCESS) {
        set_bool(d, f, p, n);
        return;
    }
    num = jtl_parse_i64(p, n, &v);
    if (!num) {
        warn_at(d, f->line, "<%s> field \"%.*s\" is not a number; ignored",
                f->elem, (int)(n > 40 ? 40 : n), p);
        return;
    }
    {
        /* the field whose range applies, + 1 (0: none) */
        /* clang-format off */
        static const unsigned char as[] = {
            [R_TIMESTAMP] = JTL_F_TIMESTAMP + 1, [R_START] = JTL_F_TIMESTAMP + 1,
            [R_ELAPSED] = JTL_F_ELAPSED + 1, [R_LATENCY] = JTL_F_LATENCY + 1,
            [R_CONNECT] = JTL_F_CONNECT + 1, [R_IDLE] = JTL_F_IDLE + 1,
            [R_BYTES] = JTL_F_BYTES + 1, [R_SENT] = JTL_F_SENT_BYTES + 1,
            [R_GRP] = JTL_F_GRP_THREADS + 1, [R_ALL] = JTL_F_ALL_THREADS + 1,
            [R_SC] = JTL_F_SAMPLE_COUNT + 1, [R_EC] = JTL_F_ERROR_COUNT + 1};
        /* clang-format on */
        if ((size_t)field < sizeof(as) && as[field] &&
            !in_range((enum jtl_field)(as[field] - 1), v)) {
            warn_at(d, f->line, "<%s> field \"%.*s\" is out of range; ignored",
                    f->elem, (int)(n > 40 ? 40 : n), p);
            return;
        }
    }
    /* clang-format off */
    switch ((enum rfield)field) {
    case R_TIMESTAMP: f->r_timestamp = v; f->r_has_ts = true; break;
    case R_START: f->r_start = v; f->r_has_start = true; break;
    case R_ELAPSED: f->s.elapsed = v; f->s.present |= 1u << JTL_F_ELAPSED; break;
    case R_LATENCY: f->s.latency = v; f->s.present |= 1u << JTL_F_LATENCY; break;
    case R_CONNECT: f->s.connect = v; f->s.present |= 1u << JTL_F_CONNECT; break;
    case R_IDLE: f->s.idle = v; f->s.present |= 1u << JTL_F_IDLE; break;
    case R_BYTES: f->s.bytes = v; f->s.present |= 1u << JTL_F_BYTES; break;
    case R_SENT: f->s.sent_bytes = v; f->s.present |= 1u << JTL_F_SENT_BYTES; break;
    case R_GRP: f->s.grp_threads = (int32_t)v; f->s.present |= 1u << JTL_F_GRP_THREADS; break;
    case R_ALL: f->s.all_threads = (int32_t)v; f->s.present |= 1u << JTL_F_ALL_THREADS; break;
    case R_SC: f->s.sample_count = (int32_t)v; f->s.present |= 1u << JTL_F_SAMPLE_COUNT; break;
    case R_EC: f->s.error_count = (int32_t)v; f->s.present |= 1u << JTL_F_ERROR_COUNT; break;
    default: break;
    }
    /* clang-format on */
}

/* ------------------------------------------------------------------ */
/* delivery */

static const char empty[] = "";

static struct jtl_str mkstr(const struct frame *f, int which)
{
    struct jtl_str s = {empty, 0};

    if (f->strset & (1u << which)) {
        s.p = arena_at(f, f->str[which].off);
        s.len = f->str[which].len;
    }
    return s;
}

static void deliver(struct jtl_dxml *d, struct frame *f, unsigned depth)
{
    struct jtl_sample *s = &f->s;
    size_t i;
    int rc;

    if (f->reflect) {
        if (!f->strset && !f->s.present && !f->r_has_ts && !f->r_has_start) {
            warn_at(d, f->line,
                    "element <%s> is not a sample (no sampler attributes "
                    "or fields); skipped",
                    f->elem);
            d->counts.skipped++;
            return;
        }
        if (f->r_has_ts && f->r_timestamp > 0) {
            s->timestamp = f->r_timestamp;
            s->present |= 1u << JTL_F_TIMESTAMP;
        } else if (f->r_has_start) {
            s->timestamp = f->r_start;
            s->present |= 1u << JTL_F_TIMESTAMP;
        }
        if (!d->warned_reflect) {
            d->warned_reflect = true;
            warn_at(d, f->line,
                    "<%s> has no sampler attributes (a plugin result "
                    "written by XStream reflection): read from its child "
                    "elements (said once per file)",
                    f->elem);
        }
    }
    if (f->skip) {
        d->counts.skipped++;
        return;
    }
    s->label = mkstr(f, S_LABEL);
    s->code = mkstr(f, (f->strset & (1u << S_CODE)) ? S_CODE : S_CODE_OLD);
    s->message = mkstr(f, S_MESSAGE);
    s->thread = mkstr(f, S_THREAD);
    s->data_type = mkstr(f, S_DTYPE);
    s->failure_message = mkstr(f, S_FAILMSG);
    s->url = mkstr(f, S_URL);
    s->filename.p = empty;
    s->filename.len = 0;
    s->encoding = mkstr(f, S_ENCODING);
    s->hostname = mkstr(f, S_HOSTNAME);
    s->response_headers = mkstr(f, S_HEADERS);
    /* clang-format off */
    if (f->strset & (1u << S_LABEL)) s->present |= 1u << JTL_F_LABEL;
    if (f->strset & ((1u << S_CODE) | (1u << S_CODE_OLD))) s->present |= 1u << JTL_F_CODE;
    if (f->strset & (1u << S_MESSAGE)) s->present |= 1u << JTL_F_MESSAGE;
    if (f->strset & (1u << S_THREAD)) s->present |= 1u << JTL_F_THREAD;
    if (f->strset & (1u << S_DTYPE)) s->present |= 1u << JTL_F_DATATYPE;
    if (f->strset & (1u << S_FAILMSG)) s->present |= 1u << JTL_F_FAILMSG;
    if (f->strset & (1u << S_URL)) s->present |= 1u << JTL_F_URL;
    if (f->strset & (1u << S_ENCODING)) s->present |= 1u << JTL_F_ENCODING;
    if (f->strset & (1u << S_HOSTNAME)) s->present |= 1u << JTL_F_HOSTNAME;
    /* clang-format on */
    if (f->nvars > f->ocap)
        jtl_xgrow((void **)&f->out, &f->ocap, f->nvars, sizeof(*f->out));
    for (i = 0; i < f->nvars; i++) {
        f->out[i].name.p = arena_at(f, f->vars[i].name.off);
        f->out[i].name.len = f->vars[i].name.len;
        f->out[i].value.p = arena_at(f, f->vars[i].value.off);
        f->out[i].value.len = f->vars[i].value.len;
    }
    s->vars = f->nvars ? f->out : NULL;
    s->nvars = f->nvars;
    s->flags = jtl_tc_parse(s->message, NULL, NULL);
    if (depth) {
        s->flags |= JTL_SAMPLE_SUBRESULT;
        d->frames[depth - 1].children = true;
    }
    if (f->children)
        s->flags |= JTL_SAMPLE_HAS_SUBRESULTS;
    s->depth = depth;
    s->file = d->opts.name;
    s->line = f->line;
    s->seq = d->seq++;
    s->source = d->opts.source_index;
    d->counts.samples++;
    if (depth == 0)
        d->counts.records++;
    rc = d->fn ? d->fn(s, d->ctx) : 0;
    if (rc)
        set_fatal(d, JTL_ERR_STOPPED, f->line,
                  "stopped by the sample consumer (code %d)", rc);
}

/* ------------------------------------------------------------------ */
/* SAX callbacks */

static void say_pre_root(struct jtl_dxml *d);

/* The verdict on an input without any <testResults>; WHY (libxml2's first
 * error, or NULL) is quoted. */
static void fatal_no_root(struct jtl_dxml *d, uint64_t line, const char *why)
{
    if (why)
        set_fatal(d, JTL_ERR_FORMAT, line,
                  "not a JMeter XML result file: no <testResults> element "
                  "(%s)",
                  why);
    else
        set_fatal(d, JTL_ERR_FORMAT, line,
                  "not a JMeter XML result file: no <testResults> element");
}

static void on_start(void *ud, const xmlChar *localname, const xmlChar *prefix,
                     const xmlChar *uri, int nns, const xmlChar **ns, int nattr,
                     int ndefaulted, const xmlChar **attrs)
{
    struct jtl_dxml *d = ud;
    const char *name = (const char *)localname;
    enum kind parent, k = K_OTHER;
    struct frame *f;
    unsigned depth = d->edepth;

    (void)prefix;
    (void)uri;
    (void)nns;
    (void)ns;
    (void)ndefaulted;
    if (d->fatal || d->kill)
        return;
    if (depth >= ELEM_DEPTH_MAX) {
        d->edepth++;
        return;
    }
    if (depth == 0) {
        if (strcmp(name, "testResults") != 0) {
            set_fatal(d, JTL_ERR_FORMAT, cur_line(d),
                      "not a JMeter XML result file: the root element is "
                      "<%.60s>, not <testResults>",
                      name);
            return;
        }
        d->root_seen = d->any_root = true;
        d->kind[d->edepth++] = K_ROOT;
        say_pre_root(d);
        return;
    }
    parent = (enum kind)d->kind[depth - 1];
    switch (parent) {
    case K_ROOT:
        if (is_sample(d, localname, nattr, attrs)) {
            open_sample(d, name, nattr, attrs);
            k = K_SAMPLE;
        } else if (nattr == 0) {
            f = push_frame(d);
            f->line = tag_line(d, 0, NULL);
            f->elem = name;
            f->reflect = true;
            k = K_REFLECT;
        }
        break;
    case K_SAMPLE:
        f = top_frame(d);
        if (is_sample(d, localname, nattr, attrs)) {
            open_sample(d, name, nattr, attrs);
            k = K_SAMPLE;
        } else if (localname == d->nm.response_header ||
                   strcmp(name, "responseHeader") == 0) {
            if (!(f->strset & (1u << S_HEADERS))) {
                k = K_CAPTURE;
                begin_capture(d, C_STR, S_HEADERS);
            }
        } else if (localname == d->nm.assertion ||
                   strcmp(name, "assertionResult") == 0) {
            k = K_ASSERTION;
            f->a_failed = false;
            f->a_has_msg = false;
        } else if (localname == d->nm.url ||
                   strcmp(name, "java.net.URL") == 0) {
            if (!(f->strset & (1u << S_URL))) {
                k = K_CAPTURE;
                begin_capture(d, C_STR, S_URL);
            }
        }
        break;
    case K_ASSERTION:
        if (strcmp(name, "failureMessage") == 0) {
            k = K_CAPTURE;
            begin_capture(d, C_AMSG, 0);
        } else if (strcmp(name, "failure") == 0 || strcmp(name, "error") == 0) {
            k = K_CAPTURE;
            begin_capture(d, C_AFLAG, 0);
        }
        break;
    case K_REFLECT: {
        int rf = rfield_lookup(name);
        if (rf >= 0) {
            k = K_CAPTURE;
            begin_capture(d, C_RFIELD, rf);
        }
        break;
    }
    default:
        break;
    }
    d->kind[d->edepth++] = (unsigned char)k;
}

static void on_end(void *ud, const xmlChar *localname, const xmlChar *prefix,
                   const xmlChar *uri)
{
    struct jtl_dxml *d = ud;
    struct frame *f;
    enum kind k;

    (void)prefix;
    (void)uri;
    if (d->fatal || d->kill || d->edepth == 0 || d->term_cut)
        return;
    if (d->terminating && d->term_error && d->edepth <= ELEM_DEPTH_MAX &&
        (d->kind[d->edepth - 1] == K_SAMPLE ||
         d->kind[d->edepth - 1] == K_REFLECT ||
         d->kind[d->edepth - 1] == K_ROOT)) {
        /* At end of input, after an error, libxml2's recovery closes a
         * sample (or the root) whose end tag is cut ("</htt"): it is not
         * complete, the file is truncated inside it (doc_close() says). */
        d->term_cut = true;
        return;
    }
    d->edepth--;
    if (d->edepth >= ELEM_DEPTH_MAX)
        return;
    k = (enum kind)d->kind[d->edepth];
    switch (k) {
    case K_ROOT:
        d->root_closed = true;
        break;
    case K_SAMPLE:
    case K_REFLECT:
        f = top_frame(d);
        d->nframes--;
        deliver(d, f, (unsigned)d->nframes);
        break;
    case K_CAPTURE:
        end_capture(d, (const char *)localname);
        break;
    case K_ASSERTION:
        f = top_frame(d);
        if (f->a_failed && f->a_has_msg && !(f->strset & (1u << S_FAILMSG))) {
            f->str[S_FAILMSG] = f->a_msg;
            f->strset |= 1u << S_FAILMSG;
        } else if (f->a_has_msg && f->a_msg.off + f->a_msg.len == f->len) {
            f->len = f->a_msg.off; /* not kept: give the room back */
        }
        f->a_has_msg = false;
        break;
    default:
        break;
    }
}

static xmlEntityPtr on_get_entity(void *ud, const xmlChar *name)
{
    (void)ud;
    return xmlGetPredefinedEntity(name);
}

static xmlParserInputPtr on_resolve(void *ud, const xmlChar *pub,
                                    const xmlChar *sys)
{
    (void)ud;
    (void)pub;
    (void)sys;
    return NULL;
}

/* libxml2 messages start with a capital and end with "\n"; ours are
 * lowercase without a final period. */
static void tidy_msg(const char *in, char *out, size_t cap)
{
    size_t n;

    snprintf(out, cap, "%s", in ? in : "error");
    n = strlen(out);
    while (n && (out[n - 1] == '\n' || out[n - 1] == ' ' || out[n - 1] == '.'))
        out[--n] = '\0';
    for (n = 0; out[n]; n++)
        if (out[n] == '\n')
            out[n] = ' ';
    if (out[0] >= 'A' && out[0] <= 'Z' && !(out[1] >= 'A' && out[1] <= 'Z'))
        out[0] = (char)(out[0] - 'A' + 'a');
}

/* Does the line the parser stands on start with a sample start tag?  Asked
 * on errors only, while libxml2 still holds its buffer: when an error kills
 * the parser inside a start tag (a huge attribute, a control character),
 * no frame exists yet, and this is how that sample is still counted. */
static bool at_sample_line(const struct jtl_dxml *d)
{
    const xmlParserInputPtr in = d->ctxt ? d->ctxt->input : NULL;
    const unsigned char *ls, *base, *end;
    size_t n;

    if (!in || !in->cur || !in->base || !in->end)
        return false;
    base = in->base;
    end = in->end;
    for (ls = in->cur; ls > base && ls[-1] != '\n'; ls--)
        ;
    if (ls == base && in->consumed != 0)
        return false; /* the line starts before what libxml2 kept */
    n = (size_t)(end - ls);
    if (n >= 8 && memcmp(ls, "<sample", 7) == 0 &&
        (ls[7] == ' ' || ls[7] == '>' || ls[7] == '/'))
        return true;
    return n >= 12 && memcmp(ls, "<httpSample", 11) == 0 &&
           (ls[11] == ' ' || ls[11] == '>' || ls[11] == '/');
}

/* Before the first <testResults> nobody knows yet whether the file is a
 * JMeter result file, and libxml2 reports a broken first tag either at
 * once or only when the input ends, depending on how the bytes were cut
 * (fuzz readpar crash-f40164ca: a warning with one read size, none with
 * another).  So the first such error is held: said as usual once the root
 * shows, or quoted in the "not a JMeter XML result file" error. */
/* The input line of libxml2 error E (encoding errors carry none). */
static uint64_t error_line(const struct jtl_dxml *d, const xmlErrorPtr e)
{
    return e->line > 0 ? d->line_base + (uint64_t)e->line : cur_line(d);
}

/* A malformed-XML error: the end with --strict, else a warning. */
static void say_malformed(struct jtl_dxml *d, uint64_t line, const char *msg)
{
    if (d->opts.strict)
        set_fatal(d, JTL_ERR_PARSE, line, "malformed XML: %s", msg);
    else
        warn_at(d, line, "malformed XML: %s", msg);
}

/* A start tag without its '>': recovery would nest every following sample
 * inside it (and how far it gets depends on the chunking), so the document
 * is dropped as if libxml2 had given up, and doc_feed() resumes at the
 * next top-level sample. */
static void drop_document(struct jtl_dxml *d, uint64_t line)
{
    d->kill = true;
    d->kill_line = line;
    d->cap = C_NONE;
}

static void hold_pre_root(struct jtl_dxml *d, const xmlErrorPtr e)
{
    if (d->pre_set)
        return;
    d->pre_set = true;
    d->pre_line = error_line(d, e);
    tidy_msg(e->message, d->pre_msg, sizeof(d->pre_msg));
}

static void say_pre_root(struct jtl_dxml *d)
{
    if (!d->pre_set)
        return;
    d->pre_set = false;
    say_malformed(d, d->pre_line, d->pre_msg);
}

static void on_error(void *ud, xmlErrorPtr e)
{
    struct jtl_dxml *d = ud;
    char msg[200];
    uint64_t line;

    if (!e || e->level == XML_ERR_WARNING || d->fatal)
        return;
    if (!d->any_root && !d->kill) {
        hold_pre_root(d, e);
        if (d->terminating)
            d->term_error = true;
        else if (e->code == XML_ERR_GT_REQUIRED)
            drop_document(d, d->pre_line);
        return;
    }
    if (d->terminating) {
        /* Truncation is judged from our own stack after the final call. */
        d->term_error = true;
        return;
    }
    if (d->kill)
        return; /* the document is being dropped: later errors are noise */
    line = error_line(d, e);
    tidy_msg(e->message, msg, sizeof(msg));
    if (e->code == d->err_code && line == d->err_line &&
        strcmp(msg, d->err_msg) == 0)
        return; /* libxml2 raises some errors twice */
    d->err_line = line;
    /* An encoding or I/O error comes from inside libxml2's input push,
     * while the input buffer may be moving: do not look at it (fuzz
     * xmlchunk crash-d71cf1e6, heap-use-after-free). */
    d->err_sample_line = e->ctxt && e->domain != XML_FROM_I18N &&
                                 e->domain != XML_FROM_IO && at_sample_line(d)
                             ? cur_line(d)
                             : 0;
    d->err_code = e->code;
    memcpy(d->err_msg, msg, sizeof(d->err_msg));
    say_malformed(d, line, msg);
    if (!d->fatal && e->code == XML_ERR_GT_REQUIRED)
        drop_document(d, line);
}

/* libxml2's unstructured messages ("xmlParseChunk: encoder error") repeat
 * a structured error already reported: dropped, never printed raw. */
static void quiet_generic(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

/* Route this thread's context-free libxml2 errors (encoding, I/O) to D's
 * on_error (NULL: back to libxml2's defaults).  Both handlers are
 * thread-local in libxml2. */
static void errors_to(struct jtl_dxml *d)
{
    xmlSetStructuredErrorFunc(d, d ? on_error : NULL);
    xmlSetGenericErrorFunc(d, d ? quiet_generic : NULL);
}

/* ------------------------------------------------------------------ */
/* documents and the raw stream */

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;

static void xml_init(void)
{
    xmlInitParser();
}

static void doc_free(struct jtl_dxml *d)
{
    if (!d->ctxt)
        return;
    /* In SAX mode libxml2 still records internal-subset entities in a
     * stand-in document "for expat compatibility"; it is ours to free. */
    if (d->ctxt->myDoc)
        xmlFreeDoc(d->ctxt->myDoc);
    d->ctxt->myDoc = NULL;
    xmlFreeParserCtxt(d->ctxt);
    d->ctxt = NULL;
}

static void doc_reset(struct jtl_dxml *d)
{
    d->edepth = 0;
    d->nframes = 0;
    d->root_seen = d->root_closed = false;
    d->cap = C_NONE;
}

static void doc_create(struct jtl_dxml *d)
{
    errors_to(d);
    d->ctxt = xmlCreatePushParserCtxt(&d->sax, d, d->start, (int)d->start_len,
                                      d->opts.name);
    errors_to(NULL);
    if (!d->ctxt)
        jtl_out_of_memory(sizeof(xmlParserCtxt));
    /* an error while the first bytes went in could not stop a parser that
     * did not exist yet */
    if (d->fatal)
        xmlStopParser(d->ctxt);
    xmlCtxtUseOptions(d->ctxt, XML_PARSE_NONET | XML_PARSE_RECOVER);
    d->nm.http_sample =
        xmlDictLookup(d->ctxt->dict, (const xmlChar *)"httpSample", -1);
    d->nm.sample = xmlDictLookup(d->ctxt->dict, (const xmlChar *)"sample", -1);
    d->nm.response_header =
        xmlDictLookup(d->ctxt->dict, (const xmlChar *)"responseHeader", -1);
    d->nm.assertion =
        xmlDictLookup(d->ctxt->dict, (const xmlChar *)"assertionResult", -1);
    d->nm.url =
        xmlDictLookup(d->ctxt->dict, (const xmlChar *)"java.net.URL", -1);
    memset(d->apred, 0, sizeof(d->apred));
    d->state = ST_DOC;
    d->start_len = 0;
}

/* Count '\n' eight bytes at a time: for each byte of x = word ^ "\n\n..",
 * ~(((x & 0x7f) + 0x7f) | x | 0x7f) has bit 7 set exactly when the byte is
 * zero (no carry crosses bytes), and the multiply sums those bits.  Only
 * used off the hot path: while parsing, libxml2 counts lines itself. */
static uint64_t count_nl(const void *vp, size_t n)
{
    const unsigned char *p = vp;
    const uint64_t ones = 0x0101010101010101ULL, lo7 = ones * 0x7F;
    const uint64_t nl = ones * '\n';
    uint64_t c = 0;
    size_t i = 0;

    for (; i + 8 <= n; i += 8) {
        uint64_t x, t;
        memcpy(&x, p + i, 8);
        x ^= nl;
        t = ~(((x & lo7) + lo7) | x | lo7);
        c += ((t >> 7) * ones) >> 56;
    }
    for (; i < n; i++)
        c += p[i] == '\n';
    return c;
}

/* Newlines fed to the current document so far: the lines libxml2 has
 * consumed plus those still waiting in its input buffer. */
static uint64_t doc_newlines(const struct jtl_dxml *d)
{
    const xmlParserInputPtr in = d->ctxt ? d->ctxt->input : NULL;
    uint64_t n;

    if (d->state == ST_NEW)
        return count_nl(d->start, d->start_len);
    if (!in)
        return 0;
    n = in->line > 1 ? (uint64_t)(in->line - 1) : 0;
    if (in->cur && in->end && in->end > in->cur)
        n += count_nl(in->cur, (size_t)(in->end - in->cur));
    return n;
}

/* Newlines of the whole input fed so far (d->lines while dead). */
static uint64_t total_newlines(const struct jtl_dxml *d)
{
    if (d->state == ST_DEAD)
        return d->lines;
    return d->line_base + doc_newlines(d);
}

/* While dead, look for a line starting with "<httpSample " or "<sample "
 * (JMeter writes top-level samples at column 0, nested ones indented):
 * reading resumes there.  Returns true and the offset just after the byte
 * that completed such a line start in *USED (the line start itself is in
 * dead_line); false when P[0..N) holds none. */
static bool dead_scan(struct jtl_dxml *d, const char *p, size_t n, size_t *used)
{
    size_t i;

    for (i = 0; i < n; i++) {
        char c = p[i];
        if (d->dead_line_done && c != '\n') {
            const char *nl = memchr(p + i, '\n', n - i);
            if (!nl)
                break;
            i = (size_t)(nl - p);
            c = '\n';
        }
        if (c == '\n') {
            d->dead_line_len = 0;
            d->dead_line_done = false;
            continue;
        }
        d->dead_line[d->dead_line_len++] = c;
        if ((d->dead_line_len == 8 && memcmp(d->dead_line, "<sample", 7) == 0 &&
             (c == ' ' || c == '>' || c == '/')) ||
            (d->dead_line_len == 12 &&
             memcmp(d->dead_line, "<httpSample", 11) == 0 &&
             (c == ' ' || c == '>' || c == '/'))) {
            *used = i + 1;
            return true;
        }
        if (d->dead_line_len >= 12 ||
            (d->dead_line_len == 2 && d->dead_line[1] != 's' &&
             d->dead_line[1] != 'h') ||
            d->dead_line[0] != '<')
            d->dead_line_done = true;
    }
    *used = n;
    return false;
}

/* Keep the encoding the dying document declared, for resync(): only an
 * ASCII-compatible name, spelled with name characters. */
static void keep_encoding(struct jtl_dxml *d)
{
    const char *e = d->ctxt ? (const char *)d->ctxt->encoding : NULL;
    size_t i;

    if (!e)
        return;
    for (i = 0; e[i] && i + 1 < sizeof(d->encoding); i++) {
        char c = e[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
              (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' ||
              c == ':'))
            return;
    }
    if (e[i] || strstr(e, "16") || strstr(e, "32") ||
        ((e[0] == 'U' || e[0] == 'u') && (e[1] == 'C' || e[1] == 'c')))
        return;
    memcpy(d->encoding, e, i + 1);
}

static void go_dead(struct jtl_dxml *d, uint64_t line, bool line_ok)
{
    struct frame *f = d->nframes ? &d->frames[0] : NULL;

    keep_encoding(d);
    d->kill = false;
    d->dead_from = line;
    if (f) {
        warn_at(d, f->line,
                "cannot recover from malformed XML: this <%s> is lost; "
                "skipping to the next top-level sample",
                f->elem);
        d->counts.skipped++;
    } else if (!line_ok && d->root_seen && d->err_sample_line == d->dead_from) {
        warn_at(d, d->dead_from,
                "cannot recover from malformed XML: the sample starting on "
                "this line is lost; skipping to the next top-level sample");
        d->counts.skipped++;
    } else {
        warn_at(d, d->dead_from,
                "cannot recover from malformed XML; skipping to the next "
                "top-level sample");
        /* Inside the root the broken bytes are results (a NUL block over
         * a sample's start tag): count them as one skipped record, so the
         * run says the input was damaged (exit 4) rather than exit 0. */
        if (d->root_seen && !d->root_closed)
            d->counts.skipped++;
    }
    doc_free(d);
    doc_reset(d);
    d->state = ST_DEAD;
    d->dead_line_len = 0;
    d->dead_line_done = true; /* the current line is the broken one */
}

static void end_dead(struct jtl_dxml *d, const char *until)
{
    if (d->state != ST_DEAD)
        return;
    warn_at(d, d->dead_from, "skipped %llu lines %s",
            (unsigned long long)(d->lines - d->dead_from + 1), until);
}

static void doc_feed(struct jtl_dxml *d, const char *p, size_t n);

/* Resume after an unrecoverable error at the top-level sample whose line
 * start is in dead_line: a new document with a made-up prologue and root
 * (no newline, so libxml2's line 1 is this line), in the encoding the
 * file declared. */
static void resync(struct jtl_dxml *d)
{
    char pro[160];
    int k;

    end_dead(d, "up to the next top-level sample");
    d->state = ST_NEW;
    d->start_len = 0;
    d->line_base = d->lines;
    warn_at(d, d->lines + 1, "resuming at this sample");
    k = snprintf(pro, sizeof(pro),
                 "<?xml version=\"1.0\" encoding=\"%s\"?><testResults>",
                 d->encoding[0] ? d->encoding : "UTF-8");
    doc_feed(d, pro, (size_t)k);
    doc_feed(d, d->dead_line, d->dead_line_len);
}

/* Dead: drop bytes up to a resync point, then feed the rest normally. */
static void dead_feed(struct jtl_dxml *d, const char *p, size_t n)
{
    size_t used;
    bool found = dead_scan(d, p, n, &used);

    d->lines += count_nl(p, used);
    if (used)
        d->given_last = p[used - 1];
    if (!found)
        return;
    resync(d);
    doc_feed(d, p + used, n - used);
}

/* Before each chunk: if the chunk kills the parser, libxml2 drops its
 * buffer, and with it the unparsed tail of earlier chunks, so keep a copy
 * (normally a few bytes; at most libxml2's 10 MB lookup limit) and where it
 * starts. */
static void keep_pending(struct jtl_dxml *d)
{
    const xmlParserInputPtr in = d->ctxt->input;
    size_t n = 0;

    d->replay_line =
        d->line_base + (uint64_t)(in && in->line > 0 ? in->line : 1);
    d->replay_bol = d->given_last == '\n' || d->given_last == 0;
    if (in && in->cur && in->end && in->end > in->cur) {
        n = (size_t)(in->end - in->cur);
        if (n > d->replay_cap)
            jtl_xgrow((void **)&d->replay, &d->replay_cap, n, 1);
        memcpy(d->replay, in->cur, n);
        d->replay_bol = in->cur > in->base ? in->cur[-1] == '\n' : in->col <= 1;
    }
    d->replay_len = n;
}

/* Move *P to the start of line TARGET, counting in *LINE (the line of *P);
 * *BOL says whether *P is at a line start.  NULL when P..END ends first. */
static const char *skip_lines(const char *p, const char *end, uint64_t *line,
                              uint64_t target, bool *bol)
{
    while (*line < target) {
        const char *q;
        if (p == end)
            return NULL;
        q = memchr(p, '\n', (size_t)(end - p));
        if (!q) {
            *bol = false;
            return NULL;
        }
        p = q + 1;
        (*line)++;
        *bol = true;
    }
    return p;
}

/* The parser died (or was dropped) while parsing the chunk P[0..K); the
 * held UTF-8 tail and REST[0..NREST) follow it.  Reading goes on from the
 * line after the error line H, over the kept unparsed tail and then the
 * chunk: the same bytes whatever the chunking. */
static void doc_died(struct jtl_dxml *d, const char *p, size_t k,
                     const char *rest, size_t nrest)
{
    char held[16];
    size_t nheld = d->u8_len;
    uint64_t h = d->kill ? d->kill_line : cur_line(d);
    /* "Extra content at the end of the document": the root closed (maybe
     * early, after a recovered mismatch); the line where that content
     * starts is itself fine and may be the next sample */
    bool line_ok = !d->kill && d->err_code == XML_ERR_DOCUMENT_END;
    uint64_t line = d->replay_line;
    bool bol = d->replay_bol;
    char *a = d->replay;
    size_t alen = d->replay_len, acap = d->replay_cap;
    const char *ra = NULL, *rb = NULL;

    if (!d->any_root) {
        /* broken before any <testResults>: not ours (or its head is gone);
         * the same verdict as when the end of input finds no root */
        fatal_no_root(d, h,
                      d->pre_set      ? d->pre_msg
                      : d->err_msg[0] ? d->err_msg
                                      : "malformed XML");
        return;
    }
    memcpy(held, d->u8, nheld);
    d->u8_len = 0;
    go_dead(d, h, line_ok);
    /* our own buffer: feeding below may start a new document that reuses
     * d->replay */
    d->replay = NULL;
    d->replay_cap = 0;
    d->replay_len = 0;
    ra = skip_lines(a, a + alen, &line, line_ok ? h : h + 1, &bol);
    if (!ra)
        rb = skip_lines(p, p + k, &line, line_ok ? h : h + 1, &bol);
    d->lines = line - 1;
    d->dead_line_len = 0;
    d->dead_line_done = !bol;
    if (ra) {
        doc_feed(d, ra, (size_t)(a + alen - ra));
        doc_feed(d, p, k);
    } else if (rb) {
        doc_feed(d, rb, (size_t)(p + k - rb));
    }
    doc_feed(d, held, nheld);
    doc_feed(d, rest, nrest);
    if (!d->replay) {
        d->replay = a;
        d->replay_cap = acap;
    } else {
        free(a);
    }
}

/* Whether P[I..END) starts with a complete, well-formed UTF-8 sequence
 * (shortest form, at most U+10FFFF); its length in *LEN. */
static bool utf8_ok(const unsigned char *p, size_t i, size_t end, size_t *len)
{
    unsigned c = p[i];
    size_t n, k;

    if (c >= 0xC2 && c <= 0xDF)
        n = 2;
    else if (c >= 0xE0 && c <= 0xEF)
        n = 3;
    else if (c >= 0xF0 && c <= 0xF4)
        n = 4;
    else
        return false;
    if (end - i < n)
        return false;
    for (k = 1; k < n; k++)
        if ((p[i + k] & 0xC0) != 0x80)
            return false;
    if ((c == 0xE0 && p[i + 1] < 0xA0) || (c == 0xF0 && p[i + 1] < 0x90) ||
        (c == 0xF4 && p[i + 1] > 0x8F))
        return false;
    *len = n;
    return true;
}

/* How many bytes to hold back at the end of P[0..N) before handing it to
 * libxml2.  libxml2 2.9 takes a bad UTF-8 sequence that starts less than 4
 * bytes before the end of its data for one cut by the chunk; in push mode it
 * then stops making progress and gives up on the document, where a whole
 * buffer would only have warned (recover mode reads such bytes as Latin-1).
 * So the data handed over never ends within 3 bytes after a bad or cut
 * sequence; well-formed text, ASCII or not, is never held.  At most 12
 * bytes (a longer run of bad bytes is handed over as it is). */
static size_t utf8_hold(const char *vp, size_t n)
{
    const unsigned char *p = (const unsigned char *)vp;
    size_t end = n;

    while (n - end <= 12) {
        size_t i = end > 8 ? end - 8 : 0, bad = end, len;

        while (i > 0 && i < end && (p[i] & 0xC0) == 0x80)
            i++; /* sync on a character start */
        while (i < end) {
            if (p[i] < 0x80) {
                i++;
            } else if (utf8_ok(p, i, end, &len)) {
                i += len;
            } else if (i + 3 >= end) {
                bad = i;
                break;
            } else {
                i++;
            }
        }
        if (bad == end)
            return n - end;
        end = bad;
    }
    return 0;
}

/* One xmlParseChunk; false when the document died (then the bytes after
 * it, REST[0..NREST), have been handled by doc_died()). */
static bool parse_chunk(struct jtl_dxml *d, const char *p, size_t k,
                        const char *rest, size_t nrest)
{
    keep_pending(d);
    d->given_last = p[k - 1];
    /* Encoding and I/O errors come without a parser context: libxml2
     * would print them raw ("encoding error : input conversion failed")
     * through its global handler; this thread's goes to on_error too. */
    errors_to(d);
    parse_call(d, p, (int)k, 0);
    errors_to(NULL);
    if (d->fatal)
        return false;
    if (d->ctxt->instate == XML_PARSER_EOF || d->kill) {
        doc_died(d, p, k, rest, nrest);
        return false;
    }
    return true;
}

/* Hand bytes to the current document (or drop them when dead). */
static void doc_feed(struct jtl_dxml *d, const char *p, size_t n)
{
    size_t cut;

    if (!n || d->fatal)
        return;
    if (n > (1u << 30)) { /* libxml2 takes an int length */
        doc_feed(d, p, 1u << 30);
        doc_feed(d, p + (1u << 30), n - (1u << 30));
        return;
    }
    d->last = p[n - 1];
    d->fed_any = true;
    if (d->state == ST_DEAD) {
        dead_feed(d, p, n);
        return;
    }
    if (d->state == ST_NEW) {
        size_t k = sizeof(d->start) - d->start_len;
        if (k > n)
            k = n;
        memcpy(d->start + d->start_len, p, k);
        d->start_len += k;
        d->given_last = p[k - 1];
        p += k;
        n -= k;
        if (d->start_len < 4)
            return;
        doc_create(d);
        if (!n)
            return;
    }
    /* bytes held from the last call go first, with enough new ones to
     * decide them */
    while (d->u8_len && n) {
        char tmp[32];
        size_t take = sizeof(tmp) - d->u8_len, tl;

        if (take > n)
            take = n;
        memcpy(tmp, d->u8, d->u8_len);
        memcpy(tmp + d->u8_len, p, take);
        tl = d->u8_len + take;
        p += take;
        n -= take;
        cut = utf8_hold(tmp, tl);
        memcpy(d->u8, tmp + tl - cut, cut);
        d->u8_len = cut;
        if (tl > cut && !parse_chunk(d, tmp, tl - cut, p, n))
            return;
    }
    if (!n)
        return;
    cut = utf8_hold(p, n);
    memcpy(d->u8, p + n - cut, cut);
    d->u8_len = cut;
    if (n > cut)
        parse_chunk(d, p, n - cut, p + n, 0);
}

/* Close the current document: terminate the parser and judge truncation.
 * WHY is NULL at end of input, else a description of what follows. */
static void doc_close(struct jtl_dxml *d, bool at_eof)
{
    uint64_t line;

    if (d->state == ST_NEW && d->start_len)
        doc_create(d);
    if (d->state != ST_DOC)
        return;
    d->lines = d->line_base + doc_newlines(d);
    d->terminating = true;
    d->term_error = false;
    d->term_cut = false;
    errors_to(d);
    parse_call(d, d->u8, (int)d->u8_len, 1);
    errors_to(NULL);
    d->u8_len = 0;
    d->terminating = false;
    if (d->fatal)
        return;
    line = cur_line(d);
    if (!d->root_seen) {
        if (at_eof && !d->any_root)
            fatal_no_root(d, line, d->pre_set ? d->pre_msg : NULL);
        else
            warn_at(d, line,
                    "XML document without a <testResults> "
                    "element; ignored");
    } else if (!d->root_closed) {
        const struct frame *f = d->nframes ? &d->frames[0] : NULL;
        char what[200];

        if (f)
            snprintf(what, sizeof(what), "inside <%.60s>", f->elem);
        else
            snprintf(what, sizeof(what), "before </testResults>");
        if (at_eof) {
            d->counts.truncated = true;
            if (f)
                d->counts.skipped++;
            if (d->opts.strict)
                set_fatal(d, JTL_ERR_PARSE, f ? f->line : line,
                          "file ends %s (truncated): %llu complete samples "
                          "read",
                          what, (unsigned long long)d->counts.records);
            else
                warn_at(d, f ? f->line : line,
                        "file ends %s (truncated): %llu complete samples "
                        "read",
                        what, (unsigned long long)d->counts.records);
        } else {
            if (f)
                d->counts.skipped++;
            if (d->opts.strict)
                set_fatal(d, JTL_ERR_PARSE, f ? f->line : line,
                          "a new XML prologue starts %s (results appended "
                          "after an unclean stop)",
                          what);
            else
                warn_at(d, f ? f->line : line,
                        "a new XML prologue starts %s (results appended "
                        "after an unclean stop): %llu complete samples read "
                        "so far; reading on",
                        what, (unsigned long long)d->counts.records);
        }
    } else if (d->term_error) {
        warn_at(d, line, "malformed XML after </testResults>");
    }
    doc_free(d);
    doc_reset(d);
    d->state = ST_NEW;
    d->line_base = d->lines;
}

/* The stream is at "<?xml".  Start a new document when this is not the
 * first prologue of the current one. */
static void at_prologue(struct jtl_dxml *d)
{
    if (d->state == ST_DEAD) {
        end_dead(d, "up to the next XML prologue");
        d->state = ST_NEW;
        d->start_len = 0;
        d->line_base = d->lines;
        warn_at(d, d->lines + 1, "resuming at a new XML prologue");
        return;
    }
    if (d->state != ST_DOC || !d->root_seen)
        return;
    {
        xmlParserCtxtPtr c = d->ctxt;
        const xmlChar *cur = c->input ? c->input->cur : NULL;
        const xmlChar *end = c->input ? c->input->end : NULL;

        /* Inside a comment, CDATA or PI "<?xml" is just text. */
        if (c->instate == XML_PARSER_CDATA_SECTION ||
            c->instate == XML_PARSER_COMMENT || c->instate == XML_PARSER_PI)
            return;
        while (cur && cur < end &&
               (*cur == ' ' || *cur == '\n' || *cur == '\r' || *cur == '\t'))
            cur++;
        if (cur && end - cur >= 2 && cur[0] == '<' && cur[1] == '!')
            return; /* an unfinished <!-- or <![CDATA[ is pending */
    }
    doc_close(d, false);
}

/* How "<?xml" followed by white space matches at P: 1 yes, 0 no, -1 the
 * bytes end before it can be decided. */
static int prologue_at(const char *p, size_t n)
{
    static const char pat[] = "<?xml";
    size_t i;

    for (i = 0; i < 5; i++) {
        if (i == n)
            return -1;
        if (p[i] != pat[i])
            return 0;
    }
    if (n == 5)
        return -1;
    return p[5] == ' ' || p[5] == '\t' || p[5] == '\r' || p[5] == '\n';
}

/* Split the stream at every "<?xml" prologue.  The search is for '?'
 * (rare outside URLs) rather than '<' (every tag), and a possible prologue
 * cut by the chunk end is held back until the next bytes decide it. */
static void scan_feed(struct jtl_dxml *d, const char *p, size_t n)
{
    const char *end = p + n;

    while (p < end && !d->fatal) {
        const char *q, *from;
        size_t k;

        if (d->hold_len) {
            char tmp[16];
            int m;

            k = (size_t)(end - p);
            if (k > sizeof(tmp) - d->hold_len)
                k = sizeof(tmp) - d->hold_len;
            memcpy(tmp, d->hold, d->hold_len);
            memcpy(tmp + d->hold_len, p, k);
            m = prologue_at(tmp, d->hold_len + k);
            if (m < 0) { /* still undecided: all of P is held */
                memcpy(d->hold + d->hold_len, p, k);
                d->hold_len += k;
                return;
            }
            if (m > 0)
                at_prologue(d);
            doc_feed(d, d->hold, d->hold_len);
            d->hold_len = 0;
            continue;
        }
        from = p;
        q = NULL;
        for (;;) {
            const char *qm = memchr(from, '?', (size_t)(end - from));
            if (!qm)
                break;
            if (qm > p && qm[-1] == '<' &&
                prologue_at(qm - 1, (size_t)(end - qm + 1)) != 0) {
                q = qm - 1;
                break;
            }
            from = qm + 1;
        }
        if (!q) {
            /* a '<' among the last bytes may start a prologue */
            for (k = 1; k <= 5 && k <= (size_t)(end - p); k++)
                if (end[-(long)k] == '<' && prologue_at(end - k, k) < 0) {
                    q = end - k;
                    break;
                }
            if (!q) {
                doc_feed(d, p, (size_t)(end - p));
                return;
            }
        }
        if (prologue_at(q, (size_t)(end - q)) < 0) {
            doc_feed(d, p, (size_t)(q - p));
            d->hold_len = (size_t)(end - q);
            memcpy(d->hold, q, d->hold_len);
            return;
        }
        doc_feed(d, p, (size_t)(q - p));
        at_prologue(d);
        doc_feed(d, q, 6);
        p = q + 6;
    }
}

/* ------------------------------------------------------------------ */
/* public */

enum jtl_err jtl_dxml_new(const struct jtl_decode_opts *opts, jtl_sample_fn fn,
                          void *ctx, struct jtl_dxml **out,
                          struct jtl_diag *diag)
{
    struct jtl_dxml *d;

    (void)diag;
    pthread_once(&xml_once, xml_init);
    d = jtl_xcalloc(1, sizeof(*d));
    d->opts = *opts;
    if (!d->opts.name)
        d->opts.name = "<input>";
    d->fn = fn;
    d->ctx = ctx;
    d->sax.initialized = XML_SAX2_MAGIC;
    d->sax.startElementNs = on_start;
    d->sax.endElementNs = on_end;
    d->sax.characters = on_chars;
    d->sax.cdataBlock = on_chars;
    d->sax.getEntity = on_get_entity;
    d->sax.resolveEntity = on_resolve;
    d->sax.serror = on_error;
    d->state = ST_NEW;
    d->counts.format = JTL_FORMAT_XML;
    *out = d;
    return JTL_OK;
}

enum jtl_err jtl_dxml_feed(struct jtl_dxml *d, const char *p, size_t n,
                           struct jtl_diag *diag)
{
    if (d->fatal)
        return return_fatal(d, diag);
    scan_feed(d, p, n);
    if (d->fatal)
        return return_fatal(d, diag);
    return JTL_OK;
}

enum jtl_err jtl_dxml_finish(struct jtl_dxml *d, struct jtl_diag *diag)
{
    if (d->fatal)
        return return_fatal(d, diag);
    if (d->hold_len) {
        doc_feed(d, d->hold, d->hold_len);
        d->hold_len = 0;
    }
    if (d->state == ST_DEAD)
        end_dead(d, "to the end of the file");
    else
        doc_close(d, true);
    if (d->fatal)
        return return_fatal(d, diag);
    return JTL_OK;
}

void jtl_dxml_counts(const struct jtl_dxml *d, struct jtl_decode_counts *out)
{
    *out = d->counts;
    /* After a fatal error the bytes fed later depend on the caller's
     * chunking; the line where reading stopped does not. */
    if (d->fatal)
        out->lines = d->fatal_line;
    else
        out->lines = total_newlines(d) + (d->fed_any && d->last != '\n');
    out->format = JTL_FORMAT_XML;
}

void jtl_dxml_free(struct jtl_dxml *d)
{
    size_t i;

    if (!d)
        return;
    doc_free(d);
    for (i = 0; i < d->fcap; i++) {
        free(d->frames[i].arena);
        free(d->frames[i].vars);
        free(d->frames[i].out);
    }
    free(d->frames);
    free(d->replay);
    free(d);
}
