#!/usr/bin/env python3
"""Seeds a fresh Threshold server through its API for `make fuzz-api`.

Creates one record of each kind (an organization, a user, a program, a grant, a client with
an assessment linked to an enrollment as head of a household with a second member, a
service, a goal with an action step, a follow-up, an import job), a second client with the
same records for the DELETE operations and a third whose enrollment is exited, to reopen. Prints them as Schemathesis configuration (TOML
`[parameters]`, appended to scripts/fuzz-api/schemathesis.toml by the script), so that
requests for existing IDs reach the handlers' rules instead of stopping at a 404.

Usage: seed.py BASE_URL TOKEN (standard library only).
"""

import json
import sys
import urllib.error
import urllib.request

ENTRY_DATE = "2024-03-01"


class Api:
    def __init__(self, base, token):
        self.base = base.rstrip("/")
        self.token = token

    def request(self, method, path, body=None, content_type="application/json", expect=(200, 201)):
        data = None
        headers = {"Authorization": f"Bearer {self.token}"}
        if body is not None:
            data = body if isinstance(body, bytes) else json.dumps(body).encode()
            headers["Content-Type"] = content_type
        request = urllib.request.Request(self.base + path, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                status, payload = response.status, response.read()
        except urllib.error.HTTPError as error:
            status, payload = error.code, error.read()
        if status not in expect:
            raise SystemExit(
                f"seed: {method} {path} answered {status}, not {expect}: {payload[:500]!r}"
            )
        return payload

    def create(self, path, body):
        return json.loads(self.request("POST", path, body))["id"]


def main():
    if len(sys.argv) != 3:
        raise SystemExit("usage: seed.py BASE_URL TOKEN")
    api = Api(sys.argv[1], sys.argv[2])
    ids = {}

    ids["organization_id"] = api.create("/v1/organizations", {"name": "Harbor Services"})
    ids["user_id"] = api.create(
        "/v1/users",
        {
            "organization_id": ids["organization_id"],
            "first_name": "Dana",
            "last_name": "Reyes",
            "email": "dana.reyes@example.org",
        },
    )
    ids["program_id"] = api.create(
        "/v1/programs",
        {
            "organization_id": ids["organization_id"],
            "name": "Harbor Shelter",
            "project_type": 0,
            "operating_start_date": "2020-01-01",
        },
    )
    program = f"/v1/programs/{ids['program_id']}"
    ids["grant_id"] = api.create(
        f"{program}/grants",
        {"funder": 2, "grant_identifier": "CA0001L9T001", "start_date": "2020-01-01"},
    )

    stable = seed_client(api, ids, "Alex", with_member=True)
    # DELETE operations get records of their own, so that the other operations keep
    # finding theirs whatever order the operations run in.
    disposable = seed_client(api, ids, "Jordan", with_member=False)

    # Reopening needs an exited enrollment.
    exited = seed_client(api, ids, "Riley", with_member=False)
    api.request(
        "POST",
        f"/v1/clients/{exited['client_id']}/enrollments/{exited['enrollment_id']}/exit",
        {"exit_date": "2024-12-20", "destination": 410},
    )

    # The organization's own export, checked again as an import (dry run: nothing changes).
    archive = api.request("GET", "/v1/exports/hmis-csv?from=2024-01-01&to=2024-12-31")
    job = api.request(
        "POST",
        f"/v1/imports/hmis-csv?organization_id={ids['organization_id']}&dry_run=true",
        archive,
        content_type="application/zip",
        expect=(202,),
    )
    ids["import_id"] = json.loads(job)["id"]

    print("# The seeded records (written by seed.py).")
    print("[parameters]")
    for name, value in {**ids, **stable}.items():
        print(f'"path.{name}" = "{value}"')
    print()
    # Where several blocks match an operation, the first to set `parameters` wins.
    print("[[operations]]")
    print('include-operation-id = "reopen_enrollment"')
    print("[operations.parameters]")
    for name, value in exited.items():
        print(f'"path.{name}" = "{value}"')
    print()
    print("[[operations]]")
    print('include-method = "DELETE"')
    print("[operations.parameters]")
    for name, value in disposable.items():
        print(f'"path.{name}" = "{value}"')


def seed_client(api, ids, first_name, with_member):
    """A client with an assessment and an enrollment (as head of a household, with a member
    when asked) with a service, a goal and its action step, and a follow-up: their IDs."""
    chain = {}
    chain["client_id"] = api.create(
        "/v1/clients",
        {"first_name": first_name, "last_name": "Lee", "dob": "1980-01-01", "dob_data_quality": 1},
    )
    client = f"/v1/clients/{chain['client_id']}"
    chain["assessment_id"] = api.create(
        f"{client}/assessments",
        {
            "assessment_date": ENTRY_DATE,
            "assessment_location": "Harbor Shelter front desk",
            "assessment_type": 3,
            "assessment_level": 2,
            "prioritization_status": 1,
            "answers": [{"question": "Where did you sleep last night?", "answer": "In a car"}],
        },
    )
    head = json.loads(
        api.request(
            "POST",
            f"{client}/enrollments",
            {
                "program_id": ids["program_id"],
                "entry_date": ENTRY_DATE,
                "relationship_to_hoh": 1,
                "grant_id": ids["grant_id"],
                "case_manager_id": ids["user_id"],
                "assessment_ids": [chain["assessment_id"]],
            },
        )
    )
    chain["enrollment_id"] = head["id"]
    chain["household_id"] = head["household_id"]
    if with_member:
        member_client_id = api.create(
            "/v1/clients",
            {"first_name": "Sam", "last_name": "Lee", "dob": "2010-06-01", "dob_data_quality": 1},
        )
        api.create(
            f"/v1/clients/{member_client_id}/enrollments",
            {
                "program_id": ids["program_id"],
                "entry_date": ENTRY_DATE,
                "relationship_to_hoh": 2,
                "household_id": chain["household_id"],
            },
        )
    enrollment = f"{client}/enrollments/{chain['enrollment_id']}"
    chain["service_id"] = api.create(
        f"{enrollment}/services",
        {"date_provided": "2024-03-02", "record_type": 200, "type_provided": 200},
    )
    chain["goal_id"] = api.create(
        f"{enrollment}/goals", {"title": "Find stable housing", "target_date": "2024-09-01"}
    )
    chain["action_step_id"] = api.create(
        f"{enrollment}/goals/{chain['goal_id']}/action-steps",
        {"description": "Apply for a housing voucher", "assigned_to": ids["user_id"]},
    )
    chain["follow_up_id"] = api.create(
        f"{enrollment}/follow-ups",
        {"reason": "Check on the voucher", "due_date": "2024-04-01", "assigned_to": ids["user_id"]},
    )
    return chain


if __name__ == "__main__":
    main()
