//! HUD's records under an enrollment, seven collections in one table, on both backends:
//! each collection finds, lists, changes and deletes only its own records, with the audit
//! events a service's writes have; the rules' reads across collections (an enrollment's, a
//! household's, the record at a stage for `record.stage_duplicate`); the table's checks of
//! which files have stages and disability types; and an enrollment's deletion taking its
//! records with it.

mod common;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use serde_json::{json, Value};
use threshold_domain::hud_records::Collection;
use threshold_persistence::audit::{AuditEventRow, Audited};
use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::ids::{EnrollmentId, HudRecordId, OrganizationId};
use threshold_persistence::migrations::run_pending;
use threshold_persistence::records::hud::{self, StageSlot};
use threshold_persistence::records::{self, EnrollmentRecord};
use threshold_persistence::rows::{
    CollectionTag, CurrentLivingSituations, Disabilities, EmploymentEducation, Events, HealthAndDv,
    HudCollection, HudFieldsJson, HudRecord, IncomeBenefits, Stamped, YouthEducationStatuses,
};
use threshold_persistence::schema::audit_events;
use uuid::Uuid;

use common::{PostgresDatabase, SqliteFile};

const ORGANIZATION: u128 = 1;
/// A household of two, and a third stay of the head's elsewhere in time.
const HEAD: u128 = 10;
const MEMBER: u128 = 11;
const EARLIER: u128 = 12;

fn enrollment(n: u128) -> EnrollmentId {
    EnrollmentId::from_uuid(Uuid::from_u128(n))
}

fn day(offset: i64) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 5).unwrap() + chrono::TimeDelta::days(offset)
}

fn instant(second: u32) -> NaiveDateTime {
    day(0).and_hms_opt(9, 0, second).unwrap()
}

/// A database at the newest migration with an organization's program, a client and the
/// three enrollments.
fn database(url: &str) -> DbConnection {
    run_pending(url).expect("the migrations run");
    let mut conn = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let stamps = "1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'test', 'test'";
    let (organization, program, client) = (
        Uuid::from_u128(ORGANIZATION),
        Uuid::from_u128(2),
        Uuid::from_u128(3),
    );
    let mut sql = format!(
        "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
         updated_at, created_by, updated_by) VALUES ('{organization}', 'o', FALSE, {stamps});\n\
         INSERT INTO programs (id, organization_id, name, project_type, operating_start_date, \
         continuum_project, version, created_at, updated_at, created_by, updated_by) VALUES \
         ('{program}', '{organization}', 'p', 1, '2020-01-01', TRUE, {stamps});\n\
         INSERT INTO clients (id, name_data_quality, ssn_data_quality, dob_data_quality, sex, \
         race_ethnicity, veteran_status, search_name, version, created_at, updated_at, \
         created_by, updated_by) VALUES ('{client}', 99, 99, 99, 99, '', 99, '', {stamps});\n"
    );
    for (n, household, relationship) in [(HEAD, HEAD, 1), (MEMBER, HEAD, 2), (EARLIER, EARLIER, 1)]
    {
        let (id, household) = (Uuid::from_u128(n), Uuid::from_u128(household));
        if n != MEMBER {
            sql += &format!(
                "INSERT INTO households (id, program_id, created_at, created_by) VALUES \
                 ('{household}', '{program}', '2026-01-01 00:00:00', 'test');\n"
            );
        }
        sql += &format!(
            "INSERT INTO enrollments (id, client_id, program_id, household_id, \
             relationship_to_hoh, entry_date, version, created_at, updated_at, created_by, \
             updated_by) VALUES ('{id}', '{client}', '{program}', '{household}', \
             {relationship}, '2025-06-01', {stamps});\n"
        );
    }
    conn.batch_execute(&sql).expect("the seed");
    conn
}

/// A new record of `C`, with a stage and a disability type where its file has them.
fn record<C: HudCollection>(enrollment_id: EnrollmentId, date: i64, fields: Value) -> HudRecord<C> {
    HudRecord {
        id: HudRecordId::new(),
        enrollment_id,
        collection: CollectionTag::new(),
        information_date: day(date),
        data_collection_stage: C::COLLECTION.has_stage().then_some(1),
        disability_type: (C::COLLECTION == Collection::Disabilities).then_some(5),
        fields: HudFieldsJson::from_value(fields).unwrap(),
        version: 1,
        created_at: instant(0),
        updated_at: instant(0),
        created_by: "cm".into(),
        updated_by: "cm".into(),
        deleted_at: None,
    }
}

fn events_of(conn: &mut DbConnection, id: Uuid) -> Vec<AuditEventRow> {
    audit_events::table
        .filter(audit_events::entity_id.eq(id.to_string()))
        .order(audit_events::id.asc())
        .load(conn)
        .unwrap()
}

fn changes(event: &AuditEventRow) -> Value {
    serde_json::from_str(&event.changes).unwrap()
}

/// Whether a record with this UUID is found as one of `C`.
fn found_as<C: HudCollection>(conn: &mut DbConnection, id: Uuid) -> bool {
    HudRecord::<C>::find(conn, HudRecordId::from_uuid(id))
        .unwrap()
        .is_some()
}

/// A record of `C` under the head's enrollment, stored.
fn stored<C: HudCollection>(conn: &mut DbConnection) -> HudRecord<C> {
    let row = record::<C>(enrollment(HEAD), 0, json!({}));
    HudRecord::<C>::insert(conn, &row).unwrap();
    row
}

/// Creates, reads, lists, changes and deletes a record of `C` beside `earlier`, of the same
/// collection, and a record of every other collection, and reads the audit trail of it.
fn one_collection<C: HudCollection>(conn: &mut DbConnection, earlier: &HudRecord<C>) {
    let enrollment_id = enrollment(HEAD);
    let mut row = record::<C>(
        enrollment_id,
        0,
        json!({"kept": 1, "changed": 100, "dropped": 2}),
    );
    HudRecord::<C>::insert(conn, &row).unwrap();
    assert_eq!(
        HudRecord::<C>::find(conn, row.id).unwrap(),
        Some(row.clone())
    );
    let listed = HudRecord::<C>::list(conn, enrollment_id, None, 10).unwrap();
    let mut own = vec![earlier.clone(), row.clone()];
    own.sort_by_key(|row| row.id);
    assert_eq!(listed.rows, own, "{}: its own, in ID order", C::NAME);
    let first = HudRecord::<C>::list(conn, enrollment_id, None, 1).unwrap();
    let rest = HudRecord::<C>::list(conn, enrollment_id, Some(own[0].id), 1).unwrap();
    assert_eq!((first.rows, first.more), (vec![own[0].clone()], true));
    assert_eq!((rest.rows, rest.more), (vec![own[1].clone()], false));
    // Its ID finds it as a record of its own collection only.
    let id = row.id.uuid();
    let found_as_each = [
        found_as::<IncomeBenefits>(conn, id),
        found_as::<Disabilities>(conn, id),
        found_as::<HealthAndDv>(conn, id),
        found_as::<EmploymentEducation>(conn, id),
        found_as::<CurrentLivingSituations>(conn, id),
        found_as::<Events>(conn, id),
        found_as::<YouthEducationStatuses>(conn, id),
    ];
    let own: Vec<bool> = Collection::ALL
        .iter()
        .map(|each| *each == C::COLLECTION)
        .collect();
    assert_eq!(found_as_each.to_vec(), own, "{}", C::NAME);

    row.fields = HudFieldsJson::from_value(json!({"kept": 1, "changed": 250})).unwrap();
    row.stamp(instant(1), "cm2");
    HudRecord::<C>::update(conn, &row).unwrap();
    let stored = HudRecord::<C>::find(conn, row.id).unwrap().unwrap();
    assert_eq!((stored.version, stored.fields.get("dropped")), (2, None));

    row.stamp(instant(2), "cm3");
    row.mark_deleted(instant(2));
    HudRecord::<C>::update(conn, &row).unwrap();
    assert_eq!(HudRecord::<C>::find(conn, row.id).unwrap(), None);
    let listed = HudRecord::<C>::list(conn, enrollment_id, None, 10).unwrap();
    assert_eq!(
        listed.rows,
        vec![earlier.clone()],
        "{}: deleted, unlisted",
        C::NAME
    );

    let events = events_of(conn, row.id.uuid());
    let summary: Vec<(&str, &str, &str, Option<OrganizationId>)> = events
        .iter()
        .map(|event| {
            let (action, entity) = (event.action.as_str(), event.entity_type.as_str());
            (action, entity, event.actor.as_str(), event.organization_id)
        })
        .collect();
    let organization = Some(OrganizationId::from_uuid(Uuid::from_u128(ORGANIZATION)));
    assert_eq!(
        summary,
        [
            ("create", C::ENTITY, "cm", organization),
            ("update", C::ENTITY, "cm2", organization),
            ("delete", C::ENTITY, "cm3", organization),
        ]
    );
    assert_eq!(changes(&events[0])["collection"]["new"], C::NAME);
    assert_eq!(changes(&events[0])["changed"]["new"], 100);
    assert_eq!(
        changes(&events[1]),
        json!({
            "changed": {"old": 100, "new": 250},
            "dropped": {"old": 2, "new": null},
        }),
        "{}: each HUD field the update changed",
        C::NAME
    );
}

/// What the API's record resources ask of a row: every collection's record is one.
fn resource_row<R: EnrollmentRecord<ParentId = EnrollmentId> + Audited + Send + 'static>() {}

#[test]
fn every_collection_is_a_record_resources_row() {
    resource_row::<HudRecord<IncomeBenefits>>();
    resource_row::<HudRecord<Disabilities>>();
    resource_row::<HudRecord<HealthAndDv>>();
    resource_row::<HudRecord<EmploymentEducation>>();
    resource_row::<HudRecord<CurrentLivingSituations>>();
    resource_row::<HudRecord<Events>>();
    resource_row::<HudRecord<YouthEducationStatuses>>();
    assert_eq!(<HudRecord<Events> as Audited>::ENTITY, "event");
}

fn each_collection_keeps_to_its_own(url: &str) {
    let mut conn = database(url);
    let conn = &mut conn;
    // A record of every collection stays under the enrollment while each is tried.
    let income = stored::<IncomeBenefits>(conn);
    let disability = stored::<Disabilities>(conn);
    let health = stored::<HealthAndDv>(conn);
    let employment = stored::<EmploymentEducation>(conn);
    let situation = stored::<CurrentLivingSituations>(conn);
    let event = stored::<Events>(conn);
    let education = stored::<YouthEducationStatuses>(conn);
    one_collection(conn, &income);
    one_collection(conn, &disability);
    one_collection(conn, &health);
    one_collection(conn, &employment);
    one_collection(conn, &situation);
    one_collection(conn, &event);
    one_collection(conn, &education);
    let mut left: Vec<Collection> = hud::of_enrollment(conn, enrollment(HEAD))
        .unwrap()
        .iter()
        .map(|record| record.collection)
        .collect();
    left.sort_unstable();
    assert_eq!(left, Collection::ALL, "the first of each is left");
}

#[test]
fn sqlite_each_collection_keeps_to_its_own() {
    each_collection_keeps_to_its_own(&SqliteFile::new().url());
}

#[test]
fn postgres_each_collection_keeps_to_its_own() {
    each_collection_keeps_to_its_own(&PostgresDatabase::new().url());
}

#[path = "hud_records/across_collections.rs"]
mod across_collections;
