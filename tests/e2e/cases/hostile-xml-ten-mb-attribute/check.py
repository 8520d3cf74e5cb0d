from jtlcheck import equal, stats

d = stats()
equal(sorted(d), ["Total", "a", "c"], "rows: the samples before and after")
