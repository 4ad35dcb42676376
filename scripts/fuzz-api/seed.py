#!/usr/bin/env python3
"""Seeds a fresh Threshold server through its API for `make fuzz-api`.

Creates one record of each kind (an organization, a user, a program, a grant, the program's
CoC, inventory, HMIS and CE participations, a services-only program's affiliation with it, a
client with
an assessment linked to an enrollment as head of a household with a second member, a
service, a goal with an action step, a follow-up, an import job, a webhook subscription with
a delivery), the same records again for each DELETE operation, and a client whose
enrollment is exited, to reopen.
Writes them as Schemathesis configuration to append to scripts/fuzz-api/schemathesis.toml,
so that requests for existing IDs reach the handlers' rules instead of stopping at a 404:
OUT_DIR/seeded-fixed.toml puts them in every request (for the examples and coverage
phases, whose values are chosen, not drawn), OUT_DIR/seeded-mixed.toml in nine requests in
ten (for the fuzzing phase, the tenth checking the answer for a record that does not exist).

Usage: seed.py BASE_URL TOKEN OUT_DIR (standard library only).
"""

import json
import os
import sys
import urllib.error
import urllib.request

ENTRY_DATE = "2024-03-01"
DELETE_OPERATIONS = [
    "delete_client",
    "delete_assessment",
    "delete_enrollment",
    "unlink_assessment",
    "delete_service",
    "delete_goal",
    "delete_action_step",
    "delete_follow_up",
    "delete_webhook",
    "delete_coc",
    "delete_inventory",
    "delete_hmis_participation",
    "delete_ce_participation",
    "delete_affiliation",
]
# The affiliation operations, under the services-only program rather than the shelter.
AFFILIATION_OPERATIONS = [
    "list_affiliations",
    "create_affiliation",
    "get_affiliation",
    "update_affiliation",
]
# Where the seeded webhook subscriptions point: a closed port of loopback.
LOOPBACK_RECEIVER = "http://127.0.0.1:9/fuzz"


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
    if len(sys.argv) != 4:
        raise SystemExit("usage: seed.py BASE_URL TOKEN OUT_DIR")
    api = Api(sys.argv[1], sys.argv[2])
    out_dir = sys.argv[3]
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

    program_records = seed_program_records(api, ids["program_id"])
    ids.update(program_records)
    services_id = api.create(
        "/v1/programs",
        {
            "organization_id": ids["organization_id"],
            "name": "Harbor Outreach Services",
            "project_type": 6,
            "operating_start_date": "2020-01-01",
        },
    )

    def affiliate():
        return api.create(
            f"/v1/programs/{services_id}/affiliations", {"res_program_id": ids["program_id"]}
        )

    affiliation = {"program_id": services_id, "affiliation_id": affiliate()}

    # Subscribed before the clients are enrolled, so that it has deliveries to list and retry.
    ids["webhook_id"] = api.create(
        "/v1/webhooks", {"url": LOOPBACK_RECEIVER, "events": ["enrollment.created"]}
    )
    stable = seed_client(api, ids, "Alex", with_member=True)
    # Each DELETE operation gets records of its own, so that no operation finds its records
    # gone with another's (an enrollment's services go with it), whatever order they run in;
    # the client to delete has no enrollment, so that it can be.
    own_records = {}
    for operation_id in DELETE_OPERATIONS:
        if operation_id == "delete_client":
            client_id = api.create("/v1/clients", {"first_name": "Casey", "last_name": "Lee"})
            own_records[operation_id] = {"client_id": client_id}
        elif operation_id == "delete_affiliation":
            own_records[operation_id] = {"program_id": services_id, "affiliation_id": affiliate()}
        elif operation_id in ("delete_coc", "delete_inventory", "delete_hmis_participation",
                              "delete_ce_participation"):
            name = operation_id.removeprefix("delete_") + "_id"
            own_records[operation_id] = {name: seed_program_records(api, ids["program_id"])[name]}
        elif operation_id == "delete_webhook":
            webhook_id = api.create(
                "/v1/webhooks", {"url": LOOPBACK_RECEIVER, "events": ["client.updated"]}
            )
            own_records[operation_id] = {"webhook_id": webhook_id}
        else:
            own_records[operation_id] = seed_client(api, ids, "Jordan", with_member=False)
    for operation_id in AFFILIATION_OPERATIONS:
        own_records[operation_id] = affiliation
    # Reopening needs an exited enrollment.
    exited = seed_client(api, ids, "Riley", with_member=False)
    api.request(
        "POST",
        f"/v1/clients/{exited['client_id']}/enrollments/{exited['enrollment_id']}/exit",
        {"exit_date": "2024-12-20", "destination": 410},
    )
    own_records["reopen_enrollment"] = exited

    deliveries = json.loads(api.request("GET", f"/v1/webhooks/{ids['webhook_id']}/deliveries"))
    ids["delivery_id"] = deliveries["data"][0]["id"]

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

    shared = {**ids, **stable}
    with open(os.path.join(out_dir, "seeded-fixed.toml"), "w", encoding="utf-8") as out:
        write_fixed(out, shared, own_records)
    with open(os.path.join(out_dir, "seeded-mixed.toml"), "w", encoding="utf-8") as out:
        write_mixed(out, shared, own_records)


def write_fixed(out, shared, own_records):
    """Every request names a seeded record."""
    out.write("\n# The seeded records (written by seed.py), in every request.\n[parameters]\n")
    for name, value in shared.items():
        out.write(f'"path.{name}" = "{value}"\n')
    for operation_id, records in own_records.items():
        out.write(f'\n[[operations]]\ninclude-operation-id = "{operation_id}"\n')
        out.write("[operations.parameters]\n")
        for name, value in records.items():
            out.write(f'"path.{name}" = "{value}"\n')


def write_mixed(out, shared, own_records):
    """Nine requests in ten name a seeded record; the tenth keeps the generated ID, so that
    what answers for a record that does not exist is checked too."""
    out.write("\n# The seeded records (written by seed.py), in nine requests in ten.\n")
    dictionaries = {name: value for name, value in shared.items()}
    for operation_id, records in own_records.items():
        for name, value in records.items():
            dictionaries[f"{operation_id}_{name}"] = value
    for name, value in dictionaries.items():
        out.write(f'[dictionaries.{name}]\nvalues = ["{value}"]\n')

    def bind(prefix, records):
        for name in records:
            binding = f'{{ dictionary = "{prefix}{name}", probability = 0.9 }}'
            out.write(f'"path.{name}" = {binding}\n')

    out.write("\n[parameters]\n")
    bind("", shared)
    for operation_id, records in own_records.items():
        out.write(f'\n[[operations]]\ninclude-operation-id = "{operation_id}"\n')
        out.write("[operations.parameters]\n")
        bind(f"{operation_id}_", records)


def seed_program_records(api, program_id):
    """A program's CoC (one of its own code, which no inventory counts in), an inventory in
    the program's first CoC (CA-500, made when missing), and HMIS and CE participations:
    their IDs."""
    program = f"/v1/programs/{program_id}"
    codes = [coc["coc_code"] for coc in json.loads(api.request("GET", f"{program}/cocs"))["data"]]
    if "CA-500" not in codes:
        api.create(f"{program}/cocs", {"coc_code": "CA-500", "geocode": "069001"})
    records = {}
    code = f"CA-{501 + len(codes):03d}"
    records["coc_id"] = api.create(
        f"{program}/cocs", {"coc_code": code, "geocode": "069002", "geography_type": 1}
    )
    records["inventory_id"] = api.create(
        f"{program}/inventories",
        {
            "coc_code": "CA-500",
            "household_type": 1,
            "unit_inventory": 10,
            "bed_inventory": 12,
            "inventory_start_date": "2020-01-01",
        },
    )
    records["hmis_participation_id"] = api.create(
        f"{program}/hmis-participations",
        {"hmis_participation_type": 1, "hmis_participation_status_start_date": "2020-01-01"},
    )
    records["ce_participation_id"] = api.create(
        f"{program}/ce-participations",
        {"access_point": 0, "receives_referrals": 1,
         "ce_participation_status_start_date": "2020-01-01"},
    )
    return records


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
