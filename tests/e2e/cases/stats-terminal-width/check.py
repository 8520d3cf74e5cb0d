# Line widths in characters (UTF-8 code points: the ellipsis is one), and
# what the fitted table kept.
from jtlcheck import check, text

tty = text("tty.txt").splitlines()
piped = text("piped.txt").splitlines()
longest = max(len(l) for l in tty)
check(longest <= 80, "every line on the 80-column terminal fits (longest %d)" % longest)
check(max(len(l) for l in piped) > 80, "piped, the statistics table is wider than 80")
head = next(l for l in tty if l.startswith("Label") and "#Samples" in l)
for col in ("#Samples", "FAIL", "Average", "99th pct", "Transactions/s"):
    check(col in head, "kept on the terminal: %s" % col)
note = " ".join(l for l in tty if l) 
note = note[note.index("(9 columns left out") if "(9 columns left out" in note else 0:]
for col in ("Std. Dev.", "Received KB/s", "Sent KB/s"):
    check(col in note, "named as left out: %s" % col)
check(any(l.startswith("DDAAccountDetails_Party9_") and "\u2026" in l for l in tty),
      "a long label cut with an ellipsis")
check(any(l.startswith("DDAAccountDetails_Party9_DDA_DDA ") for l in piped),
      "piped, the label whole")
wide = text("wide.txt").splitlines()
check(any("Sent KB/s" in l for l in wide), "--wide on the terminal: every column")
