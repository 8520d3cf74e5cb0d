#!/bin/sh
# make-man.sh BIN OUT: jtlscope(1) from the program's own --help, so the
# man page and --help cannot drift apart (help2man, a Debian package).
# help2man formats `BIN --help` (the synopsis, the common options, the exit
# codes); each command's `BIN COMMAND --help` goes into a COMMANDS section
# as written, roff-escaped, without the common options it repeats;
# sections.h2m adds what --help does not say.
set -eu
bin=$1
out=$2
here=$(dirname "$0")
inc=$(mktemp)
trap 'rm -f "$inc"' EXIT
{
    cat "$here/sections.h2m"
    echo "[COMMANDS]"
    for cmd in $("$bin" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
        echo ".SS $cmd"
        echo ".nf"
        # roff: a backslash is \e; a line starting with . or ' is protected
        "$bin" "$cmd" --help |
            sed -e '1d' -e '/^Input and filters (every command):/,$d' \
                -e 's/\\/\\e/g' -e "s/^\\([.']\\)/\\\\\\&\\1/"
        echo ".fi"
    done
} >"$inc"
help2man --no-info --no-discard-stderr --section 1 \
    --name "turn JMeter result files (JTL) into statistics, a throttling verdict and reports" \
    --include "$inc" --output "$out.tmp" "$bin"
mv "$out.tmp" "$out"
