#!/usr/bin/env bash
# Benchmark 7: ticket mirror freshness. 5,000 customers come from the Salesforce sandbox's org (contacts
# created through its control API, backfilled by the bridge's first poll, created in Skiplino); then the
# Skiplino sandbox's activity simulation books one ticket for each of 1,000 of them, evenly over DURATION
# seconds, and moves every ticket through its statuses (walk-ins waiting -> serving -> served, 30 %
# appointments upcoming -> waiting -> serving -> served, 10 % cancelled; each intermediate status lasts
# 20-60 s). The bridge runs the ticket mirror with a discovery budget of 600 Skiplino requests/minute and a
# 5 s poll cycle (Skiplino answers after 25 ms); its mirror target is the Salesforce sandbox
# (Skiplino_Ticket__c, upserted by ticket id). Bench ticket-lag samples the Salesforce records every second
# and compares them with each ticket's Skiplino history: lag from each status change (statusAt) to the CRM
# write (LastModifiedDate) for tickets the CRM already held, and from booking to the first CRM write for the
# new bookings of idle customers; p95 also in poll cycles. About 6-7 minutes on a quiet machine.
#   bench/07-ticket-freshness.sh    (CUSTOMERS ACTIVE DURATION DRAIN BUDGET CYCLE DWELL_MIN DWELL_MAX override
#                                    5000 1000 240 120 600 5 20000 60000)
source "$(dirname "$0")/lib.sh"
CUSTOMERS="${CUSTOMERS:-5000}"; ACTIVE="${ACTIVE:-1000}"; DURATION="${DURATION:-240}"; DRAIN="${DRAIN:-120}"
BUDGET="${BUDGET:-600}"; CYCLE="${CYCLE:-5}"; DWELL_MIN="${DWELL_MIN:-20000}"; DWELL_MAX="${DWELL_MAX:-60000}"
OUT="$RESULTS/07-ticket-freshness-$(stamp).json"
start_sandbox
bench seed-salesforce --sandbox "$SANDBOX" --count "$CUSTOMERS" --ids "$WORK/contact-ids.txt" > "$WORK/seed.json"
use_salesforce_sandbox
faults '{"latencyMs": 25}'
before=$(machine)
BRIDGE_TICKETS=true start_bridge "${SALESFORCE_POLL[@]}" --skiplino.rate-limit.requests-per-second=390 \
  --skiplino.rate-limit.max-concurrent=32 --skiplino.pool-size=40 --bridge.sync.workers=32 \
  --bridge.tickets.discovery.poll-interval="${CYCLE}s" --bridge.tickets.discovery.requests-per-minute="$BUDGET"
# setup: every customer synced (the discovery already polls them round-robin meanwhile)
bench wait-polled --bridge "$BRIDGE" --count "$CUSTOMERS" > "$WORK/setup-poll.json"
bench wait-applied --bridge "$BRIDGE" --token "$OPS_TOKEN" > "$WORK/setup-wait.json"
t=$(now_iso)
bench ticket-lag --sandbox "$SANDBOX" --bridge "$BRIDGE" --ids "$WORK/contact-ids.txt" --active "$ACTIVE" \
  --seconds "$DURATION" --drain "$DRAIN" --cycle-seconds "$CYCLE" --dwell-min "$DWELL_MIN" --dwell-max "$DWELL_MAX" \
  --out "$WORK/ticket-lag.json" > /dev/null
bench skiplino-window --sandbox "$SANDBOX" --since "$t" --out "$WORK/ticket-skiplino.json" > /dev/null
printf '{"benchmark": "ticket-freshness", "customers": %s, "customersWithTickets": %s, "bookingSeconds": %s,
 "dwellMs": [%s, %s], "discoveryRequestsPerMinute": %s, "pollCycleSeconds": %s, "mirrorTarget": "salesforce-sandbox",
 "machine": %s, "loadAfter": "%s", "setup": {"poll": %s, "wait": %s}, "lag": %s, "skiplinoDuringRun": %s}\n' \
  "$CUSTOMERS" "$ACTIVE" "$DURATION" "$DWELL_MIN" "$DWELL_MAX" "$BUDGET" "$CYCLE" "$before" \
  "$(cut -d' ' -f1-3 /proc/loadavg)" "$(cat "$WORK/setup-poll.json")" "$(cat "$WORK/setup-wait.json")" \
  "$(cat "$WORK/ticket-lag.json")" "$(cat "$WORK/ticket-skiplino.json")" > "$OUT"
echo "wrote $OUT"
