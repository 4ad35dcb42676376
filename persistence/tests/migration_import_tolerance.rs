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
    let stamps = "1, '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm'";
    let archive = if url.starts_with("postgres") {
        "'\\x504b'::bytea"
    } else {
        "X'504B'"
    };
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
               {stamps}); \
             INSERT INTO import_jobs (id, status, dry_run, organization_id, created_by, \
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

    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(added(&mut connection).is_err());
    assert_eq!(rows(&mut connection), before);
    drop(connection);
    run_pending(url).expect("and runs again");
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(rows(&mut connection), before);
}

#[test]
fn sqlite_import_tolerance_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_import_tolerance_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
