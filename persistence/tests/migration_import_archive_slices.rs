//! The import archive slices migration (2026-12-09-000002) on a database holding a job whose
//! archive was stored in its own column at the migration before it: the job and its
//! archive read back as they were; a job stored afterwards keeps its archive in slices and
//! reads back whole; down puts its slices back into its column, in order, and up again
//! reads both.

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, QueryableByName, RunQueryDsl};
use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::ids::ImportJobId;
use threshold_persistence::imports;
use threshold_persistence::migrations::run_pending;
mod common;
#[path = "common/revert.rs"]
mod revert;
// Its rows only: this test reverts by hand, to read the slices put back.
#[allow(dead_code)]
#[path = "common/seeded.rs"]
mod seeded;

use common::{PostgresDatabase, SqliteFile};
use revert::revert_through;

const VERSION: &str = "20261209000002";
const OLD_JOB: &str = "01a25000-0000-7000-8000-000000000001";

#[derive(Debug, PartialEq, QueryableByName)]
struct Kept {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kept: String,
}

/// The jobs' columns, their archive's size among them, as text.
fn jobs(connection: &mut DbConnection) -> Vec<Kept> {
    sql_query(
        "SELECT id, status || ' ' || organization_id || ' ' || counts || ' ' || \
           CAST(length(archive) AS TEXT) AS kept FROM import_jobs ORDER BY id",
    )
    .load(connection)
    .expect("the jobs read back")
}

fn slices_table(connection: &mut DbConnection) -> bool {
    sql_query("SELECT job_id AS id, job_id AS kept FROM import_archive_slices")
        .load::<Kept>(connection)
        .is_ok()
}

/// Bytes of every value, more than one slice's worth.
fn archive_bytes(size: u32, salt: u32) -> Vec<u8> {
    (0..size)
        .map(|i| (i.wrapping_mul(2_654_435_761).wrapping_add(salt) >> 11) as u8)
        .collect()
}

fn keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(!slices_table(&mut connection));
    seeded::seed_enrollment(&mut connection);
    // An archive of 5 MB stored in the job's column, as the migration before stored it.
    let old_archive = archive_bytes(5_000_003, 1);
    let hex: String = old_archive
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect();
    let blob = match connection {
        DbConnection::Sqlite(_) => format!("X'{hex}'"),
        DbConnection::Postgresql(_) => format!("'\\x{hex}'::bytea"),
    };
    connection
        .batch_execute(&format!(
            "INSERT INTO import_jobs (id, status, dry_run, organization_id, created_by, \
               created_at, started_at, finished_at, counts, errors, source, archive) VALUES \
               ('{OLD_JOB}', 'succeeded', FALSE, 'o1', 'admin', '2026-01-03 00:00:00', NULL, \
               '2026-01-03 00:01:00', '{{}}', '[]', 'other', {blob});"
        ))
        .expect("a job as the migration before stores it");
    let before = jobs(&mut connection);
    assert_eq!(before.len(), 1);
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(jobs(&mut connection), before);
    let old_job: ImportJobId = OLD_JOB.parse().expect("an ID");
    let read = imports::archive(&mut connection, old_job).expect("the old job's archive");
    assert!(
        read == old_archive,
        "the archive in the column reads back otherwise"
    );

    // A new job's archive goes in slices; its column stays empty.
    let new_job = ImportJobId::new();
    connection
        .batch_execute(&format!(
            "INSERT INTO import_jobs (id, status, dry_run, organization_id, created_by, \
               created_at, counts, errors, archive) VALUES ('{new_job}', 'queued', FALSE, \
               'o1', 'admin', '2026-01-04 00:00:00', '{{}}', '[]', {empty});",
            empty = match connection {
                DbConnection::Sqlite(_) => "X''",
                DbConnection::Postgresql(_) => "''::bytea",
            }
        ))
        .expect("a new job");
    let new_archive = archive_bytes(4_500_001, 2);
    imports::store_archive(&mut connection, new_job, &new_archive).expect("stored");
    let read = imports::archive(&mut connection, new_job).expect("the new job's archive");
    assert!(
        read == new_archive,
        "the archive in slices reads back otherwise"
    );
    drop(connection);

    // Down, the slices go back into the job's column; up again, it reads from there.
    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(!slices_table(&mut connection));
    let columns = stored_archives(&mut connection);
    assert_eq!(columns.len(), 2);
    assert!(columns[0] == old_archive, "the old job's archive is kept");
    assert!(
        columns[1] == new_archive,
        "the slices are back in the column, in order"
    );
    drop(connection);
    run_pending(url).expect("and runs again");
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    for (job, archive) in [(old_job, &old_archive), (new_job, &new_archive)] {
        let read = imports::archive(&mut connection, job).expect("the archive");
        assert!(read == *archive, "{job} reads back otherwise");
    }
    assert_eq!(jobs(&mut connection)[0], before[0]);
}

#[derive(QueryableByName)]
struct Stored {
    #[diesel(sql_type = diesel::sql_types::Binary)]
    archive: Vec<u8>,
}

/// The archives in the jobs' column, by job.
fn stored_archives(connection: &mut DbConnection) -> Vec<Vec<u8>> {
    sql_query("SELECT archive FROM import_jobs ORDER BY id")
        .load::<Stored>(connection)
        .expect("the archives")
        .into_iter()
        .map(|row| row.archive)
        .collect()
}

#[test]
fn sqlite_import_archive_slices_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_import_archive_slices_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
