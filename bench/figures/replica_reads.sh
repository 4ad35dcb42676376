#!/usr/bin/env bash
# replica_reads: GET /v1/reports/enrollment-summary over the last year, answered from a
# PostgreSQL primary and from a hot standby of it, side by side. Both are clusters of their
# own made here (initdb, then pg_basebackup -R of the seeded primary), with the same settings
# on the same machine: the same server runs first on the primary alone, then with
# THRESHOLD_DATABASE_REPLICA_URL naming the standby, under the same load. The reference is
# the primary: the report must be as fast from the standby (ratio >= 0.9), so that moving it
# there costs its readers nothing while the primary's CPU goes to the writes.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

CLIENTS=20000
[ -n "${BENCH_QUICK:-}" ] && CLIENTS=2000
CONNECTIONS=4
SECONDS_EACH="$(load_seconds 15)"
TARGET_RATIO=0.9
DB=threshold_bench_replica

# --- The clusters -----------------------------------------------------------------------------
# PostgreSQL's server programs: beside pg_config's, in Debian's versioned folders, or on PATH.
pg_bindir() {
    local folder
    for folder in "$(pg_config --bindir 2>/dev/null || true)" \
        $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r) \
        "$(dirname "$(command -v initdb 2>/dev/null || echo .)")"; do
        if [ -x "$folder/initdb" ] && [ -x "$folder/pg_ctl" ] && [ -x "$folder/pg_basebackup" ]; then
            echo "$folder"
            return 0
        fi
    done
    return 1
}
PG_BIN="$(pg_bindir)" \
    || die "replica_reads needs PostgreSQL's server programs (initdb, pg_ctl, pg_basebackup)"

# PostgreSQL refuses to run as root: root runs it as the postgres user.
as_postgres() {
    if [ "$(id -u)" -eq 0 ]; then
        (cd "$WORK" && runuser -u postgres -- "$@")
    else
        (cd "$WORK" && "$@")
    fi
}

# Not under BENCH_WORK, which the postgres user may not enter.
WORK="$(mktemp -d "${TMPDIR:-/tmp}/threshold-bench-replica.XXXXXX")"
if [ "$(id -u)" -eq 0 ]; then chown postgres "$WORK"; fi
PRIMARY="$WORK/primary"
STANDBY="$WORK/standby"
PRIMARY_PORT="$(free_port)"
STANDBY_PORT="$(free_port)"
while [ "$STANDBY_PORT" = "$PRIMARY_PORT" ]; do STANDBY_PORT="$(free_port)"; done

stop_cluster() {
    if [ -f "$1/postmaster.pid" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >/dev/null 2>&1 || true
    fi
}
cleanup() {
    stop_server
    stop_cluster "$STANDBY"
    stop_cluster "$PRIMARY"
    rm -rf "$WORK"
}
trap cleanup EXIT

pg_at() { echo "postgres://postgres@127.0.0.1:$1/$2"; }
primary_url="$(pg_at "$PRIMARY_PORT" "$DB")"
standby_url="$(pg_at "$STANDBY_PORT" "$DB")"
sql_at() { psql "$(pg_at "$1" "$2")" -X -Atq -v ON_ERROR_STOP=1 -c "$3"; }

log "replica_reads: a primary on port ${PRIMARY_PORT} (PostgreSQL in ${PG_BIN})"
as_postgres "$PG_BIN/initdb" -D "$PRIMARY" -U postgres -A trust -E UTF8 --locale=C \
    >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
# The settings of a default cluster, but for the ports, no Unix socket outside this folder,
# and no fsync: the clusters are thrown away at the end, and only reads are measured.
cat >>"$PRIMARY/postgresql.conf" <<CONF
port = ${PRIMARY_PORT}
listen_addresses = '127.0.0.1'
unix_socket_directories = '${WORK}'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
CONF
echo "host replication all 127.0.0.1/32 trust" >>"$PRIMARY/pg_hba.conf"
as_postgres "$PG_BIN/pg_ctl" -D "$PRIMARY" -l "$WORK/primary.log" -w -t 60 start >/dev/null \
    || { cat "$WORK/primary.log" >&2; die "the primary did not start"; }
sql_at "$PRIMARY_PORT" postgres "CREATE DATABASE ${DB}"

seed_started="$(now)"
seed "$primary_url" "$CLIENTS"
seed_seconds="$(elapsed "$seed_started")"
sql_at "$PRIMARY_PORT" "$DB" "VACUUM ANALYZE"

log "replica_reads: a standby on port ${STANDBY_PORT}"
as_postgres "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PRIMARY_PORT" -U postgres -D "$STANDBY" \
    -R -X stream -c fast >"$WORK/basebackup.log" 2>&1 \
    || { cat "$WORK/basebackup.log" >&2; die "pg_basebackup failed"; }
echo "port = ${STANDBY_PORT}" >>"$STANDBY/postgresql.conf"
as_postgres "$PG_BIN/pg_ctl" -D "$STANDBY" -l "$WORK/standby.log" -w -t 120 start >/dev/null \
    || { cat "$WORK/standby.log" >&2; die "the standby did not start"; }
written="$(sql_at "$PRIMARY_PORT" postgres "SELECT pg_current_wal_lsn()")"
caught_up() {
    [ "$(sql_at "$STANDBY_PORT" postgres \
        "SELECT pg_last_wal_replay_lsn() >= '${written}'::pg_lsn")" = t ]
}
for _ in $(seq 1 600); do
    caught_up && break
    sleep 0.1
done
caught_up || die "the standby did not replay the primary's WAL within a minute"
[ "$(sql_at "$STANDBY_PORT" postgres "SELECT pg_is_in_recovery()")" = t ] \
    || die "the standby is not in recovery"

read -r n_clients n_enrollments < <(psql "$primary_url" -X -Atq -F ' ' -c \
    "SELECT (SELECT count(*) FROM clients), (SELECT count(*) FROM enrollments)")
to="$(date -u +%F)"
from="$(date -u -d "-1 year +1 day" +%F)"
echo "GET /v1/reports/enrollment-summary?from=${from}&to=${to}" >"$WORK/summary.requests"

# --- The report from each ---------------------------------------------------------------------
# Transactions each cluster ran for the database, to show which one answered the reports.
transactions() {
    sql_at "$1" postgres \
        "SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = '${DB}'"
}

# `measure NAME [SERVE_ARGS...]`: the load against a server started with SERVE_ARGS; wrk's
# JSON line goes to $WORK/NAME.json, the transactions the primary and the standby ran
# meanwhile to $WORK/NAME.transactions.
measure() {
    local name="$1" primary_before standby_before bearer
    shift
    start_server "$primary_url" --db-pool-size 10 "$@"
    bearer="$(admin_token)"
    wrk_json "$WORK/summary.requests" "$bearer" 3 "$CONNECTIONS" >/dev/null
    primary_before="$(transactions "$PRIMARY_PORT")"
    standby_before="$(transactions "$STANDBY_PORT")"
    wrk_json "$WORK/summary.requests" "$bearer" "$SECONDS_EACH" "$CONNECTIONS" >"$WORK/$name.json"
    echo "$(($(transactions "$PRIMARY_PORT") - primary_before))" \
        "$(($(transactions "$STANDBY_PORT") - standby_before))" >"$WORK/$name.transactions"
    stop_server
    [ "$(json non_2xx_3xx <"$WORK/$name.json")" = 0 ] || die "$name: answers that were not 2xx"
}

log "replica_reads: the report from the primary"
measure primary
log "replica_reads: the report from the standby"
measure standby --database-replica-url "$standby_url"
if grep -q "the read replica gave no connection" "$BENCH_WORK/server.log"; then
    die "the server found no connection to the standby"
fi
primary_json="$(cat "$WORK/primary.json")"
standby_json="$(cat "$WORK/standby.json")"
read -r primary_on_primary primary_on_standby <"$WORK/primary.transactions"
read -r standby_on_primary standby_on_standby <"$WORK/standby.transactions"

requests_of() { json requests <<<"$1"; }
[ "$standby_on_standby" -ge "$(requests_of "$standby_json")" ] \
    || die "the standby ran ${standby_on_standby} transactions for $(requests_of "$standby_json") reports"

primary_rps="$(json rps <<<"$primary_json")"
standby_rps="$(json rps <<<"$standby_json")"
ratio="$(round "$(calc "$standby_rps / $primary_rps")" 2)"
p99_ratio="$(round "$(calc "$(json p99_ms <<<"$standby_json") / $(json p99_ms <<<"$primary_json")")" 2)"
met="$(met_if "$ratio >= $TARGET_RATIO")"
record replica_reads "$(round "$standby_rps" 1)" "requests/s" "$(round "$primary_rps" 1)" \
    "$ratio" ">= ${TARGET_RATIO} of the primary" "$met"
record replica_reads_p99 "$(json p99_ms <<<"$standby_json")" ms \
    "$(json p99_ms <<<"$primary_json")" "$p99_ratio" "" ""

row() {
    local where="$1" result="$2" on_primary="$3" on_standby="$4"
    echo "| ${where} | $(round "$(json rps <<<"$result")" 1) | $(json p50_ms <<<"$result") ms |" \
        "$(json p99_ms <<<"$result") ms | ${on_primary} | ${on_standby} |"
}

section replica_reads <<MARKDOWN
## replica_reads: the enrollment summary from the primary and from a hot standby

Two PostgreSQL clusters made for this figure on this machine, with the same settings: a
primary seeded by \`threshold seed --clients ${CLIENTS}\` (${n_clients} clients and
${n_enrollments} enrollments, in ${seed_seconds} s), and a hot standby of it made by
\`pg_basebackup -R\`, streaming from it. The same server (\`--db-pool-size 10\`) runs first
on the primary alone, then with \`THRESHOLD_DATABASE_REPLICA_URL\` naming the standby. Each
time wrk (2 threads, ${CONNECTIONS} connections, ${SECONDS_EACH} s after a 3 s warm-up) sends,
with an admin token, \`GET /v1/reports/enrollment-summary?from=${from}&to=${to}\`: every
program and grant over the last year. The transactions each cluster ran meanwhile
(\`pg_stat_database\`) show which one answered (the primary's also count the import
worker's look for a queued job, four a second; on the standby, each connection is tested
with \`SELECT 1\` as it is taken).

| reports read from | requests/s | p50 | p99 | transactions on the primary | on the standby |
|---|---|---|---|---|---|
$(row "the primary" "$primary_json" "$primary_on_primary" "$primary_on_standby")
$(row "the standby" "$standby_json" "$standby_on_primary" "$standby_on_standby")

From the standby: **$(round "$standby_rps" 1) requests/s**, against $(round "$primary_rps" 1)
from the primary, a ratio of **${ratio}** (target: at least ${TARGET_RATIO}; met: ${met}).
The two clusters share this machine's cores, so the figure says what reading the standby
costs a report, not what it saves the primary: on a host of its own, the standby takes the
reports' CPU off the primary's writes.
MARKDOWN
