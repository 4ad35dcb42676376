//! The import's ignored files migration (2026-12-08-000002) on a database holding a finished
//! import job written at the migration before it: the job is kept as it was, with an empty
//! list of ignored files, which then holds what is written; down and up again keep the job.

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

const VERSION: &str = "20261208000002";

#[derive(Debug, PartialEq, QueryableByName)]
struct Job {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kept: String,
}

#[derive(Debug, PartialEq, QueryableByName)]
struct Ignored {
    #[diesel(sql_type = Text)]
    ignored: String,
}

fn jobs(connection: &mut DbConnection) -> Vec<Job> {
    sql_query(
        "SELECT id, status || ' ' || counts || ' ' || errors || ' ' || source AS kept \
         FROM import_jobs ORDER BY id",
    )
    .load(connection)
    .expect("the jobs read back")
}

fn ignored(connection: &mut DbConnection) -> Result<Vec<Ignored>, diesel::result::Error> {
    sql_query("SELECT ignored FROM import_jobs ORDER BY id").load(connection)
}

fn keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(ignored(&mut connection).is_err());
    let archive = if url.starts_with("postgres") {
        "'\\x504b'::bytea"
    } else {
        "X'504B'"
    };
    connection
        .batch_execute(&format!(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Harbor', FALSE, 1, \
               '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm'); \
             INSERT INTO import_jobs (id, status, dry_run, organization_id, created_by, \
               created_at, started_at, finished_at, counts, errors, source, archive) VALUES \
               ('j1', 'succeeded', FALSE, 'o1', 'admin', '2026-01-03 00:00:00', \
               '2026-01-03 00:00:01', '2026-01-03 00:00:02', \
               '{{\"Client.csv\":{{\"created\":2}}}}', '[]', 'src-a', {archive});"
        ))
        .expect("a job as the migration before stores it");
    let before = jobs(&mut connection);
    assert_eq!(before.len(), 1);
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(jobs(&mut connection), before);
    assert_eq!(
        ignored(&mut connection).expect("the column"),
        [Ignored {
            ignored: "[]".into()
        }]
    );
    connection
        .batch_execute("UPDATE import_jobs SET ignored = '[\"Custom_Client.csv\"]'")
        .expect("ignored files are written");
    assert_eq!(
        ignored(&mut connection).expect("the column"),
        [Ignored {
            ignored: "[\"Custom_Client.csv\"]".into()
        }]
    );
    drop(connection);

    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(ignored(&mut connection).is_err());
    assert_eq!(jobs(&mut connection), before);
    drop(connection);
    run_pending(url).expect("and runs again");
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(jobs(&mut connection), before);
}

#[test]
fn sqlite_import_ignored_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_import_ignored_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
