#!/usr/bin/env bash
# `make bench`: performance figures measured on a release build, over loopback only, against
# a PostgreSQL database of its own (`threshold_bench`, created fresh and dropped at the end).
# Writes BENCHMARKS.md and bench/results.json.
#
# Figures:
#   export_1m       peak server memory (RSS) above idle while 1,000,000 enrollments are
#                   exported as HMIS CSV (GET /v1/exports/hmis-csv); target: under 100 MB.
#   export_1m_time  the time that export takes, beside PostgreSQL's own
#                   `COPY (SELECT ...) TO STDOUT` of the same enrollment and client rows.
#
# Settings (environment):
#   BENCH_ENROLLMENTS     enrollments (and clients, households) to seed; default 1000000
#   BENCH_POSTGRES_URL    a PostgreSQL user allowed to create databases; default
#                         postgres://postgres@127.0.0.1:5432/postgres
#   CARGO, CARGO_TARGET_DIR as for cargo
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"

N="${BENCH_ENROLLMENTS:-1000000}"
ADMIN_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DB_NAME=threshold_bench
DB_URL="${ADMIN_URL%/*}/${DB_NAME}"
CARGO="${CARGO:-cargo}"
THRESHOLD="${CARGO_TARGET_DIR:-target}/release/threshold"
EXPORT_FROM=2021-01-01
EXPORT_TO=2025-12-31
TARGET_MB=100

if ! [[ "$N" =~ ^[1-9][0-9]*$ ]]; then
    echo "bench: BENCH_ENROLLMENTS must be a positive integer, not '$N'" >&2
    exit 1
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/threshold-bench.XXXXXX")"
SERVER_PID=""
TIMEOUT_PID=""

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

psql_admin() { timeout 120 psql "$ADMIN_URL" -X -v ON_ERROR_STOP=1 -q "$@"; }

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 350); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
    fi
    if [ -n "$TIMEOUT_PID" ]; then
        wait "$TIMEOUT_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
    TIMEOUT_PID=""
}

cleanup() {
    stop_server
    psql_admin -c "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# A free loopback port (asked of the kernel).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }
hwm_kb() { awk '/^VmHWM:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

# --- Build -----------------------------------------------------------------------------------
scripts/ensure-postgres.sh
log "building the release binary"
timeout 1800 "$CARGO" build --release -p threshold-api --bin threshold

# --- Database --------------------------------------------------------------------------------
log "creating ${DB_NAME}"
psql_admin -c "DROP DATABASE IF EXISTS ${DB_NAME} WITH (FORCE)"
psql_admin -c "CREATE DATABASE ${DB_NAME}"
timeout 300 "$THRESHOLD" migrate --database-url "$DB_URL" >"$WORK/migrate.log" 2>&1 \
    || { cat "$WORK/migrate.log" >&2; exit 1; }

log "seeding ${N} clients, households and enrollments"
seed_started="$(now)"
# Foreign keys are not checked while seeding (session_replication_role = replica): every
# reference below is to a row inserted just before it.
timeout 2400 psql "$DB_URL" -X -v ON_ERROR_STOP=1 -q -v n="$N" <<'SQL'
SET synchronous_commit = off;
SET session_replication_role = replica;
BEGIN;

INSERT INTO organizations (id, name, victim_service_provider, version, created_at, updated_at,
                           created_by, updated_by)
VALUES (md5('bench-organization')::uuid::text, 'Bench Shelter Services', FALSE, 1,
        '2015-01-01 09:00:00', '2015-01-01 09:00:00', 'bench-seed', 'bench-seed');

INSERT INTO users (id, organization_id, first_name, last_name, email, version, created_at,
                   updated_at, created_by, updated_by)
VALUES (md5('bench-user')::uuid::text, md5('bench-organization')::uuid::text, 'Casey',
        'Manager', 'casey.manager@example.org', 1, '2015-01-01 09:00:00',
        '2015-01-01 09:00:00', 'bench-seed', 'bench-seed');

INSERT INTO programs (id, organization_id, name, project_type, operating_start_date,
                      operating_end_date, continuum_project, capacity, auto_exit_days, version,
                      created_at, updated_at, created_by, updated_by)
VALUES (md5('bench-program')::uuid::text, md5('bench-organization')::uuid::text,
        'Bench Emergency Shelter', 0, '2015-01-01', NULL, TRUE, NULL, NULL, 1,
        '2015-01-01 09:00:00', '2015-01-01 09:00:00', 'bench-seed', 'bench-seed');

INSERT INTO grants (id, program_id, funder, other_funder, grant_identifier, start_date,
                    end_date, version, created_at, updated_at, created_by, updated_by)
VALUES (md5('bench-grant')::uuid::text, md5('bench-program')::uuid::text, 8, NULL,
        'ESG-2015-001', '2015-01-01', NULL, 1, '2015-01-01 09:00:00', '2015-01-01 09:00:00',
        'bench-seed', 'bench-seed');

-- Client i, household i and enrollment i belong together; entry dates cycle over
-- 2021-01-01..2025-12-31 (1826 days); every third enrollment is exited with a destination.
CREATE TEMPORARY TABLE seed ON COMMIT DROP AS
SELECT i,
       md5('client-' || i)::uuid::text AS client_id,
       md5('household-' || i)::uuid::text AS household_id,
       md5('enrollment-' || i)::uuid::text AS enrollment_id,
       (DATE '2021-01-01' + (i % 1826)) AS entry_date,
       (ARRAY['Alex', 'Jordan', 'Sam', 'Taylor', 'Morgan', 'Riley', 'Jamie', 'Casey'])[1 + i % 8]
           || i AS first_name,
       (ARRAY['Smith', 'Garcia', 'Nguyen', 'Johnson', 'Brown', 'Lee', 'Davis'])[1 + i % 7]
           AS last_name
FROM generate_series(1, :n) AS i;

INSERT INTO clients (id, first_name, middle_name, last_name, name_suffix, name_data_quality,
                     ssn, ssn_last4, ssn_data_quality, dob, dob_data_quality, sex,
                     race_ethnicity, race_none, veteran_status, search_name, version,
                     created_at, updated_at, created_by, updated_by, deleted_at)
SELECT client_id, first_name, NULL, last_name, NULL, 1,
       lpad((100000000 + i)::text, 9, '0'), right(lpad((100000000 + i)::text, 9, '0'), 4), 1,
       DATE '1950-01-01' + (i % 20000), 1, i % 2,
       (ARRAY['white', 'black_af_american', 'hispanic_latinaeo,white', 'asian',
              'am_ind_ak_native,black_af_american'])[1 + i % 5],
       NULL, CASE WHEN i % 10 = 0 THEN 1 ELSE 0 END,
       lower(first_name || ' ' || last_name), 1,
       entry_date + TIME '09:00', entry_date + TIME '09:00',
       md5('bench-user')::uuid::text, md5('bench-user')::uuid::text, NULL
FROM seed;

INSERT INTO households (id, program_id, created_at, created_by)
SELECT household_id, md5('bench-program')::uuid::text, entry_date + TIME '09:05',
       md5('bench-user')::uuid::text
FROM seed;

INSERT INTO enrollments (id, client_id, program_id, household_id, relationship_to_hoh,
                         entry_date, exit_date, destination, destination_subsidy_type,
                         other_destination, auto_exited, exited_by, exited_at, grant_id,
                         case_manager_id, enrollment_coc, disabling_condition,
                         prior_living_situation, length_of_stay, move_in_date, version,
                         created_at, updated_at, created_by, updated_by, deleted_at)
SELECT enrollment_id, client_id, md5('bench-program')::uuid::text, household_id, 1,
       entry_date,
       CASE WHEN exited THEN exit_date END,
       CASE WHEN exited THEN (ARRAY[410, 411, 422, 116, 101])[1 + i % 5] END,
       NULL, NULL, FALSE,
       CASE WHEN exited THEN md5('bench-user')::uuid::text END,
       CASE WHEN exited THEN exit_date + TIME '16:00' END,
       md5('bench-grant')::uuid::text, md5('bench-user')::uuid::text, 'XX-500',
       i % 2, (ARRAY[116, 101, 410, 312])[1 + i % 4], (ARRAY[2, 3, 4, 5])[1 + i % 4], NULL, 1,
       entry_date + TIME '09:05',
       CASE WHEN exited THEN exit_date + TIME '16:00' ELSE entry_date + TIME '09:05' END,
       md5('bench-user')::uuid::text, md5('bench-user')::uuid::text, NULL
FROM (
    SELECT seed.*, i % 3 = 0 AS exited,
           LEAST(entry_date + (1 + i % 180), DATE '2025-12-31') AS exit_date
    FROM seed
) AS s;

COMMIT;
VACUUM (ANALYZE) organizations, users, programs, grants, clients, households, enrollments;
SQL
seed_seconds="$(printf '%.1f' "$(echo "$(now) - $seed_started" | bc)")"
counts="$(timeout 120 psql "$DB_URL" -X -Atq -c "SELECT (SELECT count(*) FROM clients) || ' ' ||
    (SELECT count(*) FROM households) || ' ' || (SELECT count(*) FROM enrollments) || ' ' ||
    (SELECT count(*) FROM enrollments WHERE exit_date IS NOT NULL)")"
read -r n_clients n_households n_enrollments n_exited <<<"$counts"
log "seeded in ${seed_seconds} s: ${n_clients} clients, ${n_households} households, ${n_enrollments} enrollments (${n_exited} exited)"

# --- The server and the export ---------------------------------------------------------------
PORT="$(free_port)"
SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
BASE="http://127.0.0.1:${PORT}"
log "starting the server on 127.0.0.1:${PORT}"
THRESHOLD_JWT_SECRET="$SECRET" RUST_LOG=warn timeout 3600 "$THRESHOLD" serve \
    --database-url "$DB_URL" --bind "127.0.0.1:${PORT}" >"$WORK/server.log" 2>&1 &
TIMEOUT_PID=$!
for _ in $(seq 1 50); do
    SERVER_PID="$(pgrep -P "$TIMEOUT_PID" | head -n 1 || true)"
    [ -n "$SERVER_PID" ] && break
    sleep 0.1
done
[ -n "$SERVER_PID" ] || { echo "bench: the server did not start" >&2; cat "$WORK/server.log" >&2; exit 1; }

ready=""
for _ in $(seq 1 600); do
    if curl -fsS -m 2 -o /dev/null "$BASE/readyz" 2>/dev/null; then
        ready=yes
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
[ -n "$ready" ] || { echo "bench: the server never answered /readyz" >&2; cat "$WORK/server.log" >&2; exit 1; }

sleep 1
idle_kb="$(rss_kb "$SERVER_PID")"
log "server ready (pid ${SERVER_PID}), idle RSS ${idle_kb} kB"

TOKEN="$(THRESHOLD_JWT_SECRET="$SECRET" timeout 30 "$THRESHOLD" token --sub bench-admin --role admin --ttl 4h)"

log "exporting ${EXPORT_FROM}..${EXPORT_TO}"
timeout 3000 curl -sS -H "Authorization: Bearer ${TOKEN}" -o /dev/null \
    -w '%{http_code} %{time_total} %{size_download}\n' \
    "$BASE/v1/exports/hmis-csv?from=${EXPORT_FROM}&to=${EXPORT_TO}" \
    >"$WORK/curl.out" 2>"$WORK/curl.err" &
CURL_PID=$!
peak_kb="$idle_kb"
samples=0
while kill -0 "$CURL_PID" 2>/dev/null; do
    kb="$(rss_kb "$SERVER_PID")"
    if [ -n "$kb" ]; then
        samples=$((samples + 1))
        [ "$kb" -gt "$peak_kb" ] && peak_kb="$kb"
    fi
    sleep 0.1
done
curl_status=0
wait "$CURL_PID" || curl_status=$?
after_kb="$(rss_kb "$SERVER_PID")"
hwm="$(hwm_kb "$SERVER_PID")"
read -r http_code export_seconds export_bytes <"$WORK/curl.out" || true
if [ "$curl_status" -ne 0 ] || [ "${http_code:-}" != 200 ]; then
    echo "bench: the export failed (curl exit ${curl_status}, HTTP ${http_code:-none})" >&2
    cat "$WORK/curl.err" >&2
    tail -n 20 "$WORK/server.log" >&2
    exit 1
fi
log "export: ${export_seconds} s, ${export_bytes} bytes, peak RSS ${peak_kb} kB (${samples} samples), VmHWM ${hwm} kB"
stop_server

# --- The reference: PostgreSQL's COPY of the same rows --------------------------------------
# The rows the export reads for Enrollment.csv and Client.csv (Exit.csv reads the exited
# enrollments again), every column it reads, in its order (by enrollment id).
COPY_SELECT="SELECT e.id, e.client_id, e.program_id, e.household_id, e.relationship_to_hoh,
    e.entry_date, e.exit_date, e.destination, e.destination_subsidy_type, e.other_destination,
    e.auto_exited, e.exited_by, e.exited_at, e.grant_id, e.case_manager_id, e.enrollment_coc,
    e.disabling_condition, e.prior_living_situation, e.length_of_stay, e.move_in_date,
    e.version, e.created_at, e.updated_at, e.created_by, e.updated_by, e.deleted_at,
    c.id, c.first_name, c.middle_name, c.last_name, c.name_suffix, c.name_data_quality, c.ssn,
    c.ssn_last4, c.ssn_data_quality, c.dob, c.dob_data_quality, c.sex, c.race_ethnicity,
    c.race_none, c.veteran_status, c.search_name, c.version, c.created_at, c.updated_at,
    c.created_by, c.updated_by, c.deleted_at
  FROM enrollments e JOIN clients c ON c.id = e.client_id
  WHERE e.entry_date <= DATE '${EXPORT_TO}'
    AND (e.exit_date IS NULL OR e.exit_date >= DATE '${EXPORT_FROM}')
    AND e.deleted_at IS NULL AND c.deleted_at IS NULL
  ORDER BY e.id"
COPY_SELECT="$(echo "$COPY_SELECT" | tr '\n' ' ')"
log "reference: COPY of the same rows"
copy_rows="$(timeout 120 psql "$DB_URL" -X -Atq -c "SELECT count(*) FROM (${COPY_SELECT}) AS r")"
copy_started="$(now)"
timeout 1800 psql "$DB_URL" -X -v ON_ERROR_STOP=1 -q \
    -c "\\copy (${COPY_SELECT}) TO '/dev/null' WITH CSV"
copy_seconds="$(echo "$(now) - $copy_started" | bc)"
log "COPY: ${copy_seconds} s for ${copy_rows} rows"

# --- Results ---------------------------------------------------------------------------------
# MB = 10^6 bytes; VmRSS is in kB of 1024 bytes.
mb() { echo "scale=1; $1 * 1024 / 1000000" | bc | sed 's/^\./0./'; }
idle_mb="$(mb "$idle_kb")"
peak_mb="$(mb "$peak_kb")"
above_mb="$(mb "$((peak_kb - idle_kb))")"
after_mb="$(mb "${after_kb:-0}")"
hwm_mb="$(mb "${hwm:-0}")"
met="$(echo "$above_mb < $TARGET_MB" | bc | sed 's/1/true/; s/0/false/')"
export_seconds="$(printf '%.2f' "$export_seconds")"
copy_seconds="$(printf '%.2f' "$copy_seconds")"
ratio="$(printf '%.2f' "$(echo "scale=4; $export_seconds / $copy_seconds" | bc)")"
rows_per_second="$(echo "$n_enrollments / $export_seconds" | bc)"
export_mb="$(echo "scale=1; $export_bytes / 1000000" | bc)"

mkdir -p bench
jq -n \
    --argjson above "$above_mb" --argjson target "$TARGET_MB" --argjson met "$met" \
    --argjson seconds "$export_seconds" --argjson copy "$copy_seconds" --argjson ratio "$ratio" \
    '[
      {name: "export_1m", value: $above, unit: "MB", reference: null, ratio: null,
       target: $target, met: $met},
      {name: "export_1m_time", value: $seconds, unit: "s", reference: $copy, ratio: $ratio,
       target: null, met: null}
    ]' >bench/results.json

cpu_model="$(awk -F': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)"
mem_total="$(free -m | awk '/^Mem:/ { printf "%.1f GB", $2 / 1024 }')"
load="$(cut -d ' ' -f 1-3 /proc/loadavg)"
pg_version="$(timeout 30 psql "$ADMIN_URL" -X -Atq -c 'SHOW server_version')"
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ "$N" -eq 1000000 ]; then
    size_note="the full size: 1,000,000 enrollments"
else
    size_note="**BENCH_ENROLLMENTS=${N}, not the 1,000,000 the figure is named for**"
fi

cat >BENCHMARKS.md <<MARKDOWN
# Benchmarks

Written by \`make bench\` (\`bench/run.sh\`); the figures are also in \`bench/results.json\`.
Release build, loopback only, PostgreSQL ${pg_version}, a database of its own
(\`${DB_NAME}\`, created fresh and dropped afterwards).

Last run: $(date -u '+%Y-%m-%d %H:%M UTC'), commit ${commit}, on ${cpu_model}
(\`nproc\`: $(nproc)), ${mem_total} of memory, load average at the end of the run ${load}.
Size: ${size_note}.

| figure | value | target | met | reference | ratio |
|---|---|---|---|---|---|
| \`export_1m\`: server memory above idle while exporting | ${above_mb} MB | < ${TARGET_MB} MB | ${met} | | |
| \`export_1m_time\`: time to export | ${export_seconds} s | | | ${copy_seconds} s (\`COPY\`) | ${ratio} |

## export_1m: exporting 1,000,000 enrollments to HMIS CSV

Seeded directly with SQL (\`INSERT ... SELECT ... FROM generate_series\`, ${seed_seconds} s):
one organization, one user (the case manager and creator of every row), one program
(emergency shelter, operating since 2015), one grant, ${n_clients} clients,
${n_households} households and ${n_enrollments} enrollments, one client and household each,
entry dates spread over 2021-2025, ${n_exited} exited with a destination. Then
\`VACUUM (ANALYZE)\`.

The server (\`threshold serve\`, default workers and pool, \`RUST_LOG=warn\`) is started on
127.0.0.1; once \`/readyz\` answers, and a second later, its idle resident size is read from
\`/proc/<pid>/status\` (VmRSS): **${idle_mb} MB**. An admin token is minted with
\`threshold token\`, and curl downloads
\`GET /v1/exports/hmis-csv?from=${EXPORT_FROM}&to=${EXPORT_TO}\` to /dev/null while VmRSS is
sampled every 100 ms (${samples} samples).

- Peak RSS during the export: ${peak_mb} MB, that is **${above_mb} MB above idle** (target:
  under ${TARGET_MB} MB above idle: **${met}**). RSS after the export: ${after_mb} MB;
  VmHWM as the kernel reports it at the end (its whole life, start-up included; updated
  lazily, so it can trail the sampled peak): ${hwm_mb} MB.
- Time (curl's \`time_total\`): **${export_seconds} s** for a ZIP of ${export_mb} MB
  (${export_bytes} bytes), about ${rows_per_second} enrollments a second.
- Reference: \`psql -c "\\copy (SELECT ...) TO '/dev/null' WITH CSV"\` of the same rows
  (${copy_rows}: the covered enrollments joined with their clients, every column the export
  reads of both, ordered by enrollment id), timed with \`date +%s.%N\`: **${copy_seconds} s**,
  run after the server has stopped. Ratio export / COPY: **${ratio}**. The export does more
  than the COPY: it also reads the exited enrollments a second time for Exit.csv, maps every
  row to the FY2026 columns and compresses the CSV files into a ZIP.

MB are 10^6 bytes. One run each, on a shared machine: treat differences of a few percent as
noise.
MARKDOWN

log "wrote BENCHMARKS.md and bench/results.json"
cat bench/results.json
