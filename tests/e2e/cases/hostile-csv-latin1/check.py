from jtlcheck import check, stats

d = stats()
check("caf\ufffd \ufffd\ufffd" in d, "the label kept, its bad bytes U+FFFD")
