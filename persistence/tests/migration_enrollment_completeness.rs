//! The enrollment completeness migration (2026-12-08-000001) on a database holding an
//! exited enrollment written at the migration before it: the enrollment is kept as it was,
//! and no answer is stored for it (reads work it out until the background refresh stores
//! one); an answer stored afterwards is read back, and down and up again keep the
//! enrollment.

use diesel::connection::SimpleConnection;
use diesel::sql_types::{BigInt, Text};
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::migrations::run_pending;
mod common;
#[path = "common/revert.rs"]
mod revert;

use common::{PostgresDatabase, SqliteFile};
use revert::revert_through;

const VERSION: &str = "20261208000001";

#[derive(Debug, PartialEq, QueryableByName)]
struct Kept {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kept: String,
}

#[derive(Debug, PartialEq, QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    count: i64,
}

fn enrollments(connection: &mut DbConnection) -> Vec<Kept> {
    sql_query(
        "SELECT id, client_id || ' ' || household_id || ' ' || entry_date || ' ' || \
           exit_date || ' ' || destination || ' ' || hud AS kept FROM enrollments ORDER BY id",
    )
    .load(connection)
    .expect("the enrollments read back")
}

fn answers(connection: &mut DbConnection) -> Vec<Kept> {
    sql_query(
        "SELECT enrollment_id AS id, as_of || ' ' || \
           CASE WHEN complete THEN 'complete' ELSE 'incomplete' END || ' ' || \
           COALESCE(holds_until || '', 'for good') AS kept \
         FROM enrollment_completeness ORDER BY enrollment_id",
    )
    .load(connection)
    .expect("the answers read back")
}

fn has_table(connection: &mut DbConnection) -> bool {
    sql_query("SELECT COUNT(*) AS count FROM enrollment_completeness")
        .load::<Count>(connection)
        .is_ok()
}

fn keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(!has_table(&mut connection));
    let stamps = "1, '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm'";
    connection
        .batch_execute(&format!(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Harbor', FALSE, {stamps}); \
             INSERT INTO programs (id, organization_id, name, project_type, \
               operating_start_date, continuum_project, version, created_at, updated_at, \
               created_by, updated_by) VALUES ('p1', 'o1', 'Homes', 13, '2020-01-01', TRUE, \
               {stamps}); \
             INSERT INTO clients (id, first_name, last_name, name_data_quality, \
               ssn_data_quality, dob_data_quality, sex, race_ethnicity, veteran_status, \
               search_name, version, created_at, updated_at, created_by, updated_by) VALUES \
               ('c1', 'Sam', 'Ray', 1, 99, 99, 0, '', 1, 'sam ray', {stamps}); \
             INSERT INTO households (id, program_id, created_at, created_by) VALUES \
               ('h1', 'p1', '2026-01-03 00:00:00', 'cm'); \
             INSERT INTO enrollments (id, client_id, program_id, household_id, \
               relationship_to_hoh, entry_date, exit_date, destination, hud, version, \
               created_at, updated_at, created_by, updated_by) VALUES ('e1', 'c1', 'p1', 'h1', \
               1, '2026-01-03', '2026-02-01', 410, '{{\"times_homeless_past_three_years\":2}}', \
               {stamps});"
        ))
        .expect("rows as the migration before completeness stores them");
    let before = enrollments(&mut connection);
    assert_eq!(before.len(), 1);
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(enrollments(&mut connection), before);
    assert_eq!(answers(&mut connection), []);
    connection
        .batch_execute(
            "INSERT INTO enrollment_completeness (enrollment_id, as_of, complete, holds_until) \
             VALUES ('e1', '2026-12-08', FALSE, NULL)",
        )
        .expect("an answer is stored");
    assert_eq!(
        answers(&mut connection),
        [Kept {
            id: "e1".into(),
            kept: "2026-12-08 incomplete for good".into()
        }]
    );
    drop(connection);

    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(!has_table(&mut connection));
    assert_eq!(enrollments(&mut connection), before);
    drop(connection);
    let applied = run_pending(url).expect("and runs again");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(enrollments(&mut connection), before);
    assert_eq!(answers(&mut connection), []);
}

#[test]
fn sqlite_enrollment_completeness_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_enrollment_completeness_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
