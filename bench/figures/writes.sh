#!/usr/bin/env bash
# writes_pg_create, writes_pg_exit: POST /v1/clients/{id}/enrollments (every rule checked,
# audited, with an Idempotency-Key) and POST .../{enrollment_id}/exit on PostgreSQL, 32
# connections (wrk), beside pgbench running the same statements in the same transactions
# (bench/pgbench/create_enrollment.sql, exit_enrollment.sql), with the same connections.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CLIENTS=100000
[ -n "${BENCH_QUICK:-}" ] && CLIENTS=5000
CONNECTIONS=32
# pgbench gets as many connections as the server's pool holds (its default): the database
# connections the server writes through. More only queue on the write lock inside PostgreSQL.
DB_CONNECTIONS=10
SECONDS_EACH="$(load_seconds 15)"
trap 'stop_server' EXIT

url="$(pg_seeded threshold_bench_100k "$CLIENTS")"
start_server "$url"
bearer="$(admin_token)"
api_post() {
    curl -fsS -H "Authorization: Bearer $bearer" -H 'Content-Type: application/json' \
        -X POST "$BASE$1" -d "$2" | jq -r .id
}
organization="$(api_post /v1/organizations '{"name": "Bench Writes"}')"
program_body() {
    echo "{\"organization_id\": \"$organization\", \"name\": \"$1\", \"project_type\": 1,
           \"operating_start_date\": \"2020-01-01\"}"
}
grant_body='{"funder": 2, "grant_identifier": "BENCH-1", "start_date": "2020-01-01"}'
server_program="$(api_post /v1/programs "$(program_body 'Bench Writes (server)')")"
server_grant="$(api_post "/v1/programs/$server_program/grants" "$grant_body")"
reference_program="$(api_post /v1/programs "$(program_body 'Bench Writes (pgbench)')")"
reference_grant="$(api_post "/v1/programs/$reference_program/grants" "$grant_body")"
user="$(api_post /v1/users "{\"organization_id\": \"$organization\", \"first_name\": \"Bench\",
    \"last_name\": \"Writer\", \"email\": \"bench.writer@example.org\"}")"

# Every seeded client may be enrolled once in each new program: one request each, never
# repeated (wrk stops sending writes when they run out).
psql "$url" -X -q -v ON_ERROR_STOP=1 -c "
    DROP TABLE IF EXISTS bench_targets;
    CREATE TABLE bench_targets AS
      SELECT row_number() OVER (ORDER BY id)::int AS n, id AS client_id
      FROM clients WHERE deleted_at IS NULL;
    ALTER TABLE bench_targets ADD PRIMARY KEY (n);"
targets="$(psql "$url" -X -Atq -c 'SELECT count(*) FROM bench_targets')"
psql "$url" -X -Atq -c 'SELECT client_id FROM bench_targets ORDER BY n' \
    | awk -v program="$server_program" -v grant="$server_grant" -v user="$user" '{
        print "POST /v1/clients/" $1 "/enrollments {\"program_id\": \"" program "\", " \
          "\"entry_date\": \"2025-06-01\", \"relationship_to_hoh\": 1, \"grant_id\": \"" grant "\", " \
          "\"case_manager_id\": \"" user "\"}" }' >"$BENCH_WORK/create.requests"

count_in() { psql "$url" -X -Atq -c "SELECT count(*) FROM enrollments WHERE program_id = '$1' $2"; }

create_json="$(WRK_IDEMPOTENCY="bench-$(date +%s)" wrk_json "$BENCH_WORK/create.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS" once)"
created="$(count_in "$server_program" "")"

psql "$url" -X -q -v ON_ERROR_STOP=1 -c "
    DROP TABLE IF EXISTS bench_exits;
    CREATE TABLE bench_exits AS
      SELECT row_number() OVER (ORDER BY id)::int AS n, client_id, id AS enrollment_id, household_id
      FROM enrollments WHERE program_id = '$server_program';
    ALTER TABLE bench_exits ADD PRIMARY KEY (n);"
psql "$url" -X -Atq -F ' ' -c 'SELECT client_id, enrollment_id FROM bench_exits ORDER BY n' \
    | awk '{ print "POST /v1/clients/" $1 "/enrollments/" $2 "/exit {\"exit_date\": \"2025-07-01\", \"destination\": 410}" }' \
    >"$BENCH_WORK/exit.requests"
exit_json="$(wrk_json "$BENCH_WORK/exit.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS" once)"
exited="$(count_in "$server_program" "AND exit_date IS NOT NULL")"
stop_server

common=(-D organization="$organization" -D user="$user")
read -r create_tps create_db_ms < <(pgbench_tps "$url" "$SECONDS_EACH" "$DB_CONNECTIONS" \
    "$BENCH_LIB_DIR/pgbench/create_enrollment.sql" -- "${common[@]}" -D program="$reference_program" \
    -D grant="$reference_grant" -D targets="$targets")
read -r exit_tps exit_db_ms < <(pgbench_tps "$url" "$SECONDS_EACH" "$DB_CONNECTIONS" \
    "$BENCH_LIB_DIR/pgbench/exit_enrollment.sql" -- "${common[@]}" -D program="$server_program" \
    -D grant="$server_grant" -D exits="$created")

figure() {
    local name="$1" result="$2" done="$3" tps="$4" seconds rps p50 p99 ratio
    seconds="$(json seconds <<<"$result")"
    p50="$(json p50_ms <<<"$result")"
    p99="$(json p99_ms <<<"$result")"
    # What was written, from the database: requests after the last write (GET /readyz) and
    # refused ones do not count.
    rps="$(calc "$done / $seconds" 1)"
    ratio="$(round "$(calc "$rps / $tps")" 2)"
    record "$name" "$(round "$rps" 0)" "writes/s" "$(round "$tps" 0)" "$ratio" \
        ">= 0.4 of pgbench" "$(met_if "$ratio >= 0.4")"
    echo "| \`$name\` | $(round "$rps" 0) | ${p50} ms | ${p99} ms | $(round "$tps" 0) | $ratio |"
}
rows="$(figure writes_pg_create "$create_json" "$created" "$create_tps"
        figure writes_pg_exit "$exit_json" "$exited" "$exit_tps")"

section writes <<MARKDOWN
## writes_pg_create, writes_pg_exit: writing enrollments on PostgreSQL

The database of the read figures (${CLIENTS} clients seeded). Through the API, a new
organization, a user, and two programs with a grant each: one for the server, one for pgbench.
wrk (2 threads, ${CONNECTIONS} connections, ${SECONDS_EACH} s, every request sent once) sends
\`POST /v1/clients/{id}/enrollments\` for a different client each time (a new household, with a
grant, a case manager and an \`Idempotency-Key\`: every rule checked, the audit event and the
stored answer written), then \`POST /v1/clients/{id}/enrollments/{enrollment_id}/exit\` for the
enrollments just made. The figure is the rows written (counted in the database afterwards) over
wrk's time.

The reference is pgbench (2 threads, ${DB_CONNECTIONS} connections: as many as the server's pool
holds, through which it writes; prepared statements; ${SECONDS_EACH} s) running the same statements in the same transactions as the handlers, taken
from PostgreSQL's log of one request of each (\`bench/pgbench/create_enrollment.sql\`,
\`bench/pgbench/exit_enrollment.sql\`: the write lock, the rule reads, the change clock, the
writes, the audit events, the stored answer). pgbench first reads which client or enrollment to
use from a table by primary key, one statement more than the server runs. Average pgbench
latency: ${create_db_ms} ms and ${exit_db_ms} ms. Both sides are one writer at a time (the
advisory lock every write transaction takes), so these figures are the write path's latency
under the lock, not the machine's capacity for independent writes.

| figure | writes/s | p50 | p99 | pgbench transactions/s | ratio |
|---|---|---|---|---|---|
${rows}
MARKDOWN
