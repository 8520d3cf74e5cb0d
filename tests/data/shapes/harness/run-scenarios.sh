#!/bin/bash
# run-scenarios.sh OUTDIR [SCENARIO...]
#
# Generates real JMeter result files (JTL) against real nginx rate limiters on
# 127.0.0.1, with known ground truth:
#   OUTDIR/<scenario>.csv.jtl    JMeter CSV, header line, 5.x-like columns
#   OUTDIR/<scenario>.xml.jtl    JMeter XML, <responseHeader> saved
#   OUTDIR/<scenario>.truth.json limiter config + observed counts (client and server side)
# plus, when threshold-rate is run, OUTDIR/threshold-rate.default.csv.jtl
# (JMeter 2.13 defaults: no header, 12 columns) and its .truth.json, and a
# gzip copy (<file>.gz) of every file named in GZIP_FILES.
#
# Scenarios: threshold-rate random none per-endpoint fixed-window concurrency
# distributed stacked (the "classic" set; default when no scenario is named:
# all eight, about 8 minutes with the default parameters), and the "shapes",
# each with its plain twin (same limiter, single-sampler plan, 429):
#   tc-parent tc-default tc-plain, status-503 status-503-plain,
#   two-generators two-generators-plain, id-labels id-labels-plain,
#   shared-limit shared-limit-plain, ratelimit-headers ratelimit-headers-plain
# (about 12 minutes together). The words "classic" and "shapes" name the two
# sets; two-generators writes <scenario>.gen1/.gen2.<fmt>.jtl (two JMeter
# processes at once, never more). The shapes are counted with jtl-stats.py
# (python3). Traffic goes only
# to 127.0.0.1; every run is bounded in threads (THREADS <= 100), duration
# (DURATION_S <= 120 s, hard timeout duration+60 s) and count (LOOPS per
# thread); every nginx is stopped by its PID.
#
# Parameters come from the environment. Each is looked up as
# <SCENARIO>_<NAME> first (scenario name upper-cased, '-' -> '_', e.g.
# RANDOM_RETRY_AFTER, CONCURRENCY_THREADS), then as plain <NAME> (applies to
# every scenario of this run), then the built-in default:
#   load (all scenarios)  THREADS RAMPUP_S DURATION_S THINK_MS JITTER_MS LOOPS
#   threshold-rate        RATE (r/s, default 30) BURST (5) RETRY_AFTER (2)
#   random                RANDOM_P (0.25) RETRY_AFTER (1)
#   per-endpoint          SESSIONS_RATE (5) SESSIONS_BURST (3) SESSIONS_RETRY_AFTER (5)
#                         FLOWS_RATE (25) FLOWS_BURST (8) FLOWS_RETRY_AFTER (2)
#   fixed-window          WINDOW_LIMIT (60) WINDOW_S (5, must divide 60)
#   concurrency           CONC_LIMIT (5) SERVICE_MS (150) RETRY_AFTER (3)
#   distributed           NODES (3, 1..16) NODE_RATE (r/s per node, 8) NODE_BURST (2)
#                         RETRY_AFTER (2) BALANCE (random | round-robin); total = NODES x NODE_RATE
#   stacked               CLIENT_RATE (30) CLIENT_BURST (8) CLIENT_RETRY_AFTER (2)
#                         ENDPOINT_RATE (6) ENDPOINT_BURST (2) ENDPOINT_RETRY_AFTER (5)
#   shapes                RATE BURST RETRY_AFTER and the load, read with the prefix of
#                         the shape's group, shared by the shape and its twin:
#                         TC_ (tc-parent, tc-default, tc-plain: 40 r/s, burst 8, RA 4,
#                         16 threads/14/22), STATUS_503_ (20, 4, 7; 9/12/20),
#                         TWO_GENERATORS_ (50, 10, 6; THREADS=10 per engine, the
#                         twin runs 2 x THREADS in one engine; 14/22), ID_LABELS_
#                         (15, 3, 9; 7/10/18), SHARED_LIMIT_ (24, 6, 8; 10/14/22),
#                         RATELIMIT_HEADERS_ (50, 8, 10; 20/14/22; BURST 1..12 and
#                         <= RATE: one tier server block per unit of burst on
#                         BASE_PORT+130+k measures RateLimit-Remaining)
#   headerless CSV run    DEFAULT_CSV_THREADS (= threshold-rate's) DEFAULT_CSV_RAMPUP_S (8)
#                         DEFAULT_CSV_DURATION_S (10); limiter = threshold-rate's
#   other                 GZIP_FILES ("threshold-rate.csv.jtl threshold-rate.xml.jtl")
#                         BASE_PORT (18080; scenario i listens on BASE_PORT+i; the
#                         distributed nodes on BASE_PORT+100+n, n = 1..NODES, and the
#                         stacked service behind its gateway on BASE_PORT+90; the
#                         shapes on BASE_PORT+11 .. +23, the ratelimit-headers tiers
#                         on BASE_PORT+130 .. +130+BURST)
#                         DRY_RUN=1 (render and nginx -t every config, print the
#                         parameters, send no traffic), KEEP_WORK=1 (keep the
#                         scratch dir with nginx access logs and jmeter logs)
# Default load per scenario (threads/rampup/duration/think): threshold-rate
# 40/25/30/150, random 40/20/24/150, none 40/8/10/150, per-endpoint 30/20/28/150,
# fixed-window 10/5/35/300, concurrency 30/16/24/100, distributed 17/22/30/300,
# stacked 12/18/28/150; JITTER_MS 100, LOOPS 2000.
#
# Needs (Debian 12): apt-get install -y jmeter nginx-light openjdk-17-jdk-headless
# (javac compiles the small launcher that makes Debian's JMeter 2.13 load .jmx
# files at all, see jmeter-fix/JMeterXStreamFix.java).
set -euo pipefail

if [ $# -lt 1 ]; then
    echo "usage: $0 OUTDIR [scenario...]   (parameters from the environment, see the header of this script)" >&2
    exit 2
fi
HERE=$(cd "$(dirname "$0")" && pwd)
TOOL=$(basename "$HERE")    # how truth.json names this folder
mkdir -p "$1"
OUT=$(cd "$1" && pwd)
shift
CLASSIC="threshold-rate random none per-endpoint fixed-window concurrency distributed stacked"
# the "shapes": each shape scenario with its plain twin (same limiter, ordinary
# single-sampler plan, one file per format, 429)
SHAPES="tc-parent tc-default tc-plain status-503 status-503-plain two-generators two-generators-plain
id-labels id-labels-plain shared-limit shared-limit-plain ratelimit-headers ratelimit-headers-plain"
SHAPES=$(echo $SHAPES)
ALL="$CLASSIC $SHAPES"
SCENARIOS=${*:-$CLASSIC}
SCENARIOS=$(echo " $SCENARIOS " | sed -e "s/ classic / $CLASSIC /g" -e "s/ shapes / $SHAPES /g")
SCENARIOS=$(echo $SCENARIOS)
DRY_RUN=${DRY_RUN:-0}

JMHOME=${JMETER_HOME:-/usr/share/jmeter}
ECHO_MOD=/usr/lib/nginx/modules/ngx_http_echo_module.so
for need in nginx java javac awk sed gzip timeout; do
    command -v "$need" >/dev/null || { echo "missing: $need (apt-get install -y jmeter nginx-light openjdk-17-jdk-headless)" >&2; exit 1; }
done
for scen in $SCENARIOS; do   # the shapes are counted with jtl-stats.py
    case " $SHAPES " in *" $scen "*)
        command -v python3 >/dev/null || { echo "missing: python3 (apt-get install -y python3), needed for $scen" >&2; exit 1; } ;;
    esac
done
[ -f "$JMHOME/bin/ApacheJMeter.jar" ] || { echo "missing $JMHOME/bin/ApacheJMeter.jar (apt-get install -y jmeter)" >&2; exit 1; }
[ -f "$ECHO_MOD" ] || { echo "missing $ECHO_MOD (apt-get install -y nginx-light or libnginx-mod-http-echo)" >&2; exit 1; }

# --- parameters ---------------------------------------------------------------
die() { echo "run-scenarios.sh: $*" >&2; exit 2; }
# param VAR SCENARIO NAME DEFAULT: sets VAR to $<SCENARIO>_<NAME>, else $<NAME>,
# else DEFAULT, and records NAME=value (for truth.json and the log).
P_NAMES=() P_VALUES=()
param() {
    local pfx var val
    pfx=$(printf '%s' "$2" | tr 'a-z-' 'A-Z_')
    var="${pfx}_$3"
    if [ -n "${!var:-}" ]; then val=${!var}
    elif [ -n "${!3:-}" ]; then val=${!3}
    else val=$4; fi
    P_NAMES+=("$3"); P_VALUES+=("$val")
    printf -v "$1" '%s' "$val"
}
need_int() {   # NAME VALUE MIN MAX
    [[ "$2" =~ ^[0-9]+$ ]] && [ "$2" -ge "$3" ] && [ "$2" -le "$4" ] ||
        die "$1=$2: must be an integer in $3..$4"
}
BASE_PORT=${BASE_PORT:-18080}
need_int BASE_PORT "$BASE_PORT" 1024 65000
GZIP_FILES=${GZIP_FILES-threshold-rate.csv.jtl threshold-rate.xml.jtl}

# configure SCENARIO: sets the S_* globals (plan, port, load, limiter values),
# SUBST (sed arguments that fill the @NAME@ placeholders of nginx/<scenario>.conf)
# and P_NAMES/P_VALUES (the parameters in effect, for truth.json).
configure() {
    local s=$1 idx th ru du tk grp=""
    P_NAMES=() P_VALUES=()
    S_KIND=classic S_TWIN="" S_PLAN_PROPS=""
    case "$s" in
    threshold-rate) idx=1 th=40 ru=25 du=30 tk=150; S_JMX=single-endpoint ;;
    random)         idx=2 th=40 ru=20 du=24 tk=150; S_JMX=single-endpoint ;;
    none)           idx=3 th=40 ru=8  du=10 tk=150; S_JMX=single-endpoint ;;
    per-endpoint)   idx=4 th=30 ru=20 du=28 tk=150; S_JMX=per-endpoint ;;
    fixed-window)   idx=5 th=10 ru=5  du=35 tk=300; S_JMX=single-endpoint ;;
    concurrency)    idx=6 th=30 ru=16 du=24 tk=100; S_JMX=single-endpoint ;;
    distributed)    idx=7 th=17 ru=22 du=30 tk=300; S_JMX=single-endpoint ;;
    stacked)        idx=8 th=12 ru=18 du=28 tk=150; S_JMX=per-endpoint ;;
    # shapes: a shape and its plain twin read their parameters with the same
    # prefix (grp), so they always get the same limiter and the same load
    tc-parent)      idx=11 grp=tc th=16 ru=14 du=22 tk=150; S_JMX=tc-parent ;;
    tc-default)     idx=12 grp=tc th=16 ru=14 du=22 tk=150; S_JMX=tc-default ;;
    tc-plain)       idx=13 grp=tc th=16 ru=14 du=22 tk=150; S_JMX=plain ;;
    status-503)     idx=14 grp=status-503 th=9 ru=12 du=20 tk=150; S_JMX=plain ;;
    status-503-plain) idx=15 grp=status-503 th=9 ru=12 du=20 tk=150; S_JMX=plain ;;
    two-generators) idx=16 grp=two-generators th=10 ru=14 du=22 tk=150; S_JMX=plain ;;
    two-generators-plain) idx=17 grp=two-generators th=10 ru=14 du=22 tk=150; S_JMX=plain ;;
    id-labels)      idx=18 grp=id-labels th=7 ru=10 du=18 tk=150; S_JMX=id-labels ;;
    id-labels-plain) idx=19 grp=id-labels th=7 ru=10 du=18 tk=150; S_JMX=plain ;;
    shared-limit)   idx=20 grp=shared-limit th=10 ru=14 du=22 tk=150; S_JMX=shared-limit ;;
    shared-limit-plain) idx=21 grp=shared-limit th=10 ru=14 du=22 tk=150; S_JMX=plain ;;
    ratelimit-headers) idx=22 grp=ratelimit-headers th=20 ru=14 du=22 tk=150; S_JMX=plain ;;
    ratelimit-headers-plain) idx=23 grp=ratelimit-headers th=20 ru=14 du=22 tk=150; S_JMX=plain ;;
    *) return 1 ;;
    esac
    S_CONF=$s
    if [ -n "$grp" ]; then
        S_GRP=$grp
        case "$s" in
        *-plain|tc-plain) S_KIND=twin; S_TWIN=${s%-plain} ;;
        *) S_KIND=shape; S_TWIN=$grp-plain ;;
        esac
        case "$s" in
        tc-*) S_CONF=tc ;;
        status-503-plain|ratelimit-headers-plain) S_CONF=threshold-rate ;;
        *) S_CONF=$grp ;;
        esac
        [ "$s" != tc-plain ] || S_TWIN="tc-parent tc-default"
    fi
    S_PORT=$((BASE_PORT + idx))
    S_EXTRA_PORTS=""   # further loopback ports this scenario's nginx listens on
    local pre=${grp:-$s}
    param S_THREADS "$pre" THREADS "$th";       need_int THREADS "$S_THREADS" 1 100
    param S_RAMPUP "$pre" RAMPUP_S "$ru";       need_int RAMPUP_S "$S_RAMPUP" 0 120
    param S_DURATION "$pre" DURATION_S "$du";   need_int DURATION_S "$S_DURATION" 1 120
    param S_THINK "$pre" THINK_MS "$tk";        need_int THINK_MS "$S_THINK" 0 10000
    param S_JITTER "$pre" JITTER_MS 100;        need_int JITTER_MS "$S_JITTER" 0 10000
    param S_LOOPS "$pre" LOOPS 2000;            need_int LOOPS "$S_LOOPS" 1 100000
    # two-generators: THREADS per engine; its plain twin runs one engine with both engines' threads
    S_ENGINE_THREADS=$S_THREADS
    if [ "$s" = two-generators-plain ]; then
        S_THREADS=$((2 * S_THREADS)); need_int "2 x THREADS" "$S_THREADS" 1 100
    fi
    # JMeter 2.13 lets threads that start after the scheduled end still send a
    # sample each, so a ramp-up longer than the duration leaves a slow tail.
    [ "$S_RAMPUP" -le "$S_DURATION" ] || die "$s: RAMPUP_S=$S_RAMPUP must not exceed DURATION_S=$S_DURATION"
    SUBST=()
    case "$s" in
    threshold-rate)
        param S_RATE "$s" RATE 30;            need_int RATE "$S_RATE" 1 100000
        param S_BURST "$s" BURST 5;          need_int BURST "$S_BURST" 0 100000
        param S_RA "$s" RETRY_AFTER 2;        need_int RETRY_AFTER "$S_RA" 1 86400
        SUBST=(-e "s|@RATE@|$S_RATE|g" -e "s|@BURST@|$S_BURST|g" -e "s|@RETRY_AFTER@|$S_RA|g") ;;
    random)
        param S_P_IN "$s" RANDOM_P 0.25
        [[ "$S_P_IN" =~ ^(0?\.[0-9]+|0|1)$ ]] || die "RANDOM_P=$S_P_IN: must be a probability such as 0.25"
        # split_clients takes a percentage with at most two decimals
        S_PCT=$(awk -v p="$S_P_IN" 'BEGIN { printf "%.2f", p * 100 }')
        S_P=$(awk -v c="$S_PCT" 'BEGIN { printf "%.6g", c / 100 }')
        awk -v c="$S_PCT" 'BEGIN { exit !(c > 0 && c < 100) }' || die "RANDOM_P=$S_P_IN: must be > 0 and < 1 (at least 0.0001)"
        param S_RA "$s" RETRY_AFTER 1;        need_int RETRY_AFTER "$S_RA" 1 86400
        SUBST=(-e "s|@RANDOM_PCT@|$S_PCT|g" -e "s|@RETRY_AFTER@|$S_RA|g") ;;
    none) ;;
    per-endpoint)
        param S_SES_RATE "$s" SESSIONS_RATE 5;      need_int SESSIONS_RATE "$S_SES_RATE" 1 100000
        param S_SES_BURST "$s" SESSIONS_BURST 3;     need_int SESSIONS_BURST "$S_SES_BURST" 0 100000
        param S_SES_RA "$s" SESSIONS_RETRY_AFTER 5;  need_int SESSIONS_RETRY_AFTER "$S_SES_RA" 1 86400
        param S_FLO_RATE "$s" FLOWS_RATE 25;         need_int FLOWS_RATE "$S_FLO_RATE" 1 100000
        param S_FLO_BURST "$s" FLOWS_BURST 8;       need_int FLOWS_BURST "$S_FLO_BURST" 0 100000
        param S_FLO_RA "$s" FLOWS_RETRY_AFTER 2;     need_int FLOWS_RETRY_AFTER "$S_FLO_RA" 1 86400
        SUBST=(-e "s|@SESSIONS_RATE@|$S_SES_RATE|g" -e "s|@SESSIONS_BURST@|$S_SES_BURST|g" -e "s|@SESSIONS_RETRY_AFTER@|$S_SES_RA|g"
               -e "s|@FLOWS_RATE@|$S_FLO_RATE|g" -e "s|@FLOWS_BURST@|$S_FLO_BURST|g" -e "s|@FLOWS_RETRY_AFTER@|$S_FLO_RA|g") ;;
    fixed-window)
        param S_LIMIT "$s" WINDOW_LIMIT 60;  need_int WINDOW_LIMIT "$S_LIMIT" 1 100000
        param S_WIN "$s" WINDOW_S 5
        case " 1 2 3 4 5 6 10 12 15 20 30 60 " in
        *" $S_WIN "*) ;;
        *) die "WINDOW_S=$S_WIN: must divide 60 (1 2 3 4 5 6 10 12 15 20 30 60), so that windows align with epoch multiples of it" ;;
        esac
        SUBST=(-e "s|@WINDOW_LIMIT@|$S_LIMIT|g" -e "s|@WINDOW_S@|$S_WIN|g" -e "s|@WINDOW_BURST@|$((S_LIMIT - 1))|g") ;;
    concurrency)
        param S_CONC "$s" CONC_LIMIT 5;       need_int CONC_LIMIT "$S_CONC" 1 10000
        param S_SERVICE_MS "$s" SERVICE_MS 150; need_int SERVICE_MS "$S_SERVICE_MS" 1 5000
        param S_RA "$s" RETRY_AFTER 3;        need_int RETRY_AFTER "$S_RA" 1 86400
        SUBST=(-e "s|@CONC_LIMIT@|$S_CONC|g" -e "s|@SERVICE_S@|$(awk -v m="$S_SERVICE_MS" 'BEGIN { printf "%.3f", m / 1000 }')|g"
               -e "s|@RETRY_AFTER@|$S_RA|g") ;;
    distributed)
        param S_NODES "$s" NODES 3;            need_int NODES "$S_NODES" 1 16
        param S_NODE_RATE "$s" NODE_RATE 8;    need_int NODE_RATE "$S_NODE_RATE" 1 100000
        param S_NODE_BURST "$s" NODE_BURST 2;  need_int NODE_BURST "$S_NODE_BURST" 0 100000
        param S_RA "$s" RETRY_AFTER 2;         need_int RETRY_AFTER "$S_RA" 1 86400
        param S_BALANCE "$s" BALANCE random
        case "$S_BALANCE" in
        random|round-robin) ;;
        *) die "BALANCE=$S_BALANCE: must be random or round-robin" ;;
        esac
        S_TOTAL_RATE=$((S_NODES * S_NODE_RATE))
        local n
        for n in $(seq 1 "$S_NODES"); do S_EXTRA_PORTS="$S_EXTRA_PORTS $((BASE_PORT + 100 + n))"; done
        S_EXTRA_PORTS=${S_EXTRA_PORTS# }
        SUBST=(-e "s|@NODES@|$S_NODES|g" -e "s|@NODE_RATE@|$S_NODE_RATE|g" -e "s|@NODE_BURST@|$S_NODE_BURST|g"
               -e "s|@TOTAL_RATE@|$S_TOTAL_RATE|g" -e "s|@BALANCE@|$S_BALANCE|g" -e "s|@RETRY_AFTER@|$S_RA|g") ;;
    stacked)
        param S_CLI_RATE "$s" CLIENT_RATE 30;          need_int CLIENT_RATE "$S_CLI_RATE" 1 100000
        param S_CLI_BURST "$s" CLIENT_BURST 8;         need_int CLIENT_BURST "$S_CLI_BURST" 0 100000
        param S_CLI_RA "$s" CLIENT_RETRY_AFTER 2;      need_int CLIENT_RETRY_AFTER "$S_CLI_RA" 1 86400
        param S_EP_RATE "$s" ENDPOINT_RATE 6;          need_int ENDPOINT_RATE "$S_EP_RATE" 1 100000
        param S_EP_BURST "$s" ENDPOINT_BURST 2;        need_int ENDPOINT_BURST "$S_EP_BURST" 0 100000
        param S_EP_RA "$s" ENDPOINT_RETRY_AFTER 5;     need_int ENDPOINT_RETRY_AFTER "$S_EP_RA" 1 86400
        S_SERVICE_PORT=$((BASE_PORT + 90))
        S_EXTRA_PORTS=$S_SERVICE_PORT
        SUBST=(-e "s|@CLIENT_RATE@|$S_CLI_RATE|g" -e "s|@CLIENT_BURST@|$S_CLI_BURST|g" -e "s|@CLIENT_RETRY_AFTER@|$S_CLI_RA|g"
               -e "s|@ENDPOINT_RATE@|$S_EP_RATE|g" -e "s|@ENDPOINT_BURST@|$S_EP_BURST|g" -e "s|@ENDPOINT_RETRY_AFTER@|$S_EP_RA|g"
               -e "s|@SERVICE_PORT@|$S_SERVICE_PORT|g") ;;
    tc-*|status-503*|two-generators*|id-labels*|shared-limit*|ratelimit-headers*)
        local dr db da
        case "$grp" in   # default rate (r/s), burst, Retry-After (s) per shape
        tc)                dr=40 db=8  da=4 ;;
        status-503)        dr=20 db=4  da=7 ;;
        two-generators)    dr=50 db=10 da=6 ;;
        id-labels)         dr=15 db=3  da=9 ;;
        shared-limit)      dr=24 db=6  da=8 ;;
        ratelimit-headers) dr=50 db=8  da=10 ;;
        esac
        param S_RATE "$grp" RATE "$dr";          need_int RATE "$S_RATE" 1 100000
        param S_BURST "$grp" BURST "$db";        need_int BURST "$S_BURST" 0 100000
        param S_RA "$grp" RETRY_AFTER "$da";     need_int RETRY_AFTER "$S_RA" 1 86400
        if [ "$s" = ratelimit-headers ]; then
            # one tier server block per unit of burst (see nginx/ratelimit-headers.conf)
            need_int "ratelimit-headers BURST" "$S_BURST" 1 12
            [ "$S_BURST" -le "$S_RATE" ] || die "ratelimit-headers: BURST=$S_BURST must not exceed RATE=$S_RATE"
            local k
            for k in $(seq 0 "$S_BURST"); do S_EXTRA_PORTS="$S_EXTRA_PORTS $((BASE_PORT + 130 + k))"; done
            S_EXTRA_PORTS=${S_EXTRA_PORTS# }
        fi
        if [ "$s" = id-labels-plain ]; then   # plain.jmx: the same PUT endpoint, template label
            S_PLAN_PROPS="label=PUT /api/v2/architect/flows/{flowId}|method=PUT|path_post="
        fi
        SUBST=(-e "s|@RATE@|$S_RATE|g" -e "s|@BURST@|$S_BURST|g" -e "s|@RETRY_AFTER@|$S_RA|g") ;;
    esac
}
# configure_default_csv: threshold-rate's limiter and plan, JMeter's default
# result settings, a shorter run. Only DEFAULT_CSV_* apply here (threads fall
# back to threshold-rate's); sets D_THREADS D_RAMPUP D_DURATION.
configure_default_csv() {
    configure threshold-rate
    D_THREADS=${DEFAULT_CSV_THREADS:-$S_THREADS};  need_int DEFAULT_CSV_THREADS "$D_THREADS" 1 100
    D_RAMPUP=${DEFAULT_CSV_RAMPUP_S:-8};           need_int DEFAULT_CSV_RAMPUP_S "$D_RAMPUP" 0 120
    D_DURATION=${DEFAULT_CSV_DURATION_S:-10};      need_int DEFAULT_CSV_DURATION_S "$D_DURATION" 1 120
    [ "$D_RAMPUP" -le "$D_DURATION" ] || die "DEFAULT_CSV_RAMPUP_S=$D_RAMPUP must not exceed DEFAULT_CSV_DURATION_S=$D_DURATION"
    P_NAMES+=(DEFAULT_CSV_THREADS DEFAULT_CSV_RAMPUP_S DEFAULT_CSV_DURATION_S)
    P_VALUES+=("$D_THREADS" "$D_RAMPUP" "$D_DURATION")
}
# The parameters in effect, as a JSON object and as an environment prefix.
params_json() {
    local i s=""
    printf '{'
    for i in "${!P_NAMES[@]}"; do
        if [[ "${P_VALUES[$i]}" =~ ^[0-9]+(\.[0-9]+)?$ ]]; then printf '%s"%s": %s' "$s" "${P_NAMES[$i]}" "${P_VALUES[$i]}"
        else printf '%s"%s": "%s"' "$s" "${P_NAMES[$i]}" "${P_VALUES[$i]}"; fi
        s=", "
    done
    printf '}'
}
params_env() {
    local i s=""
    for i in "${!P_NAMES[@]}"; do printf '%s%s=%s' "$s" "${P_NAMES[$i]}" "${P_VALUES[$i]}"; s=" "; done
}

# fixed-window needs one map entry per second of the minute: the window key
# (HH:MM + index of the W-second window in that minute) and the seconds left
# until that window ends (Retry-After).
fixed_window_maps() {   # W
    local w=$1 sec
    echo "# generated by run-scenarios.sh for WINDOW_S=$w"
    echo 'map $time_iso8601 $fw_window {'
    for sec in $(seq 0 59); do
        printf '    "~T(?<hm>\\d\\d:\\d\\d):%02d[+-]"  "$hm:%d";\n' "$sec" $((sec / w))
    done
    echo '    default "x";'
    echo '}'
    echo 'map $time_iso8601 $fw_retry_after {'
    for sec in $(seq 0 59); do
        printf '    "~:%02d[+-]\\d\\d:\\d\\d$"  %d;\n' "$sec" $((w - sec % w))
    done
    echo "    default $w;"
    echo '}'
}

# distributed: the upstream list plus one rendered copy of
# nginx/distributed-node.conf.in per node (own zone, own port); uses the S_*
# values of configure distributed.
distributed_nodes() {   # prefix
    local pfx=$1 n=0 port
    echo "# generated by run-scenarios.sh: NODES=$S_NODES NODE_RATE=$S_NODE_RATE NODE_BURST=$S_NODE_BURST BALANCE=$S_BALANCE"
    echo 'upstream nodes {'
    if [ "$S_BALANCE" = random ]; then echo '    random;                 # BALANCE=random (must precede keepalive)'
    else echo '    # BALANCE=round-robin: nginx default method'; fi
    for port in $S_EXTRA_PORTS; do echo "    server 127.0.0.1:$port;"; done
    echo '    keepalive 32;'
    echo '}'
    for port in $S_EXTRA_PORTS; do
        n=$((n + 1))
        sed -e "s|@PREFIX@|$pfx|g" -e "s|@NODE@|$n|g" -e "s|@NODE_PORT@|$port|g" ${SUBST[@]+"${SUBST[@]}"} \
            "$HERE/nginx/distributed-node.conf.in"
    done
}

# ratelimit-headers: the tier server blocks that measure RateLimit-Remaining
# (nginx/ratelimit-tier.conf.in, once per k = 0 .. BURST-1), the last block that
# echoes the trace back, and the maps from the trace to Remaining and Reset.
ratelimit_tiers() {   # prefix  (uses the S_* values of configure ratelimit-headers)
    local pfx=$1 k port next
    echo "# generated by run-scenarios.sh: RATE=$S_RATE BURST=$S_BURST, tiers on ports $S_EXTRA_PORTS"
    echo 'map $limit_req_status $rl_bit { PASSED P; default D; }'
    echo '# every possible trace (tier 0 first) -> number of tiers that PASSED = RateLimit-Remaining'
    echo 'map $upstream_http_x_rl_trace $rl_remaining {'
    awk -v b="$S_BURST" 'BEGIN { for (i = 0; i < 2 ^ b; i++) { s = ""; p = 0; x = i
        for (k = 0; k < b; k++) { if (x % 2) { s = s "P"; p++ } else s = s "D"; x = int(x / 2) }
        printf "    %s %d;\n", s, p } }'
    echo '    default "";'
    echo '}'
    echo '# RateLimit-Remaining -> RateLimit-Reset = ceil((BURST - Remaining) / RATE) s'
    echo 'map $rl_remaining $rl_reset {'
    for k in $(seq 0 "$S_BURST"); do
        echo "    $k $(( (S_BURST - k + S_RATE - 1) / S_RATE ));"
    done
    echo '    default "";'
    echo '}'
    for k in $(seq 0 $((S_BURST - 1))); do
        local delay=" delay=$k"; [ "$k" -gt 0 ] || delay=""
        sed -e "s|@DELAY@|$delay|g" -e "s|@K@|$k|g" -e "s|@TIER_PORT@|$((BASE_PORT + 130 + k))|g" -e "s|@NEXT@|rl_tier$((k + 1))|g" \
            -e "s|@TIER_BURST@|$((S_BURST + 1))|g" ${SUBST[@]+"${SUBST[@]}"} "$HERE/nginx/ratelimit-tier.conf.in"
    done
    port=$((BASE_PORT + 130 + S_BURST))
    echo "# last block: answers the 200 and sends the trace back"
    echo "upstream rl_tier$S_BURST {"
    echo "    server 127.0.0.1:$port;"
    echo '    keepalive 16;'
    echo '}'
    echo 'server {'
    echo "    listen 127.0.0.1:$port;"
    echo '    access_log off;'
    echo '    location / {'
    echo '        add_header X-RL-Trace $http_x_rl_trace;'
    echo "        echo '{\"id\":\"\$request_id\",\"state\":\"ok\"}';"
    echo '    }'
    echo '}'
}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/jmeter-nginx.XXXXXX")
NGINX_PID=""
JM_PIDS=()     # JMeter processes started in the background (two-generators)
cleanup() {
    local p
    for p in ${JM_PIDS[@]+"${JM_PIDS[@]}"}; do
        if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; fi
    done
    if [ -n "$NGINX_PID" ] && kill -0 "$NGINX_PID" 2>/dev/null; then
        kill -TERM "$NGINX_PID" 2>/dev/null || true
        wait "$NGINX_PID" 2>/dev/null || true
    fi
    if [ "${KEEP_WORK:-0}" = 1 ]; then echo "scratch kept in $WORK" >&2; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM


# JSON fragment describing the limiter (ground truth of the configuration),
# from the S_* values set by configure.
limiter_json() {
    case "$1" in
    threshold-rate)
        printf '  "expected_verdict": "threshold",\n'
        printf '  "limiter": {"kind": "rate", "algorithm": "leaky bucket (nginx limit_req, nodelay)",\n'
        printf '              "rate_per_s": %d, "burst": %d, "window_s": null, "max_in_flight": null,\n' "$S_RATE" "$S_BURST"
        printf '              "scope": "all requests of the single client share one bucket",\n'
        printf '              "max_accepted_in_any_interval": "%d + 1 + %d*T requests in T seconds"},\n' "$S_BURST" "$S_RATE"
        printf '  "retry_after": {"present_on": "429 only", "value_s": %d, "dynamic": false},\n' "$S_RA" ;;
    random)
        printf '  "expected_verdict": "random",\n'
        printf '  "limiter": {"kind": "random", "algorithm": "nginx split_clients on per-request random $request_id (%s%%)",\n' "$S_PCT"
        printf '              "probability": %s, "rate_per_s": null, "burst": null, "window_s": null, "max_in_flight": null,\n' "$S_P"
        printf '              "scope": "every request independently, regardless of load"},\n'
        printf '  "retry_after": {"present_on": "429 only", "value_s": %d, "dynamic": false},\n' "$S_RA" ;;
    none)
        printf '  "expected_verdict": "none",\n'
        printf '  "limiter": {"kind": "none"},\n'
        printf '  "retry_after": null,\n' ;;
    per-endpoint)
        printf '  "expected_verdict": "threshold",\n'
        printf '  "limiter": {"kind": "rate-per-endpoint", "algorithm": "leaky bucket (nginx limit_req, nodelay), one bucket per path pattern",\n'
        printf '              "per_label": {\n'
        printf '                "POST /api/v2/architect/flows/{flowId}/sessions": {"kind": "rate", "rate_per_s": %d, "burst": %d, "retry_after_s": %d,\n' "$S_SES_RATE" "$S_SES_BURST" "$S_SES_RA"
        printf '                    "path_regex": "^/api/v2/architect/flows/[^/]+/sessions$"},\n'
        printf '                "GET /api/v2/architect/flows/{flowId}": {"kind": "rate", "rate_per_s": %d, "burst": %d, "retry_after_s": %d,\n' "$S_FLO_RATE" "$S_FLO_BURST" "$S_FLO_RA"
        printf '                    "path_regex": "^/api/v2/architect/flows/[^/]+$"}}},\n'
        printf '  "retry_after": {"present_on": "429 only", "value_s": "per label: sessions %d, flows %d", "dynamic": false},\n' "$S_SES_RA" "$S_FLO_RA" ;;
    fixed-window)
        printf '  "expected_verdict": "threshold",\n'
        printf '  "limiter": {"kind": "fixed-window", "algorithm": "nginx limit_req keyed by the current %d s wall-clock window, burst %d, rate 1r/m",\n' "$S_WIN" $((S_LIMIT - 1))
        printf '              "limit": %d, "window_s": %d, "window_alignment": "windows start at epoch seconds divisible by %d (server clock = client clock here)",\n' "$S_LIMIT" "$S_WIN" "$S_WIN"
        printf '              "rate_per_s": %s, "burst": null, "max_in_flight": null},\n' "$(awk -v l="$S_LIMIT" -v w="$S_WIN" 'BEGIN { printf "%.6g", l / w }')"
        printf '  "retry_after": {"present_on": "429 only", "value_s": "%d - (epoch_seconds mod %d), i.e. whole seconds until the window resets (1..%d)", "dynamic": true},\n' "$S_WIN" "$S_WIN" "$S_WIN" ;;
    concurrency)
        local maxrate
        maxrate=$(awk -v c="$S_CONC" -v m="$S_SERVICE_MS" 'BEGIN { printf "%.6g", c * 1000 / m }')
        printf '  "expected_verdict": "threshold",\n'
        printf '  "limiter": {"kind": "concurrency", "algorithm": "nginx limit_conn (requests in flight), accepted requests take ~%d ms (echo_sleep)",\n' "$S_SERVICE_MS"
        printf '              "max_in_flight": %d, "service_time_ms": %d, "rate_per_s": null, "burst": null, "window_s": null,\n' "$S_CONC" "$S_SERVICE_MS"
        printf '              "max_accepted_rate_per_s": %s,\n' "$maxrate"
        printf '              "note": "accepted/s plateaus below %s (max_in_flight / service time; turnaround gaps keep it lower), so per-second counts alone look like a rate limit; the signature is >= %d accepted requests in flight at every 429 (Little: accepted/s x mean elapsed ~ %d)"},\n' "$maxrate" "$S_CONC" "$S_CONC"
        printf '  "retry_after": {"present_on": "429 only", "value_s": %d, "dynamic": false},\n' "$S_RA" ;;
    distributed)
        printf '  "expected_verdict": "threshold",\n'
        printf '  "limiter": {"kind": "distributed", "algorithm": "%d independent nginx limit_req leaky buckets (nodelay), one per backend node, behind an nginx load balancer",\n' "$S_NODES"
        printf '              "nodes": %d, "balancing": "%s", "per_node_rate_per_s": %d, "total_rate_per_s": %d,\n' "$S_NODES" "$S_BALANCE" "$S_NODE_RATE" "$S_TOTAL_RATE"
        printf '              "burst": %d, "burst_scope": "per node (each node: at most %d + 1 + %d*T accepted in T seconds)",\n' "$S_NODE_BURST" "$S_NODE_BURST" "$S_NODE_RATE"
        printf '              "rate_per_s": %d, "window_s": null, "max_in_flight": null,\n' "$S_TOTAL_RATE"
        printf '              "node_ports": [%s], "node_template": "%s/nginx/distributed-node.conf.in",\n' "$(printf '%s' "$S_EXTRA_PORTS" | sed 's/ /, /g')" "$TOOL"
        printf '              "front": "nginx proxy_pass to the nodes (upstream method %s, keep-alive); no limit of its own; passes status, Retry-After and body of a 429 unchanged; no node id in the responses",\n' "$S_BALANCE"
        printf '              "scope": "each node counts only the requests the balancer sends to it; all requests come from one client",\n'
        printf '              "note": "with random balancing a node sometimes gets several requests in a row while others idle, so 429s start while the total offered rate is still well below total_rate_per_s and their share grows smoothly with load (looks random, is a threshold); far above the total, accepted/s levels off at about total_rate_per_s (a little below: the random split leaves some node capacity unused). Round-robin would make it look like one %d r/s limiter."},\n' "$S_TOTAL_RATE"
        printf '  "retry_after": {"present_on": "429 only", "value_s": %d, "dynamic": false},\n' "$S_RA" ;;
    stacked)
        local ses='POST /api/v2/architect/flows/{flowId}/sessions' flo='GET /api/v2/architect/flows/{flowId}'
        printf '  "expected_verdict": "threshold",\n'
        printf '  "limiter": {"kind": "stacked", "algorithm": "two nginx limit_req leaky buckets (nodelay) in series: an API gateway with a per-client bucket on every call, then the service behind it with a per-endpoint bucket on one label",\n'
        printf '              "limits": [\n'
        printf '                {"name": "per-client", "order": 1, "where": "gateway (the port JMeter talks to)", "rate_per_s": %d, "burst": %d, "retry_after_s": %d,\n' "$S_CLI_RATE" "$S_CLI_BURST" "$S_CLI_RA"
        printf '                 "applies_to": ["%s", "%s"], "binds": ["%s"],\n' "$ses" "$flo" "$flo"
        printf '                 "counts": "every call it lets through, including sessions calls that the per-endpoint limit then rejects"},\n'
        printf '                {"name": "per-endpoint", "order": 2, "where": "service behind the gateway (port %d); the gateway passes its 429 through unchanged", "rate_per_s": %d, "burst": %d, "retry_after_s": %d,\n' "$S_SERVICE_PORT" "$S_EP_RATE" "$S_EP_BURST" "$S_EP_RA"
        printf '                 "applies_to": ["%s"], "binds": ["%s"], "path_regex": "^/api/v2/architect/flows/[^/]+/sessions$",\n' "$ses" "$ses"
        printf '                 "counts": "only calls that passed the per-client limit"}],\n'
        printf '              "per_label": {\n'
        printf '                "%s": {"limits": ["per-client", "per-endpoint"], "bound_by": "per-endpoint", "bound_rate_per_s": %d, "retry_after_values_on_429": [%d, %d],\n' "$ses" "$S_EP_RATE" "$S_EP_RA" "$S_CLI_RA"
        printf '                    "note": "accepted/s ~ %d once its offered rate exceeds that; once the gateway throttles it also gets per-client 429s (Retry-After %d)"},\n' "$S_EP_RATE" "$S_CLI_RA"
        printf '                "%s": {"limits": ["per-client"], "bound_by": "per-client", "bound_rate_per_s": %d, "retry_after_values_on_429": [%d],\n' "$flo" "$S_CLI_RATE" "$S_CLI_RA"
        printf '                    "note": "429s only when the TOTAL offered rate of both labels exceeds %d/s; its own accepted/s is then what the other label leaves of the per-client budget"}},\n' "$S_CLI_RATE"
        printf '              "identities": "once the per-client limit throttles, per second: 200s + per-endpoint 429s (= every call that passed the gateway) ~ %d; sessions 200s ~ %d; the two kinds of 429 also differ in body length (bytes column)",\n' "$S_CLI_RATE" "$S_EP_RATE"
        printf '              "rate_per_s": null, "window_s": null, "max_in_flight": null},\n'
        printf '  "retry_after": {"present_on": "429 only", "value_s": "per limit: per-client %d, per-endpoint %d", "dynamic": false},\n' "$S_CLI_RA" "$S_EP_RA" ;;
    esac
}

# --- counting functions (awk only; no jq/python needed) ----------------------
# CSV -> JSON object with counts by code and by label/code. A file whose first
# line is not a header is read with JMeter 2.13's default 12 columns.
DEFAULT_COLUMNS="timeStamp,elapsed,label,responseCode,responseMessage,threadName,dataType,success,bytes,grpThreads,allThreads,Latency"
csv_counts() {
    awk -F, -v defcols="$DEFAULT_COLUMNS" '
    function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    NR == 1 {
        if ($1 == "timeStamp") { for (i = 1; i <= NF; i++) col[$i] = i; header = 1; next }
        nd = split(defcols, dc, ","); for (i = 1; i <= nd; i++) col[dc[i]] = i
    }
    /"/ { quoted++ }
    {
        n++; c = $col["responseCode"]; l = $col["label"]; ts = $col["timeStamp"] + 0; el = $col["elapsed"] + 0
        code[c]++; lc[l SUBSEP c]++; labels[l] = 1; codes[c] = 1
        if (n == 1 || ts < tmin) tmin = ts
        if (ts + el > tmax) tmax = ts + el
    }
    END {
        printf "{\"samples\": %d, \"header_line\": %s, \"first_timestamp_ms\": %.0f, \"last_end_ms\": %.0f, \"rows_with_quotes\": %d, \"by_code\": {", n, header ? "true" : "false", tmin, tmax, quoted
        s = ""; for (c in code) { printf "%s%s: %d", s, js(c), code[c]; s = ", " }
        printf "}, \"by_label\": {"; s = ""
        for (l in labels) { printf "%s%s: {", s, js(l); t = ""
            for (c in codes) if ((l SUBSEP c) in lc) { printf "%s%s: %d", t, js(c), lc[l SUBSEP c]; t = ", " }
            printf "}"; s = ", " }
        printf "}}"
    }' "$1"
}
# XML JTL -> same, plus Retry-After values seen on 429 responses.
xml_counts() {
    awk '
    function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    function attr(line, name,   m) {
        if (match(line, " " name "=\"[^\"]*\"")) { m = substr(line, RSTART + length(name) + 3, RLENGTH - length(name) - 4); return m }
        return ""
    }
    /^<httpSample / {
        n++; c = attr($0, "rc"); l = attr($0, "lb"); gsub(/&amp;/, "\\&", l); ts = attr($0, "ts") + 0; el = attr($0, "t") + 0
        code[c]++; lc[l SUBSEP c]++; labels[l] = 1; codes[c] = 1
        if (n == 1 || ts < tmin) tmin = ts
        if (ts + el > tmax) tmax = ts + el
        inhdr = 0; next
    }
    /<responseHeader/ { inhdr = 1 }
    inhdr && tolower($0) ~ /^retry-after:/ {
        v = $0; sub(/^[^:]*:[ \t]*/, "", v); sub(/\r$/, "", v)
        if (c == "429") { ra429++; rav[v]++; rlv[l SUBSEP v]++; rvals[v] = 1 } else raother++
    }
    /<\/responseHeader>/ { inhdr = 0 }
    END {
        printf "{\"samples\": %d, \"first_timestamp_ms\": %.0f, \"last_end_ms\": %.0f, \"by_code\": {", n, tmin, tmax
        s = ""; for (c in code) { printf "%s%s: %d", s, js(c), code[c]; s = ", " }
        printf "}, \"by_label\": {"; s = ""
        for (l in labels) { printf "%s%s: {", s, js(l); t = ""
            for (c in codes) if ((l SUBSEP c) in lc) { printf "%s%s: %d", t, js(c), lc[l SUBSEP c]; t = ", " }
            printf "}"; s = ", " }
        printf "}, \"retry_after_on_429\": %d, \"retry_after_on_other\": %d, \"retry_after_values_on_429\": {", ra429, raother
        s = ""; for (v in rav) { printf "%s%s: %d", s, js(v), rav[v]; s = ", " }
        printf "}, \"retry_after_on_429_by_label\": {"; s = ""
        for (l in labels) { printf "%s%s: {", s, js(l); t = ""
            for (v in rvals) if ((l SUBSEP v) in rlv) { printf "%s%s: %d", t, js(v), rlv[l SUBSEP v]; t = ", " }
            printf "}"; s = ", " }
        printf "}}"
    }' "$1"
}
# nginx access log (log_format truth) -> counts by status and by method+path pattern.
server_counts() {
    awk '
    function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    {
        n++; st = $2; req = $4 " " $5; gsub(/"/, "", req)
        gsub(/\/flows\/[^\/ ]+/, "/flows/{flowId}", req)
        code[st]++; rc[req SUBSEP st]++; reqs[req] = 1; codes[st] = 1
    }
    END {
        printf "{\"requests\": %d, \"by_status\": {", n
        s = ""; for (c in code) { printf "%s%s: %d", s, js(c), code[c]; s = ", " }
        printf "}, \"by_request\": {"; s = ""
        for (r in reqs) { printf "%s%s: {", s, js(r), ""; t = ""
            for (c in codes) if ((r SUBSEP c) in rc) { printf "%s%s: %d", t, js(c), rc[r SUBSEP c]; t = ", " }
            printf "}"; s = ", " }
        printf "}}"
    }' "$1"
}

# distributed: the front's access log (up=ADDR of the node that answered) and
# the nodes' own log (node=PORT) -> per node: counts by status from both, and the
# most requests the node accepted in any 1-s window (by its own log clock).
node_counts() {   # front-log nodes-log  (node ports from S_EXTRA_PORTS)
    sort -n -k1,1 "$2" | awk -v ports="$S_EXTRA_PORTS" -v front="$1" '
    BEGIN {
        np = split(ports, p, " ")
        while ((getline line < front) > 0) {
            nf = split(line, f, " ")
            for (i = 6; i <= nf; i++) if (f[i] ~ /^up=/) { a = substr(f[i], 4); sub(/,$/, "", a); sub(/^.*:/, "", a); fr[a SUBSEP f[2]]++; frn[a]++ }
            codes[f[2]] = 1
        }
    }
    {
        port = ""; for (i = 6; i <= NF; i++) if ($i ~ /^node=/) port = substr($i, 6)
        nd[port SUBSEP $2]++; ndn[port]++; codes[$2] = 1
        if ($2 == 200) {   # sliding 1-s window over this node accepted times (ms)
            t = int($1 * 1000 + 0.5); k = ++acc[port]; at[port SUBSEP k] = t
            while (at[port SUBSEP (lo[port] + 1)] <= t - 1000) lo[port]++
            if (k - lo[port] > mx[port]) mx[port] = k - lo[port]
        }
    }
    END {
        printf "{"
        for (k = 1; k <= np; k++) {
            port = p[k]
            printf "%s\"node%d\": {\"port\": %d, \"front_access_log\": {\"requests\": %d, \"by_status\": {", (k > 1 ? ", " : ""), k, port, frn[port]
            s = ""; for (c in codes) if ((port SUBSEP c) in fr) { printf "%s\"%s\": %d", s, c, fr[port SUBSEP c]; s = ", " }
            printf "}}, \"node_access_log\": {\"requests\": %d, \"by_status\": {", ndn[port]
            s = ""; for (c in codes) if ((port SUBSEP c) in nd) { printf "%s\"%s\": %d", s, c, nd[port SUBSEP c]; s = ", " }
            printf "}, \"max_accepted_in_any_1s\": %d}}", mx[port]
        }
        printf "}"
    }'
}
# stacked: the gateway's access log (ups=- : the gateway answered itself, i.e.
# per-client 429; ups=429: the service's per-endpoint 429) and the service's
# log -> counts per label by the limit that answered.
stack_counts() {   # front-log service-log
    awk '
    function js(s) { gsub(/\\/, "\\\\", s); gsub(/"/, "\\\"", s); return "\"" s "\"" }
    function req() { r = $4 " " $5; gsub(/"/, "", r); gsub(/\/flows\/[^\/ ]+/, "/flows/{flowId}", r); return r }
    FILENAME == ARGV[1] {
        r = req(); ups = ""
        for (i = 6; i <= NF; i++) if ($i ~ /^ups=/) ups = substr($i, 5)
        if ($2 == 429 && ups == "-") k = "429_per_client"
        else if ($2 == 429) k = "429_per_endpoint"
        else k = $2
        fr[r SUBSEP k]++; freq[r] = 1; fk[k] = 1
        next
    }
    { r = req(); sv[r SUBSEP $2]++; sreq[r] = 1; sc[$2] = 1; sn++ }
    END {
        printf "{\"front_access_log_by_limit\": {"; s = ""
        for (r in freq) { printf "%s%s: {", s, js(r); t = ""
            for (k in fk) if ((r SUBSEP k) in fr) { printf "%s%s: %d", t, js(k), fr[r SUBSEP k]; t = ", " }
            printf "}"; s = ", " }
        printf "}, \"service_access_log\": {\"requests\": %d, \"by_request\": {", sn; s = ""
        for (r in sreq) { printf "%s%s: {", s, js(r); t = ""
            for (c in sc) if ((r SUBSEP c) in sv) { printf "%s%s: %d", t, js(c), sv[r SUBSEP c]; t = ", " }
            printf "}"; s = ", " }
        printf "}}}"
    }' "$1" "$2"
}
# extra per-file observations for the multi-tier scenarios (or nothing)
extra_json() {   # scenario scratch-dir
    case "$1" in
    distributed) printf ',\n            "nodes": %s' "$(node_counts "$2/access.log" "$2/nodes.log")" ;;
    stacked)     printf ',\n            "limits_observed": %s' "$(stack_counts "$2/access.log" "$2/nodes.log")" ;;
    esac
}

# --- one nginx + one JMeter run ----------------------------------------------
render_nginx() {   # conf port prefix (uses SUBST and S_WIN from configure)
    local conf=$1 port=$2 pfx=$3
    mkdir -p "$pfx/tmp"
    sed -e "s|@PREFIX@|$pfx|g" -e "s|@PORT@|$port|g" ${SUBST[@]+"${SUBST[@]}"} "$HERE/nginx/$conf.conf" > "$pfx/scenario.conf"
    sed -e "s|@PREFIX@|$pfx|g" -e "s|@PORT@|$port|g" "$HERE/nginx/_main.conf.in" > "$pfx/nginx.conf"
    if [ "$conf" = fixed-window ]; then fixed_window_maps "$S_WIN" > "$pfx/fixed-window-maps.conf"; fi
    if [ "$conf" = distributed ]; then distributed_nodes "$pfx" > "$pfx/distributed-nodes.conf"; fi
    if [ "$conf" = ratelimit-headers ]; then ratelimit_tiers "$pfx" > "$pfx/ratelimit-tiers.conf"; fi
    local rendered=("$pfx/scenario.conf")
    if [ "$conf" = distributed ]; then rendered+=("$pfx/distributed-nodes.conf"); fi
    if [ "$conf" = ratelimit-headers ]; then rendered+=("$pfx/ratelimit-tiers.conf"); fi
    if grep -n '@[A-Z_]*@' "${rendered[@]}" >&2; then
        echo "unfilled placeholder in nginx/$conf.conf" >&2; return 1
    fi
    nginx -q -t -p "$pfx" -c "$pfx/nginx.conf" -e "$pfx/error.log"
}
start_nginx() {   # conf port prefix  (also listens on S_EXTRA_PORTS)
    local conf=$1 port=$2 pfx=$3 i p up
    for p in $port $S_EXTRA_PORTS; do
        if (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "something already listens on 127.0.0.1:$p (set BASE_PORT to use other ports)" >&2; return 1
        fi
    done
    render_nginx "$conf" "$port" "$pfx"
    nginx -p "$pfx" -c "$pfx/nginx.conf" -e "$pfx/error.log" &
    NGINX_PID=$!
    # wait until it listens: a bare TCP connect, no HTTP request (would use up limiter budget)
    for i in $(seq 1 50); do
        up=1
        for p in $port $S_EXTRA_PORTS; do
            (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null || { up=0; break; }
        done
        if [ $up = 1 ]; then return 0; fi
        kill -0 "$NGINX_PID" 2>/dev/null || { cat "$pfx/error.log" >&2; return 1; }
        sleep 0.1
    done
    echo "nginx did not start listening on 127.0.0.1:$port $S_EXTRA_PORTS" >&2
    return 1
}
stop_nginx() {
    kill -TERM "$NGINX_PID"
    wait "$NGINX_PID" 2>/dev/null || true
    NGINX_PID=""
}

run_jmeter() {   # scenario fmt jtl-path threads rampup duration [extra args]  (configure must have run)
    local scen=$1 fmt=$2 jtl=$3 threads=$4 rampup=$5 duration=$6; shift 6
    local pfx="$WORK/$scen-$fmt"
    mkdir -p "$pfx"
    start_nginx "$S_CONF" "$S_PORT" "$pfx"
    rm -f "$jtl"
    local t0=$SECONDS rc=0
    # hard stop even if the duration property were ignored: duration + 60 s
    jmeter_run_limited $((duration + 60)) -n -t "$HERE/jmx/$S_JMX.jmx" -l "$jtl" -j "$pfx/jmeter.log" \
        -Jhost=127.0.0.1 -Jport="$S_PORT" -Jthreads="$threads" -Jrampup="$rampup" \
        -Jduration="$duration" -Jloops="$S_LOOPS" -Jthink_ms="$S_THINK" -Jjitter_ms="$S_JITTER" \
        -Jjmeterengine.nongui.port=0 \
        "$@" >"$pfx/jmeter.out" 2>&1 || rc=$?
    stop_nginx
    if [ $rc -ne 0 ] || [ ! -s "$jtl" ]; then
        echo "JMeter failed for $scen/$fmt (rc=$rc); see $pfx/jmeter.out and $pfx/jmeter.log" >&2
        tail -20 "$pfx/jmeter.out" >&2
        KEEP_WORK=1
        return 1
    fi
    printf '  %-15s %-8s %6d lines  %4ds  %s\n' "$scen" "$fmt" "$(wc -l <"$jtl")" $((SECONDS - t0)) \
        "$(grep -h -o 'summary = .*' "$pfx/jmeter.out" | tail -1)"
}

load_json() {   # threads rampup duration
    printf '  "load": {"threads": %d, "rampup_s": %d, "duration_s": %d, "think_time_ms": "uniform %d..%d per request", "loops_per_thread_cap": %d,\n' \
        "$1" "$2" "$3" "$S_THINK" $((S_THINK + S_JITTER)) "$S_LOOPS"
    printf '           "note": "threads start linearly over rampup_s; each thread waits the think time before every request, so offered load grows with the active thread count (grpThreads column)"},\n'
}

for scen in $SCENARIOS; do   # check every name and parameter before any traffic
    configure "$scen" || die "unknown scenario: $scen (known: $ALL)"
done
[[ " $SCENARIOS " != *" threshold-rate "* ]] || configure_default_csv
if [ "$DRY_RUN" = 1 ]; then
    for scen in $SCENARIOS; do
        configure "$scen"
        render_nginx "$S_CONF" "$S_PORT" "$WORK/$scen-dry"
        echo "$scen: port $S_PORT, plan jmx/$S_JMX.jmx, nginx config OK; $(params_env)"
    done
    if [[ " $SCENARIOS " == *" threshold-rate "* ]]; then
        configure_default_csv
        echo "threshold-rate.default: headerless CSV; $(params_env)"
    fi
    echo "gzip: $GZIP_FILES"
    exit 0
fi

# --- JMeter launcher (see jmeter-fix/JMeterXStreamFix.java for why) ---------
mkdir -p "$WORK/jfix"
javac -nowarn -d "$WORK/jfix" "$HERE/jmeter-fix/JMeterXStreamFix.java" 2>"$WORK/javac.log" || { cat "$WORK/javac.log" >&2; exit 1; }
JAVA_JMETER=(java -Xms256m -Xmx512m -XX:+UseSerialGC -Djmeter.home="$JMHOME"
    -cp "$JMHOME/bin/ApacheJMeter.jar:$WORK/jfix" JMeterXStreamFix)
jmeter_run() {   # args: jmeter command-line arguments
    "${JAVA_JMETER[@]}" "$@"
}
jmeter_run_limited() {   # seconds, then jmeter command-line arguments
    local limit=$1; shift
    timeout -k 10 "$limit" "${JAVA_JMETER[@]}" "$@"
}
JMETER_VERSION=$(jmeter_run --version -j "$WORK/version.log" 2>&1 | sed -n 's/.*Version \([0-9]*\.[0-9]*\).*/\1/p' | head -1)
NGINX_VERSION=$(nginx -v 2>&1 | sed 's|.*nginx/||')

echo "JMeter $JMETER_VERSION, nginx $NGINX_VERSION, output: $OUT, scratch: $WORK"
# --- shapes: runs and truth.json ------------------------------------------------
# Two JMeter engines at the same time against ONE nginx (two-generators): same
# plan, same thread group name, X-Load-Generator: gen1 / gen2 so that nginx's
# log can be split per engine. Never more than these two JMeter processes.
run_jmeter_pair() {   # scenario fmt jtl1 jtl2 threads-per-engine rampup duration [extra args]
    local scen=$1 fmt=$2 j1=$3 j2=$4 threads=$5 rampup=$6 duration=$7; shift 7
    local pfx="$WORK/$scen-$fmt" g rc1=0 rc2=0 p1 p2 t0=$SECONDS
    mkdir -p "$pfx"
    start_nginx "$S_CONF" "$S_PORT" "$pfx"
    rm -f "$j1" "$j2"
    for g in gen1 gen2; do
        local jtl=$j1; [ $g = gen1 ] || jtl=$j2
        timeout -k 10 $((duration + 60)) "${JAVA_JMETER[@]}" -n -t "$HERE/jmx/$S_JMX.jmx" -l "$jtl" -j "$pfx/jmeter-$g.log" \
            -Jhost=127.0.0.1 -Jport="$S_PORT" -Jthreads="$threads" -Jrampup="$rampup" \
            -Jduration="$duration" -Jloops="$S_LOOPS" -Jthink_ms="$S_THINK" -Jjitter_ms="$S_JITTER" \
            -Jjmeterengine.nongui.port=0 -Jgenerator=$g \
            "$@" >"$pfx/jmeter-$g.out" 2>&1 &
        if [ $g = gen1 ]; then p1=$!; else p2=$!; fi
    done
    JM_PIDS=("$p1" "$p2")
    wait "$p1" || rc1=$?
    wait "$p2" || rc2=$?
    JM_PIDS=()
    stop_nginx
    if [ $rc1 -ne 0 ] || [ $rc2 -ne 0 ] || [ ! -s "$j1" ] || [ ! -s "$j2" ]; then
        echo "JMeter failed for $scen/$fmt (rc=$rc1/$rc2); see $pfx/jmeter-gen*.out and .log" >&2
        tail -5 "$pfx/jmeter-gen1.out" "$pfx/jmeter-gen2.out" >&2
        KEEP_WORK=1
        return 1
    fi
    for g in gen1 gen2; do
        local jtl=$j1; [ $g = gen1 ] || jtl=$j2
        printf '  %-15s %-8s %6d lines  %4ds  %s\n' "$scen" "$fmt.$g" "$(wc -l <"$jtl")" $((SECONDS - t0)) \
            "$(grep -h -o 'summary = .*' "$pfx/jmeter-$g.out" | tail -1)"
    done
}

jstats() { python3 "$HERE/jtl-stats.py" "$@"; }
json_str() { printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g'; }

SES_LABEL='POST /api/v2/architect/flows/{flowId}/sessions'
FLO_LABEL='GET /api/v2/architect/flows/{flowId}'
PUT_LABEL='PUT /api/v2/architect/flows/{flowId}'
TC_LABEL='TX create session and read flow'

# one sentence per scenario: what the shape is
shape_desc() {
    case "$1" in
    tc-parent) echo "Transaction Controller with Generate parent sample (TransactionController.parent=true): per iteration one parent sample '$TC_LABEL' with two HTTP requests inside ($SES_LABEL, then $FLO_LABEL), both under one shared limit_req" ;;
    tc-default) echo "Transaction Controller in default mode (TransactionController.parent=false): per iteration the two HTTP samples ($SES_LABEL, $FLO_LABEL) and then a transaction sample '$TC_LABEL', one shared limit_req" ;;
    tc-plain) echo "plain twin of tc-parent and tc-default: the same nginx config (one shared limit_req), the ordinary single-sampler plan ($SES_LABEL), 429" ;;
    status-503) echo "limit_req with limit_req_status left at its default: rejected requests get 503 Service Temporarily Unavailable (nginx's HTML page) + Retry-After, never 429" ;;
    status-503-plain) echo "plain twin of status-503: the same rate/burst/Retry-After answering 429 (nginx/threshold-rate.conf), single-sampler plan" ;;
    two-generators) echo "two JMeter engines started at the same time against ONE limiter, each writing its own file; same plan and thread group name, so thread names collide across the files" ;;
    two-generators-plain) echo "plain twin of two-generators: the same limiter, ONE engine with both engines' threads, one file" ;;
    id-labels) echo "the sampler NAME is its path with the flow id ('PUT /api/v2/architect/flows/\${flowId}', flowId = \${__UUID()} per request), so every sample has its own label; one limit_req on that endpoint" ;;
    id-labels-plain) echo "plain twin of id-labels: the same nginx config, plain.jmx with the template label '$PUT_LABEL' for the same PUT requests" ;;
    shared-limit) echo "two endpoints share ONE limit_req zone keyed by organisation; the plan calls $SES_LABEL twice and $FLO_LABEL once per iteration (shares 2/3 and 1/3)" ;;
    shared-limit-plain) echo "plain twin of shared-limit: the same nginx config, single-sampler plan ($SES_LABEL only)" ;;
    ratelimit-headers) echo "the server advertises its limit on every response (200 and 429): RateLimit-Limit, RateLimit-Policy, X-RateLimit-Limit (static) and RateLimit-Remaining, RateLimit-Reset (measured per request)" ;;
    ratelimit-headers-plain) echo "plain twin of ratelimit-headers: the same rate/burst/Retry-After (nginx/threshold-rate.conf), no RateLimit headers, single-sampler plan" ;;
    esac
}

shape_limiter_json() {   # scenario
    local s=$1 scope applies status=429
    case "$s" in
    tc-*) scope="one bucket per client, shared by both endpoints: every request of the run counts, whatever its label"
          applies="\"$SES_LABEL\", \"$FLO_LABEL\"" ;;
    status-503) scope="one bucket per client on every request"; status=503; applies="\"$SES_LABEL\"" ;;
    status-503-plain|ratelimit-headers*) scope="one bucket per client on every request"; applies="\"$SES_LABEL\"" ;;
    two-generators*) scope="one bucket per organisation (X-Organization-Id, the same org-0001 from every engine): all engines draw from the same budget"
          applies="\"$SES_LABEL\"" ;;
    id-labels*) scope="one bucket per client on the endpoint PUT /api/v2/architect/flows/{id} (path regex ^/api/v2/architect/flows/[^/]+\$), whatever the sample label"
          applies="\"$PUT_LABEL\"" ;;
    shared-limit*) scope="one bucket per organisation (X-Organization-Id) shared by both endpoints; neither endpoint has a limit of its own"
          applies="\"$SES_LABEL\", \"$FLO_LABEL\"" ;;
    esac
    printf '  "expected_verdict": "threshold",\n'
    printf '  "limiter": {"kind": "rate", "algorithm": "leaky bucket (nginx limit_req, nodelay)",\n'
    printf '              "rate_per_s": %d, "burst": %d, "window_s": null, "max_in_flight": null, "status_on_reject": %d,\n' "$S_RATE" "$S_BURST" "$status"
    printf '              "scope": "%s",\n' "$(json_str "$scope")"
    printf '              "applies_to_labels": [%s],\n' "$applies"
    printf '              "max_accepted_in_any_interval": "%d + 1 + %d*T requests in T seconds"},\n' "$S_BURST" "$S_RATE"
    printf '  "retry_after": {"present_on": "%d only", "value_s": %d, "dynamic": false},\n' "$status" "$S_RA"
}

twin_json() {   # scenario
    local s=$1 t f=""
    if [ "$S_KIND" = shape ]; then
        f="\"$S_TWIN.csv.jtl\", \"$S_TWIN.xml.jtl\""
        printf '  "plain_twin": {"scenario": "%s", "files": [%s], "truth": "%s.truth.json",\n' "$S_TWIN" "$f" "$S_TWIN"
        printf '                 "note": "same limiter (rate %d r/s, burst %d, Retry-After %d) with the ordinary single-sampler plan, one file per format and 429: an analyser should give the same verdict (threshold) and the same limit (%d req/s) on both"},\n' "$S_RATE" "$S_BURST" "$S_RA" "$S_RATE"
    else
        printf '  "twin_of": [%s],\n' "$(for t in $S_TWIN; do printf '%s"%s"' "$f" "$t"; f=", "; done)"
        printf '  "twin_note": "same limiter (rate %d r/s, burst %d, Retry-After %d) as %s, ordinary single-sampler plan, one file per format, 429: the reference verdict and limit for that shape",\n' "$S_RATE" "$S_BURST" "$S_RA" "$S_TWIN"
    fi
}

shape_extra_json() {   # scenario: shape-specific top-level keys
    local s=$1
    case "$s" in
    tc-parent|tc-default)
        local parent=true mode="Generate parent sample"
        [ "$s" = tc-parent ] || { parent=false; mode="default (no parent sample)"; }
        printf '  "transaction_controller": {"name": "%s", "mode": "%s", "TransactionController.parent": %s, "TransactionController.includeTimers": false,\n' "$TC_LABEL" "$mode" "$parent"
        printf '      "requests_per_transaction": 2, "sub_sample_labels": ["%s", "%s"],\n' "$SES_LABEL" "$FLO_LABEL"
        printf '      "think_time": "the thread-group timer runs before EACH of the two requests; with includeTimers=false the transaction elapsed is the sum of the two requests and the pauses go to IdleTime (it)",\n'
        if [ "$s" = tc-parent ]; then
            printf '      "csv_writes": "only the parent rows: label = the controller name, responseCode = the first failing sub-sample code else the last one (200), responseMessage \\"Number of samples in transaction : 2, number of failing samples : M\\" (quoted in the CSV, it holds a comma), dataType empty, URL null, bytes = sum of both, Latency 0, Connect 0, IdleTime = the pauses, timeStamp = start of the transaction (before the first think time), elapsed = sum of the two requests",\n'
            printf '      "xml_writes": "one <sample> element per transaction (same attributes as the CSV row) with the two <httpSample> elements nested inside, indented by two spaces, each with its own responseHeader and java.net.URL, then an empty <responseHeader> of the parent, then </sample>",\n'
        else
            printf '      "csv_writes": "every HTTP request as its own row, and after the second request of an iteration (right after that row, same thread) a transaction row: label = the controller name, responseCode 200 if both requests succeeded and EMPTY if one failed (success false; not 429!), responseMessage \\"Number of samples in transaction : 2, number of failing samples : M\\" (quoted), dataType empty, URL null, bytes/Latency/Connect = sums, IdleTime = the pauses, timeStamp = start of the transaction, i.e. EARLIER than both of its requests",\n'
            printf '      "xml_writes": "<httpSample> per request at top level and a top-level <sample> per transaction (no children, an empty <responseHeader>), in the same order as the CSV rows",\n'
        fi
        if [ "$s" = tc-parent ]; then
            printf '      "not_written": "JMeter 2.13 never writes the parent of the transaction that each thread is in when the scheduled duration ends: per thread exactly one transaction is lost (observed in every run), even when both of its requests completed. So the file holds fewer requests than the server saw; see files.*.transactions.not_written."},\n'
        else
            printf '      "not_written": "the transaction row of a transaction cut off by the scheduled end (only its first request sent) is not written; its HTTP row is. A thread whose last transaction completed writes its transaction row. Every HTTP request is in the file; see files.*.transactions.not_written."},\n'
        fi ;;
    two-generators)
        printf '  "generators": {"engines": 2, "names": ["gen1", "gen2"], "threads_per_engine": %d, "threads_total": %d, "thread_group": "API users",\n' "$S_ENGINE_THREADS" $((2 * S_ENGINE_THREADS))
        printf '      "thread_names_collide": true, "note": "both engines run the same plan with the same thread group, so both files have threads API users 1-1 .. 1-%d; grpThreads/allThreads in each file count only that engine (max %d), never the %d threads that load the limiter together. The engines were started at the same time (two processes launched back to back); files.<fmt>.start_offset_ms_gen2_minus_gen1 is how far apart their first samples are.",\n' "$S_ENGINE_THREADS" "$S_ENGINE_THREADS" $((2 * S_ENGINE_THREADS))
        printf '      "files": {"csv": ["%s.gen1.csv.jtl", "%s.gen2.csv.jtl"], "xml": ["%s.gen1.xml.jtl", "%s.gen2.xml.jtl"]}},\n' "$s" "$s" "$s" "$s" ;;
    id-labels)
        printf '  "distinct_labels": {"csv": %s, "xml": %s, "label_pattern": "PUT /api/v2/architect/flows/<uuid>, where <uuid> is the flow id in the request path (the label IS the path)", "label_template": "%s",\n' \
            "$(jstats labels "$OUT/$s.csv.jtl" | sed 's/.*: \([0-9]*\)}/\1/')" "$(jstats labels "$OUT/$s.xml.jtl" | sed 's/.*: \([0-9]*\)}/\1/')" "$PUT_LABEL"
        printf '      "how": "User Parameters pre-processor of the sampler sets flowId = ${__UUID()} before every request; the sampler name and the path both use ${flowId}. JMeter 2.13 evaluates functions and variables in the sampler name per request (a ${__UUID()} written directly in the name also changes per request, but is a different UUID from the one in the path)"},\n' ;;
    shared-limit)
        printf '  "shared_limit": {"rate_per_s": %d, "burst": %d, "key": "X-Organization-Id request header (org-0001)", "labels": {\n' "$S_RATE" "$S_BURST"
        printf '      "%s": {"calls_per_iteration": 2, "share": 0.6667, "accepted_per_s_when_saturated": "about %s (2/3 of the shared rate)"},\n' "$SES_LABEL" "$(awk -v r="$S_RATE" 'BEGIN { printf "%.3g", r * 2 / 3 }')"
        printf '      "%s": {"calls_per_iteration": 1, "share": 0.3333, "accepted_per_s_when_saturated": "about %s (1/3 of the shared rate)"}},\n' "$FLO_LABEL" "$(awk -v r="$S_RATE" 'BEGIN { printf "%.3g", r / 3 }')"
        printf '      "note": "per label the accepted rate is only the label'"'"'s share of the shared %d r/s, so a per-label analysis sees two different lower limits; the limit is the sum over both labels: accepted/s of both labels together = %d"},\n' "$S_RATE" "$S_RATE" ;;
    ratelimit-headers)
        printf '  "advertised_headers": {"present_on": "every response, 200 and 429",\n'
        printf '      "RateLimit-Limit": "%d", "RateLimit-Policy": "%d;w=1", "X-RateLimit-Limit": "%d",\n' "$S_RATE" "$S_RATE" "$S_RATE"
        printf '      "RateLimit-Remaining": "0 on a 429; on a 200 the number of requests that could be sent right then without a 429, BURST - ceil(fill) = 0..%d, measured by %d dry-run copies of the bucket (see nginx/ratelimit-headers.conf); exact up to +-1 when a copy saw the request 1-2 ms later than the real limit",\n' "$S_BURST" "$S_BURST"
        printf '      "RateLimit-Reset": "seconds until the bucket is empty: ceil((BURST - Remaining) / RATE), so 0 when Remaining = %d and 1 otherwise (BURST <= RATE); 1 on a 429",\n' "$S_BURST"
        printf '      "note": "RateLimit-Limit / Policy state the rate (%d per 1-s window); the burst of %d is not advertised except through Remaining (max %d). Remaining is NOT a per-window quota count-down: it is the free room in the leaky bucket."},\n' "$S_RATE" "$S_BURST" "$S_BURST" ;;
    esac
}

file_json() {   # scenario fmt jtl [comma]: one files.<fmt> entry
    local s=$1 fmt=$2 jtl=$3 sep=${4:-} by="" obs
    case "$s" in tc-parent|tc-default) by="--by txn" ;; ratelimit-headers) by="--by rem --rate $S_RATE --burst $S_BURST" ;; esac
    local fdesc="JMeter $JMETER_VERSION CSV, header line, comma, epoch-ms start timestamps"
    [ "$fmt" = csv ] || fdesc="JMeter $JMETER_VERSION XML (testResults 1.2), responseHeader saved"
    case "$s" in tc-parent|tc-default) [ "$fmt" = csv ] || fdesc="$fdesc, sub-samples saved (jmeter.save.saveservice.subresults=true)" ;; esac
    printf '    "%s": {"file": "%s", "format": "%s",\n' "$fmt" "$(basename "$jtl")" "$fdesc"
    printf '            "observed": %s,\n' "$(jstats "$fmt" "$jtl")"
    printf '            "server_access_log": %s' "$(jstats nginx "$WORK/$s-$fmt/access.log" $by)"
    case "$s" in
    tc-parent|tc-default) printf ',\n            "transactions": %s' "$(jstats tc "$jtl" "$WORK/$s-$fmt/access.log")" ;;
    esac
    printf '}%s\n' "$sep"
}

pair_json() {   # scenario fmt [comma]: files.<fmt> of two-generators
    local s=$1 fmt=$2 sep=${3:-} g
    printf '    "%s": {"format": "JMeter %s %s, one file per engine",\n' "$fmt" "$JMETER_VERSION" "$(echo "$fmt" | tr a-z A-Z)"
    for g in gen1 gen2; do
        printf '            "%s": {"file": "%s.%s.%s.jtl", "threads": %d,\n' "$g" "$s" "$g" "$fmt" "$S_ENGINE_THREADS"
        printf '                     "observed": %s,\n' "$(jstats "$fmt" "$OUT/$s.$g.$fmt.jtl")"
        printf '                     "server_access_log": %s},\n' "$(python3 -c '
import json, sys
d = json.loads(sys.argv[1]); g = d["by_generator"].get(sys.argv[2], {"requests": 0, "by_status": {}})
print(json.dumps(g, separators=(", ", ": ")))' "$(jstats nginx "$WORK/$s-$fmt/access.log" --by gen)" "$g")"
    done
    printf '            "combined": %s,\n' "$(python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2])
codes = sorted(set(a["by_code"]) | set(b["by_code"]))
out = {"samples": a["samples"] + b["samples"], "by_code": {c: a["by_code"].get(c, 0) + b["by_code"].get(c, 0) for c in codes},
       "threads": a["threads"]["max_grpThreads"] + b["threads"]["max_grpThreads"],
       "first_timestamp_ms": min(a["first_timestamp_ms"], b["first_timestamp_ms"]), "last_end_ms": max(a["last_end_ms"], b["last_end_ms"])}
print(json.dumps(out, separators=(", ", ": ")))' "$(jstats "$fmt" "$OUT/$s.gen1.$fmt.jtl")" "$(jstats "$fmt" "$OUT/$s.gen2.$fmt.jtl")")"
    printf '            "start_offset_ms_gen2_minus_gen1": %s,\n' "$(python3 -c '
import json, sys
a, b = json.loads(sys.argv[1]), json.loads(sys.argv[2]); print(b["first_timestamp_ms"] - a["first_timestamp_ms"])' "$(jstats "$fmt" "$OUT/$s.gen1.$fmt.jtl")" "$(jstats "$fmt" "$OUT/$s.gen2.$fmt.jtl")")"
    printf '            "server_access_log": %s}%s\n' "$(jstats nginx "$WORK/$s-$fmt/access.log" --by gen)" "$sep"
}

shape_truth() {   # scenario (configure must have run; its files exist)
    local s=$1 plan_props
    printf '{\n  "scenario": "%s",\n' "$s"
    printf '  "shape": "%s",\n' "$(json_str "$(shape_desc "$s")")"
    printf '  "generated_by": "%s/run-scenarios.sh (real JMeter %s against real nginx %s on 127.0.0.1)",\n' "$TOOL" "$JMETER_VERSION" "$NGINX_VERSION"
    printf '  "nginx_config": "%s/nginx/%s.conf",\n  "test_plan": "%s/jmx/%s.jmx",\n' "$TOOL" "$S_CONF" "$TOOL" "$S_JMX"
    if [ -n "$S_PLAN_PROPS" ]; then
        plan_props=$(printf '%s' "$S_PLAN_PROPS" | sed 's/|/; /g')
        printf '  "test_plan_properties": "%s",\n' "$(json_str "$plan_props")"
    fi
    printf '  "parameters": %s,\n' "$(params_json)"
    printf '  "reproduce": "%s %s/run-scenarios.sh OUTDIR %s",\n' "$(params_env)" "$TOOL" "$s"
    twin_json "$s"
    shape_limiter_json "$s"
    printf '  "clients_honor_retry_after": false,\n'
    load_json "$S_THREADS" "$S_RAMPUP" "$S_DURATION"
    shape_extra_json "$s"
    printf '  "files": {\n'
    if [ "$s" = two-generators ]; then
        pair_json "$s" csv ,
        pair_json "$s" xml
    else
        file_json "$s" csv "$OUT/$s.csv.jtl" ,
        file_json "$s" xml "$OUT/$s.xml.jtl"
    fi
    printf '  }\n}\n'
}

run_shape() {   # scenario (configure must have run)
    local s=$1 extra=() xmlprops="$HERE/jmx/xml.properties"
    if [ -n "$S_PLAN_PROPS" ]; then
        printf '%s\n' "$S_PLAN_PROPS" | tr '|' '\n' > "$WORK/$s.plan.properties"
        extra=(-q "$WORK/$s.plan.properties")
    fi
    case "$s" in tc-parent|tc-default) xmlprops="$HERE/jmx/xml-subresults.properties" ;; esac
    if [ "$s" = two-generators ]; then
        run_jmeter_pair "$s" csv "$OUT/$s.gen1.csv.jtl" "$OUT/$s.gen2.csv.jtl" "$S_THREADS" "$S_RAMPUP" "$S_DURATION" -q "$HERE/jmx/csv.properties"
        run_jmeter_pair "$s" xml "$OUT/$s.gen1.xml.jtl" "$OUT/$s.gen2.xml.jtl" "$S_THREADS" "$S_RAMPUP" "$S_DURATION" -q "$HERE/jmx/xml.properties"
    else
        run_jmeter "$s" csv "$OUT/$s.csv.jtl" "$S_THREADS" "$S_RAMPUP" "$S_DURATION" -q "$HERE/jmx/csv.properties" ${extra[@]+"${extra[@]}"}
        run_jmeter "$s" xml "$OUT/$s.xml.jtl" "$S_THREADS" "$S_RAMPUP" "$S_DURATION" -q "$xmlprops" ${extra[@]+"${extra[@]}"}
    fi
    shape_truth "$s" > "$OUT/$s.truth.json.tmp"
    python3 -c 'import json, sys; json.load(open(sys.argv[1]))' "$OUT/$s.truth.json.tmp" || { echo "bad JSON in $OUT/$s.truth.json.tmp" >&2; return 1; }
    mv "$OUT/$s.truth.json.tmp" "$OUT/$s.truth.json"
}

for scen in $SCENARIOS; do
    configure "$scen"
    echo "$scen: $(params_env)"
    if [ "$S_KIND" != classic ]; then run_shape "$scen"; continue; fi
    run_jmeter "$scen" csv "$OUT/$scen.csv.jtl" "$S_THREADS" "$S_RAMPUP" "$S_DURATION" -q "$HERE/jmx/csv.properties"
    run_jmeter "$scen" xml "$OUT/$scen.xml.jtl" "$S_THREADS" "$S_RAMPUP" "$S_DURATION" -q "$HERE/jmx/xml.properties"
    {
        printf '{\n  "scenario": "%s",\n' "$scen"
        printf '  "generated_by": "%s/run-scenarios.sh (real JMeter %s against real nginx %s on 127.0.0.1)",\n' "$TOOL" "$JMETER_VERSION" "$NGINX_VERSION"
        printf '  "nginx_config": "%s/nginx/%s.conf",\n  "test_plan": "%s/jmx/%s.jmx",\n' "$TOOL" "$S_CONF" "$TOOL" "$S_JMX"
        printf '  "parameters": %s,\n' "$(params_json)"
        printf '  "reproduce": "%s %s/run-scenarios.sh OUTDIR %s",\n' "$(params_env)" "$TOOL" "$scen"
        limiter_json "$scen"
        printf '  "clients_honor_retry_after": false,\n'
        load_json "$S_THREADS" "$S_RAMPUP" "$S_DURATION"
        printf '  "files": {\n'
        printf '    "csv": {"file": "%s.csv.jtl", "format": "JMeter %s CSV, header line, comma, epoch-ms start timestamps",\n' "$scen" "$JMETER_VERSION"
        printf '            "observed": %s,\n' "$(csv_counts "$OUT/$scen.csv.jtl")"
        printf '            "server_access_log": %s%s},\n' "$(server_counts "$WORK/$scen-csv/access.log")" "$(extra_json "$scen" "$WORK/$scen-csv")"
        printf '    "xml": {"file": "%s.xml.jtl", "format": "JMeter %s XML (testResults 1.2), responseHeader saved",\n' "$scen" "$JMETER_VERSION"
        printf '            "observed": %s,\n' "$(xml_counts "$OUT/$scen.xml.jtl")"
        printf '            "server_access_log": %s%s}\n' "$(server_counts "$WORK/$scen-xml/access.log")" "$(extra_json "$scen" "$WORK/$scen-xml")"
        printf '  }\n}\n'
    } >"$OUT/$scen.truth.json"
done

# JMeter 2.13 with its own defaults (no -q): headerless CSV, 12 columns.
# Same nginx limiter and plan as threshold-rate, shorter run.
if [[ " $SCENARIOS " == *" threshold-rate "* ]]; then
    configure_default_csv
    echo "threshold-rate.default: $(params_env)"
    run_jmeter threshold-rate default "$OUT/threshold-rate.default.csv.jtl" "$D_THREADS" "$D_RAMPUP" "$D_DURATION"
    {
        printf '{\n  "scenario": "threshold-rate (JMeter 2.13 default result settings)",\n'
        printf '  "generated_by": "%s/run-scenarios.sh (real JMeter %s against real nginx %s on 127.0.0.1)",\n' "$TOOL" "$JMETER_VERSION" "$NGINX_VERSION"
        printf '  "note": "same nginx config and plan as threshold-rate.truth.json but %d threads, rampup %d s, duration %d s and NO result-file properties: JMeter 2.13 then writes CSV without a header line and with 12 columns: %s",\n' \
            "$D_THREADS" "$D_RAMPUP" "$D_DURATION" "$DEFAULT_COLUMNS"
        printf '  "columns": ["%s"],\n' "$(printf '%s' "$DEFAULT_COLUMNS" | sed 's/,/","/g')"
        printf '  "rate_per_s": %d, "burst": %d, "retry_after_s": %d,\n' "$S_RATE" "$S_BURST" "$S_RA"
        printf '  "parameters": %s,\n' "$(params_json)"
        printf '  "reproduce": "%s %s/run-scenarios.sh OUTDIR threshold-rate",\n' "$(params_env)" "$TOOL"
        limiter_json threshold-rate
        load_json "$D_THREADS" "$D_RAMPUP" "$D_DURATION"
        printf '  "file": "threshold-rate.default.csv.jtl",\n'
        printf '  "observed": %s,\n' "$(csv_counts "$OUT/threshold-rate.default.csv.jtl")"
        printf '  "server_access_log": %s\n}\n' "$(server_counts "$WORK/threshold-rate-default/access.log")"
    } >"$OUT/threshold-rate.default.truth.json"
fi

# gzip copies (the plain file stays), only of files this invocation wrote: a run
# of other scenarios into the same OUTDIR leaves the existing .gz files alone
for f in $GZIP_FILES; do
    [[ " $SCENARIOS " == *" ${f%%.*} "* ]] || continue
    if [ -f "$OUT/$f" ]; then gzip -9 -n -c "$OUT/$f" >"$OUT/$f.gz"; fi
done
echo "done in ${SECONDS}s"
ls -la "$OUT"
