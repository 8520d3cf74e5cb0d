# Each filter against the labels Python's re module selects from the same
# rows (the syntax these patterns use means the same in both).
import re

from jtlcheck import check, equal, load, rows, DATA

F = DATA + "/upstream/taurus/csv_112_threads_500_errors.jtl"
labels = [r["label"] for r in rows(F)]


def counted(name):
    return load(name)["Total"]["_meta"]["samplesCounted"]


def count(pred):
    return sum(1 for l in labels if pred(l))


equal(counted("digits.json"), count(lambda l: re.search(r"KBO\d+", l)),
      "--include 'KBO\\d+': the rows with KBO and a digit")
check(counted("digits.json") > 0, "and there are some (%d)" % counted("digits.json"))
equal(counted("nocase.json"), count(lambda l: re.search(r"(?i)kbo\d+", l)),
      "--include '(?i)kbo\\d+': case-insensitive")
equal(counted("lookahead.json"), count(lambda l: not re.search(r"^KBO(?!FT)", l)),
      "--exclude '^KBO(?!FT)': a negative lookahead keeps KBOFT07")
check("KBOFT07_TransferHistory" in load("lookahead.json"), "KBOFT07 is kept")
equal(counted("whole.json"), count(lambda l: re.fullmatch(r"KBO\d+_.*", l)),
      "--jmeter-compat: 'KBO\\d+_.*' matches whole labels (KBO09a_ is out)")
check(counted("whole.json") < counted("digits.json"),
      "whole match selects fewer than a match anywhere")
msg = load("msg.json")
want = sum(1 for r in rows(F) if r["responseCode"] == "429" or
           re.search(r"^Internal\s+Server", r["responseMessage"]))
equal(msg["throttled"], want, "--throttle-message '^Internal\\s+Server': the 500s are refusals too")
crit = load("crit.json")
items = crit["criteria"]
check(crit["passed"], "no label of them fails more than 100 %")
want_labels = sorted({l for l in labels if re.search(r"KBO\d{2}_P2P", l)})
equal(sorted(i["label"] for i in items), want_labels,
      "a criterion of /KBO\\d{2}_P2P/: one item per matching label")
