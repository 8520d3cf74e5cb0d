from jtlcheck import throttle_verdict

throttle_verdict("stdout", "threshold", "concurrency", "concurrency", 6)
