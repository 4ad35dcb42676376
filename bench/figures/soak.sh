#!/usr/bin/env bash
# soak: mixed reads and writes from many concurrent clients for a few minutes against two
# servers on one PostgreSQL database (bench/soak.py), then every invariant checked in the
# database. Passes with no 5xx, no answer the contract does not allow, and no broken invariant.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

DB=threshold_bench_soak
SOAK_SECONDS=150
[ -n "${BENCH_QUICK:-}" ] && SOAK_SECONDS=15
WORKERS=24
SECOND_PID=""
cleanup() {
    stop_server
    if [ -n "$SECOND_PID" ]; then SERVER_PID="$SECOND_PID"; stop_server; fi
    pg_drop $DB
}
trap cleanup EXIT

url="$(pg_fresh $DB)"
start_server "$url"
first_base="$BASE"
first_pid="$SERVER_PID"
start_server "$url"
second_base="$BASE"
SECOND_PID="$SERVER_PID"
SERVER_PID="$first_pid"

status=0
python3 "$BENCH_LIB_DIR/soak.py" --base "$first_base" --base "$second_base" \
    --token "$(admin_token)" --database-url "$url" --seconds "$SOAK_SECONDS" \
    --workers "$WORKERS" --out "$BENCH_WORK/soak.json" >/dev/null || status=$?
[ -f "$BENCH_WORK/soak.json" ] || die "the soak did not finish"

value() { jq -r "$1" "$BENCH_WORK/soak.json"; }
requests="$(value .requests)"
rps="$(value .requests_per_second)"
server_errors="$(value .server_errors)"
unexpected="$(value .unexpected)"
broken="$(value '[.invariants[]] | add')"
ok="$(value .ok)"
record soak_requests "$requests" requests "" "" "" "" "${SOAK_SECONDS} s, ${WORKERS} clients, 2 servers"
record soak_server_errors "$server_errors" responses "" "" "= 0" "$(met_if "$server_errors == 0")"
record soak_broken_invariants "$((broken + unexpected))" violations "" "" "= 0" \
    "$(met_if "$broken + $unexpected == 0")"

statuses="$(jq -r '.statuses | to_entries[] | "| \(.key | split(" ")[0]) | \(.key | split(" ")[1]) | \(.value) |"' "$BENCH_WORK/soak.json")"
invariants="$(jq -r '.invariants | to_entries[] | "| \(.key | gsub("_"; " ")) | \(.value) |"' "$BENCH_WORK/soak.json")"
section soak <<MARKDOWN
## soak: mixed reads and writes on two servers sharing one PostgreSQL database

\`bench/soak.py\`: ${WORKERS} concurrent clients (threads with keep-alive connections, taking
the two servers in turn) for ${SOAK_SECONDS} s against two \`threshold serve\` processes on one
fresh PostgreSQL database: new households, members joining, exits alone and with the whole
household, reopens, changes of head, services, and reads of enrollments and households, over
$(jq -r .workers "$BENCH_WORK/soak.json") workers and 300 clients in one program, so the
requests collide on purpose. **${requests} requests, ${rps} a second, p50 $(value .p50_ms) ms,
p99 $(value .p99_ms) ms** (Python's client is the limit here, not the servers).
Responses with status 5xx or none: **${server_errors}**; answers the contract does not allow for
the request: **${unexpected}**. Passed: **${ok}**.

| request | status | count |
|---|---|---|
${statuses}

Afterwards, in the database (each must be 0):

| invariant broken | rows |
|---|---|
${invariants}
MARKDOWN
exit "$status"
