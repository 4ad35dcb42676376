#!/usr/bin/env bash
# Makes sure the PostgreSQL server the tests use answers, starting the local cluster when
# there is one. The PostgreSQL tests fail rather than skip without a server.
set -euo pipefail

url="${THRESHOLD_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

answers() {
    if command -v pg_isready >/dev/null 2>&1; then
        pg_isready -q -d "$url" >/dev/null 2>&1
    elif command -v psql >/dev/null 2>&1; then
        psql "$url" -Atqc 'SELECT 1' >/dev/null 2>&1
    else
        echo "ensure-postgres: neither pg_isready nor psql is installed (apt-get install postgresql-client)" >&2
        exit 1
    fi
}

if answers; then
    exit 0
fi

if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    version="$(ls /etc/postgresql | sort -V | tail -n 1)"
    echo "ensure-postgres: PostgreSQL does not answer at ${url%%\?*}; starting the local cluster ${version}/main"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do
        if answers; then
            echo "ensure-postgres: PostgreSQL is up"
            exit 0
        fi
        sleep 1
    done
    echo "ensure-postgres: the local cluster was started but does not answer at $url after 30 s" >&2
    exit 1
fi

cat >&2 <<MESSAGE
ensure-postgres: PostgreSQL does not answer at $url.
The tests need a PostgreSQL server where this user may create databases. To get one:
  - install one locally: apt-get install postgresql (make test then starts it)
  - run one in a container: docker run -d -p 5432:5432 -e POSTGRES_HOST_AUTH_METHOD=trust postgres:16
  - or point THRESHOLD_TEST_POSTGRES_URL at an existing server.
MESSAGE
exit 1
