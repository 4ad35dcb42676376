"""A bounded soak: many concurrent clients send mixed reads and writes to running Threshold
servers for a while, then the database is checked for every invariant the rules promise.

    python3 bench/soak.py --base http://127.0.0.1:8080 [--base ...] --token T \
        --database-url postgres://... --seconds 120 --workers 24 --out soak.json

Requests go round-robin over every --base (several servers on one database). The writes are
the enrollment lifecycle: new households, members joining, exits (alone and whole household),
reopens, changes of head, services. Every answer must be one the contract allows for that
request; a 5xx or an unexpected status is a failure. Afterwards, in the database:

- every household with enrollments has exactly one head;
- no client has overlapping enrollments in one program (half-open stays, as the domain reads
  them);
- every service lies within its enrollment;
- every active member's head is active (members exit with or before their head);
- every enrollment and service has exactly as many audit events as its version (one per write).

Exits non-zero when any check fails. Only the Python standard library.
"""

import argparse
import datetime
import http.client
import json
import random
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import Counter

ENTRY_FIRST = datetime.date(2024, 1, 1)
ENTRY_DAYS = 540
DESTINATIONS = [410, 411, 422, 116, 101]
ALLOWED = {
    "read": {200},
    "enroll": {201, 409},
    "join": {201, 409},
    "exit": {200, 409},
    "exit_household": {200, 409},
    "reopen": {200, 409},
    "change_head": {200, 409},
    "service": {201, 409},
}


class Api:
    """One keep-alive connection per worker, round-robin over the servers."""

    def __init__(self, bases, token):
        self.bases = [urllib.parse.urlsplit(base) for base in bases]
        self.token = token
        self.connections = [None] * len(self.bases)
        self.turn = random.randrange(len(self.bases))

    def _connection(self, index):
        if self.connections[index] is None:
            base = self.bases[index]
            self.connections[index] = http.client.HTTPConnection(
                base.hostname, base.port, timeout=30
            )
        return self.connections[index]

    def call(self, method, path, body=None):
        self.turn = (self.turn + 1) % len(self.bases)
        index = self.turn
        headers = {"Authorization": f"Bearer {self.token}"}
        payload = None
        if body is not None:
            payload = json.dumps(body)
            headers["Content-Type"] = "application/json"
        for attempt in range(2):
            connection = self._connection(index)
            try:
                connection.request(method, path, body=payload, headers=headers)
                response = connection.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, OSError):
                connection.close()
                self.connections[index] = None
                if attempt == 1:
                    return 0, None
        try:
            parsed = json.loads(data) if data else None
        except ValueError:
            parsed = None
        return response.status, parsed


class World:
    """What the workers know of the data they made; the database stays the authority."""

    def __init__(self, clients, program_id):
        self.lock = threading.Lock()
        self.clients = clients
        self.program_id = program_id
        self.enrollments = {}  # id -> dict(client_id, household_id, entry_date, head)
        self.households = {}  # id -> head entry date

    def remember(self, enrollment):
        with self.lock:
            self.enrollments[enrollment["id"]] = enrollment
            if enrollment["relationship_to_hoh"] == 1:
                self.households[enrollment["household_id"]] = enrollment["entry_date"]

    def any_enrollment(self):
        with self.lock:
            if not self.enrollments:
                return None
            return random.choice(list(self.enrollments.values()))

    def any_household(self):
        with self.lock:
            if not self.households:
                return None
            household_id = random.choice(list(self.households))
            return household_id, self.households[household_id]


def day(date):
    return date.isoformat()


def random_entry():
    return ENTRY_FIRST + datetime.timedelta(days=random.randrange(ENTRY_DAYS))


def one_request(api, world):
    roll = random.random()
    client_id = random.choice(world.clients)
    known = world.any_enrollment()
    if roll < 0.40 or known is None and roll < 0.5:
        choice = random.random()
        if choice < 0.4 or known is None:
            status, _ = api.call("GET", f"/v1/clients/{client_id}/enrollments")
        elif choice < 0.7:
            status, _ = api.call(
                "GET", f"/v1/clients/{known['client_id']}/enrollments/{known['id']}"
            )
        else:
            status, _ = api.call("GET", f"/v1/households/{known['household_id']}")
        return "read", status
    if roll < 0.55 or known is None:
        entry = random_entry()
        status, body = api.call(
            "POST",
            f"/v1/clients/{client_id}/enrollments",
            {"program_id": world.program_id, "entry_date": day(entry), "relationship_to_hoh": 1},
        )
        if status == 201:
            world.remember(body)
        return "enroll", status
    if roll < 0.65:
        household = world.any_household()
        if household is None:
            return "enroll", 409
        household_id, head_entry = household
        entry = datetime.date.fromisoformat(head_entry) + datetime.timedelta(
            days=random.randrange(30)
        )
        status, body = api.call(
            "POST",
            f"/v1/clients/{client_id}/enrollments",
            {
                "program_id": world.program_id,
                "entry_date": day(entry),
                "relationship_to_hoh": random.choice([2, 3, 4, 5]),
                "household_id": household_id,
            },
        )
        if status == 201:
            world.remember(body)
        return "join", status
    base = f"/v1/clients/{known['client_id']}/enrollments/{known['id']}"
    if roll < 0.77:
        exit_date = datetime.date.fromisoformat(known["entry_date"]) + datetime.timedelta(
            days=1 + random.randrange(120)
        )
        exit_date = min(exit_date, datetime.date.today())
        household = random.random() < 0.3
        status, _ = api.call(
            "POST",
            f"{base}/exit",
            {"exit_date": day(exit_date), "destination": random.choice(DESTINATIONS),
             "household": household},
        )
        return ("exit_household" if household else "exit"), status
    if roll < 0.82:
        status, _ = api.call("DELETE", f"{base}/exit")
        return "reopen", status
    if roll < 0.87:
        status, _ = api.call(
            "PUT",
            f"/v1/households/{known['household_id']}/head",
            {"enrollment_id": known["id"], "previous_head_relationship": random.choice([2, 3, 5])},
        )
        return "change_head", status
    provided = datetime.date.fromisoformat(known["entry_date"]) + datetime.timedelta(
        days=random.randrange(10)
    )
    status, _ = api.call(
        "POST",
        f"{base}/services",
        {"date_provided": day(min(provided, datetime.date.today())), "record_type": 144,
         "type_provided": 1},
    )
    return "service", status


def worker(api, world, deadline, counts, failures, latencies):
    while time.monotonic() < deadline:
        started = time.monotonic()
        action, status = one_request(api, world)
        latencies.append(time.monotonic() - started)
        with world.lock:
            counts[(action, status)] += 1
            if status not in ALLOWED[action]:
                failures.append({"action": action, "status": status})


def setup(api, clients):
    def created(path, body):
        status, answer = api.call("POST", path, body)
        if status != 201:
            sys.exit(f"soak: setting up {path} answered {status}: {answer}")
        return answer["id"]

    organization = created("/v1/organizations", {"name": "Soak Services"})
    program = created(
        "/v1/programs",
        {"organization_id": organization, "name": "Soak Shelter", "project_type": 0,
         "operating_start_date": "2020-01-01"},
    )
    client_ids = [
        created(
            "/v1/clients",
            {"first_name": f"Soak{index}", "last_name": "Client", "dob": "1980-01-01",
             "dob_data_quality": 1},
        )
        for index in range(clients)
    ]
    return program, client_ids


INVARIANTS = {
    "households_without_exactly_one_head": """
        SELECT count(*) FROM (
          SELECT household_id FROM enrollments WHERE deleted_at IS NULL GROUP BY household_id
          HAVING sum(CASE WHEN relationship_to_hoh = 1 THEN 1 ELSE 0 END) <> 1) AS bad""",
    "overlapping_enrollments": """
        SELECT count(*) FROM enrollments a JOIN enrollments b
          ON a.client_id = b.client_id AND a.program_id = b.program_id AND a.id < b.id
        WHERE a.deleted_at IS NULL AND b.deleted_at IS NULL AND (
          CASE
            WHEN a.exit_date IS NOT NULL AND a.exit_date <= a.entry_date THEN
              b.entry_date < a.entry_date AND (b.exit_date IS NULL OR a.entry_date < b.exit_date)
            WHEN b.exit_date IS NOT NULL AND b.exit_date <= b.entry_date THEN
              a.entry_date < b.entry_date AND (a.exit_date IS NULL OR b.entry_date < a.exit_date)
            ELSE (b.exit_date IS NULL OR a.entry_date < b.exit_date)
              AND (a.exit_date IS NULL OR b.entry_date < a.exit_date)
          END)""",
    "services_outside_their_enrollment": """
        SELECT count(*) FROM services s JOIN enrollments e ON e.id = s.enrollment_id
        WHERE s.deleted_at IS NULL AND e.deleted_at IS NULL
          AND (s.date_provided < e.entry_date
               OR (e.exit_date IS NOT NULL AND s.date_provided > e.exit_date))""",
    "active_members_of_exited_heads": """
        SELECT count(*) FROM enrollments m JOIN enrollments h
          ON h.household_id = m.household_id AND h.relationship_to_hoh = 1
        WHERE m.relationship_to_hoh <> 1 AND m.deleted_at IS NULL AND h.deleted_at IS NULL
          AND m.exit_date IS NULL AND h.exit_date IS NOT NULL""",
    "enrollments_whose_audit_events_differ_from_their_writes": """
        SELECT count(*) FROM enrollments e
        WHERE e.version <> (SELECT count(*) FROM audit_events a
                            WHERE a.entity_type = 'enrollment' AND a.entity_id = e.id)""",
    "services_whose_audit_events_differ_from_their_writes": """
        SELECT count(*) FROM services s
        WHERE s.version <> (SELECT count(*) FROM audit_events a
                            WHERE a.entity_type = 'service' AND a.entity_id = s.id)""",
}


def check_invariants(database_url):
    found = {}
    for name, sql in INVARIANTS.items():
        if database_url.startswith("sqlite://"):
            import sqlite3

            connection = sqlite3.connect(database_url[len("sqlite://"):])
            found[name] = connection.execute(sql).fetchone()[0]
            connection.close()
        else:
            output = subprocess.run(
                ["psql", database_url, "-X", "-Atq", "-c", " ".join(sql.split())],
                check=True, capture_output=True, text=True, timeout=600,
            )
            found[name] = int(output.stdout.strip())
    return found


def percentile(values, fraction):
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--base", action="append", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--seconds", type=float, default=120)
    parser.add_argument("--workers", type=int, default=24)
    parser.add_argument("--clients", type=int, default=300)
    parser.add_argument("--random-seed", type=int, default=7)
    parser.add_argument("--out")
    args = parser.parse_args()
    random.seed(args.random_seed)

    setup_api = Api(args.base, args.token)
    program_id, clients = setup(setup_api, args.clients)
    world = World(clients, program_id)
    counts = Counter()
    failures = []
    latencies = []
    deadline = time.monotonic() + args.seconds
    started = time.monotonic()
    threads = [
        threading.Thread(
            target=worker,
            args=(Api(args.base, args.token), world, deadline, counts, failures, latencies),
        )
        for _ in range(args.workers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    seconds = time.monotonic() - started

    invariants = check_invariants(args.database_url)
    requests = sum(counts.values())
    server_errors = sum(n for (_, status), n in counts.items() if status >= 500 or status == 0)
    result = {
        "seconds": round(seconds, 1),
        "workers": args.workers,
        "servers": len(args.base),
        "requests": requests,
        "requests_per_second": round(requests / seconds, 1) if seconds else 0,
        "p50_ms": round(percentile(latencies, 0.5) * 1000, 2),
        "p99_ms": round(percentile(latencies, 0.99) * 1000, 2),
        "server_errors": server_errors,
        "unexpected": len(failures),
        "unexpected_examples": failures[:10],
        "statuses": {f"{action} {status}": n for (action, status), n in sorted(counts.items())},
        "invariants": invariants,
    }
    result["ok"] = (
        server_errors == 0 and not failures and all(n == 0 for n in invariants.values())
    )
    text = json.dumps(result, indent=2)
    if args.out:
        with open(args.out, "w") as file:
            file.write(text + "\n")
    print(text)
    sys.exit(0 if result["ok"] else 1)


if __name__ == "__main__":
    main()
