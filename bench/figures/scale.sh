#!/usr/bin/env bash
# scale_p50: read latency at 10,000 and at 1,000,000 enrollments. The same mix of reads (a
# client's enrollments, one enrollment, and a page of the change feed starting at a depth
# spread over the whole table) at light load (4 connections), on both sizes; the ratio of the
# p50s must stay within 1.2: pages must not slow down with depth or table size.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

SMALL_CLIENTS=3520
LARGE_CLIENTS=352000
[ -n "${BENCH_QUICK:-}" ] && LARGE_CLIENTS=17600
CONNECTIONS=4
SECONDS_EACH="$(load_seconds 15)"
SAMPLES=100
trap 'stop_server' EXIT

# `mix URL`: requests over SAMPLES enrollments and SAMPLES feed positions of database URL.
mix() {
    local url="$1"
    sample_enrollments "$url" "$SAMPLES" >"$BENCH_WORK/pairs"
    read_requests "$BENCH_WORK/pairs"
    psql "$url" -X -Atq -c "SELECT to_char(updated_at, 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"')
        FROM (SELECT updated_at, row_number() OVER (ORDER BY updated_at, id) AS n
              FROM enrollments) AS e
        WHERE n % (SELECT greatest(count(*) / $SAMPLES, 1) FROM enrollments) = 0
        ORDER BY updated_at LIMIT $SAMPLES" \
        | awk '{ print "GET /v1/enrollments?limit=50&updated_since=" $1 }' >"$BENCH_WORK/feed.requests"
    paste -d '\n' "$BENCH_WORK/list.requests" "$BENCH_WORK/get.requests" \
        "$BENCH_WORK/feed.requests" >"$BENCH_WORK/mix.requests"
}

# `measure NAME CLIENTS`: prints "ENROLLMENTS P50 P99 RPS".
measure() {
    local name="$1" clients="$2" url result enrollments
    url="$(pg_seeded "$name" "$clients")"
    enrollments="$(psql "$url" -X -Atq -c 'SELECT count(*) FROM enrollments')"
    mix "$url"
    start_server "$url"
    local bearer
    bearer="$(admin_token)"
    wrk_json "$BENCH_WORK/mix.requests" "$bearer" 3 "$CONNECTIONS" >/dev/null
    result="$(wrk_json "$BENCH_WORK/mix.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
    stop_server
    [ "$(json non_2xx_3xx <<<"$result")" = 0 ] || die "$name: answers that were not 2xx"
    echo "$enrollments $(json p50_ms <<<"$result") $(json p99_ms <<<"$result") $(json rps <<<"$result")"
}

read -r small_n small_p50 small_p99 small_rps < <(measure threshold_bench_10k "$SMALL_CLIENTS")
read -r large_n large_p50 large_p99 large_rps < <(measure threshold_bench_1m "$LARGE_CLIENTS")
ratio="$(round "$(calc "$large_p50 / $small_p50")" 2)"
record scale_p50 "$large_p50" ms "$small_p50" "$ratio" "<= 1.2" "$(met_if "$ratio <= 1.2")"

section scale <<MARKDOWN
## scale_p50: read latency at 10,000 and at 1,000,000 enrollments

Two databases seeded by \`threshold seed\` (${small_n} and ${large_n} enrollments). On each, wrk
(2 threads, ${CONNECTIONS} connections: light load, so latency is the query's and not the
queue's; ${SECONDS_EACH} s after a 3 s warm-up) sends in turn
\`GET /v1/clients/{id}/enrollments\`, \`GET /v1/clients/{id}/enrollments/{enrollment_id}\`
over ${SAMPLES} enrollments spread over the table, and
\`GET /v1/enrollments?limit=50&updated_since=...\` from ${SAMPLES} positions spread from the
first change to the last (the feed's cursor pages at every depth).

| enrollments | p50 | p99 | requests/s |
|---|---|---|---|
| ${small_n} | ${small_p50} ms | ${small_p99} ms | ${small_rps} |
| ${large_n} | ${large_p50} ms | ${large_p99} ms | ${large_rps} |

p50 at ${large_n} over p50 at ${small_n}: **${ratio}** (target at most 1.2).
MARKDOWN
