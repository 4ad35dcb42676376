#!/usr/bin/env bash
# roster_pg_first_page, roster_pg_search: GET /v1/programs/{id}/enrollments on PostgreSQL, one
# program of about 50,000 enrollments (`threshold seed --busiest-program-percent`), as a case
# manager of its organization: the first page of the default roster, and a search of it by
# last name (`?q=`); 32 connections (wrk), beside pgbench running exactly the statements the
# handler sends (bench/pgbench/roster_*.sql), with the same number of connections.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CLIENTS=25000
[ -n "${BENCH_QUICK:-}" ] && CLIENTS=2500
# The share of the stays that enter the busiest program: with 25,000 clients (about 75,000
# enrollments), about 50,000 of them.
BUSIEST_PERCENT=67
CONNECTIONS=32
SECONDS_EACH="$(load_seconds 15)"
SAMPLES=8
PAGE=50
trap 'stop_server' EXIT

url="$(pg_fresh threshold_bench_roster)"
log "seeding ${CLIENTS} clients, ${BUSIEST_PERCENT}% of the stays in one program"
seed "$url" "$CLIENTS" 7 --busiest-program-percent "$BUSIEST_PERCENT"
psql "$url" -X -q -c "VACUUM (ANALYZE)" >/dev/null

read -r program organization n_program n_active n_enrollments < <(psql "$url" -X -Atq -F ' ' -c \
    "SELECT e.program_id, p.organization_id, count(*), count(*) FILTER (WHERE e.exit_date IS NULL),
            (SELECT count(*) FROM enrollments)
     FROM enrollments e JOIN programs p ON p.id = e.program_id WHERE e.deleted_at IS NULL
     GROUP BY e.program_id, p.organization_id ORDER BY count(*) DESC LIMIT 1")
today="$(date -u +%F)"
log "program ${program}: ${n_program} enrollments, ${n_active} active"

# Last names of the program's active clients, spread over common and rare ones (the same
# ones every run for the same data).
psql "$url" -X -Atq -c "SELECT name FROM (SELECT DISTINCT lower(c.last_name) AS name
      FROM enrollments e JOIN clients c ON c.id = e.client_id
      WHERE e.program_id = '${program}' AND e.deleted_at IS NULL AND e.exit_date IS NULL
        AND c.last_name IS NOT NULL) AS names
    ORDER BY md5(name) LIMIT ${SAMPLES}" >"$BENCH_WORK/roster-names"

echo "GET /v1/programs/${program}/enrollments" >"$BENCH_WORK/roster-first.requests"
awk -v program="$program" '{ print "GET /v1/programs/" program "/enrollments?q=" $1 }' \
    "$BENCH_WORK/roster-names" >"$BENCH_WORK/roster-search.requests"

# pgbench: the handler's statements with the values it sends: the candidates are the first
# page and one more, in order, and the members of their households (every client is visible
# here: no victim service provider) tell which are shown.
pgbench_script() {
    local template="$1" out="$2" pattern="$3" like="" households
    [ -n "$pattern" ] && like="AND c.search_name LIKE '${pattern}'"
    households="$(psql "$url" -X -Atq -c "SELECT e.household_id FROM enrollments e
          JOIN clients c ON c.id = e.client_id
          WHERE e.program_id = '${program}' AND e.deleted_at IS NULL AND c.deleted_at IS NULL
            AND e.exit_date IS NULL ${like}
          ORDER BY e.entry_date, e.id LIMIT $((PAGE + 1))" | LC_ALL=C sort -u | paste -sd, -)"
    grep -v '^--' "$BENCH_LIB_DIR/pgbench/${template}.sql" | sed \
        -e "s/:program_id/'${program}'/g" -e "s/:organization_id/'${organization}'/g" \
        -e "s/:today/'${today}'/g" -e "s/:pattern/'${pattern}'/g" \
        -e "s/:households/'{${households}}'/g" >"$out"
}
rm -rf "$BENCH_WORK/pgbench-roster-first" "$BENCH_WORK/pgbench-roster-search"
mkdir -p "$BENCH_WORK/pgbench-roster-first" "$BENCH_WORK/pgbench-roster-search"
pgbench_script roster_first_page "$BENCH_WORK/pgbench-roster-first/1.sql" ""
n=0
while read -r name; do
    n=$((n + 1))
    pgbench_script roster_search "$BENCH_WORK/pgbench-roster-search/$n.sql" "%${name}%"
done <"$BENCH_WORK/roster-names"

start_server "$url"
bearer="$(token --sub bench-case-manager --role case-manager --org "$organization")"
# Every answer is a page of the roster: a wrong token or program would be measured as a 404.
status="$(curl -s -o "$BENCH_WORK/roster-page.json" -w '%{http_code}' \
    -H "Authorization: Bearer $bearer" "${BASE}/v1/programs/${program}/enrollments")"
[ "$status" = 200 ] || die "the roster answered ${status}"
[ "$(jq '.data | length' "$BENCH_WORK/roster-page.json")" = "$PAGE" ] \
    || die "the roster's first page is not full"
# A short warm-up of both requests: connections made, statements prepared, pages cached.
wrk_json "$BENCH_WORK/roster-first.requests" "$bearer" 3 "$CONNECTIONS" >/dev/null
wrk_json "$BENCH_WORK/roster-search.requests" "$bearer" 3 "$CONNECTIONS" >/dev/null
first_json="$(wrk_json "$BENCH_WORK/roster-first.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
search_json="$(wrk_json "$BENCH_WORK/roster-search.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS")"
stop_server

read -r first_tps first_db_ms < <(pgbench_tps "$url" "$SECONDS_EACH" "$CONNECTIONS" "$BENCH_WORK"/pgbench-roster-first/*.sql)
read -r search_tps search_db_ms < <(pgbench_tps "$url" "$SECONDS_EACH" "$CONNECTIONS" "$BENCH_WORK"/pgbench-roster-search/*.sql)
pg_drop threshold_bench_roster

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
rows="$(figure roster_pg_first_page "$first_json" "$first_tps"
    figure roster_pg_search "$search_json" "$search_tps")"
names="$(paste -sd, "$BENCH_WORK/roster-names" | sed 's/,/, /g')"

section roster <<MARKDOWN
## roster_pg_first_page, roster_pg_search: a program's roster on PostgreSQL

A database seeded by \`threshold seed --clients ${CLIENTS} --busiest-program-percent
${BUSIEST_PERCENT}\`: ${n_enrollments} enrollments, ${n_program} of them in one program
(${n_active} active), read by a case manager of its organization (so every page passes
through the client-privacy rule). wrk (2 threads, ${CONNECTIONS} connections, ${SECONDS_EACH}
s each, after a 3 s warm-up) sends \`GET /v1/programs/{id}/enrollments\` (the first page of
the default roster: ${PAGE} active enrollments with their clients' names and households), then
\`?q=<last name>\` over ${SAMPLES} last names of its active clients (${names}). The reference
is pgbench (2 threads, the same ${CONNECTIONS} connections, prepared statements,
${SECONDS_EACH} s) running exactly the statements the handler sends, as PostgreSQL's log
shows them (\`bench/pgbench/roster_first_page.sql\`, \`bench/pgbench/roster_search.sql\`: the
program, the page's candidates in order by the roster's index, and the members of their
households whom the caller may see), one script per request; pgbench's average latency was
${first_db_ms} ms and ${search_db_ms} ms. The server is stopped while pgbench runs. pgbench
plans each statement once; the server sends the last one unprepared (diesel keeps no
prepared statement for a query holding the privacy rule's SQL text), so PostgreSQL plans it
again at every request.

| figure | requests/s | p50 | p99 | pgbench transactions/s | ratio |
|---|---|---|---|---|---|
${rows}
MARKDOWN
