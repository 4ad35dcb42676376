#!/usr/bin/env bash
# `make fuzz-api`: Schemathesis over every operation of openapi.yaml against a real server.
#
# Builds the `threshold` binary (debug), starts `threshold serve` on a free loopback port with
# a random JWT secret against a fresh database, seeds one record of each kind through the
# API, mints an admin token, and runs Schemathesis (pinned, installed into a virtual
# environment under the build directory) with every check it has: no 5xx, responses that
# match their schema, documented status codes and content types, and more (see
# scripts/fuzz-api/schemathesis.toml for the few configured to the API contract). Exits
# non-zero on any failure. The server is stopped and the database dropped at the end.
#
# Settings (environment):
#   FUZZ_EXAMPLES       test cases per operation and phase; default 25
#   FUZZ_SEED           Schemathesis' random seed; default 20240301 (same seed, same cases)
#   FUZZ_DATABASE_URL   unset: a temporary SQLite file. A postgres:// URL of a server where
#                       the user may create databases: a fresh database on that server
#                       (threshold_fuzz_<random>), dropped at the end
#   FUZZ_WORKERS        Schemathesis workers; default 2
#   FUZZ_REPORT_DIR     where to keep the JUnit report and the server log; default
#                       <target>/fuzz-api
#   CARGO, CARGO_TARGET_DIR as for cargo
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT="$(pwd)"

CARGO="${CARGO:-cargo}"
TARGET_DIR="${CARGO_TARGET_DIR:-target}"
case "$TARGET_DIR" in
    /*) ;;
    *) TARGET_DIR="${ROOT}/${TARGET_DIR}" ;;
esac
THRESHOLD="${TARGET_DIR}/debug/threshold"
VENV="${TARGET_DIR}/fuzz-venv"
REQUIREMENTS="${ROOT}/scripts/fuzz-api/requirements.txt"
CONFIG="${ROOT}/scripts/fuzz-api/schemathesis.toml"
EXAMPLES="${FUZZ_EXAMPLES:-25}"
SEED="${FUZZ_SEED:-20240301}"
WORKERS="${FUZZ_WORKERS:-2}"
REPORT_DIR="$(realpath -m "${FUZZ_REPORT_DIR:-${TARGET_DIR}/fuzz-api}")"

for setting in EXAMPLES SEED WORKERS; do
    if ! [[ "${!setting}" =~ ^[1-9][0-9]*$ ]]; then
        echo "fuzz-api: FUZZ_${setting} must be a positive integer, not '${!setting}'" >&2
        exit 1
    fi
done

WORK="$(mktemp -d "${TMPDIR:-/tmp}/threshold-fuzz.XXXXXX")"
SERVER_PID=""
PG_ADMIN_URL=""
PG_DATABASE=""

log() { printf '[fuzz-api %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

stop_server() {
    if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 1 100); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    SERVER_PID=""
}

cleanup() {
    stop_server
    if [ -n "$PG_DATABASE" ]; then
        psql "$PG_ADMIN_URL" -X -q -c "DROP DATABASE IF EXISTS ${PG_DATABASE} WITH (FORCE)" \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# --- Schemathesis, pinned, in a virtual environment ---------------------------------------------
# Reinstalled only when the pinned set changes.
if ! cmp -s "$REQUIREMENTS" "$VENV/installed-requirements.txt"; then
    log "installing Schemathesis into ${VENV}"
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check --no-deps \
        --requirement "$REQUIREMENTS"
    cp "$REQUIREMENTS" "$VENV/installed-requirements.txt"
fi
log "$("$VENV/bin/st" --version)"

# --- Build -----------------------------------------------------------------------------------------
log "building ${THRESHOLD}"
"$CARGO" build -q -p threshold-api --bin threshold

# --- Database --------------------------------------------------------------------------------------
if [ -n "${FUZZ_DATABASE_URL:-}" ]; then
    case "$FUZZ_DATABASE_URL" in
        postgres://* | postgresql://*) ;;
        *)
            echo "fuzz-api: FUZZ_DATABASE_URL must be a postgres:// URL (unset: SQLite)" >&2
            exit 1
            ;;
    esac
    PG_ADMIN_URL="$FUZZ_DATABASE_URL"
    PG_DATABASE="threshold_fuzz_$(head -c 6 /dev/urandom | od -An -tx1 | tr -d ' \n')"
    # Keep any query string (?sslmode=...) after the database name.
    without_query="${PG_ADMIN_URL%%\?*}"
    query="${PG_ADMIN_URL#"$without_query"}"
    DATABASE_URL="${without_query%/*}/${PG_DATABASE}${query}"
    THRESHOLD_TEST_POSTGRES_URL="$PG_ADMIN_URL" scripts/ensure-postgres.sh
    log "creating the PostgreSQL database ${PG_DATABASE}"
    psql "$PG_ADMIN_URL" -X -q -v ON_ERROR_STOP=1 -c "CREATE DATABASE ${PG_DATABASE}" >/dev/null
else
    DATABASE_URL="sqlite://${WORK}/threshold.db"
fi

# --- Server ----------------------------------------------------------------------------------------
mkdir -p "$REPORT_DIR"
SERVER_LOG="${REPORT_DIR}/server.log"
PORT="$(free_port)"
BASE="http://127.0.0.1:${PORT}"
SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
log "starting the server on ${BASE} (${DATABASE_URL%%://*})"
# Webhook subscriptions point at a closed loopback port (scripts/fuzz-api/hooks.py), which
# only THRESHOLD_WEBHOOK_ALLOW_PRIVATE accepts: no delivery leaves the machine.
THRESHOLD_JWT_SECRET="$SECRET" THRESHOLD_WEBHOOK_ALLOW_PRIVATE=true RUST_LOG="${RUST_LOG:-warn}" \
    "$THRESHOLD" serve \
    --database-url "$DATABASE_URL" --bind "127.0.0.1:${PORT}" --workers 2 \
    >"$SERVER_LOG" 2>&1 &
SERVER_PID=$!

ready=""
for _ in $(seq 1 300); do
    if curl -fsS -m 2 -o /dev/null "$BASE/readyz" 2>/dev/null; then
        ready=yes
        break
    fi
    kill -0 "$SERVER_PID" 2>/dev/null || break
    sleep 0.1
done
if [ -z "$ready" ]; then
    echo "fuzz-api: the server never answered /readyz; its log:" >&2
    cat "$SERVER_LOG" >&2
    exit 1
fi

TOKEN="$(THRESHOLD_JWT_SECRET="$SECRET" "$THRESHOLD" token --sub fuzz-admin --role admin --ttl 2h)"

# --- Reference data --------------------------------------------------------------------------------
log "seeding reference data"
python3 scripts/fuzz-api/seed.py "$BASE" "$TOKEN" "$WORK"
for variant in fixed mixed; do
    cat "$CONFIG" "${WORK}/seeded-${variant}.toml" >"${WORK}/schemathesis-${variant}.toml"
done

# --- Schemathesis ----------------------------------------------------------------------------------
# Three runs, each failing on its own: the examples and coverage phases with the seeded
# records in every request; the fuzzing phase with them in nine requests in ten; the stateful
# phase without them, so that it follows the links from what it creates (the Location
# headers) to the records it just made.
export FUZZ_TOKEN="$TOKEN"
export SCHEMATHESIS_HOOKS="${ROOT}/scripts/fuzz-api/hooks.py"
fuzz() {
    local name="$1" config="$2" phases="$3"
    log "Schemathesis, ${phases}: ${EXAMPLES} examples per operation, seed ${SEED}, ${WORKERS} workers"
    (
        # Its example database and cache stay in the work folder, out of the tree.
        cd "$WORK"
        export FUZZ_PHASE="$phases"
        "$VENV/bin/st" --config-file "$config" run "${ROOT}/openapi.yaml" \
            --url "$BASE" \
            --phases "$phases" \
            --checks all \
            --max-examples "$EXAMPLES" \
            --seed "$SEED" \
            --workers "$WORKERS" \
            --generation-database none \
            --no-color \
            --report junit --report-junit-path "${REPORT_DIR}/junit-${name}.xml"
    )
}
status=0
fuzz coverage "${WORK}/schemathesis-fixed.toml" examples,coverage || status=$?
fuzz fuzzing "${WORK}/schemathesis-mixed.toml" fuzzing || status=$?
fuzz stateful "$CONFIG" stateful || status=$?

stop_server
if grep -q 'panicked' "$SERVER_LOG"; then
    echo "fuzz-api: the server panicked; see ${SERVER_LOG}" >&2
    status=1
fi
if [ "$status" -ne 0 ]; then
    log "FAILED (exit ${status}); server log: ${SERVER_LOG}"
    exit "$status"
fi
log "no failures"
