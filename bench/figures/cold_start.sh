#!/usr/bin/env bash
# cold_start: `threshold serve` on an empty SQLite file (it creates the file and runs every
# migration) until /readyz answers 200, the median of 5 starts; the reference is the same
# binary starting and exiting (`threshold --version`), the floor of any start.
set -euo pipefail
source "$(dirname "$0")/../lib.sh"

RUNS=5
TARGET_SECONDS=1
trap 'stop_server' EXIT

median() { sort -n | awk '{ values[NR] = $1 } END { print values[int((NR + 1) / 2)] }'; }

: >"$BENCH_WORK/cold_start.times"
: >"$BENCH_WORK/process_start.times"
for run in $(seq 1 $RUNS); do
    file="$BENCH_WORK/cold-${run}.db"
    rm -f "$file"*
    port="$(free_port)"
    BASE="http://127.0.0.1:${port}"
    started="$(now)"
    THRESHOLD_JWT_SECRET="$BENCH_SECRET" RUST_LOG=warn \
        "$THRESHOLD" serve --database-url "sqlite://${file}" --bind "127.0.0.1:${port}" \
        >>"$BENCH_WORK/server.log" 2>&1 &
    SERVER_PID=$!
    ready=""
    for _ in $(seq 1 2000); do
        if curl -fsS -m 1 -o /dev/null "$BASE/readyz" 2>/dev/null; then
            ready="$(elapsed "$started")"
            break
        fi
        kill -0 "$SERVER_PID" 2>/dev/null || break
        sleep 0.005
    done
    [ -n "$ready" ] || { tail -n 20 "$BENCH_WORK/server.log" >&2; die "serve never became ready"; }
    echo "$ready" >>"$BENCH_WORK/cold_start.times"
    stop_server

    started="$(now)"
    "$THRESHOLD" --version >/dev/null
    elapsed "$started" >>"$BENCH_WORK/process_start.times"
done

cold="$(median <"$BENCH_WORK/cold_start.times")"
floor="$(median <"$BENCH_WORK/process_start.times")"
ratio="$(round "$(calc "$cold / $floor")" 1)"
all="$(paste -sd ' ' "$BENCH_WORK/cold_start.times")"
record cold_start "$cold" s "$floor" "$ratio" "< $TARGET_SECONDS" "$(met_if "$cold < $TARGET_SECONDS")"

section cold_start <<MARKDOWN
## cold_start: \`threshold serve\` on an empty SQLite file to ready

From the fork of \`threshold serve --database-url sqlite://<new file>\` until the first
\`GET /readyz\` answers 200 (polled every 5 ms with curl), on a file that does not exist yet:
the server creates it, runs every migration, builds the pool and binds the port. Median of
${RUNS} starts: **${cold} s** (each: ${all}); target under ${TARGET_SECONDS} s.
Reference: the same binary starting and exiting (\`threshold --version\`), median ${floor} s.
The polling itself adds up to 5 ms plus curl's own start (a few ms) to every figure.
MARKDOWN
