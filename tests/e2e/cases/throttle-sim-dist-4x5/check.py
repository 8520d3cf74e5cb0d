from jtlcheck import throttle_verdict

throttle_verdict("stdout", "threshold", "distributed", "rate_per_s", 20)
