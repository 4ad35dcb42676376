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
#[path = "common/seeded.rs"]
mod seeded;

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
    seeded::seed_enrollment(&mut connection);
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

    seeded::reverts_and_runs_again(url, VERSION, &before, enrollments, has_table);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
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
