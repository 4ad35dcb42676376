//! The assessment results migration (2026-12-08-000004) on a database holding an assessment
//! with answers written at the migration before it: the assessment is kept as it was, with
//! no results; results written afterwards read back, and down and up again keep it.

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::migrations::run_pending;
mod common;
#[path = "common/revert.rs"]
mod revert;
#[path = "common/seeded.rs"]
mod seeded;

use common::{PostgresDatabase, SqliteFile};
use revert::revert_through;
use seeded::STAMPS;

const VERSION: &str = "20261208000004";

#[derive(Debug, PartialEq, QueryableByName)]
struct Kept {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kept: String,
}

fn assessments(connection: &mut DbConnection) -> Vec<Kept> {
    sql_query(
        "SELECT id, client_id || ' ' || assessment_date || ' ' || assessment_location || ' ' \
           || assessment_type || ' ' || answers AS kept FROM assessments ORDER BY id",
    )
    .load(connection)
    .expect("the assessments read back")
}

fn results(connection: &mut DbConnection) -> Result<Vec<Kept>, diesel::result::Error> {
    sql_query("SELECT id, results AS kept FROM assessments ORDER BY id").load(connection)
}

fn keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(results(&mut connection).is_err());
    seeded::seed_enrollment(&mut connection);
    connection
        .batch_execute(&format!(
            "INSERT INTO assessments (id, client_id, assessment_date, assessment_location, \
               assessment_type, assessment_level, prioritization_status, answers, version, \
               created_at, updated_at, created_by, updated_by) VALUES ('a1', 'c1', \
               '2026-01-02', 'Access point', 1, 1, 1, \
               '[{{\"question\":\"Nights\",\"answer\":\"120\"}}]', {STAMPS});"
        ))
        .expect("an assessment as the migration before stores it");
    let before = assessments(&mut connection);
    assert_eq!(before.len(), 1);
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(assessments(&mut connection), before);
    let read = results(&mut connection).expect("the column");
    assert_eq!(read.len(), 1);
    assert_eq!(read[0].kept, "[]");
    let written = "[{\"result_type\":\"score\",\"result\":\"11\"}]";
    connection
        .batch_execute(&format!("UPDATE assessments SET results = '{written}'"))
        .expect("results are written");
    assert_eq!(
        results(&mut connection).expect("the column")[0].kept,
        written
    );
    drop(connection);

    seeded::reverts_and_runs_again(url, VERSION, &before, assessments, |connection| {
        results(connection).is_ok()
    });
}

#[test]
fn sqlite_assessment_results_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_assessment_results_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
