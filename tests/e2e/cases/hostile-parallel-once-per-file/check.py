from jtlcheck import equal, text

err = text("stderr", errors="replace").splitlines()
equal(sum("looks like epoch seconds" in l for l in err), 1,
      "the epoch warning is given exactly once")
equal(sum("goes back" in l for l in err), 1,
      "the jump-back warning is given exactly once")
