# Set b of tests/data/shapes (made on 2026-12-07; see its README.md).
from jtlcheck import check
from shapes import run

check(run("b") == 14, "14 shape runs analysed (7 shapes x CSV and XML)")
