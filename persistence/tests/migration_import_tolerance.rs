//! The import tolerance migration (2026-12-08-000003) on a database holding an enrollment
//! and a finished import job written at the migration before it: both are kept as they were,
//! the enrollment with no flags and the job in strict mode with the default share of rows
//! it may skip; flags and a mode written afterwards read back, and down and up again keep
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

const VERSION: &str = "20261208000003";

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
           exit_date || ' ' || destination || ' ' || hud AS kept FROM enrollments \
         UNION ALL SELECT id, status || ' ' || counts || ' ' || errors || ' ' || source || \
           ' ' || ignored AS kept FROM import_jobs ORDER BY id",
    )
    .load(connection)
    .expect("the rows read back")
}

/// The new columns, as text.
fn added(connection: &mut DbConnection) -> Result<Vec<Kept>, diesel::result::Error> {
    sql_query(
        "SELECT id, flags AS kept FROM enrollments UNION ALL \
         SELECT id, mode || ' ' || max_skipped_percent AS kept FROM import_jobs ORDER BY id",
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
    let archive = if url.starts_with("postgres") {
        "'\\x504b'::bytea"
    } else {
        "X'504B'"
    };
    seeded::seed_enrollment(&mut connection);
    connection
        .batch_execute(&format!(
            "INSERT INTO import_jobs (id, status, dry_run, organization_id, created_by, \
               created_at, started_at, finished_at, counts, errors, source, archive, ignored) \
               VALUES ('j1', 'succeeded', FALSE, 'o1', 'admin', '2026-01-03 00:00:00', \
               '2026-01-03 00:00:01', '2026-01-03 00:00:02', \
               '{{\"Client.csv\":{{\"created\":2}}}}', '[]', 'src-a', {archive}, \
               '[\"notes.txt\"]');"
        ))
        .expect("rows as the migration before stores them");
    let before = rows(&mut connection);
    assert_eq!(before.len(), 2);
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(rows(&mut connection), before);
    assert_eq!(
        added(&mut connection).expect("the columns"),
        [kept("e1", "[]"), kept("j1", "strict 5")]
    );
    connection
        .batch_execute(
            "UPDATE enrollments SET flags = '[{\"code\":\"household.head_exists\",\
               \"message\":\"two heads\"}]'; \
             UPDATE import_jobs SET mode = 'tolerant', max_skipped_percent = 10",
        )
        .expect("flags and a mode are written");
    assert_eq!(
        added(&mut connection).expect("the columns"),
        [
            kept(
                "e1",
                "[{\"code\":\"household.head_exists\",\"message\":\"two heads\"}]"
            ),
            kept("j1", "tolerant 10")
        ]
    );
    drop(connection);

    seeded::reverts_and_runs_again(url, VERSION, &before, rows, |connection| {
        added(connection).is_ok()
    });
}

#[test]
fn sqlite_import_tolerance_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_import_tolerance_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
