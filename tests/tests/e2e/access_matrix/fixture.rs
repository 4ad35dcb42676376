//! The records every operation of the matrix points at, made once per app through the API as
//! an admin: organization A owns them all, organization B owns nothing but its callers.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use threshold_tests::{Role, TestApp};

use crate::common::imports::post_import;
use crate::common::{
    create_client, create_client_as, create_grant, create_organization, create_program,
    create_user, enroll_head, enroll_member, id_of, today,
};

/// Who calls: every kind of caller the contract's roles section tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Who {
    NoToken,
    /// Well formed, signed with another secret.
    BadToken,
    Admin,
    CaseManagerOwn,
    ViewerOwn,
    CaseManagerOther,
    ViewerOther,
    /// Of organization A, like the records.
    IntegrationOwn,
    /// Of organization B.
    IntegrationOther,
}

pub const EVERY_CALLER: [Who; 9] = [
    Who::NoToken,
    Who::BadToken,
    Who::Admin,
    Who::CaseManagerOwn,
    Who::ViewerOwn,
    Who::CaseManagerOther,
    Who::ViewerOther,
    Who::IntegrationOwn,
    Who::IntegrationOther,
];

pub struct Fixture {
    /// Path parameter name (as the OpenAPI templates spell it) to the record it names.
    pub params: BTreeMap<&'static str, String>,
    /// IDs organization B's callers must not find in the filtered lists: organization A's
    /// records, and its programs (the reports are per program).
    pub hidden_ids: Vec<String>,
    pub organization_b: String,
    /// A client with no enrollment (deleting it is allowed).
    pub bare_client: String,
    /// The second member of the household (not its head).
    pub member_client: String,
    pub member_enrollment: String,
    /// An exited enrollment, in a program of its own so reopening it overlaps nothing.
    pub exited_enrollment: String,
    /// An assessment of the head's client linked to no enrollment.
    pub unlinked_assessment: String,
    tokens: BTreeMap<&'static str, String>,
}

pub const ENTRY: &str = "2024-03-01";

/// A ZIP archive with nothing in it (its end-of-directory record alone): the import takes it
/// and its job fails, as the import's checks are not what the matrix is about.
pub const EMPTY_ZIP: [u8; 22] = *b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";

impl Fixture {
    pub fn param(&self, name: &str) -> &str {
        self.params
            .get(name)
            .unwrap_or_else(|| panic!("the fixture has no `{name}`"))
    }

    /// The `Authorization` token of a caller (`None` for [`Who::NoToken`]).
    pub fn token(&self, who: Who) -> Option<&str> {
        let key = match who {
            Who::NoToken => return None,
            Who::BadToken => "bad",
            Who::Admin => "admin",
            Who::CaseManagerOwn => "case_manager_own",
            Who::ViewerOwn => "viewer_own",
            Who::CaseManagerOther => "case_manager_other",
            Who::ViewerOther => "viewer_other",
            Who::IntegrationOwn => "integration_own",
            Who::IntegrationOther => "integration_other",
        };
        self.tokens.get(key).map(String::as_str)
    }
}

fn created(app: &TestApp, path: &str, body: &Value) -> String {
    let response = app.post(path, Some(&app.admin_token()), body);
    response.assert_status(201);
    id_of(&response.body)
}

/// A token signed like the app's but with another secret: well formed, badly signed.
fn badly_signed(app: &TestApp) -> String {
    let claims = app.claims("mallory", &[Role::Admin], None);
    let key = jsonwebtoken::EncodingKey::from_secret(b"not-the-app-secret-at-all");
    jsonwebtoken::encode(&jsonwebtoken::Header::default(), &claims, &key).expect("signs")
}

pub fn build(app: &TestApp) -> Fixture {
    let organization = create_organization(app, "Harbor Light");
    let organization_b = create_organization(app, "Northside Outreach");
    let program = create_program(app, &organization, json!({}));
    let other_program = create_program(app, &organization, json!({"name": "Harbor Annex"}));
    let grant = create_grant(app, &program, "2020-01-01", None);
    // The program's own records (HUD 2.03, 2.07-2.09), and a services-only program
    // affiliated with it (2.02.C). The CoC an inventory counts in cannot be deleted: the
    // fixture's CoC is another one.
    let programs = format!("/v1/programs/{program}");
    let coc = json!({"coc_code": "CA-500", "geocode": "069001"});
    created(app, &format!("{programs}/cocs"), &coc);
    let coc = created(
        app,
        &format!("{programs}/cocs"),
        &json!({"coc_code": "CA-501", "geocode": "069002"}),
    );
    let inventory = created(
        app,
        &format!("{programs}/inventories"),
        &json!({"coc_code": "CA-500", "household_type": 1, "unit_inventory": 5,
                "bed_inventory": 5, "inventory_start_date": "2020-01-01"}),
    );
    let hmis_participation = created(
        app,
        &format!("{programs}/hmis-participations"),
        &json!({"hmis_participation_type": 1,
                "hmis_participation_status_start_date": "2020-01-01"}),
    );
    let ce_participation = created(
        app,
        &format!("{programs}/ce-participations"),
        &json!({"access_point": 0, "receives_referrals": 1,
                "ce_participation_status_start_date": "2020-01-01"}),
    );
    let services_program = create_program(
        app,
        &organization,
        json!({"name": "Harbor Services", "project_type": 6}),
    );
    let affiliation = created(
        app,
        &format!("/v1/programs/{services_program}/affiliations"),
        &json!({"res_program_id": program}),
    );
    let user = create_user(app, &organization);
    let client = create_client(app, "Jordan");
    let member_client = create_client(app, "Riley");
    // Created by a case manager of organization A, which sees it while nobody serves it.
    let case_manager =
        crate::common::token_for(app, "fixture-cm", Role::CaseManager, &organization);
    let bare_client = create_client_as(app, &case_manager, "Sam");

    // Organization A's integration subscribes before the enrollments are made, so that
    // its subscription has deliveries (to a closed port of loopback: each fails).
    let integration =
        crate::common::token_for(app, "fixture-sync", Role::Integration, &organization);
    let subscribed = app.post(
        "/v1/webhooks",
        Some(&integration),
        &json!({"url": "http://127.0.0.1:9/hooks", "events": ["enrollment.created"]}),
    );
    subscribed.assert_status(201);
    let webhook = id_of(&subscribed.body);

    let head = enroll_head(app, &client, &program, ENTRY);
    let enrollment = id_of(&head);
    let household = head["household_id"]
        .as_str()
        .expect("a household")
        .to_owned();
    let member = enroll_member(app, &member_client, &program, &household, ENTRY, 3);
    let member_enrollment = id_of(&member);
    let exited_enrollment = id_of(&enroll_head(app, &client, &other_program, "2024-01-01"));
    let exit = app.post(
        &format!("/v1/clients/{client}/enrollments/{exited_enrollment}/exit"),
        Some(&app.admin_token()),
        &json!({"exit_date": "2024-02-01", "destination": 410}),
    );
    exit.assert_status(200);

    let base = format!("/v1/clients/{client}/enrollments/{enrollment}");
    let assessment = |date: &str| {
        json!({"assessment_date": date, "assessment_location": "Harbor Access Center",
               "assessment_type": 3, "assessment_level": 2, "prioritization_status": 1})
    };
    let assessments = format!("/v1/clients/{client}/assessments");
    let linked_assessment = created(app, &assessments, &assessment("2024-03-02"));
    let unlinked_assessment = created(app, &assessments, &assessment("2024-03-03"));
    app.put(
        &format!("{base}/assessments/{linked_assessment}"),
        Some(&app.admin_token()),
        &json!({}),
    )
    .assert_status(200);
    // Naming organization A only: organization B must not see the client through it.
    let consent = created(
        app,
        &format!("/v1/clients/{client}/consents"),
        &json!({"scope": "organizations", "organization_ids": [organization]}),
    );
    let service = created(
        app,
        &format!("{base}/services"),
        &json!({"date_provided": "2024-03-05", "record_type": 144, "type_provided": 1}),
    );
    let goal = created(
        app,
        &format!("{base}/goals"),
        &json!({"title": "Find work", "target_date": "2024-09-01"}),
    );
    let action_step = created(
        app,
        &format!("{base}/goals/{goal}/action-steps"),
        &json!({"description": "Update the résumé", "assigned_to": user, "due_date": "2024-04-01"}),
    );
    let follow_up = created(
        app,
        &format!("{base}/follow-ups"),
        &json!({"reason": "Check in", "due_date": "2024-03-08", "assigned_to": user}),
    );
    // One record of each of HUD's collections, at an update (2) where the file has stages.
    let hud = |segment: &str, body: Value| created(app, &format!("{base}/{segment}"), &body);
    let income_benefit = hud(
        "income-benefits",
        json!({"information_date": "2024-03-05", "data_collection_stage": 2, "income_from_any_source": 0}),
    );
    let disability = hud(
        "disabilities",
        json!({"information_date": "2024-03-05", "data_collection_stage": 2, "disability_type": 5, "disability_response": 0}),
    );
    let health_and_dv = hud(
        "health-and-dv",
        json!({"information_date": "2024-03-05", "data_collection_stage": 2, "domestic_violence_survivor": 0}),
    );
    let employment_education = hud(
        "employment-education",
        json!({"information_date": "2024-03-05", "data_collection_stage": 2, "employed": 0}),
    );
    let current_living_situation = hud(
        "current-living-situations",
        json!({"information_date": "2024-03-05", "current_living_situation": 116}),
    );
    let event = hud(
        "events",
        json!({"information_date": "2024-03-05", "event": 1}),
    );
    let youth_education_status = hud(
        "youth-education-statuses",
        json!({"information_date": "2024-03-05", "data_collection_stage": 2, "current_school_attend": 0}),
    );
    let deliveries = app.get(
        &format!("/v1/webhooks/{webhook}/deliveries"),
        Some(&app.admin_token()),
    );
    deliveries.assert_status(200);
    let delivery = id_of(&deliveries.body["data"][0]);
    let query = format!("?dry_run=true&organization_id={organization}");
    let import = post_import(app, &app.admin_token(), &query, EMPTY_ZIP.to_vec());
    import.assert_status(202);
    let import = id_of(&import.body);

    let hidden_ids = vec![
        program.clone(),
        other_program.clone(),
        enrollment.clone(),
        member_enrollment.clone(),
        exited_enrollment.clone(),
        household.clone(),
        service.clone(),
        goal.clone(),
        action_step.clone(),
        follow_up.clone(),
        income_benefit.clone(),
        disability.clone(),
        health_and_dv.clone(),
        employment_education.clone(),
        current_living_situation.clone(),
        event.clone(),
        youth_education_status.clone(),
        user.clone(),
        import.clone(),
        webhook.clone(),
    ];
    let params = BTreeMap::from([
        ("organization_id", organization.clone()),
        ("program_id", program),
        ("grant_id", grant),
        ("coc_id", coc),
        ("inventory_id", inventory),
        ("hmis_participation_id", hmis_participation),
        ("ce_participation_id", ce_participation),
        ("services_program_id", services_program),
        ("affiliation_id", affiliation),
        ("user_id", user),
        ("client_id", client),
        ("enrollment_id", enrollment),
        ("household_id", household),
        ("assessment_id", linked_assessment),
        ("consent_id", consent),
        ("service_id", service),
        ("goal_id", goal),
        ("action_step_id", action_step),
        ("follow_up_id", follow_up),
        ("income_benefit_id", income_benefit),
        ("disability_id", disability),
        ("health_and_dv_record_id", health_and_dv),
        ("employment_education_record_id", employment_education),
        ("current_living_situation_id", current_living_situation),
        ("event_id", event),
        ("youth_education_status_id", youth_education_status),
        ("import_id", import),
        ("webhook_id", webhook),
        ("delivery_id", delivery),
        ("today", today().format("%Y-%m-%d").to_string()),
    ]);
    let scoped = |sub: &str, role: Role, org: &str| crate::common::token_for(app, sub, role, org);
    let tokens = BTreeMap::from([
        ("bad", badly_signed(app)),
        ("admin", app.admin_token()),
        (
            "case_manager_own",
            scoped("casey", Role::CaseManager, &organization),
        ),
        ("viewer_own", scoped("val", Role::Viewer, &organization)),
        (
            "case_manager_other",
            scoped("blair", Role::CaseManager, &organization_b),
        ),
        ("viewer_other", scoped("vic", Role::Viewer, &organization_b)),
        (
            "integration_own",
            scoped("sync", Role::Integration, &organization),
        ),
        (
            "integration_other",
            scoped("sync-b", Role::Integration, &organization_b),
        ),
    ]);
    Fixture {
        params,
        hidden_ids,
        organization_b,
        bare_client,
        member_client,
        member_enrollment,
        exited_enrollment,
        unlinked_assessment,
        tokens,
    }
}
