from jtlcheck import equal, path, stats

n = open(path("cut-attr.xml"), "rb").read().count(b"</httpSample>")
equal(stats()["Total"]["sampleCount"], n, "samples: the complete ones before the cut")
