#!/usr/bin/env bash
# Benchmark 3: cold start against a populated Skiplino. Skiplino (25 ms latency, 400 requests/s limit)
# already holds the 20,000 customers; a bridge with an empty store is fed the same 20,000 customers and must
# find them unchanged. Then, on the warm bridge: an unchanged full resync (ops API, reads Skiplino's
# directory) and an unchanged full re-read of the CRM. Counts every Skiplino request of each phase. For
# comparison the same cold start with the directory preload switched off (NOPRELOAD_SECONDS, 60; 0 skips
# it), and the naive baseline for 60 s (NAIVE_SECONDS).
# FEED=salesforce (default): the 20,000 are contacts in the sandbox's Salesforce org, and Skiplino is seeded
# with each contact as the bridge maps it (Bench contactCustomer, keyed by the contact's Id); the cold start
# is the bridge's first Salesforce poll, the re-read the connector's full re-read (POST /ops/api/resync
# {"source": "salesforce"}). FEED=webhook: the customers bench-<i>, sent through the webhook (batches of
# 500) for the cold start and again with new event ids for the re-read.
#   bench/03-cold-start.sh          (COUNT overrides 20000)
source "$(dirname "$0")/lib.sh"
COUNT="${COUNT:-20000}"; OUT="$RESULTS/03-cold-start-$(stamp).json"
FEED="${FEED:-salesforce}"
case "$FEED" in
  salesforce) FED_THROUGH=salesforce-poll ;;
  webhook) FED_THROUGH=webhook ;;
  *) echo "FEED must be salesforce or webhook, not $FEED" >&2; exit 2 ;;
esac
SETTINGS=(--skiplino.rate-limit.requests-per-second=390 --skiplino.rate-limit.max-concurrent=32
          --skiplino.pool-size=40 --bridge.sync.workers=32)
start_sandbox
if [ "$FEED" = salesforce ]; then
  bench seed-salesforce --sandbox "$SANDBOX" --count "$COUNT" --ids "$WORK/contact-ids.txt" > "$WORK/seed-salesforce.json"
  bench seed-skiplino --sandbox "$SANDBOX" --count "$COUNT" --ids "$WORK/contact-ids.txt" > "$WORK/seed.json"
  use_salesforce_sandbox
  SETTINGS+=("${SALESFORCE_POLL[@]}")
else
  bench seed-skiplino --sandbox "$SANDBOX" --count "$COUNT" --prefix bench- > "$WORK/seed.json"
fi
faults '{"latencyMs": 25, "rateLimitPerSecond": 400}'

feed() { # run-name: the CRM backfill into a freshly started bridge (first poll, or the webhook)
  if [ "$FEED" = salesforce ]; then
    bench wait-polled --bridge "$BRIDGE" --count "$COUNT" --timeout 3600 > "$WORK/$1-send.json"
  else
    bench webhook-backfill --bridge "$BRIDGE" --secret "$SECRET" --count "$COUNT" --run "$1" > "$WORK/$1-send.json"
  fi
}

# The Salesforce full re-read: started through the ops API; it has ended when the bridge logs its summary
# (the poll's counter cannot tell it from the scheduled polls, which keep re-reading the last transaction).
salesforce_full_read() {
  local logged; logged=$(grep -c 'Salesforce full-read ' "$WORK/bridge.log" || true)
  local started; started=$(date +%s.%N)
  curl -fs -X POST "$BRIDGE/ops/api/resync" -H "Authorization: Bearer $OPS_TOKEN" \
    -H 'Content-Type: application/json' -d '{"source": "salesforce", "by": "bench"}' > "$WORK/reread-start.json"
  for _ in $(seq 1 7200); do
    [ "$(grep -c 'Salesforce full-read ' "$WORK/bridge.log" || true)" -gt "$logged" ] && break
    sleep 0.5
  done
  local line; line=$(grep 'Salesforce full-read ' "$WORK/bridge.log" | tail -1 | sed 's/.*Salesforce full-read //; s/"/'"'"'/g')
  printf '{"readSeconds": %s, "logged": "%s"}\n' "$(python3 -c "print(round($(date +%s.%N)-$started,1))")" "$line"
}

phase() { # name since: waits for the backlog, then records the Skiplino requests since the phase began
  bench wait-applied --bridge "$BRIDGE" --token "$OPS_TOKEN" --timeout 3600 > "$WORK/$1-wait.json"
  bench skiplino-window --sandbox "$SANDBOX" --since "$2" --out "$WORK/$1.json" > /dev/null
}

load_before=$(machine)
clear_stats; t=$(now_iso); start_bridge "${SETTINGS[@]}"
feed cold
phase cold "$t"
# a write in the cold start means the seeded customers differ from what the bridge maps (or a bug)
python3 - "$WORK/cold.json" <<'PY'
import json, sys
kinds = json.load(open(sys.argv[1]))["byKind"]
writes = sum(n for k, n in kinds.items() if not k.startswith("GET "))
if writes:
    print(f"WARNING: the cold start sent {writes} Skiplino writes, expected 0: {kinds}", file=sys.stderr)
PY

t=$(now_iso); bench resync --bridge "$BRIDGE" --token "$OPS_TOKEN" > "$WORK/resync-job.json"
phase resync "$t"

t=$(now_iso)
if [ "$FEED" = salesforce ]; then
  salesforce_full_read > "$WORK/reread-send.json"
else
  bench webhook-backfill --bridge "$BRIDGE" --secret "$SECRET" --count "$COUNT" --run reread > "$WORK/reread-send.json"
fi
phase reread "$t"
stop_bridge

# without the preload every customer costs a create refused 422 and an update: NOPRELOAD_SECONDS of it
# show the rate and the 2 requests per customer (the whole of it would take ~100 s at the limit, far
# longer on a loaded machine)
NOPRELOAD_SECONDS="${NOPRELOAD_SECONDS:-60}"
echo '{}' > "$WORK/nopreload-send.json"; echo '{}' > "$WORK/nopreload.json"
if [ "$NOPRELOAD_SECONDS" -gt 0 ]; then
  t=$(now_iso); start_bridge "${SETTINGS[@]}" --bridge.sync.preload=OFF
  feed nopreload
  sleep "$NOPRELOAD_SECONDS"
  bench skiplino-window --sandbox "$SANDBOX" --since "$t" --out "$WORK/nopreload.json" > /dev/null
  stop_bridge
fi

naive_source=(--prefix bench-)
[ "$FEED" = salesforce ] && naive_source=(--prefix "" --salesforce "$SANDBOX/sandbox/salesforce")
bench naive --sandbox "$SANDBOX" "${naive_source[@]}" --seconds "${NAIVE_SECONDS:-60}" --out "$WORK/naive.json" > /dev/null

printf '{"benchmark": "cold-start", "customers": %s, "fedThrough": "%s", "machine": %s, "loadAfter": "%s",
 "seed": %s,
 "coldStart": {"feed": %s, "wait": %s, "skiplino": %s},
 "unchangedFullResync": {"job": %s, "skiplino": %s},
 "unchangedFullReRead": {"feed": %s, "wait": %s, "skiplino": %s},
 "coldStartWithoutPreload": {"seconds": %s, "feed": %s, "skiplino": %s},
 "naive60s": %s}\n' "$COUNT" "$FED_THROUGH" "$load_before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(cat "$WORK/seed.json")" \
  "$(cat "$WORK/cold-send.json")" "$(cat "$WORK/cold-wait.json")" "$(cat "$WORK/cold.json")" \
  "$(cat "$WORK/resync-job.json")" "$(cat "$WORK/resync.json")" \
  "$(cat "$WORK/reread-send.json")" "$(cat "$WORK/reread-wait.json")" "$(cat "$WORK/reread.json")" \
  "$NOPRELOAD_SECONDS" "$(cat "$WORK/nopreload-send.json")" "$(cat "$WORK/nopreload.json")" \
  "$(cat "$WORK/naive.json")" > "$OUT"
echo "wrote $OUT"
