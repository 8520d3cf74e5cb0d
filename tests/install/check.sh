#!/bin/sh
# check.sh prefix|deb BUILD_DIR SOURCE_DIR SCRATCH: jtlscope installs like a
# tool.  prefix: `cmake --install` into a fresh prefix gives the binary, the
# man page (rendered with man -l), bash and zsh completion (bash asked to
# complete), the license and the samples, and the installed binary reports
# on an installed sample.  deb: `cpack -G DEB` makes a package whose
# control file declares the runtime libraries and recommends gnuplot; as
# root it is installed with dpkg -i, runs `jtlscope report` on its sample
# and is removed again (else unpacked with dpkg -x and run from there).
# Prints "ok"/"FAIL" lines; exit 1 on any FAIL, 77 when a tool is missing.
set -u
mode=$1
build=$2
src=$3
tmp=$4
fails=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; fails=$((fails + 1)); }
check() { what=$1; shift; if "$@" >/dev/null 2>&1; then ok "$what"; else bad "$what"; fi; }
need() { command -v "$1" >/dev/null 2>&1 || { echo "SKIP $1 is not installed (tests/install-deps.sh --test)"; exit 77; }; }
rm -rf "$tmp"
mkdir -p "$tmp"

case $mode in
prefix)
    need man
    need bash
    need zsh
    p=$tmp/prefix
    check "cmake --install into a fresh prefix" cmake --install "$build" --prefix "$p"
    check "bin/jtlscope runs" "$p/bin/jtlscope" --version
    m=$p/share/man/man1/jtlscope.1
    check "share/man/man1/jtlscope.1" test -s "$m"
    MANWIDTH=80 man -l "$m" >"$tmp/man.txt" 2>"$tmp/man.err"
    check "man -l renders it, with no warning" test ! -s "$tmp/man.err"
    check "the page has NAME, SYNOPSIS and OPTIONS" sh -c \
        "grep -q '^NAME' '$tmp/man.txt' && grep -q '^SYNOPSIS' '$tmp/man.txt' && grep -q '^OPTIONS\|^ *-q, --quiet' '$tmp/man.txt'"
    for cmd in $("$p/bin/jtlscope" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
        check "the page has $cmd's own options" grep -q "^   $cmd\$" "$tmp/man.txt"
    done
    check "--help and the page agree: --throttle-codes in both" sh -c \
        "'$p/bin/jtlscope' report --help | grep -q -- --throttle-codes && grep -q -- --throttle-codes '$tmp/man.txt'"
    bc=$p/share/bash-completion/completions/jtlscope
    check "bash completion installed" test -s "$bc"
    cat >"$tmp/complete.bash" <<EOS
. /usr/share/bash-completion/bash_completion 2>/dev/null || exit 77
. '$bc'
PATH='$p/bin':\$PATH
t() { COMP_WORDS=("\$@"); COMP_CWORD=\$((\${#COMP_WORDS[@]} - 1)); COMP_LINE="\${COMP_WORDS[*]}"; COMP_POINT=\${#COMP_LINE}; COMPREPLY=(); _jtlscope jtlscope "\${COMP_WORDS[-1]}" "\${COMP_WORDS[-2]}"; echo "\${COMPREPLY[*]}"; }
t jtlscope rep
t jtlscope stats --inc
t jtlscope throttle -f ''
EOS
    bash "$tmp/complete.bash" >"$tmp/complete.out" 2>&1
    if [ $? = 77 ]; then echo "SKIP bash-completion is not installed"; exit 77; fi
    check "bash completes 'jtlscope rep' to report" sed -n '1{/^report$/q0;q1}' "$tmp/complete.out"
    check "bash completes 'stats --inc' to --include" sed -n '2{/^--include$/q0;q1}' "$tmp/complete.out"
    check "bash completes throttle's formats" sed -n '3{/^json md text$/q0;q1}' "$tmp/complete.out"
    check "zsh completion installed, valid zsh" zsh -n "$p/share/zsh/vendor-completions/_jtlscope"
    check "the license" cmp "$src/LICENSE" "$p/share/doc/jtlscope/LICENSE"
    check "the installed binary reports on an installed sample" \
        "$p/bin/jtlscope" report -q -o "$tmp/r.html" "$p/share/jtlscope/samples/threshold-rate.csv.jtl"
    check "one page written" test -s "$tmp/r.html"
    ;;
deb)
    need cpack
    need dpkg-deb
    (cd "$tmp" && cpack -G DEB --config "$build/CPackConfig.cmake" -B "$tmp/out") >"$tmp/cpack.log" 2>&1
    deb=$(ls "$tmp"/out/jtlscope_*.deb 2>/dev/null | head -1)
    if [ -n "$deb" ]; then ok "cpack -G DEB made $(basename "$deb")"; else bad "cpack -G DEB made a package"; tail -5 "$tmp/cpack.log"; exit 1; fi
    dpkg-deb -f "$deb" Depends >"$tmp/depends"
    for lib in libc6 libcsv3 libxml2 zlib1g libjansson4 libpcre2-8-0; do
        check "Depends: $lib" grep -q "$lib" "$tmp/depends"
    done
    # a build with ISA-L needs its library on the machine it installs on
    if "$build/jtlscope" --version | grep -q "inflated by ISA-L"; then
        check "Depends: libisal2 (built with ISA-L)" grep -q libisal2 "$tmp/depends"
    else
        check "no libisal2 (built without ISA-L)" sh -c "! grep -q libisal '$tmp/depends'"
    fi
    check "Recommends: gnuplot" sh -c "dpkg-deb -f '$deb' Recommends | grep -q gnuplot"
    dpkg-deb -c "$deb" >"$tmp/contents"
    for f in usr/bin/jtlscope usr/share/man/man1/jtlscope.1 \
        usr/share/bash-completion/completions/jtlscope \
        usr/share/zsh/vendor-completions/_jtlscope \
        usr/share/doc/jtlscope/copyright usr/share/jtlscope/samples/threshold-rate.csv.jtl; do
        check "the package has /$f" grep -q " \./$f\$" "$tmp/contents"
    done
    if [ "$(id -u)" = 0 ] && ! dpkg -s jtlscope >/dev/null 2>&1 && [ "${JTL_TEST_NO_DPKG:-}" = "" ]; then
        check "dpkg -i installs it" dpkg -i "$deb"
        check "jtlscope report on the installed sample" \
            /usr/bin/jtlscope report -q -o "$tmp/deb.html" /usr/share/jtlscope/samples/threshold-rate.csv.jtl
        check "the page is written" test -s "$tmp/deb.html"
        check "dpkg -r removes it" dpkg -r jtlscope
        check "nothing left in /usr/bin" test ! -e /usr/bin/jtlscope
    else
        echo "note: not installed with dpkg -i (not root, or a jtlscope package is installed): unpacked instead"
        dpkg-deb -x "$deb" "$tmp/root"
        check "the unpacked binary reports on the unpacked sample" \
            "$tmp/root/usr/bin/jtlscope" report -q -o "$tmp/deb.html" "$tmp/root/usr/share/jtlscope/samples/threshold-rate.csv.jtl"
    fi
    ;;
esac
echo "$fails failed"
[ "$fails" = 0 ]
