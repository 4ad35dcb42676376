//! The unread indexes migration (2026-12-09-000001) on a database holding an enrollment with
//! HUD records (one deleted) and the source IDs of an import, written at the migration
//! before it: the two indexes are gone and every row reads back as it was; the look-up of
//! `record.stage_duplicate` still finds its record; down makes the indexes again, and down
//! and up again keep the rows.

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

const VERSION: &str = "20261209000001";
const DROPPED: [&str; 2] = ["hud_records_stage", "source_ids_record_id"];

#[derive(Debug, PartialEq, QueryableByName)]
struct Kept {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kept: String,
}

/// The HUD records' and the source IDs' columns, as text.
fn rows(connection: &mut DbConnection) -> Vec<Kept> {
    sql_query(
        "SELECT id, enrollment_id || ' ' || collection || ' ' || information_date || ' ' || \
           COALESCE(CAST(data_collection_stage AS TEXT), '-') || ' ' || \
           COALESCE(CAST(disability_type AS TEXT), '-') || ' ' || fields || ' ' || \
           COALESCE(CAST(deleted_at AS TEXT), 'kept') AS kept FROM hud_records \
         UNION ALL SELECT source_id AS id, source || ' ' || entity || ' ' || record_id || ' ' \
           || COALESCE(CAST(source_updated_at AS TEXT), '-') AS kept FROM source_ids \
         ORDER BY id",
    )
    .load(connection)
    .expect("the rows read back")
}

/// Which of the two indexes the database has.
fn indexes(url: &str) -> Vec<String> {
    #[derive(QueryableByName)]
    struct Name {
        #[diesel(sql_type = Text)]
        name: String,
    }
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let listed = DROPPED.map(|name| format!("'{name}'")).join(", ");
    let sql = match connection {
        DbConnection::Sqlite(_) => {
            format!("SELECT name FROM sqlite_master WHERE type = 'index' AND name IN ({listed})")
        }
        DbConnection::Postgresql(_) => {
            format!("SELECT indexname::text AS name FROM pg_indexes WHERE indexname IN ({listed})")
        }
    };
    let mut names: Vec<String> = sql_query(sql)
        .load::<Name>(&mut connection)
        .expect("the indexes")
        .into_iter()
        .map(|row| row.name)
        .collect();
    names.sort();
    names
}

/// The record `record.stage_duplicate` would name: the live disability of type 5 at project
/// start of e1.
fn at_stage(connection: &mut DbConnection) -> Vec<Kept> {
    sql_query(
        "SELECT id, collection AS kept FROM hud_records WHERE enrollment_id = 'e1' \
           AND collection = 'disabilities' AND data_collection_stage = 1 \
           AND disability_type = 5 AND deleted_at IS NULL ORDER BY id",
    )
    .load(connection)
    .expect("the look-up")
}

fn keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, VERSION);
    assert_eq!(indexes(url), DROPPED);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    seeded::seed_enrollment(&mut connection);
    connection
        .batch_execute(&format!(
            "INSERT INTO hud_records (id, enrollment_id, collection, information_date, \
               data_collection_stage, disability_type, fields, version, created_at, \
               updated_at, created_by, updated_by, deleted_at) VALUES \
               ('r1', 'e1', 'disabilities', '2026-01-03', 1, 5, \
               '{{\"disability_response\":1}}', {STAMPS}, NULL), \
               ('r2', 'e1', 'disabilities', '2026-01-03', 1, 5, \
               '{{\"disability_response\":0}}', {STAMPS}, '2026-01-04 00:00:00'), \
               ('r3', 'e1', 'events', '2026-01-05', NULL, NULL, '{{\"event\":1}}', {STAMPS}, \
               NULL); \
             INSERT INTO source_ids (source, entity, source_id, record_id, \
               source_updated_at) VALUES ('other', 'disability', 'D-1', 'r1', \
               '2026-01-03 00:00:00'), ('other', 'enrollment', 'E-1', 'e1', NULL);"
        ))
        .expect("records and source IDs as the migration before stores them");
    let before = rows(&mut connection);
    assert_eq!(before.len(), 5);
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    assert!(indexes(url).is_empty(), "{:?}", indexes(url));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(rows(&mut connection), before);
    assert_eq!(
        at_stage(&mut connection),
        [Kept {
            id: "r1".into(),
            kept: "disabilities".into()
        }]
    );
    drop(connection);

    // Reverted, both indexes are back.
    seeded::reverts_and_runs_again(url, VERSION, &before, rows, |_| indexes(url) != DROPPED);
    assert!(indexes(url).is_empty());
}

#[test]
fn sqlite_unread_indexes_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_unread_indexes_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
