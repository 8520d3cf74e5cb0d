#!/bin/sh
# SPDX-License-Identifier: MIT
# xml_bench.sh - time the XML decoder against a bare libxml2 SAX2 push pass
# (no-op callbacks) over the same generated JTL; prints medians, peak RSS
# and the ratio (target: decoder <= 1.3x bare).
# Then the memory check: peak RSS for a tenth of the samples (flat in the
# file size) and for one sample holding a 512 MiB <responseData> text node.
# Usage: tests/bench/xml_bench.sh [SAMPLES [RUNS]]   (default 1000000 5)
# Env: XML_BENCH_DIR (scratch, default /tmp/jtl-xml-bench), CC.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
n=${1:-1000000}
runs=${2:-5}
work=${XML_BENCH_DIR:-/tmp/jtl-xml-bench}
cc=${CC:-cc}
mkdir -p "$work"

echo "== build (release preset: RelWithDebInfo, -O2)"
(cd "$root" && cmake --preset release -G Ninja >/dev/null &&
    cmake --build --preset release --target jtlcore -j2 >/dev/null)
xml_cflags=$(pkg-config --cflags libxml-2.0)
xml_libs=$(pkg-config --libs libxml-2.0)
$cc -O2 $xml_cflags -o "$work/xml_sax_bare" "$here/xml_sax_bare.c" $xml_libs
$cc -O2 -I"$root/include" -o "$work/xml_bench_decode" \
    "$here/xml_bench_decode.c" "$root/build/release/libjtlcore.a" \
    $xml_libs -lz $(pkg-config --libs libisal 2>/dev/null) -lcsv -lpthread -lm

file="$work/bench-$n.xml.jtl"
if [ ! -s "$file" ]; then
    echo "== generate $n samples -> $file"
    python3 "$here/xml_gen.py" "$n" "$file.tmp"
    mv "$file.tmp" "$file"
fi
size=$(wc -c <"$file")
echo "== input: $file ($size bytes)"
cat "$file" >/dev/null # page cache warm for both sides

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

: >"$work/bare.t"
: >"$work/dec.t"
i=0
while [ "$i" -lt "$runs" ]; do
    # interleaved, so drift (other load) hits both sides alike
    /usr/bin/time -f "%e %U %M" -o "$work/one" "$work/xml_sax_bare" "$file" 2>/dev/null
    cat "$work/one" >>"$work/bare.t"
    /usr/bin/time -f "%e %U %M" -o "$work/one" "$work/xml_bench_decode" "$file" 2>"$work/dec.log"
    cat "$work/one" >>"$work/dec.t"
    i=$((i + 1))
done
cat "$work/dec.log"
b_e=$(cut -d' ' -f1 "$work/bare.t" | median)
b_u=$(cut -d' ' -f2 "$work/bare.t" | median)
b_m=$(cut -d' ' -f3 "$work/bare.t" | median)
d_e=$(cut -d' ' -f1 "$work/dec.t" | median)
d_u=$(cut -d' ' -f2 "$work/dec.t" | median)
d_m=$(cut -d' ' -f3 "$work/dec.t" | median)
echo "== $runs runs each, medians"
printf '%-22s %9s %9s %10s %9s\n' "" "wall s" "user s" "max RSS KB" "MB/s"
printf '%-22s %9s %9s %10s %9.0f\n' "bare libxml2 SAX2" "$b_e" "$b_u" "$b_m" \
    "$(echo "$size $b_e" | awk '{print $1/1e6/$2}')"
printf '%-22s %9s %9s %10s %9.0f\n' "jtlscope XML decoder" "$d_e" "$d_u" "$d_m" \
    "$(echo "$size $d_e" | awk '{print $1/1e6/$2}')"
echo "$d_e $b_e $d_u $b_u" | awk '{printf "ratio decoder/bare: wall %.3f, user %.3f (target <= 1.3)\n", $1/$2, $3/$4}'

echo "== memory (peak RSS, one run each)"
small="$work/bench-$((n / 10)).xml.jtl"
[ -s "$small" ] || python3 "$here/xml_gen.py" "$((n / 10))" "$small"
huge="$work/huge-512.xml.jtl"
[ -s "$huge" ] || python3 "$here/xml_gen.py" --huge-text 512 "$huge"
for f in "$small" "$file" "$huge"; do
    /usr/bin/time -f "%e %M" -o "$work/one" "$work/xml_bench_decode" "$f" 2>"$work/dec.log"
    printf '%-40s %12s bytes  %6s s  max RSS %s KB   (%s)\n' "$(basename "$f")" \
        "$(wc -c <"$f")" $(cat "$work/one") "$(cat "$work/dec.log")"
done
