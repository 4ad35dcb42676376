#!/usr/bin/env bash
# sqlite_reads: the read figures again on the embedded default, a SQLite file seeded like the
# PostgreSQL one; target at least 10,000 requests a second. The reference is the same server
# answering GET /healthz (no database, no token): the HTTP ceiling of this machine for this
# server and load generator.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CLIENTS=100000
[ -n "${BENCH_QUICK:-}" ] && CLIENTS=5000
CONNECTIONS=32
SECONDS_EACH="$(load_seconds 15)"
SAMPLES=100
TARGET=10000
trap 'stop_server' EXIT

file="$BENCH_WORK/sqlite-reads.db"
rm -f "$file"*
url="sqlite://${file}"
timeout 300 "$THRESHOLD" migrate --database-url "$url" >/dev/null 2>&1 || die "migrating $file failed"
seed "$url" "$CLIENTS"
n_enrollments="$(python3 -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("SELECT count(*) FROM enrollments").fetchone()[0])' "$file")"
sample_enrollments "$url" "$SAMPLES" >"$BENCH_WORK/pairs"
read_requests "$BENCH_WORK/pairs"
echo "GET /healthz" >"$BENCH_WORK/healthz.requests"

start_server "$url"
bearer="$(admin_token)"
wrk_json "$BENCH_WORK/list.requests" "$bearer" 3 "$CONNECTIONS" >/dev/null
list_json="$(wrk_json "$BENCH_WORK/list.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
get_json="$(wrk_json "$BENCH_WORK/get.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
health_json="$(wrk_json "$BENCH_WORK/healthz.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
stop_server

health_rps="$(json rps <<<"$health_json")"
figure() {
    local name="$1" result="$2" rps p50 p99 ratio
    [ "$(json non_2xx_3xx <<<"$result")" = 0 ] || die "$name: answers that were not 2xx"
    rps="$(json rps <<<"$result")"
    p50="$(json p50_ms <<<"$result")"
    p99="$(json p99_ms <<<"$result")"
    ratio="$(round "$(calc "$rps / $health_rps")" 2)"
    record "$name" "$(round "$rps" 0)" "requests/s" "$(round "$health_rps" 0)" "$ratio" \
        ">= $TARGET" "$(met_if "$rps >= $TARGET")"
    echo "| \`$name\` | $(round "$rps" 0) | ${p50} ms | ${p99} ms | $ratio |"
}
rows="$(figure sqlite_reads "$list_json"; figure sqlite_reads_get "$get_json")"

section sqlite_reads <<MARKDOWN
## sqlite_reads: reading enrollments on the embedded SQLite default

A SQLite file seeded by \`threshold seed --clients ${CLIENTS}\` (${n_enrollments} enrollments),
served with the default settings. The same requests as the PostgreSQL read figures (wrk, 2
threads, ${CONNECTIONS} connections, ${SECONDS_EACH} s, ${SAMPLES} enrollments):
\`sqlite_reads\` is \`GET /v1/clients/{id}/enrollments\`, \`sqlite_reads_get\` is
\`GET /v1/clients/{id}/enrollments/{enrollment_id}\`. Target: at least ${TARGET} requests/s.
The reference is the same server answering \`GET /healthz\` (no database, no token checked):
**$(round "$health_rps" 0) requests/s**, the most this server and wrk manage on these cores;
the ratio is the share of it that the read keeps.

| figure | requests/s | p50 | p99 | ratio to /healthz |
|---|---|---|---|---|
${rows}
MARKDOWN
