#!/usr/bin/env bash
# Benchmark 1: 20,000 Salesforce-sandbox contacts (read by the bridge's first Salesforce poll; FEED=webhook
# sends the same customers through the webhook instead, see backfill.sh) into an empty Skiplino answering after 25 ms and allowing 400
# requests/second (429 beyond). The bridge is set to 390 requests/second (a 2.5 % margin for timing
# jitter between the two processes), 32 concurrent requests, 32 workers. Then the naive baseline for
# 60 s against the same Skiplino (reading the same contacts with one SOQL query), in the same run.
#   bench/01-backfill-rate-limit.sh          (COUNT overrides 20000; WORKERS 32; FEED=webhook; NAIVE_SECONDS overrides 60)
source "$(dirname "$0")/lib.sh"; source "$BENCH_DIR/backfill.sh"
COUNT="${COUNT:-20000}"; WORKERS="${WORKERS:-32}"; OUT="$RESULTS/01-backfill-rate-limit-$(stamp).json"
start_sandbox
before=$(machine)
sandbox_cpu0=$(cpu_ticks "$SANDBOX_PID")
backfill_run bridge '{"latencyMs": 25, "rateLimitPerSecond": 400}' --skiplino.rate-limit.requests-per-second=390 \
  --skiplino.rate-limit.max-concurrent="$WORKERS" --skiplino.pool-size="$((WORKERS + 8))" --bridge.sync.workers="$WORKERS"
sandbox_cpu=$(( ($(cpu_ticks "$SANDBOX_PID") - sandbox_cpu0) / $(getconf CLK_TCK) ))
naive_run
printf '{"benchmark": "backfill-rate-limit", "customers": %s, "workers": %s, "fedThrough": "%s", "machine": %s, "loadAfter": "%s", "bridgeJavaOpts": "%s", "sandboxJavaOpts": "%s", "sandboxCpuSeconds": %s, "bridge": %s, "naive60s": %s}\n' \
  "$COUNT" "$WORKERS" "$FED_THROUGH" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" "${BRIDGE_JAVA_OPTS:--Xmx512m}" "${SANDBOX_JAVA_OPTS:--Xmx1g -XX:TieredStopAtLevel=1}" "$sandbox_cpu" "$(cat "$WORK/bridge-result.json")" "$(cat "$WORK/naive.json")" > "$OUT"
echo "wrote $OUT"
