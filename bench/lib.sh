# Shared by bench/run.sh and the figure scripts in bench/figures/ (sourced, never run).
#
# The environment every figure script gets from bench/run.sh:
#   THRESHOLD   the release binary
#   ADMIN_URL   a PostgreSQL URL of a user allowed to create databases
#   BENCH_WORK  a scratch directory, removed at the end
#   BENCH_OUT   where results go: results.jsonl (one JSON object per figure, via `record`)
#               and sections/<figure>.md (its part of BENCHMARKS.md, via `section`)
#   BENCH_QUICK 1 for a short smoke run (smaller data, shorter loads), else empty

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Seconds since the epoch, with nanoseconds.
now() { date +%s.%N; }

# `elapsed START`: seconds since START (from `now`), two decimals.
elapsed() { printf '%.3f\n' "$(echo "$(now) - $1" | bc)"; }

# `calc EXPR [SCALE]`: bc arithmetic with a leading zero (".5" -> "0.5").
calc() { echo "scale=${2:-4}; $1" | bc | sed -e 's/^\./0./' -e 's/^-\./-0./'; }

# `round VALUE [DECIMALS]`
round() { printf "%.${2:-2}f" "$1"; }

# A free loopback port (asked of the kernel).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status" 2>/dev/null || true; }

# `kb_to_mb KB`: MB of 10^6 bytes.
kb_to_mb() { calc "$1 * 1024 / 1000000" 1; }

# `peak_rss_while PID WATCHED_PID`: the highest VmRSS (kB) of PID, sampled every 50 ms while
# WATCHED_PID runs.
peak_rss_while() {
    local pid="$1" watched="$2" peak=0 kb
    while kill -0 "$watched" 2>/dev/null; do
        kb="$(rss_kb "$pid")"
        if [ -n "$kb" ] && [ "$kb" -gt "$peak" ]; then peak="$kb"; fi
        sleep 0.05
    done
    echo "$peak"
}

psql_admin() { timeout 300 psql "$ADMIN_URL" -X -v ON_ERROR_STOP=1 -q "$@"; }

# `pg_url NAME`: the URL of database NAME on the server of ADMIN_URL.
pg_url() { echo "${ADMIN_URL%/*}/$1"; }

# `pg_fresh NAME`: drops and creates database NAME and migrates it; prints its URL.
pg_fresh() {
    local url
    url="$(pg_url "$1")"
    psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null
    psql_admin -c "CREATE DATABASE $1" >/dev/null
    timeout 300 "$THRESHOLD" migrate --database-url "$url" >"$BENCH_WORK/migrate-$1.log" 2>&1 \
        || { cat "$BENCH_WORK/migrate-$1.log" >&2; die "migrating $1 failed"; }
    echo "$url"
}

pg_drop() { psql_admin -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" >/dev/null 2>&1 || true; }

# `seed DB_URL CLIENTS [RANDOM_SEED [SEED_ARGS...]]`: synthetic data through `threshold seed`
# (progress on stderr), with any further `threshold seed` arguments; the same people every run
# (random seed 7 unless told).
seed() {
    local url="$1" clients="$2" random_seed="${3:-7}"
    shift $(($# < 3 ? $# : 3))
    timeout 1800 "$THRESHOLD" seed --database-url "$url" --clients "$clients" \
        --random-seed "$random_seed" "$@" 2>"$BENCH_WORK/seed.log" >"$BENCH_WORK/seed.out" \
        || { tail -n 20 "$BENCH_WORK/seed.log" >&2; die "seeding $clients clients failed"; }
    cat "$BENCH_WORK/seed.out" >&2
}

SERVER_PID=""
BASE=""
BENCH_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"

# `start_server DB_URL [ARGS...]`: `threshold serve` on a free loopback port, in the
# background; returns once /readyz answers. Sets SERVER_PID and BASE.
start_server() {
    local url="$1" port
    shift
    port="$(free_port)"
    BASE="http://127.0.0.1:${port}"
    THRESHOLD_JWT_SECRET="$BENCH_SECRET" RUST_LOG="${BENCH_RUST_LOG:-warn}" \
        "$THRESHOLD" serve --database-url "$url" --bind "127.0.0.1:${port}" "$@" \
        >>"$BENCH_WORK/server.log" 2>&1 &
    SERVER_PID=$!
    local _
    for _ in $(seq 1 600); do
        if curl -fsS -m 2 -o /dev/null "$BASE/readyz" 2>/dev/null; then
            return 0
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.05
    done
    tail -n 30 "$BENCH_WORK/server.log" >&2
    die "the server did not become ready"
}

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        local _
        for _ in $(seq 1 300); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

# `token ARGS...`: a token for the running server (`threshold token` arguments).
token() { THRESHOLD_JWT_SECRET="$BENCH_SECRET" "$THRESHOLD" token --ttl 4h "$@"; }
admin_token() { token --sub bench-admin --role admin; }

# `json_or_null VALUE`: VALUE as a JSON number, or null when empty.
json_or_null() { if [ -z "$1" ] || [ "$1" = null ]; then echo null; else echo "$1"; fi; }

# `record NAME VALUE UNIT REFERENCE RATIO TARGET MET [NOTE]`: one figure for results.json.
# REFERENCE, RATIO, TARGET may be empty (null); MET is true, false or empty (null); TARGET is
# a string such as ">= 0.6" or "< 100".
record() {
    local name="$1" value="$2" unit="$3" reference="$4" ratio="$5" target="$6" met="$7" note="${8:-}"
    jq -nc --arg name "$name" --argjson value "$(json_or_null "$value")" --arg unit "$unit" \
        --argjson reference "$(json_or_null "$reference")" \
        --argjson ratio "$(json_or_null "$ratio")" \
        --arg target "$target" --argjson met "$(json_or_null "$met")" --arg note "$note" \
        --arg script "${BENCH_FIGURE:-}" \
        '{name: $name, value: $value, unit: $unit, reference: $reference, ratio: $ratio,
          target: (if $target == "" then null else $target end), met: $met, script: $script}
         + (if $note == "" then {} else {note: $note} end)' >>"$BENCH_OUT/results.jsonl"
    log "figure ${name}: ${value} ${unit} (reference ${reference:-none}, ratio ${ratio:-none}, target ${target:-none}, met ${met:-n/a})"
}

# `met_if CONDITION`: true or false from a bc condition, such as "0.7 >= 0.6".
met_if() { if [ "$(echo "$1" | bc)" = 1 ]; then echo true; else echo false; fi; }

# `section NAME < markdown`: this figure's part of BENCHMARKS.md.
section() { mkdir -p "$BENCH_OUT/sections"; cat >"$BENCH_OUT/sections/$1.md"; }

# Load durations: BENCH_QUICK shortens them.
load_seconds() { if [ -n "${BENCH_QUICK:-}" ]; then echo 3; else echo "${1:-15}"; fi; }

# `wrk_json REQUESTS_FILE TOKEN SECONDS CONNECTIONS [once]`: wrk (2 threads) over the
# requests in REQUESTS_FILE (see bench/wrk/requests.lua) against $BASE; prints wrk's JSON line.
wrk_json() {
    local requests="$1" bearer="$2" seconds="$3" connections="$4" once="${5:-}"
    local threads=2
    WRK_REQUESTS="$requests" WRK_TOKEN="$bearer" WRK_THREADS="$threads" \
        WRK_IDEMPOTENCY="${WRK_IDEMPOTENCY:-}" \
        WRK_ONCE="$([ "$once" = once ] && echo 1 || echo 0)" \
        timeout $((seconds + 60)) wrk -t"$threads" -c"$connections" -d"${seconds}s" \
        --timeout 10s -s "$BENCH_LIB_DIR/wrk/requests.lua" "$BASE" >"$BENCH_WORK/wrk.out" 2>&1 \
        || { cat "$BENCH_WORK/wrk.out" >&2; die "wrk failed"; }
    grep '^{' "$BENCH_WORK/wrk.out" | tail -n 1
}

# `pgbench_tps DB_URL SECONDS CLIENTS SCRIPT... [-- PGBENCH_ARGS...]`: pgbench (prepared
# statements, 2 threads, no vacuum) over the scripts, equally weighted; prints
# "TPS LATENCY_AVERAGE_MS".
pgbench_tps() {
    local url="$1" seconds="$2" clients="$3"
    shift 3
    local args=() script
    while [ $# -gt 0 ] && [ "$1" != -- ]; do args+=(-f "$1"); shift; done
    [ $# -gt 0 ] && shift
    args+=("$@")
    timeout $((seconds + 120)) pgbench -n -M prepared -j 2 -c "$clients" -T "$seconds" \
        "${args[@]}" "$url" >"$BENCH_WORK/pgbench.out" 2>&1 \
        || { cat "$BENCH_WORK/pgbench.out" >&2; die "pgbench failed"; }
    local tps latency
    tps="$(awk '/^tps = / { print $3; exit }' "$BENCH_WORK/pgbench.out")"
    latency="$(awk '/^latency average = / { print $4; exit }' "$BENCH_WORK/pgbench.out")"
    echo "$tps $latency"
}

# `json FIELD < JSON`: one field of a JSON object.
json() { jq -r ".$1"; }

BENCH_LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# `sample_enrollments DB_URL N`: N (client_id, enrollment_id) pairs spread evenly over the
# enrollments by id, one "client_id enrollment_id" per line; PostgreSQL or SQLite.
sample_enrollments() {
    local url="$1" count="$2"
    local sql="SELECT client_id, id FROM (
        SELECT client_id, id, row_number() OVER (ORDER BY id) AS n FROM enrollments
        WHERE deleted_at IS NULL) AS e
      WHERE n % (SELECT max(count(*) / $count, 1) FROM enrollments) = 0
      ORDER BY id LIMIT $count"
    case "$url" in
        sqlite://*)
            python3 - "${url#sqlite://}" "$sql" <<'PY'
import sqlite3, sys
for client_id, enrollment_id in sqlite3.connect(sys.argv[1]).execute(sys.argv[2]):
    print(client_id, enrollment_id)
PY
            ;;
        *) psql "$url" -X -Atq -F ' ' -c "${sql//max(/greatest(}" ;;
    esac
}

# `read_requests PAIRS_FILE`: writes $BENCH_WORK/list.requests and $BENCH_WORK/get.requests,
# the two read endpoints over the sampled pairs, for bench/wrk/requests.lua.
read_requests() {
    awk '{ print "GET /v1/clients/" $1 "/enrollments" }' "$1" >"$BENCH_WORK/list.requests"
    awk '{ print "GET /v1/clients/" $1 "/enrollments/" $2 }' "$1" >"$BENCH_WORK/get.requests"
}

# `pg_seeded NAME CLIENTS`: database NAME seeded with CLIENTS clients, made once per run and
# shared by the figures that read it (bench/run.sh drops every threshold_bench_* database at
# the end); prints its URL.
pg_seeded() {
    local name="$1" clients="$2" url marker
    url="$(pg_url "$name")"
    marker="$BENCH_WORK/seeded-${name}-${clients}"
    if [ -f "$marker" ] && psql "$url" -X -Atq -c 'SELECT 1' >/dev/null 2>&1; then
        echo "$url"
        return
    fi
    url="$(pg_fresh "$name")"
    log "seeding ${name} with ${clients} clients"
    seed "$url" "$clients"
    # Freshly copied rows: the first reads would set their hint bits and autovacuum would
    # soon visit every table, both while the first figure measures. Done now, every figure
    # (and every reference) reads the tables as a live database has them.
    psql "$url" -X -q -c "VACUUM (ANALYZE)" >/dev/null
    touch "$marker"
    echo "$url"
}

# `cpu_seconds PID...`: CPU time (user and system, every thread) the processes have used so
# far, in seconds; a process that is gone counts for nothing.
cpu_seconds() {
    local pid ticks=0 used
    for pid in "$@"; do
        # The fields after the command name, which may hold spaces: utime and stime are 12
        # and 13 of them.
        used="$(sed 's/.*) //' "/proc/$pid/stat" 2>/dev/null | awk '{ print $12 + $13 }' || true)"
        ticks=$((ticks + ${used:-0}))
    done
    calc "$ticks / $(getconf CLK_TCK)" 2
}

# `pgbench_table DB_URL TABLE KEYED_COLUMN... < TSV`: TABLE (made again) of the TSV's rows (a
# header line of column names, then one row of IDs a line), numbered from 1 by its primary
# key `n`, with the advisory-lock keys (`Scope::keys`) of the scopes in the KEYED_COLUMNs
# (organization_id, program_id, household_id, client_id) as <column>_high and <column>_low:
# what a pgbench script reads, in the one statement that picks its row, to take the same
# locks as the server.
pgbench_table() {
    local url="$1" table="$2" columns
    shift 2
    python3 "$BENCH_LIB_DIR/scope_keys.py" "$@" >"$BENCH_WORK/$table.tsv" \
        || die "computing the lock keys of $table failed"
    columns="$(head -n 1 "$BENCH_WORK/$table.tsv" | tr '\t' '\n' | awk '
        $1 == "n" { print "n int PRIMARY KEY"; next }
        /_(high|low)$/ { print $1 " int NOT NULL"; next }
        { print $1 " text NOT NULL" }' | paste -sd, -)"
    psql "$url" -X -q -v ON_ERROR_STOP=1 \
        -c "DROP TABLE IF EXISTS $table" -c "CREATE TABLE $table ($columns)" \
        -c "\\copy $table FROM '$BENCH_WORK/$table.tsv' WITH (FORMAT csv, DELIMITER E'\\t', HEADER true)" \
        -c "ANALYZE $table"
}

# `hmis_archive ENROLLMENTS`: an HMIS CSV archive of about ENROLLMENTS enrollments, made by the
# application itself (`threshold seed` into a fresh database, then `threshold export` of every
# enrollment), once per run and shared by the figures that import it. Prints the directory
# holding archive.zip and made.sh, which sets archive_clients, seed_seconds, export_seconds,
# export_from and export_to.
hmis_archive() {
    local enrollments="$1" dir source_url clients started seed_seconds export_seconds
    dir="$BENCH_WORK/archive-$enrollments"
    if [ -f "$dir/made.sh" ]; then
        echo "$dir"
        return
    fi
    mkdir -p "$dir"
    # `threshold seed` makes about three enrollments per client.
    clients=$(((enrollments + 2) / 3))
    log "archive: seeding ${clients} clients"
    source_url="$(pg_fresh threshold_bench_archive_source)"
    started="$(now)"
    seed "$source_url" "$clients"
    seed_seconds="$(elapsed "$started")"
    # Every enrollment active on any day up to today: all of them.
    local from=1900-01-01 to
    to="$(date -u +%F)"
    log "archive: exporting ${from}..${to}"
    started="$(now)"
    timeout 600 "$THRESHOLD" export --database-url "$source_url" --from "$from" --to "$to" \
        --out "$dir/archive.zip" >"$dir/export.out" 2>"$dir/export.log" \
        || { tail -n 20 "$dir/export.log" >&2; die "the export failed"; }
    export_seconds="$(elapsed "$started")"
    pg_drop threshold_bench_archive_source
    printf 'archive_clients=%s\nseed_seconds=%s\nexport_seconds=%s\nexport_from=%s\nexport_to=%s\n' \
        "$clients" "$seed_seconds" "$export_seconds" "$from" "$to" >"$dir/made.sh"
    echo "$dir"
}

# `enrollable_clients DB_URL`: the IDs of the clients a write figure may enroll on 2025-06-01
# (the entry date its requests send), in the order of their IDs: not deleted, and born by then
# (a later birth is the rule's 409, a write that writes nothing).
enrollable_clients() {
    psql "$1" -X -Atq -c "SELECT id FROM clients WHERE deleted_at IS NULL
        AND (dob IS NULL OR dob <= '2025-06-01') ORDER BY id"
}
