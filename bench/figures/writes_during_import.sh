#!/usr/bin/env bash
# writes_during_import: the latency of enrollment creates in one organization, sent at a
# fixed rate, while an HMIS CSV import of 100,000 enrollments runs into another organization
# on the same server, beside the same creates without an import (same server, same data,
# just before). The archive is import.sh's (`hmis_archive`, made once per run).
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

if [ "${BENCH_QUICK:-}" = 1 ]; then
    ENROLLMENTS=10000
    BASELINE_SECONDS=5
else
    ENROLLMENTS=100000
    BASELINE_SECONDS=30
fi
# Clients to enroll: more than the creates of both runs (a different one each time).
CLIENTS=5000
RATE=20
WARM_SECONDS=3
CONNECTIONS=4
TARGET_MS=100
TARGET_FACTOR=3
DB=threshold_bench_during_import
WORK="$BENCH_WORK/during_import"
mkdir -p "$WORK"
cleanup() {
    stop_server
    pg_drop "$DB"
}
trap cleanup EXIT

archive_dir="$(hmis_archive "$ENROLLMENTS")"
archive_enrollments="$(unzip -p "$archive_dir/archive.zip" Enrollment.csv | python3 -c '
import csv, sys
print(sum(1 for _ in csv.reader(sys.stdin)) - 1)')"

url="$(pg_fresh "$DB")"
# Another random seed than the archive's: other people, so the import meets none of them.
seed "$url" "$CLIENTS" 11
start_server "$url"
bearer="$(admin_token)"
api_post() {
    curl -fsS -H "Authorization: Bearer $bearer" -H 'Content-Type: application/json' \
        -X POST "$BASE$1" -d "$2" | jq -r .id
}
organization="$(api_post /v1/organizations '{"name": "Bench Enrolling"}')"
program="$(api_post /v1/programs "{\"organization_id\": \"$organization\",
    \"name\": \"Bench Enrolling\", \"project_type\": 1, \"operating_start_date\": \"2020-01-01\"}")"
grant="$(api_post "/v1/programs/$program/grants" \
    '{"funder": 2, "grant_identifier": "BENCH-1", "start_date": "2020-01-01"}')"
user="$(api_post /v1/users "{\"organization_id\": \"$organization\", \"first_name\": \"Bench\",
    \"last_name\": \"Enroller\", \"email\": \"bench.enroller@example.org\"}")"
receiving="$(api_post /v1/organizations '{"name": "Bench Receiving"}')"

enrollable_clients "$url" | awk -v program="$program" -v grant="$grant" -v user="$user" '{
        print "POST /v1/clients/" $1 "/enrollments {\"program_id\": \"" program "\", " \
          "\"entry_date\": \"2025-06-01\", \"relationship_to_hoh\": 1, \"grant_id\": \"" grant "\", " \
          "\"case_manager_id\": \"" user "\"}" }' >"$WORK/create.requests"

paced() {
    timeout 1200 python3 "$BENCH_LIB_DIR/paced.py" "$BASE" "$bearer" "$WORK/create.requests" \
        --rate "$RATE" --connections "$CONNECTIONS" --key-prefix "bench-paced-$(date +%s)" "$@"
}
# A few seconds first, not counted: every pooled connection prepares its statements once.
warm="$(paced --first 0 --seconds "$WARM_SECONDS")"
log "writes_during_import: ${RATE} creates/s for ${BASELINE_SECONDS} s, no import"
baseline="$(paced --first "$(json next <<<"$warm")" --seconds "$BASELINE_SECONDS")"
log "writes_during_import: ${RATE} creates/s while importing ${archive_enrollments} enrollments"
during="$(paced --first "$(json next <<<"$baseline")" --archive "$archive_dir/archive.zip" \
    --organization "$receiving")"
echo "$during" >"$WORK/during.json"
stop_server

[ "$(json job_final <<<"$during")" = succeeded ] \
    || die "the import did not succeed: $(jq -c .job <<<"$during")"
[ "$(json counted.requests <<<"$during")" -gt 0 ] \
    || die "no create was sent while the import ran: $(jq -c .job <<<"$during")"
imported="$(psql "$url" -X -Atq -c "SELECT count(*) FROM enrollments e
    JOIN programs p ON p.id = e.program_id WHERE p.organization_id = '$receiving'")"
[ "$imported" = "$archive_enrollments" ] \
    || die "the import stored ${imported} enrollments of ${archive_enrollments}"

field() { jq -r ".$2" <<<"$1"; }
# Creates that were not stored (any answer but 201, or none).
failed_of() { jq -r '[.counted.statuses | to_entries[] | select(.key != "201") | .value] | add // 0' <<<"$1"; }
base_p50="$(field "$baseline" counted.p50_ms)"
base_p99="$(field "$baseline" counted.p99_ms)"
during_p50="$(field "$during" counted.p50_ms)"
during_p99="$(field "$during" counted.p99_ms)"
failed="$(($(failed_of "$baseline") + $(failed_of "$during")))"
p50_ratio="$(round "$(calc "$during_p50 / $base_p50")" 2)"
p99_ratio="$(round "$(calc "$during_p99 / $base_p99")" 2)"
met="$(met_if "$during_p99 < $TARGET_MS && $p99_ratio <= $TARGET_FACTOR && $failed == 0")"
record writes_during_import_p50 "$(round "$during_p50" 2)" ms "$(round "$base_p50" 2)" \
    "$p50_ratio" "" ""
record writes_during_import_p99 "$(round "$during_p99" 2)" ms "$(round "$base_p99" 2)" \
    "$p99_ratio" "< $TARGET_MS, <= ${TARGET_FACTOR}x without" "$met"

row() {
    local summary
    summary="$(jq -c ".$2" <<<"$3")"
    echo "| $1 | $(field "$summary" requests) | $(field "$summary" p50_ms) ms | $(field "$summary" p99_ms) ms | $(field "$summary" max_ms) ms | $(field "$summary" service_p99_ms) ms | $(jq -r '.statuses | to_entries | map("\(.key): \(.value)") | join(", ")' <<<"$summary") |"
}
job_line="$(jq -r '.job | map("\(.status) at \(.seconds) s") | join(", ")' <<<"$during")"
slowest="$(jq -r '.slowest[:5] | map("\(.ms) ms due at \(.due) s") | join(", ")' <<<"$during")"

section writes_during_import <<MARKDOWN
## writes_during_import: enrolling in one organization while another imports

A fresh database seeded with ${CLIENTS} clients (\`threshold seed\`, another random seed than
the archive's), served with the default settings (scoped locks). Through the API, an
organization with a program (no capacity), a grant and a case manager, and a second
organization to import into. A Python client (\`bench/paced.py\`, ${CONNECTIONS} keep-alive
connections taking turns) sends \`POST /v1/clients/{id}/enrollments\` (every rule, audit,
\`Idempotency-Key\`) for a different client each time, at a fixed ${RATE} requests a second;
each request's latency runs from the instant it was due, so a stall counts against every
request due during it.

After ${WARM_SECONDS} s of creates not counted (each pooled connection prepares its
statements on its first requests), ${BASELINE_SECONDS} s of creates with nothing else running.
Then the creates go on while, two seconds in, the archive of import_100k
(${archive_enrollments} enrollments) is POSTed to \`/v1/imports/hmis-csv\` for the second
organization and the job is read every 100 ms (in seconds since the first of these creates was
due): ${job_line}. Only the creates sent between the first and the last read that saw the job
running count; the import stored all ${imported} enrollments. The import holds its
organization's lock exclusively for its one transaction; the creates lock their own
organization (shared) and client.

The slowest creates while the import ran: ${slowest}.

| creates | requests | p50 | p99 | max | p99 from sending | statuses |
|---|---|---|---|---|---|---|
$(row "without an import" counted "$baseline")
$(row "while the import ran" counted "$during")

Target: p99 while importing under ${TARGET_MS} ms and within ${TARGET_FACTOR} times the p99
without: ${during_p99} ms, ${p99_ratio} times (met: **${met}**).
MARKDOWN
