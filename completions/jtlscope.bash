# bash completion for jtlscope                              -*- shell-script -*-
# The commands and options come from the installed program's own --help, so
# the completion never lists an option the program does not have.
_jtlscope()
{
    local cur prev words cword cmd
    _init_completion -s || return

    if [[ $cword -eq 1 ]]; then
        COMPREPLY=($(compgen -W "$("$1" --help 2>/dev/null |
            sed -n '/^Commands:/,/^$/{/^  [a-z]/s/^  \([a-z]*\).*/\1/p}') --help --version" -- "$cur"))
        return
    fi
    cmd=${words[1]}
    case $prev in
        -o | --output | --junit | --template-dir | --criteria | --gnuplot)
            _filedir
            return
            ;;
        --input-format)
            COMPREPLY=($(compgen -W "auto csv xml" -- "$cur"))
            return
            ;;
        --group-labels)
            COMPREPLY=($(compgen -W "auto off" -- "$cur"))
            return
            ;;
        --percentile-method)
            COMPREPLY=($(compgen -W "exact legacy" -- "$cur"))
            return
            ;;
        --timezone)
            COMPREPLY=($(compgen -W "UTC local $(cd /usr/share/zoneinfo 2>/dev/null &&
                find . -type f -name '[A-Z]*' | sed 's|^\./||' | grep -v '^posix\|^right')" -- "$cur"))
            return
            ;;
        -f | --format)
            # the command's own --format line and its continuation
            COMPREPLY=($(compgen -W "$("$1" "$cmd" --help 2>/dev/null |
                sed -n '/-f, --format=/{/see the command/!{N;N;p;q}}' |
                grep -o -w 'table\|text\|csv\|json\|md\|junit\|html' | sort -u)" -- "$cur"))
            return
            ;;
    esac
    [[ $was_split ]] && return
    if [[ $cur == -* ]]; then
        COMPREPLY=($(compgen -W "$("$1" "$cmd" --help 2>/dev/null |
            grep -o -- '--[a-z][a-z0-9-]*' | sort -u)" -- "$cur"))
        [[ ${COMPREPLY-} == *= ]] && compopt -o nospace
        return
    fi
    _filedir
} &&
    complete -F _jtlscope jtlscope
