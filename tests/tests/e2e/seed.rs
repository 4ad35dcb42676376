//! `threshold seed`: the generated data keeps every enrollment rule (checked with SQL over
//! the stored rows), has HUD records of every collection at every stage, reads through the
//! API like data created through it (client, enrollments, household, services, assessments,
//! HUD records, completeness, the change feed and the HMIS export), and the same seed gives
//! the same rows; a seed already written is refused.

use std::collections::BTreeSet;
use std::io::{Cursor, Read};

use crate::common::*;
use chrono::{Days, NaiveDateTime};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use threshold_api::seed::{self, Counts, Options};
use threshold_domain::codes::{
    AssessmentLevel, AssessmentType, DataCollectionStage, DataQuality, Destination, DisabilityType,
    FundingSource, LengthOfStay, NoYesMissing, PriorLivingSituation, PrioritizationStatus,
    ProjectType, RelationshipToHoh, RentalSubsidyType, ServiceRecordType, Sex,
};
use threshold_domain::hud_records::Collection;
use threshold_persistence::db::DatabaseUrl;
use threshold_persistence::rows::*;
use threshold_persistence::schema::*;
use threshold_persistence::DbConnection;
use threshold_tests::{both_backends, Role, TestApp, TestDatabase};

const CLIENTS: u32 = 200;

fn options(random_seed: u64, clients: u32) -> Options {
    Options {
        clients,
        random_seed,
        today: today().into(),
        busiest_program_percent: None,
    }
}

fn seed_into(url: &str, random_seed: u64) -> Counts {
    seed::run(url, &options(random_seed, CLIENTS), &|_| {}).expect("the seed is written")
}

fn connect(url: &str) -> DbConnection {
    DatabaseUrl::parse(url)
        .and_then(|url| url.connect())
        .expect("a connection")
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

#[derive(QueryableByName)]
struct Code {
    #[diesel(sql_type = Integer)]
    code: i32,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = Text)]
    id: String,
}

fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    diesel::sql_query(sql)
        .get_result::<Count>(conn)
        .unwrap_or_else(|error| panic!("{sql}: {error}"))
        .n
}

/// Every distinct value of an integer column, each of which must parse as a code of `C`.
fn check_codes<C: threshold_domain::codes::CodeList>(
    conn: &mut DbConnection,
    table: &str,
    column: &str,
) {
    let sql = format!("SELECT DISTINCT {column} AS code FROM {table} WHERE {column} IS NOT NULL");
    let codes = diesel::sql_query(&sql).load::<Code>(conn).expect(&sql);
    assert!(!codes.is_empty(), "no {table}.{column}");
    for Code { code } in codes {
        assert!(C::try_from(code).is_ok(), "{table}.{column} holds {code}");
    }
}

both_backends!(
    fn seeded_data_keeps_every_rule(app: &TestApp) {
        let counts = seed_into(app.database_url(), 5);
        assert_eq!(counts.of("clients"), u64::from(CLIENTS));
        let per_client = counts.of("enrollments") as f64 / f64::from(CLIENTS);
        assert!((2.0..=4.0).contains(&per_client), "{counts:?}");
        for table in ["organizations", "programs", "grants", "users", "households"] {
            assert!(counts.of(table) > 0, "{table}: {counts:?}");
        }
        assert!(counts.of("services") > 0 && counts.of("assessments") > 0);
        assert!(
            counts.of("hud_records") > counts.of("enrollments"),
            "{counts:?}"
        );

        let mut conn = connect(app.database_url());
        let today = today().format("%Y-%m-%d").to_string();
        for (table, expected) in counts.0 {
            let stored = count(&mut conn, &format!("SELECT COUNT(*) AS n FROM {table}"));
            assert_eq!(stored as u64, expected, "{table}");
        }
        let broken = [
            (
                "households without exactly one head",
                "SELECT COUNT(*) AS n FROM households h WHERE (SELECT COUNT(*) FROM enrollments e \
                 WHERE e.household_id = h.id AND e.relationship_to_hoh = 1) <> 1"
                    .to_owned(),
            ),
            (
                "overlapping enrollments of one client in one program",
                "SELECT COUNT(*) AS n FROM enrollments a JOIN enrollments b \
                 ON a.client_id = b.client_id AND a.program_id = b.program_id AND a.id < b.id \
                 WHERE a.entry_date < COALESCE(b.exit_date, '9999-12-31') \
                 AND b.entry_date < COALESCE(a.exit_date, '9999-12-31')"
                    .to_owned(),
            ),
            (
                "members before the head, outside the head's stay, or still in after the head left",
                "SELECT COUNT(*) AS n FROM enrollments m JOIN enrollments h \
                 ON h.household_id = m.household_id AND h.relationship_to_hoh = 1 AND m.id <> h.id \
                 WHERE m.entry_date < h.entry_date OR m.program_id <> h.program_id \
                 OR (h.exit_date IS NOT NULL AND (m.exit_date IS NULL \
                 OR m.exit_date > h.exit_date OR m.entry_date > h.exit_date))"
                    .to_owned(),
            ),
            (
                "a client twice in one household",
                "SELECT COUNT(*) AS n FROM (SELECT household_id, client_id FROM enrollments \
                 GROUP BY household_id, client_id HAVING COUNT(*) > 1) twice"
                    .to_owned(),
            ),
            (
                "enrollments in another program than their household's",
                "SELECT COUNT(*) AS n FROM enrollments e JOIN households h ON h.id = e.household_id \
                 WHERE h.program_id <> e.program_id"
                    .to_owned(),
            ),
            (
                "exits before entry, dates after today, exits without a destination",
                format!(
                    "SELECT COUNT(*) AS n FROM enrollments WHERE exit_date < entry_date \
                     OR entry_date > '{today}' OR exit_date > '{today}' \
                     OR (exit_date IS NULL AND (destination IS NOT NULL OR exited_at IS NOT NULL)) \
                     OR (exit_date IS NOT NULL AND (destination IS NULL OR exited_by IS NULL))"
                ),
            ),
            (
                "entries before the client's birth",
                "SELECT COUNT(*) AS n FROM enrollments e JOIN clients c ON c.id = e.client_id \
                 WHERE c.dob IS NOT NULL AND e.entry_date < c.dob"
                    .to_owned(),
            ),
            (
                "services outside their enrollment",
                format!(
                    "SELECT COUNT(*) AS n FROM services s JOIN enrollments e ON e.id = s.enrollment_id \
                     WHERE s.date_provided < e.entry_date \
                     OR s.date_provided > COALESCE(e.exit_date, '{today}')"
                ),
            ),
            (
                "assessments unlinked, of another client or outside their enrollment",
                format!(
                    "SELECT COUNT(*) AS n FROM assessments a LEFT JOIN enrollments e \
                     ON e.id = a.enrollment_id WHERE e.id IS NULL OR a.client_id <> e.client_id \
                     OR a.assessment_date < e.entry_date \
                     OR a.assessment_date > COALESCE(e.exit_date, '{today}')"
                ),
            ),
            (
                "grants of another program or not active on the entry date",
                "SELECT COUNT(*) AS n FROM enrollments e JOIN grants g ON g.id = e.grant_id \
                 WHERE g.program_id <> e.program_id OR e.entry_date < g.start_date \
                 OR (g.end_date IS NOT NULL AND e.entry_date > g.end_date)"
                    .to_owned(),
            ),
            (
                "entries outside the program's operating dates",
                "SELECT COUNT(*) AS n FROM enrollments e JOIN programs p ON p.id = e.program_id \
                 WHERE e.entry_date < p.operating_start_date \
                 OR (p.operating_end_date IS NOT NULL AND e.entry_date > p.operating_end_date)"
                    .to_owned(),
            ),
            (
                "case managers of another organization",
                "SELECT COUNT(*) AS n FROM enrollments e JOIN programs p ON p.id = e.program_id \
                 JOIN users u ON u.id = e.case_manager_id WHERE u.organization_id <> p.organization_id"
                    .to_owned(),
            ),
            (
                "move-in dates off permanent housing heads or outside the stay",
                format!(
                    "SELECT COUNT(*) AS n FROM enrollments e JOIN programs p ON p.id = e.program_id \
                     WHERE e.move_in_date IS NOT NULL AND (p.project_type NOT IN (3, 9, 10, 13) \
                     OR e.relationship_to_hoh <> 1 OR e.move_in_date < e.entry_date \
                     OR e.move_in_date > COALESCE(e.exit_date, '{today}'))"
                ),
            ),
            (
                "destination details that do not go with the destination",
                "SELECT COUNT(*) AS n FROM enrollments WHERE \
                 (destination = 435) <> (destination_subsidy_type IS NOT NULL) \
                 OR (destination = 17) <> (other_destination IS NOT NULL)"
                    .to_owned(),
            ),
            (
                "enrollments changed since they were seeded",
                "SELECT COUNT(*) AS n FROM enrollments \
                 WHERE updated_at <> created_at OR version <> 1"
                    .to_owned(),
            ),
            (
                "references to rows that do not exist",
                "SELECT COUNT(*) AS n FROM enrollments e \
                 WHERE NOT EXISTS (SELECT 1 FROM clients c WHERE c.id = e.client_id) \
                 OR NOT EXISTS (SELECT 1 FROM households h WHERE h.id = e.household_id) \
                 OR NOT EXISTS (SELECT 1 FROM programs p WHERE p.id = e.program_id) \
                 OR (e.grant_id IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM grants g WHERE g.id = e.grant_id)) \
                 OR (e.case_manager_id IS NOT NULL \
                     AND NOT EXISTS (SELECT 1 FROM users u WHERE u.id = e.case_manager_id))"
                    .to_owned(),
            ),
            (
                "records and households that refer to nothing",
                "SELECT (SELECT COUNT(*) FROM services s WHERE NOT EXISTS \
                 (SELECT 1 FROM enrollments e WHERE e.id = s.enrollment_id)) \
                 + (SELECT COUNT(*) FROM assessments a WHERE NOT EXISTS \
                 (SELECT 1 FROM clients c WHERE c.id = a.client_id)) \
                 + (SELECT COUNT(*) FROM households h WHERE NOT EXISTS \
                 (SELECT 1 FROM programs p WHERE p.id = h.program_id)) \
                 + (SELECT COUNT(*) FROM grants g WHERE NOT EXISTS \
                 (SELECT 1 FROM programs p WHERE p.id = g.program_id)) AS n"
                    .to_owned(),
            ),
            (
                "HUD records outside their enrollment or after today",
                format!(
                    "SELECT COUNT(*) AS n FROM hud_records r JOIN enrollments e \
                     ON e.id = r.enrollment_id WHERE r.information_date < e.entry_date \
                     OR r.information_date > COALESCE(e.exit_date, '{today}')"
                ),
            ),
            (
                "project-start records off the entry date, exit records off the exit date",
                "SELECT COUNT(*) AS n FROM hud_records r JOIN enrollments e \
                 ON e.id = r.enrollment_id WHERE (r.data_collection_stage = 1 \
                 AND r.information_date <> e.entry_date) OR (r.data_collection_stage = 3 \
                 AND (e.exit_date IS NULL OR r.information_date <> e.exit_date))"
                    .to_owned(),
            ),
            (
                "two records of a kind at project start or at exit",
                "SELECT COUNT(*) AS n FROM (SELECT enrollment_id FROM hud_records \
                 WHERE data_collection_stage IN (1, 3) GROUP BY enrollment_id, collection, \
                 data_collection_stage, disability_type HAVING COUNT(*) > 1) twice"
                    .to_owned(),
            ),
            (
                "HUD records of enrollments that do not exist, or changed since seeded",
                "SELECT COUNT(*) AS n FROM hud_records r WHERE version <> 1 \
                 OR updated_at <> created_at OR deleted_at IS NOT NULL OR NOT EXISTS \
                 (SELECT 1 FROM enrollments e WHERE e.id = r.enrollment_id)"
                    .to_owned(),
            ),
            (
                "audit events (seeded rows have none)",
                "SELECT COUNT(*) AS n FROM audit_events".to_owned(),
            ),
        ];
        for (what, sql) in broken {
            assert_eq!(count(&mut conn, &sql), 0, "{what}");
        }
        let distinct = count(
            &mut conn,
            "SELECT COUNT(DISTINCT updated_at) AS n FROM enrollments",
        );
        assert_eq!(
            distinct as u64,
            counts.of("enrollments"),
            "updated_at is unique"
        );
        let exited = count(
            &mut conn,
            "SELECT COUNT(*) AS n FROM enrollments WHERE exit_date IS NOT NULL",
        );
        let active = counts.of("enrollments") as i64 - exited;
        assert!(
            exited > active && active > 0,
            "{exited} exited, {active} active"
        );

        check_codes::<RelationshipToHoh>(&mut conn, "enrollments", "relationship_to_hoh");
        check_codes::<Destination>(&mut conn, "enrollments", "destination");
        check_codes::<RentalSubsidyType>(&mut conn, "enrollments", "destination_subsidy_type");
        check_codes::<NoYesMissing>(&mut conn, "enrollments", "disabling_condition");
        check_codes::<PriorLivingSituation>(&mut conn, "enrollments", "prior_living_situation");
        check_codes::<LengthOfStay>(&mut conn, "enrollments", "length_of_stay");
        check_codes::<ProjectType>(&mut conn, "programs", "project_type");
        check_codes::<FundingSource>(&mut conn, "grants", "funder");
        check_codes::<Sex>(&mut conn, "clients", "sex");
        check_codes::<NoYesMissing>(&mut conn, "clients", "veteran_status");
        check_codes::<DataQuality>(&mut conn, "clients", "name_data_quality");
        check_codes::<DataQuality>(&mut conn, "clients", "ssn_data_quality");
        check_codes::<DataQuality>(&mut conn, "clients", "dob_data_quality");
        check_codes::<ServiceRecordType>(&mut conn, "services", "record_type");
        check_codes::<AssessmentType>(&mut conn, "assessments", "assessment_type");
        check_codes::<AssessmentLevel>(&mut conn, "assessments", "assessment_level");
        check_codes::<PrioritizationStatus>(&mut conn, "assessments", "prioritization_status");
        check_codes::<DataCollectionStage>(&mut conn, "hud_records", "data_collection_stage");
        check_codes::<DisabilityType>(&mut conn, "hud_records", "disability_type");
        assert_records_of_every_collection_and_stage(&mut conn);
        let sizes = count(
            &mut conn,
            "SELECT MAX(size) AS n FROM (SELECT COUNT(*) AS size FROM enrollments \
             GROUP BY household_id) households",
        );
        assert!(
            (2..=6).contains(&sizes),
            "the largest household has {sizes}"
        );
    }

    fn seeded_data_reads_through_the_api(app: &TestApp) {
        let counts = seed_into(app.database_url(), 6);
        let mut conn = connect(app.database_url());
        let admin = app.admin_token();
        // Clients of households of several members, so members' reads are covered too.
        let clients = diesel::sql_query(
            "SELECT client_id AS id FROM enrollments WHERE household_id IN \
             (SELECT household_id FROM enrollments WHERE relationship_to_hoh <> 1) \
             GROUP BY client_id ORDER BY client_id LIMIT 6",
        )
        .load::<Id>(&mut conn)
        .expect("clients");
        assert_eq!(clients.len(), 6);
        for Id { id: client_id } in &clients {
            app.get(&format!("/v1/clients/{client_id}"), Some(&admin))
                .assert_status(200);
            let response = app.get(&enrollments_path(client_id), Some(&admin));
            response.assert_status(200);
            let listed = response.body["data"].as_array().expect("a list").clone();
            let stored = count(
                &mut conn,
                &format!("SELECT COUNT(*) AS n FROM enrollments WHERE client_id = '{client_id}'"),
            );
            assert_eq!(listed.len() as i64, stored);
            for enrollment in &listed {
                assert_eq!(enrollment["client_id"], client_id.as_str());
                let exited = enrollment["exit"].is_object();
                assert_eq!(
                    enrollment["status"],
                    if exited { "exited" } else { "active" }
                );
                assert_eq!(enrollment["version"], 1);
                let enrollment_id = id_of(enrollment);
                let path = enrollment_path(client_id, &enrollment_id);
                let one = app.get(&path, Some(&admin));
                one.assert_status(200);
                assert_eq!(&one.body, enrollment);
                for records in ["services", "assessments"] {
                    app.get(&format!("{path}/{records}"), Some(&admin))
                        .assert_status(200);
                }
                for collection in Collection::ALL {
                    let response = app.get(
                        &format!("{path}/{}?limit=200", collection.segment()),
                        Some(&admin),
                    );
                    response.assert_status(200);
                    let listed = response.body["data"].as_array().expect("a list").len();
                    let stored = count(
                        &mut conn,
                        &format!(
                            "SELECT COUNT(*) AS n FROM hud_records WHERE enrollment_id = \
                             '{enrollment_id}' AND collection = '{}'",
                            collection.name()
                        ),
                    );
                    assert_eq!(listed as i64, stored, "{}", collection.name());
                }
                let household = enrollment["household_id"].as_str().expect("a household");
                let response = app.get(&format!("/v1/households/{household}"), Some(&admin));
                response.assert_status(200);
                assert!(response.body["head_enrollment_id"].is_string());
            }
        }
        seeded_records_read_through_the_api(app, &mut conn);
        seeded_completeness_finds_complete_households_and_gaps(app, &mut conn);

        // A case manager sees their organization's enrollments of a seeded client.
        let Id { id: client_id } = &clients[0];
        let owner = diesel::sql_query(format!(
            "SELECT p.organization_id AS id FROM enrollments e JOIN programs p \
             ON p.id = e.program_id WHERE e.client_id = '{client_id}' LIMIT 1"
        ))
        .get_result::<Id>(&mut conn)
        .expect("an organization");
        let token = token_for(app, "case-manager", Role::CaseManager, &owner.id);
        let response = app.get(&enrollments_path(client_id), Some(&token));
        response.assert_status(200);
        assert!(!response.body["data"].as_array().expect("a list").is_empty());
        let feed = app.get(
            "/v1/enrollments?updated_since=2000-01-01T00:00:00Z&limit=200",
            Some(&admin),
        );
        feed.assert_status(200);
        assert_eq!(feed.body["data"].as_array().expect("a list").len(), 200);

        let from = today()
            .checked_sub_days(Days::new(6 * 366))
            .expect("a date")
            .format("%Y-%m-%d");
        let archive = export(
            app,
            &format!("from={from}&to={}", today().format("%Y-%m-%d")),
        );
        for (file, table) in [
            ("Enrollment", "enrollments"),
            ("Exit", "enrollments"),
            ("Services", "services"),
            ("Assessment", "assessments"),
        ] {
            let rows = csv_rows(&archive, file);
            let expected = if file == "Exit" {
                count(
                    &mut conn,
                    "SELECT COUNT(*) AS n FROM enrollments WHERE exit_date IS NOT NULL",
                ) as u64
            } else {
                counts.of(table)
            };
            assert_eq!(rows as u64, expected, "{file}.csv");
        }
        let with_stays = count(
            &mut conn,
            "SELECT COUNT(DISTINCT client_id) AS n FROM enrollments",
        );
        assert_eq!(csv_rows(&archive, "Client") as i64, with_stays);
    }

    fn the_same_seed_gives_the_same_rows(backend: Backend) {
        let first = TestDatabase::create(backend);
        let second = TestDatabase::create(backend);
        let other = TestDatabase::create(backend);
        assert_eq!(seed_into(first.url(), 17), seed_into(second.url(), 17));
        seed_into(other.url(), 18);
        let first = stored(first.url());
        assert_eq!(first, stored(second.url()));
        assert_ne!(first.1, stored(other.url()).1);
    }

    fn batches_follow_one_another_and_a_seed_written_is_refused(backend: Backend) {
        // More clients than one batch holds: several batches, statements of many rows.
        let clients = seed::BATCH_CLIENTS * 2 + 100;
        let database = TestDatabase::create(backend);
        let progress = std::cell::RefCell::new(Vec::new());
        let counts = seed::run(database.url(), &options(23, clients), &|counts| {
            progress.borrow_mut().push(counts.of("clients"))
        })
        .expect("the seed is written");
        assert_eq!(progress.into_inner(), [0, 1_000, 2_000, 2_100]);
        let mut conn = connect(database.url());
        for (table, expected) in counts.0 {
            let stored = count(&mut conn, &format!("SELECT COUNT(*) AS n FROM {table}"));
            assert_eq!(stored as u64, expected, "{table}");
        }
        let distinct = count(
            &mut conn,
            "SELECT COUNT(DISTINCT updated_at) AS n FROM enrollments",
        );
        assert_eq!(distinct as u64, counts.of("enrollments"));
        assert_records_of_every_collection_and_stage(&mut conn);

        let again = seed::run(database.url(), &options(23, CLIENTS), &|_| {});
        let error = again
            .expect_err("the same seed twice is refused")
            .to_string();
        assert!(error.contains("--random-seed 23"), "{error}");
        let stored = count(&mut conn, "SELECT COUNT(*) AS n FROM clients");
        assert_eq!(stored, i64::from(clients));
        // Another seed goes in beside it.
        seed_into(database.url(), 24);
        let stored = count(&mut conn, "SELECT COUNT(*) AS n FROM clients");
        assert_eq!(stored, i64::from(clients + CLIENTS));
    }
);

#[derive(QueryableByName)]
struct Kind {
    #[diesel(sql_type = Text)]
    collection: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Integer>)]
    stage: Option<i32>,
}

/// Records of each of HUD's seven collections; at project start, update, exit and annual
/// assessment; at project start of each collection that has stages.
fn assert_records_of_every_collection_and_stage(conn: &mut DbConnection) {
    let kinds = diesel::sql_query(
        "SELECT DISTINCT collection, data_collection_stage AS stage FROM hud_records",
    )
    .load::<Kind>(conn)
    .expect("the kinds of records");
    let collections: BTreeSet<&str> = kinds.iter().map(|kind| kind.collection.as_str()).collect();
    let all: BTreeSet<&str> = Collection::ALL.iter().map(|c| c.name()).collect();
    assert_eq!(collections, all);
    let stages: BTreeSet<i32> = kinds.iter().filter_map(|kind| kind.stage).collect();
    assert_eq!(stages, BTreeSet::from([1, 2, 3, 5]));
    for collection in Collection::ALL.into_iter().filter(|c| c.has_stage()) {
        assert!(
            kinds
                .iter()
                .any(|kind| kind.collection == collection.name() && kind.stage == Some(1)),
            "no {} at project start",
            collection.name()
        );
    }
}

/// One seeded record of each kind (collection and stage) reads through the API as stored:
/// its date, its stage and its fields.
fn seeded_records_read_through_the_api(app: &TestApp, conn: &mut DbConnection) {
    #[derive(QueryableByName)]
    struct Record {
        #[diesel(sql_type = Text)]
        id: String,
        #[diesel(sql_type = Text)]
        client_id: String,
        #[diesel(sql_type = Text)]
        enrollment_id: String,
        #[diesel(sql_type = Text)]
        collection: String,
        #[diesel(sql_type = diesel::sql_types::Nullable<Integer>)]
        stage: Option<i32>,
        #[diesel(sql_type = Text)]
        fields: String,
    }
    let records = diesel::sql_query(
        "SELECT r.id, e.client_id, r.enrollment_id, r.collection, \
         r.data_collection_stage AS stage, r.fields FROM hud_records r \
         JOIN enrollments e ON e.id = r.enrollment_id WHERE r.id IN (SELECT MIN(id) \
         FROM hud_records GROUP BY collection, data_collection_stage)",
    )
    .load::<Record>(conn)
    .expect("a record of each kind");
    assert!(records.len() >= 11, "{} kinds", records.len());
    let admin = app.admin_token();
    for record in records {
        let collection = Collection::from_name(&record.collection).expect("a collection");
        let path = format!(
            "{}/{}/{}",
            enrollment_path(&record.client_id, &record.enrollment_id),
            collection.segment(),
            record.id
        );
        let response = app.get(&path, Some(&admin));
        response.assert_status(200);
        if collection.has_stage() {
            assert_eq!(
                response.body["data_collection_stage"].as_i64(),
                record.stage.map(i64::from)
            );
        }
        let fields: serde_json::Map<String, serde_json::Value> =
            serde_json::from_str(&record.fields).expect("a JSON object");
        for (field, value) in fields {
            assert_eq!(response.body[field.as_str()], value, "{path}: {field}");
        }
    }
}

/// `GET .../completeness` on seeded enrollments: most households are complete (here, one of
/// a program that does not ask about homeless history, which the store does not keep yet),
/// and a stay whose records have a gap (no exit records, or an answer of 99) is reported.
fn seeded_completeness_finds_complete_households_and_gaps(app: &TestApp, conn: &mut DbConnection) {
    // The seed stored every member's answer as any write does, and each is right.
    let verified = threshold_persistence::completeness::verify(conn).expect("the answers");
    assert_eq!(
        verified,
        threshold_persistence::completeness::Verified::default()
    );
    let admin = app.admin_token();
    let completeness = |client_id: &str, enrollment_id: &str| {
        let path = format!("{}/completeness", enrollment_path(client_id, enrollment_id));
        let response = app.get(&path, Some(&admin));
        response.assert_status(200);
        response.body
    };
    #[derive(QueryableByName)]
    struct Stay {
        #[diesel(sql_type = Text)]
        client_id: String,
        #[diesel(sql_type = Text)]
        enrollment_id: String,
    }
    let candidates = diesel::sql_query(
        "SELECT e.client_id, e.id AS enrollment_id FROM enrollments e JOIN programs p \
         ON p.id = e.program_id WHERE p.project_type NOT IN (0, 1, 4, 8) \
         AND EXISTS (SELECT 1 FROM hud_records r WHERE r.enrollment_id = e.id) \
         ORDER BY e.id LIMIT 60",
    )
    .load::<Stay>(conn)
    .expect("stays with records");
    let complete = candidates
        .iter()
        .find(|stay| completeness(&stay.client_id, &stay.enrollment_id)["complete"] == true);
    assert!(
        complete.is_some(),
        "no complete household among {}",
        candidates.len()
    );

    // No exit records though exited (income and disabilities are asked at exit too), or a
    // project-start answer of 99 (not collected).
    let gaps = diesel::sql_query(
        "SELECT e.client_id, e.id AS enrollment_id FROM enrollments e WHERE \
         (e.exit_date IS NOT NULL AND EXISTS (SELECT 1 FROM hud_records r \
         WHERE r.enrollment_id = e.id AND r.data_collection_stage = 1 \
         AND r.collection IN ('income_benefits', 'disabilities')) AND NOT EXISTS \
         (SELECT 1 FROM hud_records r WHERE r.enrollment_id = e.id \
         AND r.data_collection_stage = 3)) OR EXISTS (SELECT 1 FROM hud_records r \
         WHERE r.enrollment_id = e.id AND r.data_collection_stage = 1 \
         AND (r.fields LIKE '%\":99,%' OR r.fields LIKE '%\":99}%')) ORDER BY e.id LIMIT 5",
    )
    .load::<Stay>(conn)
    .expect("stays with gaps");
    assert!(!gaps.is_empty(), "no seeded stay has a gap");
    // The elements HUD's records hold (4.02, 4.05, R4, C3, ...).
    let of_records: BTreeSet<&str> = threshold_domain::applicability::rows()
        .filter(|row| row.file.record_collection().is_some())
        .map(|row| row.element.number())
        .collect();
    for stay in &gaps {
        let body = completeness(&stay.client_id, &stay.enrollment_id);
        assert_eq!(body["complete"], false);
        let missing = body["missing"].as_array().expect("missing");
        let found = missing.iter().any(|item| {
            item["enrollment_id"] == stay.enrollment_id.as_str()
                && item["element"]
                    .as_str()
                    .is_some_and(|element| of_records.contains(element))
        });
        assert!(found, "{}: {body}", stay.enrollment_id);
    }
}

/// Every seeded row but the instants of the run.
type Stored = (
    Vec<OrganizationRow>,
    Vec<ClientRow>,
    Vec<EnrollmentRow>,
    Vec<ServiceRow>,
    Vec<AssessmentRow>,
    BTreeSet<(String, String)>,
    Vec<AnyHudRecord>,
);

fn stored(url: &str) -> Stored {
    let mut conn = connect(url);
    let epoch = NaiveDateTime::default();
    let mut organizations: Vec<OrganizationRow> = organizations::table
        .order(organizations::id)
        .load(&mut conn)
        .expect("organizations");
    for row in &mut organizations {
        (row.created_at, row.updated_at) = (epoch, epoch);
    }
    let mut clients: Vec<ClientRow> = clients::table
        .order(clients::id)
        .load(&mut conn)
        .expect("clients");
    for row in &mut clients {
        (row.created_at, row.updated_at) = (epoch, epoch);
    }
    let mut enrollments: Vec<EnrollmentRow> = enrollments::table
        .order(enrollments::id)
        .load(&mut conn)
        .expect("enrollments");
    for row in &mut enrollments {
        (row.created_at, row.updated_at) = (epoch, epoch);
        row.exited_at = row.exited_at.map(|_| epoch);
    }
    let mut services: Vec<ServiceRow> = services::table
        .order(services::id)
        .load(&mut conn)
        .expect("services");
    for row in &mut services {
        (row.created_at, row.updated_at) = (epoch, epoch);
    }
    let mut assessments: Vec<AssessmentRow> = assessments::table
        .order(assessments::id)
        .load(&mut conn)
        .expect("assessments");
    for row in &mut assessments {
        (row.created_at, row.updated_at) = (epoch, epoch);
    }
    let mut records: Vec<AnyHudRecord> = hud_records::table
        .order(hud_records::id)
        .load(&mut conn)
        .expect("HUD records");
    for row in &mut records {
        (row.created_at, row.updated_at) = (epoch, epoch);
    }
    let households = households::table
        .select((households::id, households::program_id))
        .load::<(String, String)>(&mut conn)
        .expect("households")
        .into_iter()
        .collect();
    (
        organizations,
        clients,
        enrollments,
        services,
        assessments,
        households,
        records,
    )
}

/// The export as ZIP bytes.
fn export(app: &TestApp, query: &str) -> Vec<u8> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into();
    let mut response = agent
        .get(&format!("{}/v1/exports/hmis-csv?{query}", app.base_url()))
        .header("Authorization", &format!("Bearer {}", app.admin_token()))
        .call()
        .expect("an answer");
    assert_eq!(response.status().as_u16(), 200);
    response
        .body_mut()
        .with_config()
        .limit(64 * 1024 * 1024)
        .read_to_vec()
        .expect("the body")
}

/// The rows (header not counted) of one file of the export, every row as long as the header.
fn csv_rows(archive: &[u8], file: &str) -> usize {
    let mut zip = zip::ZipArchive::new(Cursor::new(archive)).expect("a ZIP");
    let mut text = String::new();
    zip.by_name(&format!("{file}.csv"))
        .unwrap_or_else(|error| panic!("{file}.csv: {error}"))
        .read_to_string(&mut text)
        .expect("UTF-8");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let columns = reader.headers().expect("a header").len();
    reader
        .records()
        .map(|record| assert_eq!(record.expect("a record").len(), columns))
        .count()
}
