//! Who may call each operation: one entry per operation of the OpenAPI document, with a
//! request that passes every check for an allowed caller without changing the fixture
//! (`?dry_run=true` on writes), so the status seen is the authorization outcome.

use serde_json::{json, Value};

use super::fixture::{Fixture, Who, ENTRY};

/// The contract's roles section, as classes of operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No token needed; a bad one is ignored.
    Open,
    /// Reference data and client search: every role reads (search shows only the clients
    /// the caller may see).
    Everyone,
    /// Every role reads, but only what its organization may see: another organization's
    /// callers get 200 without any of organization A's private records.
    Filtered,
    /// Reference data writes.
    AdminOnly,
    /// A new client: admins and case managers of any organization.
    SharedWrite,
    /// A client organization A serves (or created), and what is under it: another
    /// organization's callers get 404, as if the client did not exist (client privacy).
    ClientRead,
    /// A write to such a client or under it: viewers and integrations 403, another
    /// organization's case manager 404.
    ClientWrite,
    /// A record of organization A: another organization's callers get 404, as if it did not
    /// exist.
    OwnRead,
    /// A write to organization A's records: viewers and integrations 403, another
    /// organization's case manager 404.
    OwnWrite,
    /// HMIS exports and imports: admins and integrations.
    Exchange,
    /// Webhook subscriptions and their logs: admins and integrations; another
    /// organization's integration finds none of organization A's (404).
    Subscriptions,
}

/// The status the contract promises `who`, given the status an allowed caller gets.
pub fn expected(access: Access, who: Who, ok: u16) -> u16 {
    use Access::*;
    use Who::*;
    match (access, who) {
        (Open, _) => ok,
        (_, NoToken | BadToken) => 401,
        (_, Admin) => ok,
        (Everyone | Filtered, _) => ok,
        (AdminOnly, _) => 403,
        (SharedWrite, CaseManagerOwn | CaseManagerOther) => ok,
        (SharedWrite, _) => 403,
        (ClientRead, CaseManagerOwn | ViewerOwn | IntegrationOwn) => ok,
        (ClientRead, _) => 404,
        (ClientWrite, CaseManagerOwn) => ok,
        (ClientWrite, CaseManagerOther) => 404,
        (ClientWrite, _) => 403,
        (OwnRead, CaseManagerOwn | ViewerOwn | IntegrationOwn) => ok,
        (OwnRead, _) => 404,
        (OwnWrite, CaseManagerOwn) => ok,
        (OwnWrite, CaseManagerOther) => 404,
        (OwnWrite, _) => 403,
        (Exchange, IntegrationOwn) => ok,
        (Exchange, _) => 403,
        (Subscriptions, IntegrationOwn) => ok,
        (Subscriptions, _) => 403,
    }
}

/// Where the fixture's client stands with organization B when the matrix is walked (client
/// privacy): the walk is repeated in each, in this order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Organization A serves the client; B has no consent.
    Before,
    /// A consent in force names organization B.
    Consented,
    /// That consent is revoked.
    Revoked,
    /// A victim service provider serves the client too: sealed to it, and hidden from A.
    Sealed,
}

/// The status `who` gets for `entry` in `stage`: [`expected`], except where the fixture's
/// client (every path under `/v1/clients/{client_id}` that does not name another client)
/// is seen otherwise in that stage.
pub fn expected_in(stage: Stage, entry: &Entry, who: Who) -> u16 {
    use Access::*;
    use Who::*;
    if who == IntegrationOther {
        return match (entry.access, entry.method) {
            // Its own organization's export (none of A's records); A's jobs and imports
            // into A are not its own.
            (Exchange, "GET") if entry.path == "/v1/exports/hmis-csv" => entry.ok,
            (Exchange, "GET") => 404,
            (Exchange, _) => 403,
            // Its own organization's subscriptions (none), and new ones; A's are not its own.
            (Subscriptions, _) if entry.path == "/v1/webhooks" => entry.ok,
            (Subscriptions, _) => 404,
            // Otherwise it reads, and writes nothing, like a viewer of organization B.
            _ => expected_in(stage, entry, ViewerOther),
        };
    }
    let base = expected(entry.access, who, entry.ok);
    let on_the_client = entry.path.starts_with("/v1/clients/{client_id}")
        && !entry.overrides.iter().any(|(name, _)| *name == "client_id");
    if !on_the_client {
        return base;
    }
    match (stage, entry.access, who) {
        (Stage::Before | Stage::Revoked, _, _) => base,
        // B sees the client and writes to it like A; A's enrollments stay A's.
        (Stage::Consented, ClientRead, CaseManagerOther | ViewerOther) => entry.ok,
        (Stage::Consented, ClientWrite, CaseManagerOther) => entry.ok,
        (Stage::Consented, _, _) => base,
        // Neither A nor B sees the client, nor anything under it; roles are checked first.
        (Stage::Sealed, ClientRead | OwnRead, CaseManagerOwn | ViewerOwn | IntegrationOwn) => 404,
        (Stage::Sealed, ClientWrite | OwnWrite, CaseManagerOwn) => 404,
        (Stage::Sealed, _, _) => base,
    }
}

pub enum Body {
    Json(Value),
    /// An empty archive sent as `application/zip` (the job fails later, not the request).
    Zip,
}

pub struct Entry {
    pub method: &'static str,
    /// The OpenAPI path template.
    pub path: String,
    pub access: Access,
    /// What an allowed caller gets.
    pub ok: u16,
    /// Appended to the path; `{name}` is filled like the path's parameters.
    pub query: &'static str,
    pub body: Option<Body>,
    /// Path parameters naming another record than the fixture's default.
    pub overrides: Vec<(&'static str, String)>,
}

impl Entry {
    fn dry_run(mut self) -> Entry {
        self.query = "?dry_run=true";
        self
    }

    fn query(mut self, query: &'static str) -> Entry {
        self.query = query;
        self
    }

    fn json(mut self, body: Value) -> Entry {
        self.body = Some(Body::Json(body));
        self
    }

    fn zip(mut self) -> Entry {
        self.body = Some(Body::Zip);
        self
    }

    fn with(mut self, name: &'static str, value: &str) -> Entry {
        self.overrides.push((name, value.to_owned()));
        self
    }
}

fn op(method: &'static str, path: impl Into<String>, access: Access, ok: u16) -> Entry {
    Entry {
        method,
        path: path.into(),
        access,
        ok,
        query: "",
        body: None,
        overrides: Vec::new(),
    }
}

const CLIENT: &str = "/v1/clients/{client_id}";
/// A client's releases of information: only those who may see the client find them.
const CONSENTS: &str = "/v1/clients/{client_id}/consents";
const CONSENT: &str = "/v1/clients/{client_id}/consents/{consent_id}";
const ENROLLMENTS: &str = "/v1/clients/{client_id}/enrollments";
const ENROLLMENT: &str = "/v1/clients/{client_id}/enrollments/{enrollment_id}";

pub fn table(fixture: &Fixture) -> Vec<Entry> {
    use Access::*;
    let org = fixture.param("organization_id");
    let program = fixture.param("program_id");
    let user = fixture.param("user_id");
    let today = fixture.param("today");
    let assessment = json!({"assessment_date": "2024-03-04", "assessment_location": "Office",
                            "assessment_type": 3, "assessment_level": 2, "prioritization_status": 1});
    let service = json!({"date_provided": "2024-03-06", "record_type": 144, "type_provided": 1});
    let follow_up = json!({"reason": "Call", "due_date": "2024-03-09", "assigned_to": user});
    let mut entries = vec![
        op("GET", "/healthz", Open, 200),
        op("GET", "/readyz", Open, 200),
        // Open by design (README: restrict it at the proxy), though the contract lists only
        // the health checks and the documentation as open.
        op("GET", "/metrics", Open, 200),
        op("GET", "/v1/organizations", Everyone, 200),
        op("POST", "/v1/organizations", AdminOnly, 200)
            .dry_run()
            .json(json!({"name": "Probe"})),
        op("GET", "/v1/organizations/{organization_id}", Everyone, 200),
        op(
            "PATCH",
            "/v1/organizations/{organization_id}",
            AdminOnly,
            200,
        )
        .dry_run()
        .json(json!({"name": "Harbor Light House"})),
        op("GET", "/v1/programs", Everyone, 200),
        op("POST", "/v1/programs", AdminOnly, 200)
            .dry_run()
            .json(json!({
            "organization_id": org, "name": "Probe", "project_type": 0,
            "operating_start_date": "2020-01-01"})),
        op("GET", "/v1/programs/{program_id}", Everyone, 200),
        op("PATCH", "/v1/programs/{program_id}", AdminOnly, 200)
            .dry_run()
            .json(json!({"name": "Harbor Shelter North"})),
        op("GET", "/v1/programs/{program_id}/grants", Everyone, 200),
        op("POST", "/v1/programs/{program_id}/grants", AdminOnly, 200)
            .dry_run()
            .json(json!({"funder": 2, "grant_identifier": "CA0002", "start_date": "2020-01-01"})),
        op(
            "GET",
            "/v1/programs/{program_id}/grants/{grant_id}",
            Everyone,
            200,
        ),
        op(
            "PATCH",
            "/v1/programs/{program_id}/grants/{grant_id}",
            AdminOnly,
            200,
        )
        .dry_run()
        .json(json!({"grant_identifier": "CA0003"})),
        op("GET", "/v1/users", Filtered, 200),
        op("POST", "/v1/users", AdminOnly, 200)
            .dry_run()
            .json(json!({
            "organization_id": org, "first_name": "Pat", "last_name": "Probe",
            "email": "pat.probe@example.org"})),
        // Staff, with their email addresses, are seen only within their organization.
        op("GET", "/v1/users/{user_id}", OwnRead, 200),
        op("PATCH", "/v1/users/{user_id}", AdminOnly, 200)
            .dry_run()
            .json(json!({"first_name": "Danielle"})),
        op("GET", "/v1/clients", Everyone, 200),
        op("POST", "/v1/clients", SharedWrite, 200)
            .dry_run()
            .json(json!({"first_name": "Probe", "last_name": "Lee"})),
        // The duplicate check at intake: a read, but case managers' work.
        op("POST", "/v1/clients/match", SharedWrite, 200)
            .json(json!({"last_name": "Lee", "dob": "1980-01-01"})),
        op("GET", CLIENT, ClientRead, 200),
        op("PATCH", CLIENT, ClientWrite, 200)
            .dry_run()
            .json(json!({"middle_name": "Q"})),
        op("DELETE", CLIENT, ClientWrite, 204)
            .dry_run()
            .with("client_id", &fixture.bare_client),
        op(
            "GET",
            "/v1/clients/{client_id}/assessments",
            ClientRead,
            200,
        ),
        op(
            "POST",
            "/v1/clients/{client_id}/assessments",
            ClientWrite,
            200,
        )
        .dry_run()
        .json(assessment),
        op(
            "GET",
            "/v1/clients/{client_id}/assessments/{assessment_id}",
            ClientRead,
            200,
        ),
        op(
            "PATCH",
            "/v1/clients/{client_id}/assessments/{assessment_id}",
            ClientWrite,
            200,
        )
        .dry_run()
        .json(json!({"assessment_location": "Street outreach"})),
        op(
            "DELETE",
            "/v1/clients/{client_id}/assessments/{assessment_id}",
            ClientWrite,
            204,
        )
        .dry_run(),
        op("GET", CONSENTS, ClientRead, 200),
        op("POST", CONSENTS, ClientWrite, 200)
            .dry_run()
            .json(json!({"scope": "organizations", "organization_ids": [org]})),
        op("GET", CONSENT, ClientRead, 200),
        op("PATCH", CONSENT, ClientWrite, 200)
            .dry_run()
            .json(json!({"end_date": "2030-01-01"})),
        op("GET", ENROLLMENTS, ClientRead, 200),
        // A client another organization may not see cannot be enrolled by it (404); its
        // enrolling one it sees into organization A's program is a 403 (enrollments.rs).
        op("POST", ENROLLMENTS, ClientWrite, 200)
            .dry_run()
            .with("client_id", &fixture.bare_client)
            .json(json!({"program_id": program, "entry_date": ENTRY, "relationship_to_hoh": 1})),
        op("GET", ENROLLMENT, OwnRead, 200),
        op("GET", ENROLLMENT_COMPLETENESS, OwnRead, 200),
        op("PATCH", ENROLLMENT, OwnWrite, 200)
            .dry_run()
            .json(json!({"length_of_stay": 2})),
        op("DELETE", ENROLLMENT, OwnWrite, 204)
            .dry_run()
            .with("client_id", &fixture.member_client)
            .with("enrollment_id", &fixture.member_enrollment),
        op("POST", ENROLLMENT_EXIT, OwnWrite, 200)
            .dry_run()
            .json(json!({"exit_date": today, "destination": 410, "household": true})),
        op("DELETE", ENROLLMENT_EXIT, OwnWrite, 200)
            .dry_run()
            .with("enrollment_id", &fixture.exited_enrollment),
        op("GET", LINKED, OwnRead, 200),
        op("PUT", LINKED_ONE, OwnWrite, 200)
            .dry_run()
            .with("assessment_id", &fixture.unlinked_assessment),
        op("DELETE", LINKED_ONE, OwnWrite, 204).dry_run(),
        // A program's roster: its organization's callers, as its enrollments.
        op("GET", "/v1/programs/{program_id}/enrollments", OwnRead, 200),
        op("GET", "/v1/households/{household_id}", OwnRead, 200),
        op("PUT", "/v1/households/{household_id}/head", OwnWrite, 200)
            .dry_run()
            .json(json!({"enrollment_id": fixture.member_enrollment,
                         "previous_head_relationship": 3})),
        op("GET", "/v1/follow-ups", Filtered, 200),
        op("GET", "/v1/enrollments", Filtered, 200).query("?updated_since=2000-01-01T00:00:00Z"),
        op("GET", "/v1/audit-events", Filtered, 200).query("?limit=200"),
        op("GET", "/v1/reports/enrollment-summary", Filtered, 200)
            .query("?from=2024-01-01&to=2024-12-31"),
        op("GET", "/v1/reports/data-quality", Filtered, 200),
        // HUD's tables hold counts, no record's ID: their scope is proved by their cells'
        // members below (and by the reports' own tests).
        op("GET", "/v1/reports/hud-data-quality", Everyone, 200)
            .query("?from=2024-01-01&to=2024-12-31"),
        op("GET", "/v1/reports/outcomes", Everyone, 200).query("?from=2024-01-01&to=2024-12-31"),
        // A cell there always is: the people served.
        op(
            "GET",
            "/v1/reports/hud-data-quality/cells/{question}/{cell}",
            Filtered,
            200,
        )
        .with("question", "Q5a")
        .with("cell", "B2")
        .query("?from=2024-01-01&to=2024-12-31"),
        op(
            "GET",
            "/v1/reports/outcomes/cells/{question}/{cell}",
            Filtered,
            200,
        )
        .with("question", "Q7a")
        .with("cell", "B6")
        .query("?from=2024-01-01&to=2024-12-31"),
        op("GET", "/v1/exports/hmis-csv", Exchange, 200).query("?from=2024-01-01&to={today}"),
        op("GET", "/v1/imports/{import_id}", Exchange, 200),
        op("POST", "/v1/imports/hmis-csv", Exchange, 202)
            .query("?dry_run=true&organization_id={organization_id}")
            .zip(),
        op("GET", "/v1/webhooks", Subscriptions, 200),
        op("POST", "/v1/webhooks", Subscriptions, 200)
            .dry_run()
            .json(json!({"url": "http://127.0.0.1:9/probe", "events": ["client.updated"]})),
        op("GET", "/v1/webhooks/{webhook_id}", Subscriptions, 200),
        op("PATCH", "/v1/webhooks/{webhook_id}", Subscriptions, 200)
            .dry_run()
            .json(json!({"description": "probe"})),
        op("DELETE", "/v1/webhooks/{webhook_id}", Subscriptions, 204).dry_run(),
        op(
            "GET",
            "/v1/webhooks/{webhook_id}/deliveries",
            Subscriptions,
            200,
        ),
        op(
            "POST",
            "/v1/webhooks/{webhook_id}/deliveries/{delivery_id}/retry",
            Subscriptions,
            202,
        ),
    ];
    entries.extend(records(
        "services",
        "service_id",
        service,
        json!({"note": "Bus pass"}),
    ));
    entries.extend(records(
        "goals",
        "goal_id",
        json!({"title": "Stable income"}),
        json!({"description": "Part-time first"}),
    ));
    entries.extend(records(
        "goals/{goal_id}/action-steps",
        "action_step_id",
        json!({"description": "Call the job centre", "assigned_to": user}),
        json!({"completed_date": "2024-03-20"}),
    ));
    entries.extend(records(
        "follow-ups",
        "follow_up_id",
        follow_up,
        json!({"outcome": "Reached"}),
    ));
    // HUD's records, at an update (2) inside the stay where the file has stages.
    let hud = [
        (
            "income-benefits",
            "income_benefit_id",
            json!({"information_date": "2024-03-06", "data_collection_stage": 2, "income_from_any_source": 0}),
            json!({"connection_with_soar": 0}),
        ),
        (
            "disabilities",
            "disability_id",
            json!({"information_date": "2024-03-06", "data_collection_stage": 2, "disability_type": 6, "disability_response": 0}),
            json!({"disability_response": 1}),
        ),
        (
            "health-and-dv",
            "health_and_dv_record_id",
            json!({"information_date": "2024-03-06", "data_collection_stage": 2, "domestic_violence_survivor": 0}),
            json!({"general_health_status": 1}),
        ),
        (
            "employment-education",
            "employment_education_record_id",
            json!({"information_date": "2024-03-06", "data_collection_stage": 2, "employed": 0}),
            json!({"school_status": 1}),
        ),
        (
            "current-living-situations",
            "current_living_situation_id",
            json!({"information_date": "2024-03-06", "current_living_situation": 116}),
            json!({"location_details": "Riverside"}),
        ),
        (
            "events",
            "event_id",
            json!({"information_date": "2024-03-06", "event": 2}),
            json!({"prob_sol_div_rr_result": 1}),
        ),
        (
            "youth-education-statuses",
            "youth_education_status_id",
            json!({"information_date": "2024-03-06", "data_collection_stage": 2, "current_school_attend": 0}),
            json!({"most_recent_ed_status": 1}),
        ),
    ];
    for (segment, id, create, change) in hud {
        entries.extend(records(segment, id, create, change));
    }
    // The program's own records (HUD 2.03, 2.07-2.09) and the services-only program's
    // affiliation (2.02.C): every role reads, admins write.
    let program_records = [
        (
            "cocs",
            "coc_id",
            json!({"coc_code": "CA-502", "geocode": "069003"}),
            json!({"city": "Alameda"}),
        ),
        (
            "inventories",
            "inventory_id",
            json!({"coc_code": "CA-500", "household_type": 3, "unit_inventory": 2,
                   "bed_inventory": 6, "inventory_start_date": "2021-01-01"}),
            json!({"availability": 1}),
        ),
        (
            "hmis-participations",
            "hmis_participation_id",
            json!({"hmis_participation_type": 2,
                   "hmis_participation_status_start_date": "2021-01-01"}),
            json!({"hmis_participation_status_end_date": "2021-12-31"}),
        ),
        (
            "ce-participations",
            "ce_participation_id",
            json!({"access_point": 0, "receives_referrals": 0,
                   "ce_participation_status_start_date": "2021-01-01"}),
            json!({"receives_referrals": 1}),
        ),
    ];
    for (collection, id, create, change) in program_records {
        entries.extend(program_records_of(collection, id, create, change, None));
    }
    let services = fixture.param("services_program_id");
    let residential = json!({"res_program_id": program});
    entries.extend(program_records_of(
        "affiliations",
        "affiliation_id",
        residential.clone(),
        residential,
        Some(services),
    ));
    entries
}

/// The five operations of a collection under a program (`program`, or the fixture's).
fn program_records_of(
    collection: &str,
    id: &str,
    create: Value,
    change: Value,
    program: Option<&str>,
) -> Vec<Entry> {
    let list = format!("/v1/programs/{{program_id}}/{collection}");
    let item = format!("{list}/{{{id}}}");
    use Access::*;
    let entries = vec![
        op("GET", list.clone(), Everyone, 200),
        op("POST", list, AdminOnly, 200).dry_run().json(create),
        op("GET", item.clone(), Everyone, 200),
        op("PATCH", item.clone(), AdminOnly, 200)
            .dry_run()
            .json(change),
        op("DELETE", item, AdminOnly, 204).dry_run(),
    ];
    match program {
        Some(program) => entries
            .into_iter()
            .map(|entry| entry.with("program_id", program))
            .collect(),
        None => entries,
    }
}

const ENROLLMENT_EXIT: &str = "/v1/clients/{client_id}/enrollments/{enrollment_id}/exit";
const ENROLLMENT_COMPLETENESS: &str =
    "/v1/clients/{client_id}/enrollments/{enrollment_id}/completeness";
const LINKED: &str = "/v1/clients/{client_id}/enrollments/{enrollment_id}/assessments";
const LINKED_ONE: &str =
    "/v1/clients/{client_id}/enrollments/{enrollment_id}/assessments/{assessment_id}";

/// The five operations of a collection under the enrollment.
fn records(collection: &str, id: &str, create: Value, change: Value) -> Vec<Entry> {
    let list = format!("{ENROLLMENT}/{collection}");
    let item = format!("{list}/{{{id}}}");
    use Access::*;
    vec![
        op("GET", list.clone(), OwnRead, 200),
        op("POST", list, OwnWrite, 200).dry_run().json(create),
        op("GET", item.clone(), OwnRead, 200),
        op("PATCH", item.clone(), OwnWrite, 200)
            .dry_run()
            .json(change),
        op("DELETE", item, OwnWrite, 204).dry_run(),
    ]
}
