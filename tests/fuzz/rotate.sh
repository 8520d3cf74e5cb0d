#!/bin/sh
# Run the fuzz targets one after another (one at a time: the machines are
# shared), SECONDS each, ROUNDS times; a crash stops only its own run.
# Usage: tests/fuzz/rotate.sh SECONDS ROUNDS TARGET...
set -u
secs=$1 rounds=$2; shift 2
here=$(dirname "$0")
r=0
while [ $r -lt "$rounds" ]; do
    for t in "$@"; do
        "$here/run.sh" "$t" "$secs" || echo "run $t ended with $?"
    done
    r=$((r + 1))
done
