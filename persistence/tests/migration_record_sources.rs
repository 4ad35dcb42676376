//! The record sources migration (2026-12-08-000005) on a database holding a client and an
//! exited enrollment written at the migration before it: both are kept as they were, with no
//! source (made here); sources written afterwards read back, and down and up again keep
//! the rows.

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

const VERSION: &str = "20261208000005";

#[derive(Debug, PartialEq, QueryableByName)]
struct Kept {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kept: String,
}

/// Every row's columns from before the migration, as text.
fn rows(connection: &mut DbConnection) -> Vec<Kept> {
    sql_query(
        "SELECT id, client_id || ' ' || household_id || ' ' || entry_date || ' ' || \
           exit_date || ' ' || destination || ' ' || hud || ' ' || flags AS kept \
           FROM enrollments \
         UNION ALL SELECT id, first_name || ' ' || last_name || ' ' || hud AS kept \
           FROM clients ORDER BY id",
    )
    .load(connection)
    .expect("the rows read back")
}

/// The new columns, as text.
fn added(connection: &mut DbConnection) -> Result<Vec<Kept>, diesel::result::Error> {
    sql_query(
        "SELECT id, COALESCE(source, 'none') || ' ' || COALESCE(exit_source, 'none') AS kept \
           FROM enrollments UNION ALL \
         SELECT id, COALESCE(source, 'none') AS kept FROM clients ORDER BY id",
    )
    .load(connection)
}

fn kept(id: &str, kept: &str) -> Kept {
    Kept {
        id: id.into(),
        kept: kept.into(),
    }
}

fn keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(added(&mut connection).is_err());
    seeded::seed_enrollment(&mut connection);
    let before = rows(&mut connection);
    assert_eq!(before.len(), 2);
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(rows(&mut connection), before);
    assert_eq!(
        added(&mut connection).expect("the columns"),
        [kept("c1", "none"), kept("e1", "none none")]
    );
    let source = "{\"system\":\"other\",\"id\":\"E-1\",\"created_at\":null,\
                  \"updated_at\":\"2026-01-03T00:00:00\",\"user_id\":null}";
    connection
        .batch_execute(&format!(
            "UPDATE enrollments SET source = '{source}'; UPDATE clients SET source = '{source}'"
        ))
        .expect("sources are written");
    assert_eq!(
        added(&mut connection).expect("the columns"),
        [kept("c1", source), kept("e1", &format!("{source} none"))]
    );
    drop(connection);

    seeded::reverts_and_runs_again(url, VERSION, &before, rows, |connection| {
        added(connection).is_ok()
    });
}

#[test]
fn sqlite_record_sources_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_record_sources_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
