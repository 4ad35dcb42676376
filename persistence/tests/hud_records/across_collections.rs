//! What the rules read across collections, the table's checks of each file's shape, and an
//! enrollment's deletion.

use super::*;
use threshold_domain::hud_records::{check_record_dates, RecordFacts};
use threshold_domain::rules::Rule;
use threshold_persistence::schema::hud_records;

fn staged<C: HudCollection>(
    enrollment_id: EnrollmentId,
    stage: i32,
    disability_type: Option<i32>,
) -> HudRecord<C> {
    HudRecord {
        data_collection_stage: Some(stage),
        disability_type,
        ..record::<C>(enrollment_id, 0, json!({}))
    }
}

fn slot(enrollment: u128, stage: i32, disability_type: Option<i32>) -> StageSlot {
    StageSlot {
        enrollment_id: super::enrollment(enrollment),
        data_collection_stage: stage,
        disability_type,
    }
}

fn deleted<C: HudCollection>(conn: &mut DbConnection, mut row: HudRecord<C>) {
    row.stamp(instant(5), "cm");
    row.mark_deleted(instant(5));
    HudRecord::<C>::update(conn, &row).unwrap();
}

/// `record.stage_duplicate`: one record of a kind at stage 1 and one at stage 3 (5.03) per
/// enrollment, per disability type for disabilities (4.05-4.10).
fn the_record_at_a_stage(url: &str) {
    let mut conn = database(url);
    let conn = &mut conn;
    let head = enrollment(HEAD);
    let physical = staged::<Disabilities>(head, 1, Some(5));
    let developmental = staged::<Disabilities>(head, 1, Some(6));
    let physical_at_exit = staged::<Disabilities>(head, 3, Some(5));
    let income = staged::<IncomeBenefits>(head, 1, None);
    let members_income = staged::<IncomeBenefits>(enrollment(MEMBER), 1, None);
    for row in [&physical, &developmental, &physical_at_exit] {
        HudRecord::insert(conn, row).unwrap();
    }
    HudRecord::insert(conn, &income).unwrap();
    HudRecord::insert(conn, &members_income).unwrap();
    let deleted_at_exit = staged::<IncomeBenefits>(head, 3, None);
    HudRecord::insert(conn, &deleted_at_exit).unwrap();
    deleted(conn, deleted_at_exit);

    let disability = |conn: &mut DbConnection, slot, except| {
        hud::at_stage::<Disabilities>(conn, slot, except).unwrap()
    };
    assert_eq!(
        disability(conn, slot(HEAD, 1, Some(5)), None),
        Some(physical.id)
    );
    assert_eq!(
        disability(conn, slot(HEAD, 1, Some(5)), Some(physical.id)),
        None
    );
    assert_eq!(
        disability(conn, slot(HEAD, 1, Some(6)), Some(physical.id)),
        Some(developmental.id)
    );
    assert_eq!(disability(conn, slot(HEAD, 1, Some(7)), None), None);
    assert_eq!(
        disability(conn, slot(HEAD, 3, Some(5)), None),
        Some(physical_at_exit.id)
    );
    assert_eq!(disability(conn, slot(HEAD, 2, Some(5)), None), None);
    assert_eq!(disability(conn, slot(HEAD, 1, None), None), None);
    assert_eq!(physical.stage_slot(), Some(slot(HEAD, 1, Some(5))));
    // The domain's rule, fed the enrollment's stored records, finds the same duplicate.
    let others: Vec<_> = hud::of_enrollment(conn, head)
        .unwrap()
        .iter()
        .map(|record| record.stage_record())
        .collect();
    let second = staged::<Disabilities>(head, 1, Some(5));
    let facts = RecordFacts {
        entry_date: day(0).into(),
        exit_date: None,
        head_entry_date: day(0).into(),
    };
    let broken = check_record_dates(&facts, &second.stage_record(), &others)
        .expect_err("a second physical disability at project start");
    let rules: Vec<Rule> = broken
        .all()
        .iter()
        .map(|violation| violation.rule)
        .collect();
    assert_eq!(rules, [Rule::RecordStageDuplicate]);
    assert!(check_record_dates(&facts, &physical.stage_record(), &others).is_ok());

    let income_at = |conn: &mut DbConnection, slot, except| {
        hud::at_stage::<IncomeBenefits>(conn, slot, except).unwrap()
    };
    assert_eq!(income_at(conn, slot(HEAD, 1, None), None), Some(income.id));
    assert_eq!(income_at(conn, slot(HEAD, 1, None), Some(income.id)), None);
    assert_eq!(income_at(conn, slot(HEAD, 3, None), None), None, "deleted");
    assert_eq!(
        income_at(conn, slot(MEMBER, 1, None), None),
        Some(members_income.id)
    );
    assert_eq!(income_at(conn, slot(EARLIER, 1, None), None), None);
    assert_eq!(
        hud::at_stage::<HealthAndDv>(conn, slot(HEAD, 1, None), None).unwrap(),
        None,
        "other collections' records take no slot of its"
    );
    assert_eq!(record::<Events>(head, 0, json!({})).stage_slot(), None);
}

#[test]
fn sqlite_the_record_at_a_stage() {
    the_record_at_a_stage(&SqliteFile::new().url());
}

#[test]
fn postgres_the_record_at_a_stage() {
    the_record_at_a_stage(&PostgresDatabase::new().url());
}

fn with_id<C: HudCollection>(n: u128, row: HudRecord<C>) -> HudRecord<C> {
    HudRecord {
        id: HudRecordId::from_uuid(Uuid::from_u128(n)),
        ..row
    }
}

/// An enrollment's and a household's records, of every collection, by collection name, date
/// and ID; deleted records and other enrollments' left out.
fn every_record_of_enrollments(url: &str) {
    let mut conn = database(url);
    let conn = &mut conn;
    let (head, member) = (enrollment(HEAD), enrollment(MEMBER));
    let later_income = with_id(101, record::<IncomeBenefits>(head, 3, json!({})));
    let income_b = with_id(103, record::<IncomeBenefits>(head, 1, json!({})));
    let income_a = with_id(102, record::<IncomeBenefits>(head, 1, json!({})));
    let event = with_id(104, record::<Events>(head, 2, json!({})));
    let disability = with_id(105, record::<Disabilities>(head, 2, json!({})));
    let situation = with_id(106, record::<CurrentLivingSituations>(head, 0, json!({})));
    let gone = with_id(107, record::<HealthAndDv>(head, 0, json!({})));
    let members = with_id(108, record::<YouthEducationStatuses>(member, 1, json!({})));
    let elsewhere = with_id(
        109,
        record::<EmploymentEducation>(enrollment(EARLIER), 0, json!({})),
    );
    for row in [&later_income, &income_b, &income_a] {
        HudRecord::insert(conn, row).unwrap();
    }
    HudRecord::insert(conn, &event).unwrap();
    HudRecord::insert(conn, &disability).unwrap();
    HudRecord::insert(conn, &situation).unwrap();
    HudRecord::insert(conn, &gone).unwrap();
    deleted(conn, gone);
    HudRecord::insert(conn, &members).unwrap();
    HudRecord::insert(conn, &elsewhere).unwrap();

    let listed = |records: Vec<threshold_persistence::rows::AnyHudRecord>| -> Vec<u128> {
        records
            .iter()
            .map(|record| record.id.uuid().as_u128())
            .collect()
    };
    assert_eq!(
        listed(hud::of_enrollment(conn, head).unwrap()),
        [106, 105, 104, 102, 103, 101],
        "current living situations, disabilities, events, then income by date and ID"
    );
    assert_eq!(
        listed(hud::of_enrollments(conn, &[head, member]).unwrap()),
        [106, 105, 104, 102, 103, 101, 108]
    );
    assert!(hud::of_enrollments(conn, &[]).unwrap().is_empty());
    let read = hud::of_enrollment(conn, head).unwrap();
    assert_eq!(
        read[1].clone().into_collection::<Disabilities>(),
        Some(disability)
    );
}

#[test]
fn sqlite_every_record_of_enrollments() {
    every_record_of_enrollments(&SqliteFile::new().url());
}

#[test]
fn postgres_every_record_of_enrollments() {
    every_record_of_enrollments(&PostgresDatabase::new().url());
}

/// Deleting an enrollment deletes (softly) its records of every collection, each audited as
/// its own; another's records, and one deleted before, are left as they were.
fn the_enrollment_takes_its_records(url: &str) {
    let mut conn = database(url);
    let conn = &mut conn;
    let (head, member) = (enrollment(HEAD), enrollment(MEMBER));
    let income = record::<IncomeBenefits>(head, 0, json!({}));
    let disability = record::<Disabilities>(head, 0, json!({}));
    let event = record::<Events>(head, 0, json!({}));
    let earlier = record::<HealthAndDv>(head, 0, json!({}));
    let members = record::<IncomeBenefits>(member, 0, json!({}));
    HudRecord::insert(conn, &income).unwrap();
    HudRecord::insert(conn, &disability).unwrap();
    HudRecord::insert(conn, &event).unwrap();
    HudRecord::insert(conn, &earlier).unwrap();
    HudRecord::insert(conn, &members).unwrap();
    deleted(conn, earlier.clone());

    records::cascade_delete(conn, head, instant(30), "cm9").unwrap();
    assert!(hud::of_enrollment(conn, head).unwrap().is_empty());
    assert_eq!(hud::of_enrollment(conn, member).unwrap().len(), 1);

    let stored = |conn: &mut DbConnection, id: Uuid| -> (Option<NaiveDateTime>, i32, String) {
        hud_records::table
            .find(id.to_string())
            .select((
                hud_records::deleted_at,
                hud_records::version,
                hud_records::updated_by,
            ))
            .first(conn)
            .unwrap()
    };
    for (id, entity) in [
        (income.id.uuid(), "income_benefits"),
        (disability.id.uuid(), "disability"),
        (event.id.uuid(), "event"),
    ] {
        assert_eq!(stored(conn, id), (Some(instant(30)), 2, "cm9".to_owned()));
        let events = events_of(conn, id);
        let last = events.last().unwrap();
        assert_eq!(
            (last.action.as_str(), last.entity_type.as_str()),
            ("delete", entity)
        );
    }
    assert_eq!(
        stored(conn, earlier.id.uuid()),
        (Some(instant(5)), 2, "cm".to_owned()),
        "deleted before, left as it was"
    );
    assert_eq!(events_of(conn, earlier.id.uuid()).len(), 2);
}

#[test]
fn sqlite_the_enrollment_takes_its_records() {
    the_enrollment_takes_its_records(&SqliteFile::new().url());
}

#[test]
fn postgres_the_enrollment_takes_its_records() {
    the_enrollment_takes_its_records(&PostgresDatabase::new().url());
}

/// A record of `collection` written straight to the table, with or without a stage and a
/// disability type.
fn insert_raw(
    conn: &mut DbConnection,
    collection: &str,
    enrollment_id: EnrollmentId,
    stage: Option<i32>,
    disability_type: Option<i32>,
) -> Result<(), diesel::result::Error> {
    let value = |code: Option<i32>| code.map_or("NULL".to_owned(), |code| code.to_string());
    conn.batch_execute(&format!(
        "INSERT INTO hud_records (id, enrollment_id, collection, information_date, \
         data_collection_stage, disability_type, fields, version, created_at, updated_at, \
         created_by, updated_by) VALUES ('{}', '{enrollment_id}', '{collection}', \
         '2026-01-05', {}, {}, '{{}}', 1, '2026-01-05 00:00:00', '2026-01-05 00:00:00', 'cm', \
         'cm')",
        Uuid::now_v7(),
        value(stage),
        value(disability_type),
    ))
}

/// The table takes a record with a stage (5.03) exactly when its file has a
/// DataCollectionStage, and a disability type exactly when its file has a DisabilityType
/// (HMIS CSV FY2026: Disabilities); no collection but the seven, no enrollment that is not
/// there.
fn the_table_keeps_each_files_shape(url: &str) {
    let mut conn = database(url);
    let conn = &mut conn;
    let head = enrollment(HEAD);
    let mut stored = 0;
    for collection in Collection::ALL {
        let file = collection.file();
        for (stage, disability_type) in [
            (None, None),
            (Some(1), None),
            (None, Some(5)),
            (Some(1), Some(5)),
        ] {
            let fits = stage.is_some() == file.column("DataCollectionStage").is_some()
                && disability_type.is_some() == file.column("DisabilityType").is_some();
            let written = insert_raw(conn, collection.name(), head, stage, disability_type);
            assert_eq!(
                written.is_ok(),
                fits,
                "{} with stage {stage:?} and disability type {disability_type:?}: {written:?}",
                collection.name()
            );
            stored += usize::from(fits);
        }
    }
    assert_eq!(stored, Collection::ALL.len(), "one shape each");
    assert!(insert_raw(conn, "services", head, None, None).is_err());
    assert!(insert_raw(conn, "events", enrollment(99), None, None).is_err());
    let events_at_a_stage = staged::<Events>(head, 1, None);
    assert!(HudRecord::insert(conn, &events_at_a_stage).is_err());
    assert_eq!(
        hud::of_enrollment(conn, head).unwrap().len(),
        Collection::ALL.len()
    );
}

#[test]
fn sqlite_the_table_keeps_each_files_shape() {
    the_table_keeps_each_files_shape(&SqliteFile::new().url());
}

#[test]
fn postgres_the_table_keeps_each_files_shape() {
    the_table_keeps_each_files_shape(&PostgresDatabase::new().url());
}
