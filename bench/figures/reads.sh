#!/usr/bin/env bash
# reads_pg_list, reads_pg_get: GET /v1/clients/{id}/enrollments and
# GET /v1/clients/{id}/enrollments/{enrollment_id} on PostgreSQL, 100,000 clients and about
# 300,000 enrollments, 32 connections (wrk), beside pgbench running exactly the statements
# each handler sends (bench/pgbench/*.sql), with the same number of connections.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CLIENTS=100000
[ -n "${BENCH_QUICK:-}" ] && CLIENTS=5000
CONNECTIONS=32
SECONDS_EACH="$(load_seconds 15)"
SAMPLES=16
trap 'stop_server' EXIT

url="$(pg_seeded threshold_bench_100k "$CLIENTS")"
read -r n_clients n_enrollments < <(psql "$url" -X -Atq -F ' ' -c \
    "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM enrollments)")

sample_enrollments "$url" "$SAMPLES" >"$BENCH_WORK/pairs"
read_requests "$BENCH_WORK/pairs"

# pgbench: the statements each handler sends, once per sampled enrollment (one script each,
# equally weighted; the values are literals, prepared once per script). Few samples: pgbench
# itself slows down with many scripts (100 scripts gave 40% of the transactions of 16), and
# the tables are in memory either way.
pgbench_scripts() {
    local kind="$1" n=0 client_id enrollment_id
    rm -rf "$BENCH_WORK/pgbench-$kind"
    mkdir -p "$BENCH_WORK/pgbench-$kind"
    while read -r client_id enrollment_id; do
        n=$((n + 1))
        sed -e "s/:client_id/'${client_id}'/g" -e "s/:enrollment_id/'${enrollment_id}'/g" \
            "$BENCH_LIB_DIR/pgbench/${kind}.sql" >"$BENCH_WORK/pgbench-$kind/$n.sql"
    done <"$BENCH_WORK/pairs"
}
pgbench_scripts list_enrollments
pgbench_scripts get_enrollment

start_server "$url"
bearer="$(admin_token)"
# A short warm-up of both endpoints: connections made, statements prepared, pages cached.
wrk_json "$BENCH_WORK/list.requests" "$bearer" 3 "$CONNECTIONS" >/dev/null
wrk_json "$BENCH_WORK/get.requests" "$bearer" 3 "$CONNECTIONS" >/dev/null
list_json="$(wrk_json "$BENCH_WORK/list.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
get_json="$(wrk_json "$BENCH_WORK/get.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
stop_server

read -r list_tps list_db_ms < <(pgbench_tps "$url" "$SECONDS_EACH" "$CONNECTIONS" "$BENCH_WORK"/pgbench-list_enrollments/*.sql)
read -r get_tps get_db_ms < <(pgbench_tps "$url" "$SECONDS_EACH" "$CONNECTIONS" "$BENCH_WORK"/pgbench-get_enrollment/*.sql)

figure() {
    local name="$1" result="$2" tps="$3"
    local rps p50 p99 failed ratio
    rps="$(json rps <<<"$result")"
    p50="$(json p50_ms <<<"$result")"
    p99="$(json p99_ms <<<"$result")"
    failed="$(json non_2xx_3xx <<<"$result")"
    [ "$failed" = 0 ] || die "$name: $failed answers were not 2xx"
    ratio="$(round "$(calc "$rps / $tps")" 2)"
    record "$name" "$(round "$rps" 0)" "requests/s" "$(round "$tps" 0)" "$ratio" \
        ">= 0.6 of pgbench, p99 < 25 ms" \
        "$(met_if "$ratio >= 0.6 && $p99 < 25")"
    record "${name}_p99" "$p99" ms "" "" "< 25" "$(met_if "$p99 < 25")"
    echo "| \`$name\` | $(round "$rps" 0) | ${p50} ms | ${p99} ms | $(round "$tps" 0) | $ratio |"
}
rows="$(figure reads_pg_list "$list_json" "$list_tps"; figure reads_pg_get "$get_json" "$get_tps")"

section reads <<MARKDOWN
## reads_pg_list, reads_pg_get: reading enrollments on PostgreSQL

A database seeded by \`threshold seed --clients ${CLIENTS}\`: ${n_clients} clients,
${n_enrollments} enrollments. wrk (2 threads, ${CONNECTIONS} connections, ${SECONDS_EACH} s
each, after a 3 s warm-up) sends, with an admin token, \`GET /v1/clients/{id}/enrollments\`
(the first page, 50 at most) and \`GET /v1/clients/{id}/enrollments/{enrollment_id}\` over
${SAMPLES} enrollments spread evenly over the table. The reference is pgbench (2 threads, the
same ${CONNECTIONS} connections, prepared statements, ${SECONDS_EACH} s) running exactly the
statements each handler sends, as PostgreSQL's log shows them
(\`bench/pgbench/list_enrollments.sql\`, \`bench/pgbench/get_enrollment.sql\`), with the
same ${SAMPLES} enrollments, one script each; pgbench's average latency was ${list_db_ms} ms and
${get_db_ms} ms. The server is stopped while pgbench runs.

| figure | requests/s | p50 | p99 | pgbench transactions/s | ratio |
|---|---|---|---|---|---|
${rows}
MARKDOWN
