#!/usr/bin/env bash
# Benchmark 4: signed single-event webhooks from 50 concurrent clients for 60 s (after a 5 s warm-up),
# the bridge storing each durably (H2 file by default; "postgres" as first argument: a fresh database
# in the PostgreSQL at 127.0.0.1:5432, user postgres). SYNC=paused (default) measures the ingest alone
# (bridge.sync.enabled=false: the events wait in the inbox); SYNC=running lets the sync flow push every
# customer to the sandbox (no latency, no limit) on the same two cores at the same time. A 15 s load
# before the measured one warms the JIT, so the CPU per event is the steady state's.
#   bench/04-webhook-ingest.sh [h2|postgres]   (CLIENTS, DURATION, SYNC override 50, 60 s, paused)
source "$(dirname "$0")/lib.sh"
STORE="${1:-h2}"; CLIENTS="${CLIENTS:-50}"; DURATION="${DURATION:-60}"; SYNC="${SYNC:-paused}"
OUT="$RESULTS/04-webhook-ingest-$STORE-sync-$SYNC-$(stamp).json"
extra=()
[ "$SYNC" = paused ] && extra+=(--bridge.sync.enabled=false)
if [ "$STORE" = postgres ]; then
  db="bench_$(date +%s)"; psql -h 127.0.0.1 -U postgres -qc "CREATE DATABASE $db" >/dev/null
  extra+=(--spring.profiles.active=postgres --spring.datasource.url="jdbc:postgresql://127.0.0.1:5432/$db"
         --spring.datasource.username=postgres --spring.datasource.password=)
fi
# "<count> <seconds>" of the 202 answers of POST /api/crm/events, from the bridge's own timer
served() {
  curl -fs "$BRIDGE/actuator/prometheus" | awk '/^http_server_requests_seconds_count.*status="202".*crm\/events/{c=$2} /^http_server_requests_seconds_sum.*status="202".*crm\/events/{s=$2} END{printf "%d %s", c, (s==""?0:s)}'
}
start_sandbox
start_bridge "${extra[@]}"
bench webhook-load --bridge "$BRIDGE" --secret "$SECRET" --clients "$CLIENTS" --seconds 15 --warmup 0 --run warmup --out "$WORK/warmup.json"
before=$(machine)
cpu0=$(cpu_ticks "$BRIDGE_PID"); served0=$(served)
bench webhook-load --bridge "$BRIDGE" --secret "$SECRET" --clients "$CLIENTS" --seconds "$DURATION" --out "$WORK/load.json"
cpu1=$(cpu_ticks "$BRIDGE_PID"); served1=$(served)
# CPU the bridge spent per accepted event during the load (warm-up included), and the servlet time
# per request the bridge itself measured (http.server.requests): what the machine's load cannot hide
cpu_ms=$(python3 -c "print(round(($cpu1-$cpu0)*1000/$(getconf CLK_TCK)/max(1,${served1%% *}-${served0%% *}),3))")
server_ms=$(python3 -c "a='$served0'.split(); b='$served1'.split(); print(round((float(b[1])-float(a[1]))*1000/max(1,int(float(b[0]))-int(float(a[0]))),2))")
printf '{"benchmark": "webhook-ingest", "store": "%s", "sync": "%s", "machine": %s, "loadAfter": "%s", "bridgeCpuMsPerEvent": %s, "serverMsPerRequest": %s, "bridgePeakRssMiB": %s, "result": %s}\n' \
  "$STORE" "$SYNC" "$before" "$(cut -d' ' -f1-3 /proc/loadavg)" "$cpu_ms" "$server_ms" "$(( $(peak_rss_kib "$BRIDGE_PID") / 1024 ))" \
  "$(cat "$WORK/load.json")" > "$OUT"
echo "wrote $OUT"
stop_all
[ "$STORE" = postgres ] && psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE $db" >/dev/null || true
