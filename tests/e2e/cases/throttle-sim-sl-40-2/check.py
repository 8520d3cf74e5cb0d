from jtlcheck import throttle_verdict

throttle_verdict("stdout", "threshold", "sliding-window", "per_window", 40)
