#!/bin/sh
# Install what jtlscope needs to build, test and draw charts on Debian 12.
# Run as root (CI and the dev machines are root); idempotent.
set -eu
pkgs="build-essential cmake ninja-build pkg-config libcsv-dev libxml2-dev zlib1g-dev libjansson-dev libpcre2-dev libisal-dev help2man libjs-chart.js gnuplot-nox"
if [ "${1:-}" = "--test" ]; then
    # extras the test suite uses: clang for the fuzz build, clang-format for
    # the style check, chromium for the HTML rendering test, valgrind for the
    # memcheck run, python3 for generators and the layering check, xmllint
    # to validate the JUnit XML against Jenkins' schema, pdftotext (poppler)
    # to read back the report printed to PDF, tzdata for --timezone, man,
    # bash-completion and zsh to try what `cmake --install` puts in place,
    # GNU parallel for the README's fan-out recipe (e2e states-gnu-parallel)
    pkgs="$pkgs clang clang-format chromium valgrind python3 xxd libxml2-utils poppler-utils tzdata man-db bash-completion zsh isal parallel"
fi
missing=""
for p in $pkgs; do
    dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends $missing
fi
