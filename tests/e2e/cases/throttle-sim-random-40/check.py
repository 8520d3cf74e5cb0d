from jtlcheck import throttle_verdict

throttle_verdict("stdout", "random", None)
