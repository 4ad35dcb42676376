#!/usr/bin/env bash
# writes_pg_scoped: POST /v1/clients/{id}/enrollments (every rule checked, audited, with an
# Idempotency-Key) from 32 wrk connections spread over 16 programs in 4 organizations, every
# request a different client, beside pgbench running the same statements with the same scoped
# locks over the same programs (bench/pgbench/create_enrollment.sql). Then the same again with
# one writer at a time (the server with --write-locks global, pgbench taking the writer lock
# exclusively), on the same data: writes_pg_scoped_over_global is what scoped locks gain.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CLIENTS=100000
[ -n "${BENCH_QUICK:-}" ] && CLIENTS=5000
ORGANIZATIONS=4
PROGRAMS_EACH=4
CONNECTIONS=32
# pgbench gets as many connections as the server's pool holds (its default): the server never
# has more write transactions open at once, so more would measure a concurrency (and a
# grouping of commits) it cannot reach.
DB_CONNECTIONS=10
SECONDS_EACH="$(load_seconds 15)"
TARGET=0.5
trap 'stop_server' EXIT

url="$(pg_seeded threshold_bench_100k "$CLIENTS")"
start_server "$url"
bearer="$(admin_token)"
api_post() {
    curl -fsS -H "Authorization: Bearer $bearer" -H 'Content-Type: application/json' \
        -X POST "$BASE$1" -d "$2" | jq -r .id
}

# Each organization has a case manager and its programs, each with a grant and no capacity
# (so neither side counts the program's active enrollments nor locks the program).
programs="$BENCH_WORK/scoped.programs"
: >"$programs"
for o in $(seq 1 "$ORGANIZATIONS"); do
    organization="$(api_post /v1/organizations "{\"name\": \"Bench Scoped $o\"}")"
    user="$(api_post /v1/users "{\"organization_id\": \"$organization\", \"first_name\": \"Bench\",
        \"last_name\": \"Scoped $o\", \"email\": \"bench.scoped.$o@example.org\"}")"
    for p in $(seq 1 "$PROGRAMS_EACH"); do
        program="$(api_post /v1/programs "{\"organization_id\": \"$organization\",
            \"name\": \"Bench Scoped $o.$p\", \"project_type\": 1,
            \"operating_start_date\": \"2020-01-01\"}")"
        grant="$(api_post "/v1/programs/$program/grants" \
            '{"funder": 2, "grant_identifier": "BENCH-1", "start_date": "2020-01-01"}')"
        printf '%s\t%s\t%s\t%s\n' "$organization" "$program" "$grant" "$user" >>"$programs"
    done
done
program_count="$(wc -l <"$programs")"

# Every seeded client born by the entry date, in the order of its ID, in the next program in turn; four equal runs of
# rows, one for each load: the server scoped, the server global, pgbench scoped, pgbench
# global. No client is enrolled twice, and a client's rule reads find nothing of the others'.
{
    printf 'client_id\torganization_id\tprogram_id\tgrant_id\tcase_manager_id\n'
    enrollable_clients "$url" \
        | awk -F'\t' -v OFS='\t' 'NR == FNR { program[FNR - 1] = $0; count = FNR; next }
            { print $1, program[(FNR - 1) % count] }' "$programs" -
} | pgbench_table "$url" bench_targets organization_id client_id
rows="$(psql "$url" -X -Atq -c 'SELECT count(*) FROM bench_targets')"
share=$((rows / 4))
# `requests FIRST`: the create requests of the rows FIRST+1 .. FIRST+share.
requests() {
    awk -F'\t' -v first="$1" -v last="$(($1 + share))" 'NR > 1 && $1 > first && $1 <= last {
        print "POST /v1/clients/" $2 "/enrollments {\"program_id\": \"" $4 "\", " \
          "\"entry_date\": \"2025-06-01\", \"relationship_to_hoh\": 1, \"grant_id\": \"" $5 "\", " \
          "\"case_manager_id\": \"" $6 "\"}" }' "$BENCH_WORK/bench_targets.tsv"
}
# `written FIRST`: the enrollments stored for the rows FIRST+1 .. FIRST+share.
written() {
    psql "$url" -X -Atq -c "SELECT count(*) FROM enrollments e JOIN bench_targets t
        ON t.client_id = e.client_id AND t.program_id = e.program_id
        WHERE t.n > $1 AND t.n <= $(($1 + share))"
}

requests 0 >"$BENCH_WORK/scoped.requests"
requests "$share" >"$BENCH_WORK/global.requests"
log "writes_scoped: the server, scoped locks"
scoped_json="$(WRK_IDEMPOTENCY="bench-scoped-$(date +%s)" wrk_json \
    "$BENCH_WORK/scoped.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS" once)"
scoped_done="$(written 0)"
stop_server

log "writes_scoped: the server, one writer at a time"
start_server "$url" --write-locks global
global_json="$(WRK_IDEMPOTENCY="bench-global-$(date +%s)" wrk_json \
    "$BENCH_WORK/global.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS" once)"
global_done="$(written "$share")"
stop_server

pgbench_run() {
    local first="$1" global="$2"
    pgbench_tps "$url" "$SECONDS_EACH" "$DB_CONNECTIONS" \
        "$BENCH_LIB_DIR/pgbench/create_enrollment.sql" -- -D first="$first" -D size="$share" \
        -D connections="$DB_CONNECTIONS" -D iteration=0 -D global="$global"
}
log "writes_scoped: pgbench, scoped locks"
read -r scoped_tps scoped_db_ms < <(pgbench_run $((2 * share)) 0)
log "writes_scoped: pgbench, one writer at a time"
read -r global_tps global_db_ms < <(pgbench_run $((3 * share)) 1)

rate() { round "$(calc "$1 / $(json seconds <<<"$2")" 1)" 0; }
scoped_rps="$(rate "$scoped_done" "$scoped_json")"
global_rps="$(rate "$global_done" "$global_json")"
ratio="$(round "$(calc "$scoped_rps / $scoped_tps")" 2)"
global_ratio="$(round "$(calc "$global_rps / $global_tps")" 2)"
factor="$(round "$(calc "$scoped_rps / $global_rps")" 2)"
pgbench_factor="$(round "$(calc "$scoped_tps / $global_tps")" 2)"
record writes_pg_scoped "$scoped_rps" "writes/s" "$(round "$scoped_tps" 0)" "$ratio" \
    ">= $TARGET of pgbench" "$(met_if "$ratio >= $TARGET")"
# The reference is pgbench's own factor: how much of what scoped locks gain the database
# Threshold keeps.
record writes_pg_scoped_over_global "$factor" "times" "$pgbench_factor" \
    "$(round "$(calc "$factor / $pgbench_factor")" 2)" "" ""

row() {
    echo "| $1 | $2 | $(json p50_ms <<<"$3") ms | $(json p99_ms <<<"$3") ms | $(json non_2xx_3xx <<<"$3") | $(round "$4" 0) | $5 ms | $6 |"
}

section writes_scoped <<MARKDOWN
## writes_pg_scoped: independent writes side by side, and one writer at a time

The database of the read figures (${CLIENTS} clients seeded). Through the API,
${ORGANIZATIONS} organizations, each with a case manager and ${PROGRAMS_EACH} programs with a
grant and no capacity (${program_count} programs). Every seeded client born by the entry date,
in the order of its ID, gets the next program in turn; the clients fall in four equal runs of
${share}, one for each of the four loads below, so no client is enrolled twice and no two
writes share a client or a household (each is a new household). wrk (2 threads,
${CONNECTIONS} connections, ${SECONDS_EACH} s, every request sent once) sends
\`POST /v1/clients/{id}/enrollments\` (a new household, with a grant, a case manager and an
\`Idempotency-Key\`: every rule checked, the audit events and the stored answer written), the
lines taking the programs in turn, so the requests in flight spread over all of them. The
figure is the enrollments stored (counted in the database afterwards) over wrk's time. Each
write locks its organization (shared) and its client, and holds the writer lock shared.

The same server is then started again with \`--write-locks global\` (one writer at a time: the
writer lock held exclusively, no scoped lock) and sent the next run of clients the same way.

The reference is pgbench (2 threads, ${DB_CONNECTIONS} connections: as many as the server's
pool holds, so as many write transactions open at once as the server can have; prepared
statements; ${SECONDS_EACH} s) running \`bench/pgbench/create_enrollment.sql\`: the statements
of the handler as PostgreSQL logs them, with the same locks (the writer lock, then in one
statement the organization's shared and the client's exclusive advisory locks, their keys
computed as the server computes them, \`bench/scope_keys.py\`), over the third run of clients,
each connection taking rows of its own in turn; then with \`global=1\`, the statements of a
server run with \`--write-locks global\` (the writer lock exclusively, no scoped lock), over
the fourth. pgbench first reads its row (client, program, grant, case manager, organization and
the lock keys) by primary key, one statement more than the server runs.

| load | writes/s | p50 | p99 | non-2xx | pgbench transactions/s | pgbench latency | ratio |
|---|---|---|---|---|---|---|---|
$(row "scoped locks (\`writes_pg_scoped\`)" "$scoped_rps" "$scoped_json" "$scoped_tps" "$scoped_db_ms" "$ratio")
$(row "one writer at a time" "$global_rps" "$global_json" "$global_tps" "$global_db_ms" "$global_ratio")

Scoped over global (\`writes_pg_scoped_over_global\`): Threshold **${factor}** times,
pgbench ${pgbench_factor} times.
MARKDOWN
