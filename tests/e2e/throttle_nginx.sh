#!/bin/sh
# SPDX-License-Identifier: MIT
# throttle on every real JMeter-vs-nginx scenario (CSV, XML, gzip): verdict,
# mechanism, limit within 10 %, Retry-After counts, compliance vs truth.json.
set -eu
jtl=$1 data=$2
command -v python3 >/dev/null 2>&1 || exit 77
exec python3 "$(dirname "$0")/throttle_check.py" "$jtl" "$data/jmeter-nginx"
