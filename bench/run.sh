#!/usr/bin/env bash
# `make bench`: performance figures on a release build, over loopback only, each measured
# beside its reference in the same run. Writes BENCHMARKS.md and bench/results.json.
#
# Every figure is a script in bench/figures/ (see bench/lib.sh for what each one gets); they
# run one after another, each on databases of its own, created fresh and dropped afterwards.
#
# Settings (environment):
#   BENCH_FIGURES       figure scripts to run, by name (default: all, in the order below)
#   BENCH_QUICK=1       a short smoke run: smaller data, shorter loads (figures not comparable)
#   BENCH_KEEP=DIR      keep results in DIR; a later run of some figures replaces only theirs
#   BENCH_BINARY=PATH   measure this release binary instead of building one
#   BENCH_POSTGRES_URL  a PostgreSQL user allowed to create databases; default
#                       postgres://postgres@127.0.0.1:5432/postgres
#   CARGO, CARGO_TARGET_DIR as for cargo
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"
source bench/lib.sh

ALL_FIGURES="cold_start sqlite_reads reads roster writes writes_scoped scale replica_reads export reports import writes_during_import soak"
FIGURES="${BENCH_FIGURES:-$ALL_FIGURES}"
# The page lists every figure that has results, in the usual order.
REPORTED="$ALL_FIGURES"
CARGO="${CARGO:-cargo}"
export ADMIN_URL="${BENCH_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export THRESHOLD="${BENCH_BINARY:-$ROOT/${CARGO_TARGET_DIR:-target}/release/threshold}"
export BENCH_QUICK="${BENCH_QUICK:-}"
BENCH_WORK="$(mktemp -d "${TMPDIR:-/tmp}/threshold-bench.XXXXXX")"
# BENCH_KEEP=DIR keeps the results in DIR across runs: figures run again replace their own,
# the others stay (to measure one figure again after a change, and report them all).
BENCH_OUT="${BENCH_KEEP:-$BENCH_WORK/out}"
export BENCH_WORK BENCH_OUT
mkdir -p "$BENCH_OUT/sections"
touch "$BENCH_OUT/results.jsonl"
drop_bench_databases() {
    local name
    for name in $(psql "$ADMIN_URL" -X -Atq -c \
        "SELECT datname FROM pg_database WHERE datname LIKE 'threshold\_bench\_%'" 2>/dev/null); do
        pg_drop "$name"
    done
}
trap 'drop_bench_databases; rm -rf "$BENCH_WORK"' EXIT
trap 'exit 130' INT TERM

started="$(now)"

# --- Tools -----------------------------------------------------------------------------------
# wrk drives HTTP load, pgbench the database-only references, jq and bc do the arithmetic.
missing=""
for tool in wrk pgbench psql jq bc curl python3; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
if [ -n "$missing" ]; then
    log "installing:$missing"
    packages=""
    for tool in $missing; do
        case "$tool" in
            pgbench | psql) packages="$packages postgresql-client" ;;
            python3) packages="$packages python3" ;;
            *) packages="$packages $tool" ;;
        esac
    done
    sudo_cmd=""
    [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq $packages >/dev/null
fi

scripts/ensure-postgres.sh
drop_bench_databases

# --- Build -----------------------------------------------------------------------------------
if [ -z "${BENCH_BINARY:-}" ]; then
    log "building the release binary"
    timeout 1800 "$CARGO" build --release -p threshold-api --bin threshold
fi
build_seconds="$(elapsed "$started")"

# --- Figures ---------------------------------------------------------------------------------
failed=""
for figure in $FIGURES; do
    script="bench/figures/${figure}.sh"
    [ -f "$script" ] || die "no figure script $script"
    log "=== ${figure}"
    figure_started="$(now)"
    export BENCH_FIGURE="$figure"
    jq -c --arg figure "$figure" 'select(.script != $figure)' "$BENCH_OUT/results.jsonl" \
        >"$BENCH_WORK/results.kept" && mv "$BENCH_WORK/results.kept" "$BENCH_OUT/results.jsonl"
    rm -f "$BENCH_OUT/sections/${figure}.md"
    if ! timeout 900 bash "$script"; then
        log "figure ${figure} FAILED"
        failed="$failed $figure"
    fi
    log "=== ${figure} took $(elapsed "$figure_started") s"
done

# --- Report ----------------------------------------------------------------------------------
total_seconds="$(elapsed "$started")"
python3 bench/report.py "$BENCH_OUT" --build-seconds "$build_seconds" \
    --total-seconds "$total_seconds" --postgres-url "$ADMIN_URL" \
    ${BENCH_QUICK:+--quick} --figures "$REPORTED"
log "wrote BENCHMARKS.md and bench/results.json in ${total_seconds} s"
cat bench/results.json
if [ -n "$failed" ]; then
    die "figures failed:${failed}"
fi
