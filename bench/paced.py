"""Requests at a fixed rate, each one's latency measured, optionally while an HMIS import runs.

    python3 bench/paced.py BASE TOKEN REQUESTS --rate R --connections C --first N
        (--seconds S | --archive ZIP --organization ID)

REQUESTS holds one request a line, as for bench/wrk/requests.lua ("METHOD PATH [JSON BODY]");
line N + i is sent at i / R seconds after the start, over C keep-alive connections taking
turns, each request with an `Idempotency-Key` of its own; no line is sent twice. A request's
latency runs from the instant it was due, not from when it could be sent: a stalled server
delays every request due meanwhile, and each counts the wait (no coordinated omission).

With --seconds, requests are sent for S seconds. With --archive, the archive is POSTed to
/v1/imports/hmis-csv?organization_id=ID two seconds after the first request, the job is read
every 100 ms, and requests go on until it is seen finished: only those sent between the
first and the last read that saw it running count.

Prints one JSON object: the counted requests' latency percentiles, their statuses, and with
--archive the job's timeline.
"""

import argparse
import http.client
import json
import math
import threading
import time
from urllib.parse import urlsplit

POLL_SECONDS = 0.1
IMPORT_AFTER_SECONDS = 2.0


def percentile(values, fraction):
    """Nearest rank."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


class Server:
    def __init__(self, base, token):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.token = token

    def connect(self):
        return http.client.HTTPConnection(self.host, self.port, timeout=60)

    def send(self, connection, method, path, body=None, headers=None):
        headers = {"Authorization": f"Bearer {self.token}", **(headers or {})}
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.getheader("Location"), response.read()


def send_paced(server, lines, args, started, keep_going, results):
    """One connection's share: lines first + w, first + w + C, ... each at its due time."""

    def worker(index):
        connection = server.connect()
        turn = index
        while True:
            due = started + turn / args.rate
            position = args.first + turn
            if not keep_going(due) or position >= len(lines):
                break
            delay = due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            parts = lines[position].split(" ", 2)
            method, path = parts[0], parts[1]
            body = parts[2] if len(parts) > 2 else None
            headers = {}
            if body:
                headers = {
                    "Content-Type": "application/json",
                    "Idempotency-Key": f"{args.key_prefix}-{position}",
                }
            sent = time.monotonic()
            try:
                status, _, _ = server.send(connection, method, path, body, headers)
            except (OSError, http.client.HTTPException):
                status = 0
                connection.close()
                connection = server.connect()
            done = time.monotonic()
            results.append((due, sent, done, status, position))
            turn += args.connections
        connection.close()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.connections)]
    for thread in threads:
        thread.start()
    return threads


def run_import(server, args, started, timeline, finished):
    """POSTs the archive, then reads the job until it has finished; notes what each read saw."""
    delay = started + IMPORT_AFTER_SECONDS - time.monotonic()
    if delay > 0:
        time.sleep(delay)
    connection = server.connect()
    with open(args.archive, "rb") as archive:
        body = archive.read()
    posted = time.monotonic()
    status, location, answer = server.send(
        connection,
        "POST",
        f"/v1/imports/hmis-csv?organization_id={args.organization}",
        body,
        {"Content-Type": "application/zip"},
    )
    timeline.append((posted, f"posted {status}"))
    if status != 202 or not location:
        timeline.append((time.monotonic(), f"refused: {answer[:300]!r}"))
        finished.set()
        return
    while True:
        _, _, answer = server.send(connection, "GET", location)
        job = json.loads(answer)
        timeline.append((time.monotonic(), job["status"]))
        if job["status"] not in ("queued", "running"):
            finished.set()
            return
        time.sleep(POLL_SECONDS)


def summary(requests):
    latency = [(done - due) * 1000 for due, _, done, _, _ in requests]
    service = [(done - sent) * 1000 for _, sent, done, _, _ in requests]
    late = sum(1 for due, sent, _, _, _ in requests if sent - due > 0.010)
    statuses = {}
    for _, _, _, status, _ in requests:
        statuses[str(status)] = statuses.get(str(status), 0) + 1

    def rounded(value):
        return None if value is None else round(value, 3)

    return {
        "requests": len(requests),
        "p50_ms": rounded(percentile(latency, 0.50)),
        "p99_ms": rounded(percentile(latency, 0.99)),
        "max_ms": rounded(max(latency, default=None)),
        "service_p50_ms": rounded(percentile(service, 0.50)),
        "service_p99_ms": rounded(percentile(service, 0.99)),
        "sent_late": late,
        "statuses": statuses,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("token")
    parser.add_argument("requests")
    parser.add_argument("--rate", type=float, required=True)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--first", type=int, default=0)
    parser.add_argument("--key-prefix", default=f"paced-{time.time_ns()}")
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--archive")
    parser.add_argument("--organization")
    args = parser.parse_args()
    if (args.seconds is None) == (args.archive is None):
        parser.error("give either --seconds or --archive")

    with open(args.requests) as file:
        lines = [line.rstrip("\n") for line in file if line.strip()]
    server = Server(args.base, args.token)
    results = []
    started = time.monotonic() + 0.2
    timeline = []
    finished = threading.Event()
    if args.archive:
        importer = threading.Thread(
            target=run_import, args=(server, args, started, timeline, finished)
        )
        importer.start()

        def keep_going(_due):
            return not finished.is_set()

    else:

        def keep_going(due):
            return due < started + args.seconds

    for thread in send_paced(server, lines, args, started, keep_going, results):
        thread.join()
    # The first line no request took: the next run starts there.
    out = {
        "next": max((r[4] for r in results), default=args.first - 1) + 1,
        "all": summary(results),
    }
    if args.archive:
        importer.join()
        running = [at for at, status in timeline if status == "running"]
        # Each change the reads saw, with the seconds since the first request was due.
        changes = [
            (at, status)
            for index, (at, status) in enumerate(timeline)
            if index == 0 or status != timeline[index - 1][1]
        ]
        out["job"] = [{"seconds": round(at - started, 3), "status": s} for at, s in changes]
        out["job_final"] = next(
            (status for _, status in reversed(timeline) if status in ("succeeded", "failed")),
            None,
        )
        if running:
            first, last = running[0], running[-1]
            out["running_from"] = round(first - started, 3)
            out["running_to"] = round(last - started, 3)
            counted = [r for r in results if first <= r[1] <= last]
            out["counted"] = summary(counted)
            # When the slowest were due, in seconds since the first request was due.
            slowest = sorted(counted, key=lambda r: r[0] - r[2])[:10]
            out["slowest"] = [
                {"due": round(due - started, 3), "ms": round((done - due) * 1000, 1)}
                for due, _, done, _, _ in slowest
            ]
            out["before"] = summary([r for r in results if r[1] < first])
        else:
            out["counted"] = summary([])
    else:
        out["counted"] = out["all"]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
