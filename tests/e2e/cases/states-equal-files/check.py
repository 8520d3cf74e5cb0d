# The counts of the states equal the rows of the file, counted here with
# Python's csv module (not with jtlscope), and a state given twice counts
# once.
import csv, json, os
from jtlcheck import check, load

path = os.path.join(os.environ["DATA"], "jmeter-nginx", "threshold-rate.csv.jtl")
with open(path, newline="") as f:
    rows = list(csv.DictReader(f))
once = load("once.json")
twice = load("twice.json")
q0 = sum(1 for _ in csv.DictReader(open("q00.jtl", newline="")))
check(once["Total"]["sampleCount"] == q0, "one state: %d samples, its part's rows" % q0)
check(twice["Total"]["sampleCount"] == q0, "the same state twice: counted once")
