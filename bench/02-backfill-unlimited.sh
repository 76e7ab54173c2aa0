#!/usr/bin/env bash
# Benchmark 2: the same 20,000 contacts (FEED as in benchmark 1), 25 ms latency, no rate limit. The bridge allows itself 5,000
# requests/second and 64 concurrent requests with 64 workers, so Skiplino's latency and the machine's
# CPU are what is left to limit it. PROFILE=1 records a JFR profile of the bridge (bench/results/*.jfr).
#   bench/02-backfill-unlimited.sh          (COUNT, WORKERS override 20000, 64; FEED=webhook; NAIVE_SECONDS)
source "$(dirname "$0")/lib.sh"; source "$BENCH_DIR/backfill.sh"
COUNT="${COUNT:-20000}"; WORKERS="${WORKERS:-64}"; S=$(stamp); OUT="$RESULTS/02-backfill-unlimited-$S.json"
if [ "${PROFILE:-0}" = 1 ]; then
  BRIDGE_JAVA_OPTS="-Xmx512m -XX:StartFlightRecording=filename=$RESULTS/02-backfill-unlimited-$S.jfr,settings=profile,dumponexit=true"
fi
start_sandbox
before=$(machine)
sandbox_cpu0=$(cpu_ticks "$SANDBOX_PID")
backfill_run bridge '{"latencyMs": 25}' --skiplino.rate-limit.requests-per-second=5000 \
  --skiplino.rate-limit.max-concurrent="$WORKERS" --skiplino.pool-size="$((WORKERS + 8))" --bridge.sync.workers="$WORKERS"
sandbox_cpu=$(( ($(cpu_ticks "$SANDBOX_PID") - sandbox_cpu0) / $(getconf CLK_TCK) ))
naive_run
printf '{"benchmark": "backfill-unlimited", "customers": %s, "workers": %s, "fedThrough": "%s", "machine": %s, "loadAfter": "%s", "sandboxCpuSeconds": %s, "bridge": %s, "naive60s": %s}\n' \
  "$COUNT" "$WORKERS" "$FED_THROUGH" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$sandbox_cpu" "$(cat "$WORK/bridge-result.json")" "$(cat "$WORK/naive.json")" > "$OUT"
echo "wrote $OUT"
