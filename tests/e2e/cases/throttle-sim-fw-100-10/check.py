from jtlcheck import throttle_verdict

throttle_verdict("stdout", "threshold", "fixed-window", "per_window", 100)
