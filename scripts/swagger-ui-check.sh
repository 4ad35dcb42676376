#!/usr/bin/env bash
# `make swagger-ui-check`: Swagger UI, as `threshold serve` serves it, opened in headless
# Chromium (Debian's package; installed here when missing and this user may) by
# spec/swagger-ui.mjs, which checks that HUD code lists show as drop-downs and as codes with
# labels, and keeps screenshots in <target>/swagger-ui/.
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
SHOTS="${TARGET_DIR}/swagger-ui"
CHROMIUM="${CHROMIUM:-/usr/bin/chromium}"

log() { printf '[swagger-ui %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

if [ ! -x "$CHROMIUM" ]; then
    sudo=""
    if [ "$(id -u)" -ne 0 ]; then
        sudo="sudo"
    fi
    log "installing Debian's chromium"
    $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        chromium >/dev/null || {
        $sudo apt-get update -q >/dev/null
        $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
            chromium >/dev/null
    }
fi

(cd spec && npm ci --no-audit --no-fund --loglevel=error)
log "building ${THRESHOLD}"
"$CARGO" build -q -p threshold-api --bin threshold

WORK="$(mktemp -d "${TMPDIR:-/tmp}/threshold-swagger-ui.XXXXXX")"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then
        kill -TERM "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

PORT="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')"
BASE="http://127.0.0.1:${PORT}"
THRESHOLD_JWT_SECRET="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" RUST_LOG=warn \
    "$THRESHOLD" serve --database-url "sqlite://${WORK}/threshold.db" --bind "127.0.0.1:${PORT}" \
    --workers 1 >"${WORK}/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    curl -fsS -m 2 -o /dev/null "$BASE/readyz" 2>/dev/null && break
    if ! kill -0 "$SERVER_PID" 2>/dev/null; then
        cat "${WORK}/server.log" >&2
        exit 1
    fi
    sleep 0.1
done

log "opening ${BASE}/swagger-ui/ in ${CHROMIUM}"
(cd spec && THRESHOLD_URL="$BASE" SCREENSHOT_DIR="$SHOTS" CHROMIUM="$CHROMIUM" node swagger-ui.mjs)
log "Swagger UI shows the HUD choices; screenshots in ${SHOTS}"
