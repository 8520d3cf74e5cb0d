#!/bin/sh
# SPDX-License-Identifier: MIT
# throttle on limiters with other parameters than the nginx data, made by
# tests/data/throttling_sim.py (independent of the project's own C
# simulator): token bucket, fixed and sliding windows, concurrency,
# distributed buckets, random shedding at two probabilities.
set -eu
jtl=$1 data=$2 out=$4
command -v python3 >/dev/null 2>&1 || exit 77
mkdir -p "$out"
sim="python3 $data/throttling_sim.py --threads 40 --ramp 10 --think 0.4"
fail=0
# name | simulator arguments | expected verdict | mechanism | json path | truth
while IFS='|' read -r name args verdict mech key want; do
    [ -n "$name" ] || continue
    f="$out/$name.csv"
    $sim $args > "$f"
    "$jtl" throttle -q --format json "$f" > "$out/$name.json"
    python3 - "$out/$name.json" "$name" "$verdict" "$mech" "$key" "$want" <<'PY' || fail=1
import json, sys
j = json.load(open(sys.argv[1]))
name, verdict, mech, key, want = sys.argv[2:7]
ok = j["verdict"] == verdict and str(j["mechanism"]) == mech
got = j["limit"].get(key) if key != "-" else None
if key != "-":
    ok = ok and got is not None and abs(got - float(want)) <= 0.10 * float(want)
print(f"{'ok  ' if ok else 'FAIL'} {name:14s} {j['verdict']:12s} {str(j['mechanism']):14s} {key}={got} (want {verdict} {mech} {want})")
sys.exit(0 if ok else 1)
PY
done <<'CASES'
tb-20-10|--limiter tb --rate 20 --burst 10 --duration 60 --seed 3|threshold|rate|rate_per_s|20
tb-45-45|--limiter tb --rate 45 --burst 45 --duration 60 --think 0.1 --seed 4|threshold|rate|rate_per_s|45
fw-100-10|--limiter fw --limit 100 --window 10 --aligned --duration 60|threshold|fixed-window|per_window|100
fw-30-1|--limiter fw --limit 30 --window 1 --aligned --duration 40|threshold|fixed-window|per_window|30
sl-40-2|--limiter sl --limit 40 --window 2 --duration 40|threshold|sliding-window|per_window|40
conc-6|--limiter conc --limit 6 --duration 40 --think 0.05|threshold|concurrency|concurrency|6
dist-4x5|--limiter dist-tb --nodes 4 --rate 5 --burst 3 --duration 90|threshold|distributed|rate_per_s|20
random-20|--limiter random --p 0.2 --duration 60 --seed 5|random|None|-|0
random-40|--limiter random --p 0.4 --duration 40 --seed 6|random|None|-|0
CASES
exit $fail
