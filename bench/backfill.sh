# Shared body of benchmarks 1, 2 and 6 (sourced): a backfill of COUNT customers into an empty Skiplino,
# timed on Skiplino's side (first to last request of the run in the sandbox's request log, or its stats
# for runs longer than the log keeps), with the bridge's CPU time and peak memory.
# FEED=salesforce (default): COUNT contacts are created in the sandbox's Salesforce org (control API, 1,000
# per call), then the bridge starts with its Salesforce connector pointed at that org, and its first
# scheduled poll reads them all (pages of 2,000) into the inbox: the backfill as a new installation sees it.
# FEED=webhook: the same customers sent to the bridge's webhook in batches of 500 (4 senders), as before
# the connector reached main. The Skiplino side is the same; the customers' externalIds differ (contact
# Ids, or bench-<i>).
FEED="${FEED:-salesforce}"
case "$FEED" in
  salesforce) FED_THROUGH=salesforce-poll ;;
  webhook) FED_THROUGH=webhook ;;
  *) echo "FEED must be salesforce or webhook, not $FEED" >&2; exit 2 ;;
esac

backfill_run() { # name faults-json bridge-settings...
  local name=$1 faults_json=$2; shift 2
  if [ "$FEED" = salesforce ]; then
    bench seed-salesforce --sandbox "$SANDBOX" --count "$COUNT" > "$WORK/$name-seed.json"
    use_salesforce_sandbox
    set -- "$@" "${SALESFORCE_POLL[@]}"
  fi
  clear_stats; faults "$faults_json"
  local t; t=$(now_iso)
  start_bridge "$@"
  local cpu0 wall0; cpu0=$(cpu_ticks "$BRIDGE_PID"); wall0=$(date +%s.%N)
  if [ -n "${JSTAT:-}" ]; then jstat -gc "$BRIDGE_PID" 2000 > "$WORK/$name-jstat.txt" & JSTAT_PID=$!; fi
  if [ "$FEED" = salesforce ]; then
    bench wait-polled --bridge "$BRIDGE" --count "$COUNT" --timeout 3600 > "$WORK/$name-feed.json"
  else
    bench webhook-backfill --bridge "$BRIDGE" --secret "$SECRET" --count "$COUNT" --run "$name" > "$WORK/$name-feed.json"
  fi
  bench wait-applied --bridge "$BRIDGE" --token "$OPS_TOKEN" --timeout 3600 > "$WORK/$name-wait.json"
  local cpu1 wall1; cpu1=$(cpu_ticks "$BRIDGE_PID"); wall1=$(date +%s.%N)
  local rss; rss=$(( $(peak_rss_kib "$BRIDGE_PID") / 1024 ))
  [ -n "${JSTAT:-}" ] && kill "$JSTAT_PID" 2>/dev/null
  if [ "$COUNT" -le 90000 ]; then
    bench skiplino-window --sandbox "$SANDBOX" --since "$t" --out "$WORK/$name-skiplino.json" > /dev/null
  else
    curl -fs "$CONTROL/stats" > "$WORK/$name-skiplino.json"
  fi
  local failures; failures=$(curl -fs "$BRIDGE/ops/api/status" -H "Authorization: Bearer $OPS_TOKEN" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["backlog"]["openFailures"])')
  local cpu_util; cpu_util=$(python3 -c "print(round(($cpu1-$cpu0)/$(getconf CLK_TCK)/($wall1-$wall0)/$(nproc)*100,1))")
  local cpu_seconds; cpu_seconds=$(python3 -c "print(round(($cpu1-$cpu0)/$(getconf CLK_TCK),1))")
  printf '{"feed": %s, "wait": %s, "openFailures": %s, "bridgeCpuPercentOfMachine": %s, "bridgeCpuSeconds": %s, "bridgePeakRssMiB": %s, "skiplino": %s}' \
    "$(cat "$WORK/$name-feed.json")" "$(cat "$WORK/$name-wait.json")" "$failures" "$cpu_util" "$cpu_seconds" "$rss" \
    "$(cat "$WORK/$name-skiplino.json")" > "$WORK/$name-result.json"
  stop_bridge
}

# The naive baseline for 60 s against the same Skiplino, reading its records the way the bridge got them:
# from the Salesforce org (one SOQL query and its pages) or generated; externalIds prefixed naive- so they
# are new customers next to the bridge's (one create each, as the bridge's were).
naive_run() {
  local source=()
  [ "$FEED" = salesforce ] && source=(--salesforce "$SANDBOX/sandbox/salesforce")
  bench naive --sandbox "$SANDBOX" --prefix naive- --seconds "${NAIVE_SECONDS:-60}" "${source[@]}" --out "$WORK/naive.json" > /dev/null
}
