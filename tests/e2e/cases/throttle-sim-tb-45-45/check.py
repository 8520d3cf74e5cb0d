from jtlcheck import throttle_verdict

throttle_verdict("stdout", "threshold", "rate", "rate_per_s", 45)
