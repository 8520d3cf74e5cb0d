from jtlcheck import equal, path, stats

# the rows before the quote, and those whose line starts after the line
# where the field overflows
b = open(path("unbalanced.csv"), "rb").read()
q = b.index(b'"oops')
cap = q + 1 + (1 << 20)           # first byte that no longer fits the field
resume = b.index(b"\n", cap) + 1  # the rest of that line is dropped
equal(stats()["Total"]["sampleCount"], 3 + b[resume:].count(b"\n"), "samples")
