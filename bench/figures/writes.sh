#!/usr/bin/env bash
# writes_pg_create, writes_pg_exit: POST /v1/clients/{id}/enrollments (every rule checked,
# audited, with an Idempotency-Key) and POST .../{enrollment_id}/exit on PostgreSQL, 32
# connections (wrk), beside pgbench running the same statements in the same transactions
# (bench/pgbench/create_enrollment.sql, exit_enrollment.sql) with the same locks, through as
# many connections as the server's pool holds.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CLIENTS=100000
[ -n "${BENCH_QUICK:-}" ] && CLIENTS=5000
CONNECTIONS=32
# pgbench gets as many connections as the server's pool holds (its default): the database
# connections the server writes through, so as many write transactions open at once.
DB_CONNECTIONS=10
SECONDS_EACH="$(load_seconds 15)"
# The exits go over the enrollments the creates made, and must not run out of them before wrk
# stops (it would then send GET /readyz, and the figure would be the creates' rate): they run
# half as long, which holds while an exit is not twice as fast as a create.
EXIT_SECONDS=$(((SECONDS_EACH + 1) / 2))
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

# Every seeded client born by the entry date may be enrolled once in each new program: one
# request each, never repeated (wrk stops sending writes when they run out). pgbench reads its
# rows, with the lock keys of their scopes, from bench_targets.
enrollable_clients "$url" >"$BENCH_WORK/clients"
targets="$(wc -l <"$BENCH_WORK/clients")"
awk -v program="$server_program" -v grant="$server_grant" -v user="$user" '{
        print "POST /v1/clients/" $1 "/enrollments {\"program_id\": \"" program "\", " \
          "\"entry_date\": \"2025-06-01\", \"relationship_to_hoh\": 1, \"grant_id\": \"" grant "\", " \
          "\"case_manager_id\": \"" user "\"}" }' "$BENCH_WORK/clients" >"$BENCH_WORK/create.requests"
{
    printf 'client_id\torganization_id\tprogram_id\tgrant_id\tcase_manager_id\n'
    awk -v OFS='\t' -v organization="$organization" -v program="$reference_program" \
        -v grant="$reference_grant" -v user="$user" \
        '{ print $1, organization, program, grant, user }' "$BENCH_WORK/clients"
} | pgbench_table "$url" bench_targets organization_id client_id

count_in() { psql "$url" -X -Atq -c "SELECT count(*) FROM enrollments WHERE program_id = '$1' $2"; }

create_json="$(WRK_IDEMPOTENCY="bench-$(date +%s)" wrk_json "$BENCH_WORK/create.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS" once)"
created="$(count_in "$server_program" "")"

psql "$url" -X -Atq -F ' ' -c "SELECT client_id, id FROM enrollments
    WHERE program_id = '$server_program' ORDER BY id" \
    | awk '{ print "POST /v1/clients/" $1 "/enrollments/" $2 "/exit {\"exit_date\": \"2025-07-01\", \"destination\": 410}" }' \
    >"$BENCH_WORK/exit.requests"
exit_json="$(wrk_json "$BENCH_WORK/exit.requests" "$bearer" "$EXIT_SECONDS" "$CONNECTIONS" once)"
exited="$(count_in "$server_program" "AND exit_date IS NOT NULL")"
[ "$exited" -lt "$created" ] \
    || log "writes: the exits ran out of enrollments (${exited} of ${created}): the figure is low"
stop_server

# pgbench writes into its own program: it enrolls the clients of bench_targets in turn, then
# exits the enrollments it made, read with their lock keys into bench_exits.
in_turn=(-D first=0 -D connections="$DB_CONNECTIONS" -D iteration=0 -D global=0)
read -r create_tps create_db_ms < <(pgbench_tps "$url" "$SECONDS_EACH" "$DB_CONNECTIONS" \
    "$BENCH_LIB_DIR/pgbench/create_enrollment.sql" -- "${in_turn[@]}" -D size="$targets")
{
    printf 'client_id\tenrollment_id\thousehold_id\tprogram_id\tgrant_id\tcase_manager_id\torganization_id\n'
    psql "$url" -X -Atq -F $'\t' -c "SELECT e.client_id, e.id, e.household_id, e.program_id,
            e.grant_id, e.case_manager_id, p.organization_id
        FROM enrollments e JOIN programs p ON p.id = e.program_id
        WHERE e.program_id = '$reference_program' ORDER BY e.id"
} | pgbench_table "$url" bench_exits organization_id household_id client_id
reference_created="$(psql "$url" -X -Atq -c 'SELECT count(*) FROM bench_exits')"
read -r exit_tps exit_db_ms < <(pgbench_tps "$url" "$EXIT_SECONDS" "$DB_CONNECTIONS" \
    "$BENCH_LIB_DIR/pgbench/exit_enrollment.sql" -- "${in_turn[@]}" -D size="$reference_created")

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
wrk (2 threads, ${CONNECTIONS} connections, every request sent once) sends for ${SECONDS_EACH} s
\`POST /v1/clients/{id}/enrollments\` for a different client each time (a client born by the
entry date; a new household, with a grant, a case manager and an \`Idempotency-Key\`: every
rule checked, the audit events and the stored answer written), then for ${EXIT_SECONDS} s
\`POST /v1/clients/{id}/enrollments/{enrollment_id}/exit\` for the enrollments just made (half
as long, so that the exits do not run out of them: ${exited} of the ${created} were exited).
The figure is the rows written (counted in the database afterwards) over wrk's time.

The server runs with its default scoped locks: each create holds the writer lock shared and
locks its organization (shared) and its client; each exit locks its organization (shared), its
household and its client. Every request is about another client and household, so no write
waits for another's lock; all of them write into one program, whose rows and indexes they
share.

The reference is pgbench (2 threads, ${DB_CONNECTIONS} connections: as many as the server's pool
holds, so as many write transactions open at once; prepared statements; ${SECONDS_EACH} s and
${EXIT_SECONDS} s) running the same statements in the same transactions as the handlers, taken
from PostgreSQL's log of one request of each (\`bench/pgbench/create_enrollment.sql\`,
\`bench/pgbench/exit_enrollment.sql\`: the writer lock, the rule reads, the scoped locks with
the keys the server computes, the change clock's announcement and stamp, the writes, the audit
events, the stored answer), in a program of its own: it enrolls the seeded clients in turn,
then exits the enrollments it made. pgbench first reads its row (the IDs and lock keys) from a
table by primary key, one statement more than the server runs. Average pgbench latency:
${create_db_ms} ms and ${exit_db_ms} ms.

| figure | writes/s | p50 | p99 | pgbench transactions/s | ratio |
|---|---|---|---|---|---|
${rows}
MARKDOWN
