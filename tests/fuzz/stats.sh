#!/bin/sh
# Sum the fuzzing logs kept by run.sh (build/fuzzwork/logs): seconds, hours
# and executions per target, for tests/fuzz/README.md.
root=$(cd "$(dirname "$0")/../.." && pwd)
for log in "$root"/build/fuzzwork/logs/*.log; do
    t=$(basename "$log" | sed 's/-[0-9T]*\.log$//')
    # A finished run prints its totals; a killed one only progress lines.
    units=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
    if [ -z "$units" ]; then
        units=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
        secs=$(stat -c %Y "$log"); secs=$((secs - $(stat -c %W "$log" 2>/dev/null || echo "$secs")))
    fi
    echo "$t ${secs:-0} ${units:-0}"
done | awk '{s[$1]+=$2; u[$1]+=$3} END {for (t in s) printf "%-10s %7.2f h %12d executions\n", t, s[t]/3600, u[t]}' | sort
