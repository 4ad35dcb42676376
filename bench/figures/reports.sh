#!/usr/bin/env bash
# report_hud_dq_1m and report_outcomes_1m: HUD's data quality framework and outcome tables over
# 1,000,000 enrollments through the API (GET /v1/reports/hud-data-quality and
# /v1/reports/outcomes, the period of every enrollment), beside the time psql takes to run
# the same three statements the reports read with (persistence/src/reports/hud.rs), their rows
# sent to /dev/null; and the server's memory above idle meanwhile.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

if [ "${BENCH_QUICK:-}" = 1 ]; then
    ENROLLMENTS=50000
else
    ENROLLMENTS=1000000
fi
# `threshold seed` makes about 2.97 enrollments per client.
CLIENTS=$(((ENROLLMENTS * 337 + 999) / 1000))
TARGET_SECONDS=10
DB=threshold_bench_reports
WORK="$BENCH_WORK/reports"
mkdir -p "$WORK"

cleanup() {
    stop_server
    pg_drop "$DB"
}
trap cleanup EXIT

# --- Data -------------------------------------------------------------------------------------
log "reports: seeding ${CLIENTS} clients"
url="$(pg_fresh "$DB")"
seed_started="$(now)"
seed "$url" "$CLIENTS"
seed_seconds="$(elapsed "$seed_started")"
read -r FROM TO < <(psql "$url" -X -Atq -F ' ' \
    -c "SELECT min(entry_date), max(entry_date) FROM enrollments")
n_enrollments="$(psql "$url" -X -Atq -c "SELECT count(*) FROM enrollments
    WHERE deleted_at IS NULL AND entry_date <= DATE '${TO}'")"

# What the reports read: every enrollment in scope that started by the report's end (an
# admin's scope: every program), with its program and client, then four reads of its records.
RECORDS="FROM hud_records h JOIN enrollments e ON e.id = h.enrollment_id
    JOIN programs p ON p.id = e.program_id
    WHERE e.deleted_at IS NULL AND e.entry_date <= DATE '${TO}' AND h.deleted_at IS NULL"
READS=(
    "SELECT e.id, e.client_id, e.household_id, e.program_id, e.relationship_to_hoh,
        e.entry_date, e.move_in_date, e.exit_date, e.destination, e.enrollment_coc,
        e.disabling_condition, e.prior_living_situation, e.length_of_stay, e.hud,
        e.created_at, e.exited_at, e.source, e.exit_source, e.flags, p.project_type,
        c.first_name IS NOT NULL, c.last_name IS NOT NULL, c.name_data_quality, c.ssn,
        c.ssn_data_quality, c.dob, c.dob_data_quality, c.race_ethnicity, c.race_none, c.sex,
        c.veteran_status
     FROM enrollments e JOIN programs p ON p.id = e.program_id
        JOIN clients c ON c.id = e.client_id
     WHERE e.deleted_at IS NULL AND e.entry_date <= DATE '${TO}'"
    "SELECT h.enrollment_id, h.collection, h.data_collection_stage, h.information_date,
        h.fields ${RECORDS} AND (h.collection = 'income_benefits'
        OR (h.collection = 'disabilities' AND h.data_collection_stage = 1
            AND e.disabling_condition = 0 AND (h.fields LIKE '%\"disability_response\":1%'
            OR h.fields LIKE '%\"disability_response\":2%'
            OR h.fields LIKE '%\"disability_response\":3%'))
        OR (h.collection = 'current_living_situations' AND p.project_type IN (1, 4)
            AND h.information_date <= DATE '${TO}'))"
    "SELECT s.enrollment_id, s.date_provided FROM services s
        JOIN enrollments e ON e.id = s.enrollment_id JOIN programs p ON p.id = e.program_id
     WHERE e.deleted_at IS NULL AND e.entry_date <= DATE '${TO}' AND p.project_type = 1
        AND s.record_type = 200 AND s.date_provided <= DATE '${TO}' AND s.deleted_at IS NULL"
)
rows=""
for read in "${READS[@]}"; do
    rows="$rows $(psql "$url" -X -Atq -c "SELECT count(*) FROM (${read}) AS r")"
done
log "reports: ${FROM}..${TO}, ${n_enrollments} enrollments, rows read:${rows}"

# --- The reference: the same statements in psql ----------------------------------------------
{
    for read in "${READS[@]}"; do
        echo "\\copy ($(tr '\n' ' ' <<<"$read")) TO '/dev/null' WITH CSV"
    done
} >"$WORK/reads.sql"
# Once to warm the cache as the reports' own first run would find it, then timed.
timeout 600 psql "$url" -X -v ON_ERROR_STOP=1 -q -f "$WORK/reads.sql"
sql_started="$(now)"
timeout 600 psql "$url" -X -v ON_ERROR_STOP=1 -q -f "$WORK/reads.sql"
sql_seconds="$(round "$(calc "$(now) - $sql_started")")"
log "reports: the same SQL in psql ${sql_seconds} s"

# --- The reports through the API -------------------------------------------------------------
start_server "$url"
sleep 1
idle_kb="$(rss_kb "$SERVER_PID")"
TOKEN="$(admin_token)"
# `fetch REPORT`: the report's time (curl's time_total) and the server's peak RSS meanwhile.
fetch() {
    timeout 600 curl -sS -H "Authorization: Bearer $TOKEN" -o "$WORK/$1.json" \
        -w '%{http_code} %{time_total}\n' \
        "$BASE/v1/reports/$1?from=${FROM}&to=${TO}" >"$WORK/$1.curl" 2>"$WORK/$1.err" &
    local curl_pid=$! peak
    peak="$(peak_rss_while "$SERVER_PID" "$curl_pid")"
    wait "$curl_pid" || { cat "$WORK/$1.err" >&2; die "the $1 report failed"; }
    local code seconds
    read -r code seconds <"$WORK/$1.curl"
    [ "$code" = 200 ] || { head -c 2000 "$WORK/$1.json" >&2; die "the $1 report answered ${code}"; }
    echo "$(round "$seconds") $peak"
}
read -r dq_seconds dq_peak_kb < <(fetch hud-data-quality)
read -r outcomes_seconds outcomes_peak_kb < <(fetch outcomes)
served="$(jq -r '.tables[] | select(.question == "Q5a") | .cells[] | select(.id == "B2") | .count' \
    "$WORK/hud-data-quality.json")"
stop_server
log "reports: hud-data-quality ${dq_seconds} s (peak ${dq_peak_kb} kB), outcomes" \
    "${outcomes_seconds} s (peak ${outcomes_peak_kb} kB), ${served} persons served"

# --- Figures ----------------------------------------------------------------------------------
peak_kb=$((dq_peak_kb > outcomes_peak_kb ? dq_peak_kb : outcomes_peak_kb))
above_mb="$(kb_to_mb "$((peak_kb - idle_kb))")"
idle_mb="$(kb_to_mb "$idle_kb")"
dq_ratio="$(round "$(calc "$dq_seconds / $sql_seconds")")"
outcomes_ratio="$(round "$(calc "$outcomes_seconds / $sql_seconds")")"
dq_met="$(met_if "$dq_seconds < $TARGET_SECONDS")"
outcomes_met="$(met_if "$outcomes_seconds < $TARGET_SECONDS")"
record report_hud_dq_1m "$dq_seconds" s "$sql_seconds" "$dq_ratio" "< $TARGET_SECONDS" "$dq_met"
record report_outcomes_1m "$outcomes_seconds" s "$sql_seconds" "$outcomes_ratio" \
    "< $TARGET_SECONDS" "$outcomes_met"
record report_1m_memory "$above_mb" MB "" "" "" ""

section reports <<MARKDOWN
## report_hud_dq_1m and report_outcomes_1m: HUD's reports over ${n_enrollments} enrollments

A database seeded by \`threshold seed\` (${CLIENTS} clients, ${seed_seconds} s). The server
(\`threshold serve\`, default settings) answers, as a client would ask with curl,
\`GET /v1/reports/hud-data-quality\` and then \`GET /v1/reports/outcomes\`, both
\`?from=${FROM}&to=${TO}\` (the period of every enrollment), as an admin (every program):
${served} persons served. Each reads with three set-based statements (the enrollments in
scope with their programs and clients; in one pass, their income records, their disabilities
at project start answered yes where 3.08 says no, and their contacts in street outreach and night-by-night
shelter; their bed nights in the latter: ${rows# } rows) and computes the tables in one pass
of the domain's functions, cells as counts (the members of a cell are read by its drill-down).

- hud-data-quality (Q5a, Q6a-Q6f): **${dq_seconds} s** (target: under ${TARGET_SECONDS} s:
  ${dq_met}).
- outcomes (Q7a, Q8a, Q19a1-2, Q22a, Q23c): **${outcomes_seconds} s** (target: under
  ${TARGET_SECONDS} s: ${outcomes_met}).
- Reference: the same three statements in psql, their rows copied to /dev/null (\`\\copy
  (SELECT ...) TO '/dev/null' WITH CSV\`), after a first run that warms the cache:
  **${sql_seconds} s**; the reports take ${dq_ratio} and ${outcomes_ratio} times that (they
  also decode every row, read the HUD fields' JSON and compute every cell).
- Memory: idle ${idle_mb} MB; peak ${above_mb} MB above idle while the reports ran (the facts
  of every enrollment are held while the tables are computed).
MARKDOWN
