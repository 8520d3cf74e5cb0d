from jtlcheck import check, stats

d = stats()
check("a" in d, "the label is what is left without the entities: a")
