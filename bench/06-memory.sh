#!/usr/bin/env bash
# Benchmark 6: a 200,000-contact backfill (FEED as in benchmark 1: the poll reads pages of 2,000) with the bridge at -Xmx256m (no Skiplino latency or limit;
# the bridge at 2,000 requests/second). Reports peak RSS (VmHWM) and the heap in use sampled by jstat.
#   bench/06-memory.sh          (COUNT overrides 200000; FEED=webhook)
source "$(dirname "$0")/lib.sh"; source "$BENCH_DIR/backfill.sh"
COUNT="${COUNT:-200000}"; OUT="$RESULTS/06-memory-$(stamp).json"
SANDBOX_JAVA_OPTS="-Xmx2g" start_sandbox
before=$(machine)
JSTAT=1 BRIDGE_JAVA_OPTS="-Xmx256m" backfill_run bridge '{}' --skiplino.rate-limit.requests-per-second=2000 \
  --skiplino.rate-limit.max-concurrent=32 --skiplino.pool-size=40 --bridge.sync.workers=32
heap=$(awk 'NR>1 && $1 ~ /^[0-9.]+$/ {u=$3+$4+$6+$8; if (u>m) m=u} END {printf "%.0f", m/1024}' "$WORK/bridge-jstat.txt")
printf '{"benchmark": "memory", "customers": %s, "xmx": "256m", "fedThrough": "%s", "machine": %s, "loadAfter": "%s", "peakHeapUsedMiB": %s, "bridge": %s}\n' \
  "$COUNT" "$FED_THROUGH" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$heap" "$(cat "$WORK/bridge-result.json")" > "$OUT"
echo "wrote $OUT"
