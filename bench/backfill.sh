# Shared body of benchmarks 1, 2 and 6 (sourced): a backfill of COUNT customers into an empty Skiplino,
# timed on Skiplino's side (first to last request of the run in the sandbox's request log, or its stats
# for runs longer than the log keeps), with the bridge's CPU time and peak memory.
# Until the Salesforce connector is on main the backfill is fed through the webhook in batches of 500
# (the bridge's ingest is not the bottleneck: see benchmark 4); the Skiplino side is the same.
backfill_run() { # name faults-json bridge-settings...
  local name=$1 faults_json=$2; shift 2
  clear_stats; faults "$faults_json"
  local t; t=$(now_iso)
  start_bridge "$@"
  local cpu0 wall0; cpu0=$(cpu_ticks "$BRIDGE_PID"); wall0=$(date +%s.%N)
  if [ -n "${JSTAT:-}" ]; then jstat -gc "$BRIDGE_PID" 2000 > "$WORK/$name-jstat.txt" & JSTAT_PID=$!; fi
  bench webhook-backfill --bridge "$BRIDGE" --secret "$SECRET" --count "$COUNT" --run "$name" > "$WORK/$name-send.json"
  bench wait-applied --bridge "$BRIDGE" --token "$OPS_TOKEN" --timeout 3600 > "$WORK/$name-wait.json"
  local cpu1 wall1; cpu1=$(cpu_ticks "$BRIDGE_PID"); wall1=$(date +%s.%N)
  local rss; rss=$(( $(peak_rss_kib "$BRIDGE_PID") / 1024 ))
  [ -n "${JSTAT:-}" ] && kill "$JSTAT_PID" 2>/dev/null
  if [ "$COUNT" -le 90000 ]; then
    bench skiplino-window --sandbox "$SANDBOX" --since "$t" --out "$WORK/$name-skiplino.json" > /dev/null
  else
    curl -fs "$CONTROL/stats" > "$WORK/$name-skiplino.json"
  fi
  local cpu_util; cpu_util=$(python3 -c "print(round(($cpu1-$cpu0)/$(getconf CLK_TCK)/($wall1-$wall0)/$(nproc)*100,1))")
  printf '{"send": %s, "wait": %s, "bridgeCpuPercentOfMachine": %s, "bridgePeakRssMiB": %s, "skiplino": %s}' \
    "$(cat "$WORK/$name-send.json")" "$(cat "$WORK/$name-wait.json")" "$cpu_util" "$rss" \
    "$(cat "$WORK/$name-skiplino.json")" > "$WORK/$name-result.json"
  stop_bridge
}
