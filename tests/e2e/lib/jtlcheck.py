# SPDX-License-Identifier: MIT
"""What the check.py files of tests/e2e/cases share.

run-case.sh runs a case's check.py in the case's scratch folder (OUT, where
the command's output is, in the files stdout and stderr) with BIN, DATA,
SAMPLES and CASE in the environment.  Every assertion goes through check()
(or equal() or require()), which prints an ok or FAIL line; the last line
tells the runner how many passed and failed, so that a failed check does not
hide the ones after it.
"""
import atexit
import csv
import gzip
import json
import math
import os
import sys
from fractions import Fraction

OUT = os.environ.get("OUT", ".")
BIN = os.environ.get("BIN", "")
DATA = os.environ.get("DATA", "")
SAMPLES = os.environ.get("SAMPLES", "")

_passed = 0
_failed = 0


def check(cond, what):
    """Count one assertion; return it, so that a check can guard the next."""
    global _passed, _failed
    if cond:
        _passed += 1
        print("ok   " + what)
    else:
        _failed += 1
        print("FAIL " + what)
    return bool(cond)


def equal(got, want, what):
    """check(got == want) that shows both on failure."""
    return check(got == want, what if got == want else
                 "%s: got %r, expected %r" % (what, got, want))


def require(cond, what):
    """check() for what the rest of check.py cannot do without."""
    if not check(cond, what):
        sys.exit(1)


@atexit.register
def _summary():
    print("jtlcheck: %d passed, %d failed" % (_passed, _failed))


def path(name):
    return os.path.join(OUT, name)


def text(name, errors="strict"):
    with open(path(name), encoding="utf-8", errors=errors) as f:
        return f.read()


def load(name):
    """A JSON file of the case's folder ("stdout": what the command printed)."""
    with open(path(name), encoding="utf-8") as f:
        return json.load(f)


def stats(name="stdout"):
    """`jtlscope stats --format json` output; stops check.py when there is
    none (a failure already said by the exit code or expected-stdout)."""
    try:
        return load(name)
    except (OSError, ValueError) as e:
        require(False, "%s holds the statistics JSON (%s)" % (name, e))


def rows(file):
    """The records of a CSV JTL (plain or gzip) as dicts, by Python's csv."""
    opener = gzip.open if file.endswith(".gz") else open
    with opener(file, "rt", newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def nearest_rank(values, p):
    """The p-th percentile by nearest rank, as jtlscope documents it: the
    smallest value with at least ceil(p/100 n) values at or below it.
    Computed with exact fractions (p = 99.9 is not a binary float)."""
    v = sorted(values)
    k = math.ceil(Fraction(str(p)) * len(v) / 100)
    return float(v[k - 1])


def near(est, truth, tol=0.10):
    """est within tol (relative) of truth."""
    return est is not None and abs(est - truth) <= tol * truth


def throttle_verdict(name, verdict, mechanism, key=None, want=None):
    """`jtlscope throttle --format json` output NAME says VERDICT and
    MECHANISM (None: null), and limit.KEY is within 10 % of WANT."""
    j = load(name)
    equal(j["verdict"], verdict, "verdict")
    equal(j["mechanism"], mechanism, "mechanism")
    if key is not None:
        got = j["limit"].get(key)
        check(near(got, want), "limit.%s = %s, %s within 10 %%" % (key, got, want))
