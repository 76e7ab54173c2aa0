#!/usr/bin/env bash
# Benchmark 5: end-to-end latency. 50 signed webhook events per second (open loop, each a new customer)
# for 2 minutes, Skiplino answering after 25 ms. Latency of each event: from the bridge's 202 to the end
# of the Skiplino create that applied it (the sandbox's request log). Before the measured run, WARMUP
# seconds (15) of the same load warm the freshly started bridge's JIT, as in benchmark 4; the warm-up's
# own latencies are kept in the result ("warmup"): they are what the first seconds after a start look like.
# The result also splits the measured latencies by 10 s of the run ("byTenSeconds").
#   bench/05-e2e-latency.sh          (RATE, DURATION, WARMUP override 50, 120 and 15; WARMUP=0: measured cold)
source "$(dirname "$0")/lib.sh"
RATE="${RATE:-50}"; DURATION="${DURATION:-120}"; WARMUP="${WARMUP:-15}"; OUT="$RESULTS/05-e2e-latency-$(stamp).json"
start_sandbox
faults '{"latencyMs": 25}'
start_bridge --skiplino.rate-limit.requests-per-second=200 --skiplino.rate-limit.max-concurrent=16 "$@"
echo null > "$WORK/e2e-warmup.json"
if [ "$WARMUP" -gt 0 ]; then
  bench e2e-latency --bridge "$BRIDGE" --sandbox "$SANDBOX" --secret "$SECRET" --rate "$RATE" --seconds "$WARMUP" \
    --run "warmup$(date +%s)" --out "$WORK/e2e-warmup.json" > /dev/null
fi
before=$(machine)
bench e2e-latency --bridge "$BRIDGE" --sandbox "$SANDBOX" --secret "$SECRET" --rate "$RATE" --seconds "$DURATION" --out "$WORK/e2e.json" > /dev/null
printf '{"benchmark": "e2e-latency", "machine": %s, "loadAfter": "%s", "warmupSeconds": %s, "result": %s, "warmup": %s}\n' "$before" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$WARMUP" "$(cat "$WORK/e2e.json")" "$(cat "$WORK/e2e-warmup.json")" > "$OUT"
echo "wrote $OUT"; cat "$WORK/e2e.json"
