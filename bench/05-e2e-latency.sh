#!/usr/bin/env bash
# Benchmark 5: end-to-end latency. 50 signed webhook events per second (open loop, each a new customer)
# for 2 minutes, Skiplino answering after 25 ms. Latency of each event: from the bridge's 202 to the end
# of the Skiplino create that applied it (the sandbox's request log).
#   bench/05-e2e-latency.sh          (RATE, DURATION override 50 and 120)
source "$(dirname "$0")/lib.sh"
RATE="${RATE:-50}"; DURATION="${DURATION:-120}"; OUT="$RESULTS/05-e2e-latency-$(stamp).json"
start_sandbox
faults '{"latencyMs": 25}'
start_bridge --skiplino.rate-limit.requests-per-second=200 --skiplino.rate-limit.max-concurrent=16 "$@"
before=$(machine)
bench e2e-latency --bridge "$BRIDGE" --sandbox "$SANDBOX" --secret "$SECRET" --rate "$RATE" --seconds "$DURATION" --out "$WORK/e2e.json" > /dev/null
printf '{"benchmark": "e2e-latency", "machine": %s, "loadAfter": "%s", "result": %s}\n' "$before" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(cat "$WORK/e2e.json")" > "$OUT"
echo "wrote $OUT"; cat "$WORK/e2e.json"
