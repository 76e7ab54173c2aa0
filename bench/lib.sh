# Shared shell helpers of the benchmark scripts (sourced, not run). Starts the standalone sandbox and the
# bridge as separate processes from the packaged jar, records the machine and load with each result.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="${BENCH_JAR:-$ROOT/target/skiplino-crm-bridge.jar}"
RESULTS="${BENCH_RESULTS:-$BENCH_DIR/results}"
WORK="${BENCH_WORK:-/tmp/skiplino-bench}"
SANDBOX_PORT="${BENCH_SANDBOX_PORT:-19090}"
BRIDGE_PORT="${BENCH_BRIDGE_PORT:-18080}"
SANDBOX="http://127.0.0.1:$SANDBOX_PORT"
BRIDGE="http://127.0.0.1:$BRIDGE_PORT"
CONTROL="$SANDBOX/sandbox/control/skiplino"
# sandbox-only values: they protect nothing (see docs/benchmarks.md)
SECRET="whsec_QmVuY2htYXJrU2VjcmV0S2V5Rm9yVGhlQnJpZGdlMDE="
OPS_TOKEN="bench-ops-token-0123456789"
PIDS=()

mkdir -p "$RESULTS" "$WORK"
# the processes read ./config/ and ./routes/ of the project, like an operator's installation
cd "$ROOT"
[ -f "$JAR" ] || { echo "missing $JAR: run ./mvnw -o package -DskipTests first" >&2; exit 1; }

bench() { java "$BENCH_DIR/Bench.java" "$@"; }

stamp() { date -u +%Y%m%dT%H%M%SZ; }

# machine facts and current load, as a JSON object
machine() {
  local cpu; cpu=$(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //')
  printf '{"cpus": %s, "cpu": "%s", "memMiB": %s, "java": "%s", "loadavg": "%s", "date": "%s"}' \
    "$(nproc)" "$cpu" "$(free -m | awk '/Mem:/{print $2}')" \
    "$(java -version 2>&1 | head -1 | sed 's/"//g')" "$(cut -d' ' -f1-3 /proc/loadavg)" "$(date -u +%FT%TZ)"
}

wait_ready() { # url name pid
  for _ in $(seq 1 600); do
    if curl -fs "$1/actuator/health/readiness" 2>/dev/null | grep -q UP; then return 0; fi
    kill -0 "$3" 2>/dev/null || { echo "$2 exited; see $WORK/$2.log" >&2; exit 1; }
    sleep 0.5
  done
  echo "$2 not ready; see $WORK/$2.log" >&2; exit 1
}

# The sandbox plays Skiplino and Salesforce, which run elsewhere in production: it shares this machine's two
# cores with the bridge only because the benchmark needs it here. It runs with the C1 compiler alone
# (-XX:TieredStopAtLevel=1): in a run of a minute, C2 compiling the sandbox's code took about 20 CPU-seconds
# that the bridge then lacked (docs/benchmarks.md); SANDBOX_JAVA_OPTS overrides.
start_sandbox() { # extra java options
  java ${SANDBOX_JAVA_OPTS:--Xmx1g -XX:TieredStopAtLevel=1} -jar "$JAR" --spring.profiles.active=sandbox-only --server.port="$SANDBOX_PORT" \
    --bridge.data-dir="$WORK/sandbox-data" --server.jetty.threads.max=400 "$@" > "$WORK/sandbox.log" 2>&1 &
  SANDBOX_PID=$!; PIDS+=("$SANDBOX_PID")
  wait_ready "$SANDBOX" sandbox "$SANDBOX_PID"
}

# the bridge in real mode against the standalone sandbox, with a fresh store unless KEEP_STORE=1; the ticket
# mirror is off unless BRIDGE_TICKETS=true (benchmarks 1-6 measure the customer sync; its ticket polls would
# share Skiplino's budget and count in the request windows). Its Salesforce connector is on only when
# use_salesforce_sandbox ran before (the SALESFORCE_* variables), otherwise off whatever the caller's
# environment holds.
start_bridge() { # extra --key=value settings
  [ "${KEEP_STORE:-0}" = 1 ] || rm -rf "$WORK/bridge-data"
  [ "${SALESFORCE_FEED:-0}" = 1 ] || unset SALESFORCE_LOGIN_URL SALESFORCE_CLIENT_ID SALESFORCE_CLIENT_SECRET \
    SALESFORCE_USERNAME SALESFORCE_PASSWORD SALESFORCE_AUTH_TYPE SALESFORCE_REFRESH_TOKEN SALESFORCE_INSTANCE_URL
  java ${BRIDGE_JAVA_OPTS:--Xmx512m} -jar "$JAR" --server.port="$BRIDGE_PORT" --bridge.sandbox.enabled=false \
    --skiplino.base-url="$SANDBOX/sandbox/skiplino/external/v1" --skiplino.api-key=sk_sandbox_secret \
    --bridge.data-dir="$WORK/bridge-data" --bridge.webhook.secrets="$SECRET" --bridge.ops.token="$OPS_TOKEN" \
    --bridge.ops.refresh-interval=2s --bridge.tickets.enabled="${BRIDGE_TICKETS:-false}" \
    --logging.level.io.skiplinobridge.sync=WARN "$@" > "$WORK/bridge.log" 2>&1 &
  BRIDGE_PID=$!; PIDS+=("$BRIDGE_PID")
  wait_ready "$BRIDGE" bridge "$BRIDGE_PID"
}

# Points the next start_bridge's Salesforce connector at the standalone sandbox's org (loopback http, the
# sandbox's connected-app values, which protect nothing) and sets SALESFORCE_POLL: the poll every 5 s, pages
# of 2,000, no overlap (every contact is committed before the bridge starts, so none can arrive late; with
# the default 5 minutes each poll would read the whole backfill again). The first poll is the backfill.
use_salesforce_sandbox() {
  export SALESFORCE_LOGIN_URL="$SANDBOX/sandbox/salesforce" SALESFORCE_CLIENT_ID=sandbox-client-id \
    SALESFORCE_CLIENT_SECRET=sandbox-client-secret SALESFORCE_USERNAME=bridge@sandbox.example.com \
    SALESFORCE_PASSWORD=sandbox-password
  SALESFORCE_FEED=1
  SALESFORCE_POLL=("--bridge.salesforce.poll.cron=0/5 * * * * ?" --bridge.salesforce.poll.batch-size=2000
                   --bridge.salesforce.poll.overlap=0s)
}

stop_bridge() {
  if [ -n "${BRIDGE_PID:-}" ] && kill -0 "$BRIDGE_PID" 2>/dev/null; then
    kill "$BRIDGE_PID"; wait "$BRIDGE_PID" 2>/dev/null || true
  fi
  BRIDGE_PID=
}

stop_all() {
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap stop_all EXIT

faults() { curl -fs -X PUT "$CONTROL/faults" -H 'Content-Type: application/json' -d "$1" > /dev/null; }
reset_sandbox() { curl -fs -X POST "$SANDBOX/sandbox/control/reset" > /dev/null; }
clear_stats() { curl -fs -X DELETE "$CONTROL/stats" > /dev/null; }
now_iso() { date -u +%Y-%m-%dT%H:%M:%S.%3NZ; }

# peak RSS (VmHWM, KiB) of a process
peak_rss_kib() { awk '/VmHWM/{print $2}' "/proc/$1/status"; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
