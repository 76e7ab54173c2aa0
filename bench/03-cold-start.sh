#!/usr/bin/env bash
# Benchmark 3: cold start against a populated Skiplino. Skiplino (25 ms latency, 400 requests/s limit)
# already holds the 20,000 customers; a bridge with an empty store receives the same 20,000 customers
# (the CRM backfill, fed through the webhook) and must find them unchanged. Then, on the warm bridge: an
# unchanged full resync (ops API, reads Skiplino's directory) and an unchanged full re-read of the CRM
# (the 20,000 again, new event ids). Counts every Skiplino request of each phase. For comparison the
# same cold start with the directory preload switched off, and the naive baseline for 60 s.
#   bench/03-cold-start.sh          (COUNT overrides 20000)
source "$(dirname "$0")/lib.sh"
COUNT="${COUNT:-20000}"; OUT="$RESULTS/03-cold-start-$(stamp).json"
SETTINGS=(--skiplino.rate-limit.requests-per-second=390 --skiplino.rate-limit.max-concurrent=32
          --skiplino.pool-size=40 --bridge.sync.workers=32)
start_sandbox
bench seed-skiplino --sandbox "$SANDBOX" --count "$COUNT" --prefix bench- > "$WORK/seed.json"
faults '{"latencyMs": 25, "rateLimitPerSecond": 400}'

phase() { # name: waits for the backlog, then records the Skiplino requests since the phase began
  bench wait-applied --bridge "$BRIDGE" --token "$OPS_TOKEN" > "$WORK/$1-wait.json"
  bench skiplino-window --sandbox "$SANDBOX" --since "$2" --out "$WORK/$1.json" > /dev/null
}

load_before=$(machine)
clear_stats; t=$(now_iso); start_bridge "${SETTINGS[@]}"
bench webhook-backfill --bridge "$BRIDGE" --secret "$SECRET" --count "$COUNT" --run cold > "$WORK/cold-send.json"
phase cold "$t"

t=$(now_iso); bench resync --bridge "$BRIDGE" --token "$OPS_TOKEN" > "$WORK/resync-job.json"
phase resync "$t"

t=$(now_iso); bench webhook-backfill --bridge "$BRIDGE" --secret "$SECRET" --count "$COUNT" --run reread > "$WORK/reread-send.json"
phase reread "$t"
stop_bridge

t=$(now_iso); start_bridge "${SETTINGS[@]}" --bridge.sync.preload=OFF
bench webhook-backfill --bridge "$BRIDGE" --secret "$SECRET" --count "$COUNT" --run nopreload > "$WORK/nopreload-send.json"
phase nopreload "$t"
stop_bridge

bench naive --sandbox "$SANDBOX" --prefix bench- --seconds 60 --out "$WORK/naive.json" > /dev/null

printf '{"benchmark": "cold-start", "customers": %s, "machine": %s, "loadAfter": "%s",
 "coldStart": {"send": %s, "wait": %s, "skiplino": %s},
 "unchangedFullResync": {"job": %s, "skiplino": %s},
 "unchangedFullReRead": {"send": %s, "wait": %s, "skiplino": %s},
 "coldStartWithoutPreload": {"send": %s, "wait": %s, "skiplino": %s},
 "naive60s": %s}\n' "$COUNT" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" \
  "$(cat $WORK/cold-send.json)" "$(cat $WORK/cold-wait.json)" "$(cat $WORK/cold.json)" \
  "$(cat $WORK/resync-job.json)" "$(cat $WORK/resync.json)" \
  "$(cat $WORK/reread-send.json)" "$(cat $WORK/reread-wait.json)" "$(cat $WORK/reread.json)" \
  "$(cat $WORK/nopreload-send.json)" "$(cat $WORK/nopreload-wait.json)" "$(cat $WORK/nopreload.json)" \
  "$(cat $WORK/naive.json)" > "$OUT"
echo "wrote $OUT"
