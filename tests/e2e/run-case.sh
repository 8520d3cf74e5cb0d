#!/bin/sh
# SPDX-License-Identifier: MIT
# run-case.sh - run one end-to-end case, a folder of tests/e2e/cases/ (what
# each file in it means: tests/e2e/README.md).
#
#   sh tests/e2e/run-case.sh CASE_DIR [BIN [DATA [SAMPLES [SCRATCH]]]]
#
# ctest passes all five.  By hand the defaults are the release build, the
# repository's tests/data and samples/, and /tmp/jtlscope-e2e/NAME as the
# scratch folder.  Exit 0 when every assertion held, 1 when one failed, 77
# when the case needs a program this machine lacks.  UPDATE=1 rewrites the
# case's expected-* files from this run instead of comparing with them.
set -u

_here=$(cd "$(dirname "$0")" && pwd)
_root=$(cd "$_here/../.." && pwd)
_abs() { case $1 in /*) printf '%s\n' "$1" ;; *) printf '%s/%s\n' "$PWD" "$1" ;; esac; }

if [ $# -lt 1 ] || [ ! -f "$1/cmd" ]; then
    echo "usage: $0 CASE_DIR [BIN [DATA [SAMPLES [SCRATCH]]]]" >&2
    exit 2
fi
CASE=$(cd "$1" && pwd)
BIN=$(_abs "${2:-$_root/build/release/jtlscope}")
DATA=$(_abs "${3:-$_root/tests/data}")
SAMPLES=$(_abs "${4:-$_root/samples}")
OUT=$(_abs "${5:-${TMPDIR:-/tmp}/jtlscope-e2e/${CASE##*/}}")
E2E=$_here
# ctest sets the same; by hand the goldens need them too
LC_ALL=C TZ=UTC JTL_SRC=${JTL_SRC:-$_root}
export BIN DATA SAMPLES OUT CASE E2E LC_ALL TZ JTL_SRC

# ---- counting ---------------------------------------------------------------
# Everything a case asserts goes through ok/bad, so that the last line is
# always "N passed, N failed".  Messages go to fd 3, the runner's own output:
# the case's stdout and stderr are captured for comparison.
_passed=0 _failed=0
ok() { _passed=$((_passed + 1)); printf 'ok   %s\n' "$*" >&3; }
bad() { _failed=$((_failed + 1)); printf 'FAIL %s\n' "$*" >&3; }
skip() { printf 'SKIP: %s\n' "$*" >&3; exit 77; }

# check WHAT CMD...: CMD succeeds.  refute WHAT CMD...: it fails.
check() {
    _what=$1
    shift
    if "$@"; then ok "$_what"; else bad "$_what"; fi
}
refute() {
    _what=$1
    shift
    if "$@"; then bad "$_what"; else ok "$_what"; fi
}

# A command line as it reads in the case: paths relative to the case's
# folder, the binary named jtlscope.
_show() {
    _s=
    for _a in "$@"; do
        case $_a in
        "$BIN") _a=jtlscope ;;
        "$OUT"/*) _a=${_a#"$OUT"/} ;;
        "$DATA"/*) _a=\$DATA/${_a#"$DATA"/} ;;
        "$SAMPLES"/*) _a=\$SAMPLES/${_a#"$SAMPLES"/} ;;
        esac
        _s="$_s $_a"
    done
    printf '%s' "${_s# }"
}

# expect_rc N CMD...: CMD exits with N.  Its output goes where the caller
# redirects it; its status is left in $rc.
expect_rc() {
    _want=$1
    shift
    "$@"
    rc=$?
    if [ "$rc" = "$_want" ]; then
        ok "exit $_want: $(_show "$@")"
    else
        bad "exit $rc, expected $_want: $(_show "$@")"
    fi
}

no_sanitizer_report() { ! grep -Eq 'Sanitizer|runtime error:' "$1"; }

# ---- helpers shared by several cases -----------------------------------------
# A sanitizer reserves terabytes of address space: no memory limit there,
# and no out-of-memory case.
sanitized() {
    grep -q __asan_init "$BIN" 2>/dev/null ||
        ldd "$BIN" 2>/dev/null | grep -q 'lib[at]san'
}
_vlimit=1048576
if sanitized; then _vlimit=; fi

# guard CMD...: run CMD the way a customer's file must be survivable: killed
# after 30 s, at most 1 GB of address space (without sanitizers).  It must
# end by itself, print no sanitizer report, and every line on stderr must be
# a jtlscope diagnostic, none printed raw by a library.  Returns CMD's status;
# CMD's stderr is passed on.
guard() {
    (
        [ -n "$_vlimit" ] && ulimit -v "$_vlimit"
        exec timeout -s KILL 30 "$@"
    ) 2>"$OUT/guard.err"
    _grc=$?
    cat "$OUT/guard.err" >&2
    if [ "$_grc" -lt 124 ]; then
        ok "ended by itself (exit $_grc)"
    else
        bad "crashed, killed or hung (exit $_grc)"
    fi
    check "no sanitizer report" no_sanitizer_report "$OUT/guard.err"
    if grep -qv '^jtlscope: ' "$OUT/guard.err"; then
        bad "stderr has lines not from jtlscope:"
        grep -v '^jtlscope: ' "$OUT/guard.err" | head -3 | sed 's/^/    /' >&3
    else
        ok "every stderr line is from jtlscope"
    fi
    return "$_grc"
}

# The 17 columns JMeter 5 writes by default; row TS ELAPSED LABEL CODE and
# good_rows N [FIRST-TS] write rows for it (every fourth a 429, 10 ms apart).
HDR='timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,failureMessage,bytes,sentBytes,grpThreads,allThreads,URL,Latency,IdleTime,Connect'
row() {
    printf '%s,%s,%s,%s,OK,TG 1-1,text,true,,100,50,1,1,null,%s,0,0\n' \
        "$1" "$2" "$3" "$4" "$2"
}
good_rows() {
    awk -v n="$1" -v t0="${2:-1700000000000}" 'BEGIN {
        for (i = 0; i < n; i++)
            printf "%.0f,%d,L,%d,OK,TG 1-1,text,true,,100,50,1,1,null,%d,0,0\n",
                t0 + i * 10, i % 50 + 1, (i % 4 == 0 ? 429 : 200), i % 50 + 1
    }'
}

# Temporary files and folders of ours under the case's folder, one a line.
leftovers() {
    find "$OUT" -name '.jtlscope-*' -o -name '*spool*' -o -name '*.tmp.*'
}
no_leftovers() { [ -z "$(leftovers)" ]; }

# No chart image (PNG or SVG) in the folder.
no_images() { ! ls -A "$1" | grep -q -e '\.png$' -e '\.svg$'; }

# A folder's listing and contents, to show that a run left it as it was.
snapshot() { (cd "$1" && ls -l && cat ./*) 2>&1; }

# limited BYTES CMD...: CMD may write at most BYTES per file (prlimit counts
# bytes where ulimit -f counts blocks of a size that depends on the shell).
# SIGXFSZ is ignored, so write() fails with EFBIG as it fails with ENOSPC on
# a full disk.
limited() {
    _bytes=$1
    shift
    sh -c 'trap "" XFSZ; exec prlimit --fsize="$0" "$@"' "$_bytes" "$@"
}

# expect_full FILE-IN-MESSAGE CMD...: CMD on a disk full after 1 kB exits 1,
# names the file and the reason, and leaves no temporary file.
expect_full() {
    _file=$1
    shift
    limited 1024 "$@" 2>err.txt
    rc=$?
    if [ "$rc" = 1 ]; then ok "disk full: exit 1"; else bad "disk full: exit 1 (got $rc)"; fi
    if grep -q -- "$_file" err.txt && grep -q 'File too large' err.txt; then
        ok "the message names $_file and the reason"
    else
        bad "the message names $_file and the reason: $(cat err.txt)"
    fi
    check "no temporary file left" no_leftovers
}

# hostile_labels FILE: a CSV JTL whose labels, messages, codes and thread
# names try every way out of a report -- script tags, attribute breakers,
# gnuplot backticks and system(), shell $(...), ../ paths, U+2028, invalid
# UTF-8, template tags.  The load rises over 14 s and above 20 requests in a
# second the rest get 429, so every chart is drawn and every label reaches
# the .dat files and the HTML tables.
hostile_labels() {
    awk -v out="$OUT" 'BEGIN {
        n = 0
        lab[n++] = "<script>alert(1)</script>"
        lab[n++] = "\"\"><img src=x onerror=alert(1)>"
        lab[n++] = "`touch " out "/pwned-bt`"
        lab[n++] = "system(\"\"touch " out "/pwned-sys\"\")"
        lab[n++] = "$(touch " out "/pwned-dollar)"
        lab[n++] = "../../x"
        lab[n++] = "../../../tmp/jtl-evil-label"
        lab[n++] = "line\342\200\250sep and para\342\200\251sep"
        lab[n++] = "bad \377\376 utf8 \300\257"
        lab[n++] = "</script><script>alert(2)</script>"
        lab[n++] = "{{title}} {{{css}}} {{#cards}}"
        lab[n++] = "^{sup}_{sub}@ \\n %s %n"
        long = ""
        for (i = 0; i < 40; i++) long = long "long-label-"
        lab[n++] = long
        print "timeStamp,elapsed,label,responseCode,responseMessage,threadName,success,bytes,sentBytes,grpThreads,allThreads,Latency,Connect"
        t0 = 1700000000000  # printed with %.0f: 32-bit awks overflow %d
        for (sec = 0; sec < 14; sec++) {
            per = 4 + 3 * sec
            for (k = 0; k < per; k++) {
                ts = t0 + sec * 1000 + int(k * 1000 / per)
                l = lab[(sec * 7 + k) % n]
                if (k >= 20) {
                    code = "429"; msg = "\"Too Many <b>Requests</b> \"\"q\"\"\""; okf = "false"
                } else if (k == 3 && sec % 4 == 1) {
                    code = "<i>500</i>`id`"; msg = "\"Server <script>x</script>\""; okf = "false"
                } else {
                    code = "200"; msg = "OK"; okf = "true"
                }
                th = "\"TG <u>x</u> `id` 1-" (k % 8 + 1) "\""
                printf "%.0f,%d,\"%s\",%s,%s,%s,%s,100,50,%d,%d,%d,1\n", ts, 5 + k % 7, l, code, msg, th, okf, 8, 8, 4 + k % 5
            }
        }
    }' >"$1"
}

# report_golden INPUT: `jtlscope report --no-render` run from the input's
# folder (so that the file names in the outputs do not depend on where the
# repository is).  What a golden copy holds -- the file list, the gnuplot
# scripts and data, summary.md, with the version string masked since it
# changes with every release -- goes to files/ for expected-files/.  The
# JSON files are the other commands' output, not a format of the report's
# own: they must be what `stats` and `throttle --format json` print.
report_golden() {
    _dir=$(dirname "$1") _in=$(basename "$1")
    cd "$_dir" || return 1
    expect_rc 0 "$BIN" report -q --no-render -o "$OUT/report" "$_in"
    cd "$OUT" || return 1
    [ -d report ] || return 0
    mkdir files
    (cd report && ls) >files/FILES
    for _f in report/*.gp report/*.dat report/summary.md; do
        [ -f "$_f" ] &&
            sed 's/jtlscope [0-9][0-9.]*[0-9]/jtlscope VERSION/g' "$_f" >"files/${_f#report/}"
    done
    (cd "$_dir" && "$BIN" stats -q --format json "$_in") >stats.json 2>/dev/null
    check "statistics.json = jtlscope stats --format json" cmp -s stats.json report/statistics.json
    (cd "$_dir" && "$BIN" throttle -q --format json "$_in") >throttle.json 2>/dev/null
    check "throttle.json = jtlscope throttle --format json" cmp -s throttle.json report/throttle.json
    if no_images report && ! ls -A report | grep -q '^\.jtlscope-tmp'; then
        ok "--no-render draws nothing and leaves no temporary folder"
    else
        bad "--no-render draws nothing and leaves no temporary folder"
    fi
    # bounded chart data: no per-sample rows; the largest holds a series
    # per second
    _big=$(find report -name '*.dat' -size +64k)
    if [ -z "$_big" ]; then ok "chart data files stay small"; else bad "chart data files stay small ($_big)"; fi
}

# browse NAME PAGE: PAGE in headless Chromium ($CHROMIUM_CMD, from the
# case's requires file) with a throw-away profile, its own background
# traffic off and every host name unresolvable.  The rendered DOM goes to
# NAME.dom.html, the console to NAME.log and Chromium's net log, which
# records every URL request the page would make, to NAME.netlog.json.
browse() {
    rm -rf "$OUT/$1.profile"
    timeout 120 "$CHROMIUM_CMD" --headless --no-sandbox --disable-gpu \
        --user-data-dir="$OUT/$1.profile" --no-first-run \
        --disable-background-networking --disable-component-update \
        --disable-sync --disable-default-apps --disable-breakpad \
        --disable-features=Translate,OptimizationHints,MediaRouter \
        --host-resolver-rules="MAP * ~NOTFOUND" \
        --enable-logging=stderr --v=0 \
        --log-net-log="$OUT/$1.netlog.json" \
        --virtual-time-budget=3000 \
        --dump-dom "file://$2" >"$OUT/$1.dom.html" 2>"$OUT/$1.log" 3>&-
}

# ---- the case ----------------------------------------------------------------
[ -x "$BIN" ] || { echo "FAIL no jtlscope binary at $BIN"; exit 1; }

# requires: one program a line, alternatives on the same line; the first
# one found goes into a shell variable named after the line's first word
# (chromium -> CHROMIUM_CMD; not GZIP, which gzip reads for options).
if [ -f "$CASE/requires" ]; then
    while read -r _line || [ -n "$_line" ]; do
        [ -n "$_line" ] || continue
        _found=
        for _p in $_line; do
            _found=$(command -v "$_p" 2>/dev/null) && break
        done
        [ -n "$_found" ] ||
            skip "$_line is not installed (tests/install-deps.sh --test)"
        _var=$(printf '%s' "${_line%% *}" | tr 'a-z-' 'A-Z_')_CMD
        eval "$_var=\$_found"
    done <"$CASE/requires"
fi
if [ -f "$CASE/check.py" ] && ! command -v python3 >/dev/null 2>&1; then
    skip "python3 is not installed (check.py)"
fi

rm -rf "$OUT" && mkdir -p "$OUT" && cd "$OUT" || exit 1
exec 3>&1
# Sourced, not run, so that its assertions count here.
{ . "$CASE/cmd"; } >"$OUT/stdout" 2>"$OUT/stderr" </dev/null
_status=$?

_want=0
[ -f "$CASE/exit" ] && _want=$(cat "$CASE/exit")
if [ "$_status" = "$_want" ]; then
    ok "exit status $_want"
else
    bad "exit status $_status, expected $_want"
fi
check "no sanitizer report on stderr" no_sanitizer_report "$OUT/stderr"

# The paths of this run in an output are written as $BIN, $OUT, $DATA and
# $SAMPLES in a golden copy.
_normalize() {
    awk -v bin="$BIN" -v out="$OUT" -v data="$DATA" -v samples="$SAMPLES" '
    function subst(s, from, to,    i, r) {
        r = ""
        while ((i = index(s, from)) > 0) {
            r = r substr(s, 1, i - 1) to
            s = substr(s, i + length(from))
        }
        return r s
    }
    {
        $0 = subst($0, bin, "$BIN"); $0 = subst($0, out, "$OUT")
        $0 = subst($0, data, "$DATA"); $0 = subst($0, samples, "$SAMPLES")
        print
    }' "$1"
}

for _s in stdout stderr; do
    _golden=$CASE/expected-$_s
    if [ -f "$_golden" ]; then
        if [ "${UPDATE:-0}" = 1 ]; then
            _normalize "$OUT/$_s" >"$_golden"
            ok "expected-$_s rewritten"
        elif cmp -s "$_golden" "$OUT/$_s"; then
            ok "$_s = expected-$_s"
        elif _normalize "$OUT/$_s" | cmp -s "$_golden" -; then
            ok "$_s = expected-$_s"
        else
            bad "$_s differs from expected-$_s:"
            _normalize "$OUT/$_s" | diff -u "$_golden" - | head -20 >&3
        fi
    fi
    # one extended regex a line that must match; !REGEX must not
    if [ -f "$CASE/$_s.grep" ]; then
        while IFS= read -r _pat || [ -n "$_pat" ]; do
            case $_pat in
            '') ;;
            '!'*) refute "$_s lacks /${_pat#!}/" grep -Eq -- "${_pat#!}" "$OUT/$_s" ;;
            *) check "$_s has /$_pat/" grep -Eq -- "$_pat" "$OUT/$_s" ;;
            esac
        done <"$CASE/$_s.grep"
    fi
done

# samples: the Total sample count of `jtlscope stats --format json` on
# stdout -- its first "sampleCount", since Total comes first -- without a
# Python start for the commonest check.
if [ -f "$CASE/samples" ]; then
    _want=$(cat "$CASE/samples")
    _got=$(sed -n 's/^ *"sampleCount": \([0-9]*\),*$/\1/p' "$OUT/stdout" | head -n 1)
    if [ "$_got" = "$_want" ]; then
        ok "$_want samples (Total)"
    else
        bad "${_got:-no} samples reported (Total), expected $_want"
    fi
fi

# expected-files/: a folder the case builds as files/
if [ -d "$CASE/expected-files" ]; then
    if [ "${UPDATE:-0}" = 1 ]; then
        rm -rf "$CASE/expected-files"
        cp -R "$OUT/files" "$CASE/expected-files"
        ok "expected-files rewritten"
    elif diff -ru "$CASE/expected-files" "$OUT/files" >"$OUT/files.diff" 2>&1; then
        ok "files/ = expected-files/"
    else
        bad "files/ differs from expected-files/ (diff in $OUT/files.diff):"
        head -40 "$OUT/files.diff" >&3
    fi
fi

# check.py: assertions in Python (tests/e2e/lib/jtlcheck.py), counted here.
# -S: no site module; the checks need the standard library only, and site
# (with the .pth files of whatever is installed) doubles the start-up time.
if [ -f "$CASE/check.py" ]; then
    PYTHONPATH="$E2E/lib${PYTHONPATH:+:$PYTHONPATH}" PYTHONDONTWRITEBYTECODE=1 \
        PYTHONUNBUFFERED=1 python3 -S "$CASE/check.py" >"$OUT/check.log" 2>&1
    _pyrc=$?
    grep -v '^jtlcheck: ' "$OUT/check.log" >&3
    _counts=$(sed -n 's/^jtlcheck: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$OUT/check.log")
    if [ -n "$_counts" ]; then
        _passed=$((_passed + ${_counts% *}))
        _failed=$((_failed + ${_counts#* }))
    fi
    if [ "$_pyrc" != 0 ] && { [ -z "$_counts" ] || [ "${_counts#* }" = 0 ]; }; then
        bad "check.py stopped with status $_pyrc"
    fi
fi

if [ "$_failed" != 0 ] && [ -s "$OUT/stderr" ]; then
    echo "stderr of the case:"
    head -8 "$OUT/stderr" | sed 's/^/    /'
fi
echo "$_passed passed, $_failed failed"
[ "$_failed" = 0 ]
