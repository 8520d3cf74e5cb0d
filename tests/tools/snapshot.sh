#!/bin/sh
# Record what every command writes for every input file, so that a change
# meant to keep behaviour (a refactor) can be checked byte for byte:
#
#   tests/tools/snapshot.sh OLD_BINARY /tmp/before FILE_OR_DIR...
#   tests/tools/snapshot.sh build/release/jtlscope /tmp/after FILE_OR_DIR...
#   diff -r /tmp/before /tmp/after
#
# For each input: stats (json, table), throttle (json, text), convert, and
# report --no-render (its JSON, .dat, .gp, summary.md and index.html), each
# with its stderr and exit code.  Run it from the same folder both times:
# the input paths appear in some outputs.
set -u
[ $# -ge 3 ] || { echo "usage: $0 BINARY OUTDIR FILE_OR_DIR..." >&2; exit 2; }
bin=$1 out=$2
shift 2
export LC_ALL=C TZ=UTC SOURCE_DATE_EPOCH=1700000000
mkdir -p "$out"

run() { # NAME ARGS...: stdout, stderr and exit code of one command
    name=$1
    shift
    "$bin" "$@" >"$dir/$name.out" 2>"$dir/$name.err"
    echo $? >"$dir/$name.exit"
}

inputs=$(for a in "$@"; do
    if [ -d "$a" ]; then find "$a" -type f; else echo "$a"; fi
done | grep -vE '\.(md|json|py|png|txt|sh)$' | LC_ALL=C sort)

for f in $inputs; do
    dir="$out/$(echo "$f" | sed 's|^\./||; s|/|__|g')"
    mkdir -p "$dir"
    run stats-json stats --format json "$f"
    run stats-table stats "$f"
    run stats-compat stats --format json --jmeter-compat "$f"
    run throttle-json throttle --format json "$f"
    run throttle-text throttle "$f"
    run throttle-t1 throttle --format json --threads 1 "$f"
    run convert convert -o "$dir/convert.csv" "$f"
    run report report --no-render -o "$dir/report" "$f"
    if [ -d "$dir/report" ]; then
        # PNG/SVG are gnuplot's; everything jtlscope itself writes stays
        find "$dir/report" -type f \( -name '*.png' -o -name '*.svg' \) -delete
    fi
done
# Several files at once (one run from two files), where a CSV and an XML of
# the same run sit side by side.
for f in $inputs; do
    case $f in *.csv.jtl) ;; *) continue ;; esac
    x=${f%.csv.jtl}.xml.jtl
    [ -f "$x" ] || continue
    dir="$out/pair__$(echo "$f" | sed 's|^\./||; s|/|__|g')"
    mkdir -p "$dir"
    run stats-json stats --format json "$f" "$x"
    run throttle-json throttle --format json "$f" "$x"
done

# The options, each on a sample with several labels (CSV) and one (XML).
for f in samples/*.csv* samples/threshold-rate.xml.jtl.gz; do
    [ -f "$f" ] || continue
    dir="$out/options__$(echo "$f" | sed 's|/|__|g')"
    mkdir -p "$dir"
    run from-to stats --format json --from +5s --to +15s "$f"
    run include stats --format json --include '^[A-Z]' "$f"
    run exclude throttle --format json --exclude 'login' "$f"
    run pct stats --format csv --percentiles 50,99.9 --apdex 100,400 "$f"
    run legacy stats --format md --percentile-method legacy "$f"
    run subres stats --format json --subresults "$f"
    run gran-1s stats --timeline --granularity 1s "$f"
    run codes throttle --format json --throttle-codes 429,503 --margin 0.3 "$f"
    run msg throttle --format md --throttle-message 'Too Many' "$f"
    run noscope throttle --no-scopes "$f"
    run stdin stats --format json - <"$f"
    run rep-opts report --no-render --granularity 2s --title 'T <x>' -o "$dir/rep" "$f"
    [ -d "$dir/rep" ] && find "$dir/rep" -type f \( -name '*.png' -o -name '*.svg' \) -delete
done
echo "$(echo "$inputs" | wc -l) inputs recorded in $out"
