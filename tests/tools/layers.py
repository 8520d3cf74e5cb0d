#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Check jtlscope's layering: no file uses a layer above its own, no files
form a cycle, and the third-party libraries stay in the layer that wraps
them.  Run by ctest as `layers/check` after the build:

    tests/tools/layers.py SOURCE_DIR BUILD_DIR

Two kinds of use are read, so that neither can hide the other:
  - `#include "..."` lines of every .c and .h under src/ and include/jtl/;
  - the symbols each object file defines and needs (`nm`): a call to a
    function of another file is a use even when the declaration came from
    a header of the file's own layer (or from a stray prototype).
A layer may use itself and the layers listed for it in ALLOWED; files of
one layer may use each other as long as they form no cycle (a cycle is
reported with the symbols or includes that make it).  Exit status 0 when
the house is in order, 1 with one line per violation otherwise.

`layers.py --self-test` builds a small tree with a violating include and a
cycle and checks that both are found (ctest `layers/self-test`), so the
check cannot silently pass everything.
"""
import os
import re
import subprocess
import sys
import tempfile

# Bottom up.  Each layer lists the layers it may use (besides itself).
ALLOWED = {
    "base": [],
    "io": ["base"],
    "read": ["base", "io"],
    "stats": ["base", "io"],
    "throttle": ["base", "io"],
    "check": ["base", "io", "stats", "throttle"],
    "state": ["base", "io", "read", "stats", "throttle"],
    "report": ["base", "io", "read", "stats", "throttle", "check"],
    "cli": ["base", "io", "read", "stats", "throttle", "check", "report",
            "state"],
}
# Third-party headers and the layers that may include them: the decoders
# wrap libcsv, libxml2 and zlib; the CLI names their versions (-V).
EXTERNAL = {
    "csv.h": ["io", "cli"],
    "zlib.h": ["io", "state", "cli"],
    "libxml/": ["io", "cli"],
    "jansson.h": ["io", "cli"],
}
# Objects built from generated sources, by layer.
GENERATED = {"jtl_templates.c": "report"}

INCLUDE_RE = re.compile(r'^\s*#\s*include\s*([<"])([^">]+)[">]', re.M)


def layer_of(rel):
    """The layer of a repository path, or None when it is in no layer."""
    parts = rel.split("/")
    if parts[0] == "src" and len(parts) > 2:
        return parts[1]
    if parts[:2] == ["include", "jtl"] and len(parts) > 3:
        return parts[2]
    return None


def source_files(root):
    out = []
    for top in ("src", os.path.join("include", "jtl")):
        for d, _, files in os.walk(os.path.join(root, top)):
            for f in files:
                if f.endswith((".c", ".h")):
                    out.append(os.path.relpath(os.path.join(d, f), root))
    return sorted(out)


def resolve(root, rel, name):
    """The repository path a quoted #include NAME of REL opens, or None."""
    for base in (os.path.dirname(rel), "include", "src"):
        cand = os.path.normpath(os.path.join(base, name))
        if os.path.isfile(os.path.join(root, cand)):
            return cand
    return None


def read_includes(root, files, problems):
    """Edges (from, to, line) between repository files; external checks."""
    edges = []
    for rel in files:
        text = open(os.path.join(root, rel), encoding="utf-8").read()
        layer = layer_of(rel)
        for m in INCLUDE_RE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            kind, name = m.group(1), m.group(2)
            for ext, layers in EXTERNAL.items():
                if name == ext or (ext.endswith("/") and name.startswith(ext)):
                    if layer not in layers:
                        problems.append(
                            "%s:%d: includes <%s>: only %s may use that "
                            "library" % (rel, line, name, ", ".join(layers)))
            if kind != '"':
                continue
            target = resolve(root, rel, name)
            if target is None:
                problems.append("%s:%d: includes \"%s\", which is not in "
                                "the tree" % (rel, line, name))
                continue
            edges.append((rel, target, "%s:%d" % (rel, line)))
    return edges


def nm_symbols(path):
    out = subprocess.run(["nm", path], capture_output=True, text=True,
                         check=True).stdout
    defined, needed = set(), set()
    for line in out.splitlines():
        p = line.split()
        if len(p) == 3 and p[1] in "TDBRVWC":
            defined.add(p[2])
        elif len(p) == 2 and p[0] == "U":
            needed.add(p[1])
    return defined, needed


def object_files(root, build):
    """{repository path of the source: object path} of every object that
    came from src/ (or a generated source)."""
    objs = {}
    for d, _, files in os.walk(build):
        for f in files:
            if not f.endswith(".c.o"):
                continue
            path = os.path.join(d, f)
            src = f[:-2]
            if src in GENERATED:
                objs["(generated)/" + src] = path
                continue
            m = re.search(r"CMakeFiles/(jtlcore|jtlscope)\.dir/(src/.*\.c)\.o$",
                          path)
            if m:
                objs[m.group(2)] = path
    return objs


def read_symbols(objs, problems):
    """Edges (from, to, symbols) between sources through their objects."""
    defs, needs = {}, {}
    owner = {}
    for src, path in objs.items():
        defs[src], needs[src] = nm_symbols(path)
        for s in defs[src]:
            if s in owner and owner[s] != src:
                problems.append("%s and %s both define %s" %
                                (owner[s], src, s))
            owner[s] = src
    edges = {}
    for src in objs:
        for s in needs[src]:
            o = owner.get(s)
            if o and o != src:
                edges.setdefault((src, o), []).append(s)
    return [(a, b, ", ".join(sorted(v)[:6]) + (" ..." if len(v) > 6 else ""))
            for (a, b), v in sorted(edges.items())]


def src_layer(src):
    if src.startswith("(generated)/"):
        return GENERATED[src.split("/", 1)[1]]
    return layer_of(src)


def check_layers(edges, problems):
    for a, b, why in edges:
        la, lb = src_layer(a), src_layer(b)
        if la is None or lb is None or la == lb:
            continue
        if lb not in ALLOWED.get(la, []):
            problems.append("%s (%s) uses %s (%s), a layer it may not use: "
                            "%s" % (a, la, b, lb, why))


def find_cycles(edges):
    """Strongly connected components of more than one node (Tarjan)."""
    graph = {}
    for a, b, _ in edges:
        graph.setdefault(a, set()).add(b)
        graph.setdefault(b, set())
    index, low, on, stack, comps = {}, {}, set(), [], []
    counter = [0]

    def visit(v):
        work = [(v, iter(sorted(graph[v])))]
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        while work:
            node, it = work[-1]
            nxt = next(it, None)
            if nxt is None:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    comp = []
                    while True:
                        w = stack.pop()
                        on.discard(w)
                        comp.append(w)
                        if w == node:
                            break
                    if len(comp) > 1:
                        comps.append(sorted(comp))
            elif nxt not in index:
                index[nxt] = low[nxt] = counter[0]
                counter[0] += 1
                stack.append(nxt)
                on.add(nxt)
                work.append((nxt, iter(sorted(graph[nxt]))))
            elif nxt in on:
                low[node] = min(low[node], index[nxt])

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return comps


def check_cycles(edges, what, problems):
    for comp in find_cycles(edges):
        members = set(comp)
        ties = ["    %s -> %s: %s" % (a, b, why) for a, b, why in edges
                if a in members and b in members]
        problems.append("cycle of %d files (%s):\n%s" %
                        (len(comp), what, "\n".join(ties)))


def check(root, build):
    problems = []
    files = source_files(root)
    for rel in files:
        layer = layer_of(rel)
        if layer not in ALLOWED:
            problems.append("%s is in no known layer (%s): add the folder "
                            "to tests/tools/layers.py and the README" %
                            (rel, ", ".join(ALLOWED)))
    inc = read_includes(root, files, problems)
    check_layers(inc, problems)
    check_cycles(inc, "#include", problems)
    objs = object_files(root, build)
    if not any(o.startswith("src/") for o in objs):
        problems.append("no object files of src/ under %s: build first" %
                        build)
    sym = read_symbols(objs, problems)
    check_layers(sym, problems)
    check_cycles(sym, "calls", problems)
    nsrc = len([o for o in objs if o.startswith("src/")])
    summary = ("%d files, %d includes, %d objects, %d call edges: %s" %
               (len(files), len(inc), nsrc, len(sym),
                "%d problems" % len(problems) if problems else "in order"))
    return problems, summary


def self_test():
    """A tree with one upward include and one call cycle must fail; the
    same tree without them must pass."""
    with tempfile.TemporaryDirectory() as root:
        def put(rel, text):
            path = os.path.join(root, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            open(path, "w").write(text)

        put("include/jtl/base/low.h", "int low(void);\n")
        put("include/jtl/report/high.h", "int high(void);\n")
        put("src/base/low.c", '#include "jtl/base/low.h"\n'
            "int low(void) { return 1; }\n")
        put("src/report/high.c", '#include "jtl/report/high.h"\n'
            '#include "jtl/base/low.h"\nint high(void) { return low(); }\n')
        put("src/report/a.c", "int b(void);\nint a(void) { return b(); }\n")
        put("src/report/b.c", "int b(void) { return 2; }\n")
        build = os.path.join(root, "build")

        def compile_all():
            for d, _, files in os.walk(os.path.join(root, "src")):
                for f in files:
                    rel = os.path.relpath(os.path.join(d, f), root)
                    obj = os.path.join(build, "CMakeFiles/jtlcore.dir",
                                       rel + ".o")
                    os.makedirs(os.path.dirname(obj), exist_ok=True)
                    subprocess.run(["cc", "-c", "-I", os.path.join(root,
                                    "include"), "-o", obj,
                                    os.path.join(root, rel)], check=True)

        compile_all()
        clean, _ = check(root, build)
        put("src/base/low.c", '#include "jtl/report/high.h"\n'
            "int low(void) { return 1; }\n")
        put("src/report/b.c", "int a(void);\n"
            "int b(void) { return a() + 2; }\n")
        compile_all()
        broken, _ = check(root, build)
        upward = [p for p in broken if p.startswith("src/base/low.c:1: ") or
                  p.startswith("src/base/low.c (base) uses")]
        cycle = [p for p in broken if p.startswith("cycle of 2 files (calls)")
                 and "src/report/a.c" in p and "src/report/b.c" in p]
        for p in clean:
            print("unexpected in the clean tree: " + p)
        print("self-test: clean tree: %d problems; upward include found: %s; "
              "call cycle found: %s" % (len(clean), bool(upward), bool(cycle)))
        return 0 if not clean and upward and cycle else 1


def main(argv):
    if len(argv) == 2 and argv[1] == "--self-test":
        return self_test()
    if len(argv) != 3:
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: layers.py SOURCE_DIR BUILD_DIR | --self-test",
              file=sys.stderr)
        return 2
    problems, summary = check(os.path.abspath(argv[1]),
                              os.path.abspath(argv[2]))
    for p in problems:
        print(p)
    print(summary)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
