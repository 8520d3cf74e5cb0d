#!/bin/sh
# Build from scratch and run the whole test suite three times: an optimized
# build, the same without ISA-L (gzip by zlib alone: the fallback must keep
# working) and an ASan/UBSan build.  Exits nonzero on the first failure.
set -eu
cd "$(dirname "$0")/.."
jobs=$(nproc 2>/dev/null || echo 2)
for preset in release zlib asan; do
    echo "=== $preset: configure and build"
    rm -rf "build/$preset"
    cmake --preset "$preset" -G Ninja >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
    echo "=== $preset: test"
    ctest --preset "$preset" -j "$jobs"
done
