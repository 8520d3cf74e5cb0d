#!/bin/sh
# Sum the fuzzing logs kept by run.sh (build/fuzzwork/logs): hours and
# executions per target, for tests/fuzz/README.md.  A finished run prints
# its totals (-print_final_stats=1); for a run still going or stopped, the
# last progress line gives the executions, and executions / exec/s the time.
# raw input bytes in the logs are not text in any locale but C
export LC_ALL=C
root=$(cd "$(dirname "$0")/../.." && pwd)
printf '| target | runs | hours | executions | crashes | timeouts |\n|---|---:|---:|---:|---:|---:|\n'
for log in "$root"/build/fuzzwork/logs/*.log; do
    [ -e "$log" ] || continue
    t=$(basename "$log" | sed 's/-[0-9T]*\.log$//')
    # the logs may hold raw input bytes (a target that echoes what it read):
    # take only lines that are wholly the figure looked for
    units=$(sed -n 's/^stat::number_of_executed_units: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
    secs=$(sed -n 's/^Done [0-9]* runs in \([0-9][0-9]*\) second.*/\1/p' "$log" | tail -n 1)
    if [ -n "$units" ] && [ -z "$secs" ]; then
        # a run that stopped at a crash: no "Done" line
        rate=$(sed -n 's/^stat::average_exec_per_sec: *\([0-9][0-9]*\)$/\1/p' "$log" | tail -n 1)
        secs=0
        [ -n "$rate" ] && [ "$rate" -gt 0 ] && secs=$((units / rate))
    fi
    if [ -z "$units" ]; then
        last=$(grep -aE '^#[0-9]+.*exec/s: [0-9]+' "$log" | tail -n 1)
        units=$(echo "$last" | sed -n 's/^#\([0-9]*\).*/\1/p')
        rate=$(echo "$last" | sed -n 's/.*exec\/s: \([0-9]*\).*/\1/p')
        secs=0
        [ -n "$rate" ] && [ "$rate" -gt 0 ] && secs=$((units / rate))
    fi
    crashes=$(grep -ac 'Test unit written to .*/\(crash\|leak\|oom\)-' "$log")
    timeouts=$(grep -ac 'Test unit written to .*/timeout-' "$log")
    echo "$t ${secs:-0} ${units:-0} $crashes $timeouts"
done | awk '{s[$1] += $2; u[$1] += $3; c[$1] += $4; o[$1] += $5; r[$1]++}
    END {
        for (t in s)
            printf "| `%s` | %d | %.2f | %d | %d | %d |\n", t, r[t], s[t] / 3600, u[t], c[t], o[t]
    }' | sort
