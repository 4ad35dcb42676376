-- wrk script: requests over the lines of the file $WRK_REQUESTS, each "METHOD PATH" or
-- "METHOD PATH BODY" (BODY is JSON on one line). Thread t of $WRK_THREADS sends lines t+1,
-- t+1+n, t+1+2n, ... so no two threads send the same line; at the end of the file a thread
-- starts again, unless $WRK_ONCE=1, when it sends GET /readyz instead (so a write is never
-- sent twice; the caller counts those apart). The token is $WRK_TOKEN; with
-- $WRK_IDEMPOTENCY set, every request with a body carries Idempotency-Key: $WRK_IDEMPOTENCY-<line>.
-- done() prints one JSON line: throughput, latency percentiles and errors.

local lines = {}
for line in io.lines(os.getenv("WRK_REQUESTS")) do
    lines[#lines + 1] = line
end
local token = os.getenv("WRK_TOKEN")
local once = os.getenv("WRK_ONCE") == "1"
local stride = tonumber(os.getenv("WRK_THREADS")) or 1
local idempotency = os.getenv("WRK_IDEMPOTENCY")
local next_thread = 0

function setup(thread)
    thread:set("thread_id", next_thread)
    next_thread = next_thread + 1
end

local position = nil

function request()
    if position == nil then
        position = thread_id + 1
    end
    if position > #lines then
        if once then
            return wrk.format("GET", "/readyz")
        end
        position = ((position - 1) % #lines) + 1
    end
    local line_number = position
    local line = lines[position]
    position = position + stride
    local method, path, body = line:match("^(%S+) (%S+) ?(.*)$")
    local headers = { ["Authorization"] = "Bearer " .. token }
    if body ~= nil and body ~= "" then
        headers["Content-Type"] = "application/json"
        if idempotency ~= nil and idempotency ~= "" then
            headers["Idempotency-Key"] = idempotency .. "-" .. line_number
        end
    else
        body = nil
    end
    return wrk.format(method, path, headers, body)
end

function done(summary, latency, requests)
    local errors = summary.errors.connect + summary.errors.read + summary.errors.write
        + summary.errors.timeout
    io.write(string.format(
        '{"requests": %d, "seconds": %.3f, "rps": %.1f, "p50_ms": %.3f, "p90_ms": %.3f, '
            .. '"p99_ms": %.3f, "max_ms": %.3f, "non_2xx_3xx": %d, "socket_errors": %d}\n',
        summary.requests, summary.duration / 1e6, summary.requests / (summary.duration / 1e6),
        latency:percentile(50) / 1000, latency:percentile(90) / 1000,
        latency:percentile(99) / 1000, latency.max / 1000, summary.errors.status, errors))
end
