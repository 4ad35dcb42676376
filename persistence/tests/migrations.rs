//! Both migration trees run up, down and up again, and end in the same schema: the same
//! tables and columns, the same foreign keys, each of them the first column of an index.

use std::collections::BTreeSet;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use threshold_persistence::db::{redact, DatabaseUrl, DbConnection};
use threshold_persistence::migrations::{revert_all, run_pending};
mod common;
#[path = "common/revert.rs"]
mod revert;

use common::{PostgresDatabase, SqliteFile};
use revert::revert_through;

const DIESEL_TABLE: &str = "__diesel_schema_migrations";

/// One (table, column) pair, as every query below returns them.
#[derive(QueryableByName)]
struct TableColumn {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

type Pairs = BTreeSet<(String, String)>;

/// What one backend's schema holds, diesel's own bookkeeping table left out.
#[derive(Debug)]
struct Schema {
    columns: Pairs,
    foreign_keys: Pairs,
    first_index_columns: Pairs,
}

impl Schema {
    fn tables(&self) -> BTreeSet<&str> {
        self.columns
            .iter()
            .map(|(table, _)| table.as_str())
            .collect()
    }

    fn unindexed_foreign_keys(&self) -> Vec<&(String, String)> {
        self.foreign_keys
            .difference(&self.first_index_columns)
            .collect()
    }
}

fn load<C>(connection: &mut C, sql: &str) -> Pairs
where
    C: diesel::Connection,
    for<'query> diesel::query_builder::SqlQuery:
        diesel::query_dsl::LoadQuery<'query, C, TableColumn>,
{
    sql_query(sql)
        .load::<TableColumn>(connection)
        .unwrap_or_else(|error| panic!("`{sql}` failed: {error}"))
        .into_iter()
        .map(|row| (row.table_name, row.column_name))
        .filter(|(table, _)| table != DIESEL_TABLE)
        .collect()
}

fn sqlite_schema(connection: &mut SqliteConnection) -> Schema {
    Schema {
        columns: load(
            connection,
            "SELECT m.name AS table_name, c.name AS column_name \
             FROM sqlite_master AS m JOIN pragma_table_info(m.name) AS c \
             WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'",
        ),
        // Only the first column of a composite key: that is what an index must lead with.
        foreign_keys: load(
            connection,
            "SELECT m.name AS table_name, f.\"from\" AS column_name \
             FROM sqlite_master AS m JOIN pragma_foreign_key_list(m.name) AS f \
             WHERE m.type = 'table' AND f.seq = 0",
        ),
        first_index_columns: load(
            connection,
            "SELECT m.name AS table_name, i.name AS column_name \
             FROM sqlite_master AS m JOIN pragma_index_list(m.name) AS l \
             JOIN pragma_index_info(l.name) AS i \
             WHERE m.type = 'table' AND i.seqno = 0",
        ),
    }
}

fn postgres_schema(connection: &mut PgConnection) -> Schema {
    Schema {
        columns: load(
            connection,
            "SELECT table_name::text AS table_name, column_name::text AS column_name \
             FROM information_schema.columns WHERE table_schema = 'public'",
        ),
        foreign_keys: load(
            connection,
            "SELECT t.relname::text AS table_name, a.attname::text AS column_name \
             FROM pg_constraint AS c \
             JOIN pg_class AS t ON t.oid = c.conrelid \
             JOIN pg_namespace AS n ON n.oid = t.relnamespace \
             JOIN pg_attribute AS a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] \
             WHERE c.contype = 'f' AND n.nspname = 'public'",
        ),
        first_index_columns: load(
            connection,
            "SELECT t.relname::text AS table_name, a.attname::text AS column_name \
             FROM pg_index AS i \
             JOIN pg_class AS t ON t.oid = i.indrelid \
             JOIN pg_namespace AS n ON n.oid = t.relnamespace \
             JOIN pg_attribute AS a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0] \
             WHERE n.nspname = 'public'",
        ),
    }
}

fn read_schema(url: &str) -> Schema {
    let connection = DatabaseUrl::parse(url)
        .and_then(|url| url.connect())
        .unwrap_or_else(|error| panic!("cannot connect to {}: {error}", redact(url)));
    match connection {
        DbConnection::Sqlite(mut sqlite) => sqlite_schema(&mut sqlite),
        DbConnection::Postgresql(mut pg) => postgres_schema(&mut pg),
    }
}

/// Up, down, up; the schema after the first and the second way up must be the same.
fn round_trip(url: &str) -> Schema {
    let first = run_pending(url).expect("the migrations run on an empty database");
    assert!(!first.is_empty(), "no migrations were found");
    let after_first = read_schema(url);

    let reverted = revert_all(url).expect("every migration reverts");
    assert_eq!(reverted, first.len(), "not every migration was reverted");
    let left = read_schema(url);
    assert!(
        left.columns.is_empty(),
        "the down migrations left tables behind: {:?}",
        left.tables()
    );

    let second = run_pending(url).expect("the migrations run again after reverting");
    assert_eq!(second, first, "the second run applied other migrations");
    assert!(
        run_pending(url).expect("nothing left to run").is_empty(),
        "migrations were pending after running them all"
    );
    let schema = read_schema(url);
    assert_eq!(
        schema.columns, after_first.columns,
        "the schema differs after down and up again"
    );
    schema
}

fn assert_foreign_keys_indexed(backend: &str, schema: &Schema) {
    assert!(
        !schema.foreign_keys.is_empty(),
        "{backend}: no foreign keys found; is the query right?"
    );
    assert_eq!(
        schema.unindexed_foreign_keys(),
        Vec::<&(String, String)>::new(),
        "{backend}: these foreign key columns lead no index"
    );
}

#[test]
fn sqlite_migrations_round_trip() {
    let file = SqliteFile::new();
    let schema = round_trip(&file.url());
    assert_foreign_keys_indexed("SQLite", &schema);
}

#[test]
fn postgres_migrations_round_trip() {
    let database = PostgresDatabase::new();
    let schema = round_trip(&database.url());
    assert_foreign_keys_indexed("PostgreSQL", &schema);
}

#[test]
fn both_backends_have_the_same_schema() {
    let file = SqliteFile::new();
    let database = PostgresDatabase::new();
    let sqlite = round_trip(&file.url());
    let postgres = round_trip(&database.url());

    let only_sqlite: Vec<_> = sqlite.columns.difference(&postgres.columns).collect();
    let only_postgres: Vec<_> = postgres.columns.difference(&sqlite.columns).collect();
    assert!(
        only_sqlite.is_empty() && only_postgres.is_empty(),
        "the migration trees disagree.\nonly in SQLite: {only_sqlite:?}\nonly in PostgreSQL: \
         {only_postgres:?}"
    );
    assert_eq!(
        sqlite.foreign_keys, postgres.foreign_keys,
        "the two backends have different foreign keys"
    );
}

/// The client-privacy migration (2026-12-06-000007) on a database holding data written at
/// the migration before it: every row is read back unchanged, no client gets a creating
/// organization it did not have, and no consent appears.
fn privacy_migration_keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    // This test seeds the database at the migration before client privacy.
    revert_through(url, "20261206000007");
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    connection
        .batch_execute(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Shelter', FALSE, 1, \
               '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'a', 'a'); \
             INSERT INTO programs (id, organization_id, name, project_type, \
               operating_start_date, continuum_project, version, created_at, updated_at, \
               created_by, updated_by) VALUES ('p1', 'o1', 'Beds', 1, '2020-01-01', TRUE, 1, \
               '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'a', 'a'); \
             INSERT INTO clients (id, first_name, last_name, name_data_quality, ssn, ssn_last4, \
               ssn_data_quality, dob, dob_data_quality, sex, race_ethnicity, veteran_status, \
               search_name, version, created_at, updated_at, created_by, updated_by) VALUES \
               ('c1', 'Ana', 'Lopez', 1, '123456789', '6789', 1, '1990-02-03', 1, 0, '5', 0, \
               'ana lopez', 3, '2026-01-02 10:00:00', '2026-01-05 11:00:00', 'cm', 'cm2'), \
               ('c2', NULL, NULL, 99, NULL, NULL, 99, NULL, 99, 99, '', 99, '', 1, \
               '2026-01-02 10:00:00', '2026-01-02 10:00:00', 'cm', 'cm'); \
             INSERT INTO households (id, program_id, created_at, created_by) VALUES \
               ('h1', 'p1', '2026-01-03 00:00:00', 'cm'); \
             INSERT INTO enrollments (id, client_id, program_id, household_id, \
               relationship_to_hoh, entry_date, version, created_at, updated_at, created_by, \
               updated_by) VALUES ('e1', 'c1', 'p1', 'h1', 1, '2026-01-03', 1, \
               '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm');",
        )
        .expect("rows as the migration before client privacy stores them");
    drop(connection);

    let applied = run_pending(url).expect("the privacy migration runs on the seeded database");
    assert_eq!(applied.first().map(String::as_str), Some("20261206000007"));
    let connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let mut connection = connection;
    let rows: Vec<MigratedClient> = sql_query(
        "SELECT id, first_name, ssn, dob, search_name, version, created_by, updated_by, \
           organization_id FROM clients ORDER BY id",
    )
    .load(&mut connection)
    .expect("the clients read back");
    assert_eq!(
        rows,
        vec![
            MigratedClient {
                id: "c1".into(),
                first_name: Some("Ana".into()),
                ssn: Some("123456789".into()),
                dob: Some(chrono::NaiveDate::from_ymd_opt(1990, 2, 3).unwrap()),
                search_name: "ana lopez".into(),
                version: 3,
                created_by: "cm".into(),
                updated_by: "cm2".into(),
                organization_id: None,
            },
            MigratedClient {
                id: "c2".into(),
                first_name: None,
                ssn: None,
                dob: None,
                search_name: String::new(),
                version: 1,
                created_by: "cm".into(),
                updated_by: "cm".into(),
                organization_id: None,
            },
        ]
    );
    let counts: Counts = sql_query(
        "SELECT (SELECT COUNT(*) FROM enrollments WHERE client_id = 'c1') AS enrollments, \
           (SELECT COUNT(*) FROM consents) AS consents",
    )
    .get_result(&mut connection)
    .expect("the counts");
    assert_eq!((counts.enrollments, counts.consents), (1, 0));
}

#[derive(Debug, PartialEq, QueryableByName)]
struct MigratedClient {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    first_name: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    ssn: Option<String>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    dob: Option<chrono::NaiveDate>,
    #[diesel(sql_type = Text)]
    search_name: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    version: i32,
    #[diesel(sql_type = Text)]
    created_by: String,
    #[diesel(sql_type = Text)]
    updated_by: String,
    #[diesel(sql_type = diesel::sql_types::Nullable<Text>)]
    organization_id: Option<String>,
}

#[derive(QueryableByName)]
struct Counts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    enrollments: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    consents: i64,
}

#[test]
fn sqlite_privacy_migration_keeps_the_data() {
    privacy_migration_keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_privacy_migration_keeps_the_data() {
    privacy_migration_keeps_the_data(&PostgresDatabase::new().url());
}

/// The indexes whose names begin with `prefix`, as the backend lists them.
fn indexes_named(url: &str, prefix: &str) -> Pairs {
    let pattern = format!("{}%", prefix.replace('_', "\\_"));
    match DatabaseUrl::parse(url).unwrap().connect().unwrap() {
        DbConnection::Sqlite(mut sqlite) => load(
            &mut sqlite,
            &format!(
                "SELECT tbl_name AS table_name, name AS column_name FROM sqlite_master \
                 WHERE type = 'index' AND name LIKE '{pattern}' ESCAPE '\\'"
            ),
        ),
        DbConnection::Postgresql(mut pg) => load(
            &mut pg,
            &format!(
                "SELECT tablename::text AS table_name, indexname::text AS column_name \
                 FROM pg_indexes WHERE indexname LIKE '{pattern}' ESCAPE '\\'"
            ),
        ),
    }
}

/// The indexes of the roster migration, as the backend lists them.
fn roster_indexes(url: &str) -> Pairs {
    indexes_named(url, "enrollments_roster")
}

/// The roster migration (2026-12-06-000010) on a database holding enrollments written at the
/// migration before it: reverted, its indexes are gone; run again, they are back and every
/// row reads back unchanged.
fn roster_migration_keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    // This test seeds the database at the migration before the roster's indexes.
    revert_through(url, "20261206000010");
    assert!(
        roster_indexes(url).is_empty(),
        "reverted, the indexes are gone"
    );
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let stamps = "1, '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm'";
    connection
        .batch_execute(&format!(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Shelter', FALSE, {stamps}); \
             INSERT INTO programs (id, organization_id, name, project_type, \
               operating_start_date, continuum_project, version, created_at, updated_at, \
               created_by, updated_by) VALUES ('p1', 'o1', 'Beds', 1, '2020-01-01', TRUE, \
               {stamps}); \
             INSERT INTO clients (id, first_name, last_name, name_data_quality, \
               ssn_data_quality, dob_data_quality, sex, race_ethnicity, veteran_status, \
               search_name, version, created_at, updated_at, created_by, updated_by) VALUES \
               ('c1', 'Ana', 'Lopez', 1, 99, 99, 0, '', 0, 'ana lopez', {stamps}); \
             INSERT INTO households (id, program_id, created_at, created_by) VALUES \
               ('h1', 'p1', '2026-01-03 00:00:00', 'cm'), ('h2', 'p1', '2026-01-03 00:00:00', \
               'cm'), ('h3', 'p1', '2026-01-03 00:00:00', 'cm'); \
             INSERT INTO enrollments (id, client_id, program_id, household_id, \
               relationship_to_hoh, entry_date, exit_date, destination, version, created_at, \
               updated_at, created_by, updated_by, deleted_at) VALUES \
               ('e1', 'c1', 'p1', 'h1', 1, '2025-01-03', '2025-02-01', 410, {stamps}, NULL), \
               ('e2', 'c1', 'p1', 'h2', 1, '2025-03-01', NULL, NULL, {stamps}, \
               '2025-03-02 00:00:00'), \
               ('e3', 'c1', 'p1', 'h3', 1, '2025-04-01', NULL, NULL, {stamps}, NULL);"
        ))
        .expect("rows as the migration before the roster's indexes stores them");
    drop(connection);

    let applied = run_pending(url).expect("the roster migration runs on the seeded database");
    assert_eq!(applied.first().map(String::as_str), Some("20261206000010"));
    let expected: Pairs = ["enrollments_roster", "enrollments_roster_active"]
        .into_iter()
        .map(|index| ("enrollments".to_owned(), index.to_owned()))
        .collect();
    assert_eq!(roster_indexes(url), expected);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let rows: Vec<MigratedEnrollment> = sql_query(
        "SELECT id, entry_date, exit_date, deleted_at IS NOT NULL AS deleted \
         FROM enrollments ORDER BY id",
    )
    .load(&mut connection)
    .expect("the enrollments read back");
    let date = |text: &str| chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap();
    assert_eq!(
        rows,
        vec![
            MigratedEnrollment {
                id: "e1".into(),
                entry_date: date("2025-01-03"),
                exit_date: Some(date("2025-02-01")),
                deleted: false,
            },
            MigratedEnrollment {
                id: "e2".into(),
                entry_date: date("2025-03-01"),
                exit_date: None,
                deleted: true,
            },
            MigratedEnrollment {
                id: "e3".into(),
                entry_date: date("2025-04-01"),
                exit_date: None,
                deleted: false,
            },
        ]
    );
    // What each index holds: the enrollments not deleted, and of those the ones not exited.
    let counts: RosterCounts = sql_query(
        "SELECT (SELECT COUNT(*) FROM enrollments WHERE program_id = 'p1' \
           AND deleted_at IS NULL) AS listed, \
           (SELECT COUNT(*) FROM enrollments WHERE program_id = 'p1' AND deleted_at IS NULL \
           AND exit_date IS NULL) AS active",
    )
    .get_result(&mut connection)
    .expect("the counts");
    assert_eq!((counts.listed, counts.active), (2, 1));
}

#[derive(QueryableByName)]
struct RosterCounts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    listed: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    active: i64,
}

#[derive(Debug, PartialEq, QueryableByName)]
struct MigratedEnrollment {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    entry_date: chrono::NaiveDate,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Date>)]
    exit_date: Option<chrono::NaiveDate>,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    deleted: bool,
}

#[test]
fn sqlite_roster_migration_keeps_the_data() {
    roster_migration_keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_roster_migration_keeps_the_data() {
    roster_migration_keeps_the_data(&PostgresDatabase::new().url());
}

/// The webhooks migration (2026-12-06-000009) on a database holding data written at the
/// migration before it: the rows are kept, the new tables start empty, and events are
/// numbered in the order they are written.
fn webhooks_migration_keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, "20261206000009");
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    connection
        .batch_execute(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Shelter', FALSE, 1, \
               '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'a', 'a'); \
             INSERT INTO programs (id, organization_id, name, project_type, \
               operating_start_date, continuum_project, version, created_at, updated_at, \
               created_by, updated_by) VALUES ('p1', 'o1', 'Beds', 1, '2020-01-01', TRUE, 1, \
               '2026-01-01 00:00:00', '2026-01-01 00:00:00', 'a', 'a'); \
             INSERT INTO clients (id, first_name, last_name, name_data_quality, \
               ssn_data_quality, dob_data_quality, sex, race_ethnicity, veteran_status, \
               search_name, version, created_at, updated_at, created_by, updated_by) VALUES \
               ('c1', 'Ana', 'Lopez', 1, 99, 99, 0, '', 0, 'ana lopez', 1, \
               '2026-01-02 10:00:00', '2026-01-02 10:00:00', 'cm', 'cm'); \
             INSERT INTO households (id, program_id, created_at, created_by) VALUES \
               ('h1', 'p1', '2026-01-03 00:00:00', 'cm'); \
             INSERT INTO enrollments (id, client_id, program_id, household_id, \
               relationship_to_hoh, entry_date, version, created_at, updated_at, created_by, \
               updated_by) VALUES ('e1', 'c1', 'p1', 'h1', 1, '2026-01-03', 1, \
               '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm');",
        )
        .expect("rows as the migration before webhooks stores them");
    drop(connection);

    let applied = run_pending(url).expect("the webhooks migration runs on the seeded database");
    assert_eq!(applied.first().map(String::as_str), Some("20261206000009"));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let counts: WebhookCounts = sql_query(
        "SELECT (SELECT COUNT(*) FROM enrollments WHERE client_id = 'c1') AS enrollments, \
           (SELECT COUNT(*) FROM webhooks) AS webhooks, \
           (SELECT COUNT(*) FROM webhook_events) AS events, \
           (SELECT COUNT(*) FROM webhook_deliveries) AS deliveries",
    )
    .get_result(&mut connection)
    .expect("the counts");
    assert_eq!(
        (
            counts.enrollments,
            counts.webhooks,
            counts.events,
            counts.deliveries
        ),
        (1, 0, 0, 0)
    );
    connection
        .batch_execute(
            "INSERT INTO webhook_events (id, event_type, entity_type, entity_id, \
               organization_id, client_id, occurred_at, data) VALUES \
               ('v1', 'enrollment.created', 'enrollment', 'e1', 'o1', 'c1', \
               '2026-01-03 00:00:00', '{}'); \
             INSERT INTO webhook_events (id, event_type, entity_type, entity_id, \
               organization_id, client_id, occurred_at, data) VALUES \
               ('v2', 'enrollment.updated', 'enrollment', 'e1', 'o1', 'c1', \
               '2026-01-04 00:00:00', '{}');",
        )
        .expect("events are written without their number");
    let numbered: Vec<NumberedEvent> = sql_query("SELECT seq, id FROM webhook_events ORDER BY seq")
        .load(&mut connection)
        .expect("the events");
    let ids: Vec<&str> = numbered.iter().map(|event| event.id.as_str()).collect();
    assert_eq!(ids, ["v1", "v2"]);
    assert!(numbered[0].seq < numbered[1].seq);
}

#[derive(QueryableByName)]
struct WebhookCounts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    enrollments: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    webhooks: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    events: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    deliveries: i64,
}

#[derive(QueryableByName)]
struct NumberedEvent {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    seq: i64,
    #[diesel(sql_type = Text)]
    id: String,
}

#[test]
fn sqlite_webhooks_migration_keeps_the_data() {
    webhooks_migration_keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_webhooks_migration_keeps_the_data() {
    webhooks_migration_keeps_the_data(&PostgresDatabase::new().url());
}

/// The HUD records migration (2026-12-07-000001) on a database holding an enrollment and a
/// service written at the migration before it: the rows are kept, the table starts empty
/// and holds a record of each shape, and down and up again leave the rest as it was.
fn hud_records_migration_keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, "20261207000001");
    assert!(!read_schema(url).tables().contains("hud_records"));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let stamps = "1, '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm'";
    connection
        .batch_execute(&format!(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Shelter', FALSE, {stamps}); \
             INSERT INTO programs (id, organization_id, name, project_type, \
               operating_start_date, continuum_project, version, created_at, updated_at, \
               created_by, updated_by) VALUES ('p1', 'o1', 'Beds', 1, '2020-01-01', TRUE, \
               {stamps}); \
             INSERT INTO clients (id, first_name, last_name, name_data_quality, \
               ssn_data_quality, dob_data_quality, sex, race_ethnicity, veteran_status, \
               search_name, version, created_at, updated_at, created_by, updated_by) VALUES \
               ('c1', 'Ana', 'Lopez', 1, 99, 99, 0, '', 0, 'ana lopez', {stamps}); \
             INSERT INTO households (id, program_id, created_at, created_by) VALUES \
               ('h1', 'p1', '2026-01-03 00:00:00', 'cm'); \
             INSERT INTO enrollments (id, client_id, program_id, household_id, \
               relationship_to_hoh, entry_date, version, created_at, updated_at, created_by, \
               updated_by) VALUES ('e1', 'c1', 'p1', 'h1', 1, '2026-01-03', {stamps}); \
             INSERT INTO services (id, enrollment_id, date_provided, record_type, \
               type_provided, version, created_at, updated_at, created_by, updated_by) VALUES \
               ('s1', 'e1', '2026-01-04', 200, 200, {stamps});"
        ))
        .expect("rows as the migration before HUD records stores them");
    drop(connection);

    let applied = run_pending(url).expect("the HUD records migration runs on the seeded database");
    assert_eq!(applied.first().map(String::as_str), Some("20261207000001"));
    // hud_records_stage, made here too, is dropped by a later migration (2026-12-09-000001),
    // which has run as well.
    let expected: Pairs = ["hud_records_enrollment_id"]
        .into_iter()
        .map(|index| ("hud_records".to_owned(), index.to_owned()))
        .collect();
    assert_eq!(hud_indexes(url), expected);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(hud_counts(&mut connection), (1, 1, 0));
    // An income record at project start (5.03 stage 1), a disability of type 5 at exit, an
    // event without a stage.
    connection
        .batch_execute(&format!(
            "INSERT INTO hud_records (id, enrollment_id, collection, information_date, \
               data_collection_stage, disability_type, fields, version, created_at, \
               updated_at, created_by, updated_by, deleted_at) VALUES \
               ('r1', 'e1', 'income_benefits', '2026-01-03', 1, NULL, \
               '{{\"income_from_any_source\":0}}', {stamps}, NULL), \
               ('r2', 'e1', 'disabilities', '2026-01-10', 3, 5, '{{}}', {stamps}, NULL), \
               ('r3', 'e1', 'events', '2026-01-05', NULL, NULL, '{{}}', {stamps}, \
               '2026-01-06 00:00:00');"
        ))
        .expect("records of each shape");
    let rows: Vec<MigratedHudRecord> = sql_query(
        "SELECT id, collection, information_date, data_collection_stage, disability_type, \
           fields, deleted_at IS NOT NULL AS deleted FROM hud_records ORDER BY id",
    )
    .load(&mut connection)
    .expect("the records read back");
    let record = |id: &str, collection: &str, date: (u32, u32), stage, kind, fields: &str| {
        MigratedHudRecord {
            id: id.into(),
            collection: collection.into(),
            information_date: chrono::NaiveDate::from_ymd_opt(2026, date.0, date.1).unwrap(),
            data_collection_stage: stage,
            disability_type: kind,
            fields: fields.into(),
            deleted: id == "r3",
        }
    };
    assert_eq!(
        rows,
        [
            record(
                "r1",
                "income_benefits",
                (1, 3),
                Some(1),
                None,
                "{\"income_from_any_source\":0}"
            ),
            record("r2", "disabilities", (1, 10), Some(3), Some(5), "{}"),
            record("r3", "events", (1, 5), None, None, "{}"),
        ]
    );
    drop(connection);

    revert_through(url, "20261207000001");
    assert!(!read_schema(url).tables().contains("hud_records"));
    assert!(hud_indexes(url).is_empty());
    assert_eq!(
        run_pending(url)
            .expect("and runs again")
            .first()
            .map(String::as_str),
        Some("20261207000001")
    );
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(hud_counts(&mut connection), (1, 1, 0));
}

/// The indexes the HUD records migration makes (PostgreSQL's of the primary key aside).
fn hud_indexes(url: &str) -> Pairs {
    indexes_named(url, "hud_records")
        .into_iter()
        .filter(|(_, index)| !index.ends_with("_pkey"))
        .collect()
}

/// The enrollments, services and HUD records of the enrollment `e1`.
fn hud_counts(connection: &mut DbConnection) -> (i64, i64, i64) {
    let counts: HudCounts = sql_query(
        "SELECT (SELECT COUNT(*) FROM enrollments WHERE id = 'e1') AS enrollments, \
           (SELECT COUNT(*) FROM services WHERE enrollment_id = 'e1') AS services, \
           (SELECT COUNT(*) FROM hud_records WHERE enrollment_id = 'e1') AS records",
    )
    .get_result(connection)
    .expect("the counts");
    (counts.enrollments, counts.services, counts.records)
}

#[derive(QueryableByName)]
struct HudCounts {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    enrollments: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    services: i64,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    records: i64,
}

#[derive(Debug, PartialEq, QueryableByName)]
struct MigratedHudRecord {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    collection: String,
    #[diesel(sql_type = diesel::sql_types::Date)]
    information_date: chrono::NaiveDate,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    data_collection_stage: Option<i32>,
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Integer>)]
    disability_type: Option<i32>,
    #[diesel(sql_type = Text)]
    fields: String,
    #[diesel(sql_type = diesel::sql_types::Bool)]
    deleted: bool,
}

#[test]
fn sqlite_hud_records_migration_keeps_the_data() {
    hud_records_migration_keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_hud_records_migration_keeps_the_data() {
    hud_records_migration_keeps_the_data(&PostgresDatabase::new().url());
}

/// The tables of the program sub-resources migration (2026-12-07-000002).
const PROGRAM_TABLES: [&str; 5] = [
    "program_cocs",
    "inventories",
    "hmis_participations",
    "ce_participations",
    "affiliations",
];

/// The program sub-resources migration (2026-12-07-000002) on a database holding a program,
/// its grant and a HUD record written at the migration before it: they are kept, the five
/// new tables start empty and hold a row each, and down and up again leave the rest as it
/// was.
fn program_subresources_migration_keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, "20261207000002");
    let tables = read_schema(url);
    for table in PROGRAM_TABLES {
        assert!(!tables.tables().contains(table), "{table}");
    }
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let stamps = "1, '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'admin', 'admin'";
    connection
        .batch_execute(&format!(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Outreach', FALSE, {stamps}); \
             INSERT INTO programs (id, organization_id, name, project_type, \
               operating_start_date, continuum_project, version, created_at, updated_at, \
               created_by, updated_by) VALUES ('p1', 'o1', 'Services', 6, '2020-01-01', TRUE, \
               {stamps}), ('p2', 'o1', 'Shelter', 1, '2020-01-01', TRUE, {stamps}); \
             INSERT INTO grants (id, program_id, funder, grant_identifier, start_date, \
               version, created_at, updated_at, created_by, updated_by) VALUES \
               ('g1', 'p1', 2, 'CA0001L9T001', '2025-07-01', {stamps});"
        ))
        .expect("rows as the migration before the program sub-resources stores them");
    drop(connection);

    let applied = run_pending(url).expect("the migration runs on the seeded database");
    assert_eq!(applied.first().map(String::as_str), Some("20261207000002"));
    let expected: Pairs = [
        ("program_cocs", "program_cocs_program_id"),
        ("inventories", "inventories_program_id"),
        ("hmis_participations", "hmis_participations_program_id"),
        ("ce_participations", "ce_participations_program_id"),
        ("affiliations", "affiliations_program_id"),
        ("affiliations", "affiliations_res_program_id"),
    ]
    .into_iter()
    .map(|(table, index)| (table.to_owned(), index.to_owned()))
    .collect();
    assert_eq!(program_table_indexes(url), expected);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(program_counts(&mut connection), [2, 1, 0, 0, 0, 0, 0]);
    connection
        .batch_execute(&format!(
            "INSERT INTO program_cocs (id, program_id, coc_code, geocode, address1, address2, \
               city, state, zip, geography_type, {bookkeeping}) VALUES ('c1', 'p2', 'CA-500', \
               '069001', '1 Main St', NULL, 'Oakland', 'CA', '94612', 1, {stamps}, NULL); \
             INSERT INTO inventories (id, program_id, coc_code, household_type, availability, \
               unit_inventory, bed_inventory, ch_vet_bed_inventory, youth_vet_bed_inventory, \
               vet_bed_inventory, ch_youth_bed_inventory, youth_bed_inventory, \
               ch_bed_inventory, other_bed_inventory, es_bed_type, inventory_start_date, \
               inventory_end_date, {bookkeeping}) VALUES ('i1', 'p2', 'CA-500', 1, 1, 10, 12, \
               0, 0, 2, 0, 0, 0, 10, 1, '2025-10-01', NULL, {stamps}, NULL); \
             INSERT INTO hmis_participations (id, program_id, hmis_participation_type, \
               hmis_participation_status_start_date, hmis_participation_status_end_date, \
               {bookkeeping}) VALUES ('h1', 'p2', 1, '2020-01-01', '2025-12-31', {stamps}, \
               '2026-01-04 00:00:00'); \
             INSERT INTO ce_participations (id, program_id, access_point, \
               prevention_assessment, crisis_assessment, housing_assessment, direct_services, \
               receives_referrals, ce_participation_status_start_date, \
               ce_participation_status_end_date, {bookkeeping}) VALUES ('e1', 'p1', 1, 0, 1, \
               1, 0, 1, '2024-01-01', NULL, {stamps}, NULL); \
             INSERT INTO affiliations (id, program_id, res_program_id, {bookkeeping}) VALUES \
               ('a1', 'p1', 'p2', {stamps}, NULL);",
            bookkeeping = "version, created_at, updated_at, created_by, updated_by, deleted_at"
        ))
        .expect("a row of each table");
    let read: Vec<MigratedProgramRow> = sql_query(
        "SELECT id, program_id, coc_code AS detail FROM program_cocs \
         UNION ALL SELECT id, program_id, coc_code || ' ' || bed_inventory FROM inventories \
         UNION ALL SELECT id, program_id, hmis_participation_status_end_date || '' \
           FROM hmis_participations WHERE deleted_at IS NOT NULL \
         UNION ALL SELECT id, program_id, ce_participation_status_start_date || '' \
           FROM ce_participations \
         UNION ALL SELECT id, program_id, res_program_id FROM affiliations ORDER BY id",
    )
    .load(&mut connection)
    .expect("the rows read back");
    let row = |id: &str, program_id: &str, detail: &str| MigratedProgramRow {
        id: id.into(),
        program_id: program_id.into(),
        detail: detail.into(),
    };
    assert_eq!(
        read,
        [
            row("a1", "p1", "p2"),
            row("c1", "p2", "CA-500"),
            row("e1", "p1", "2024-01-01"),
            row("h1", "p2", "2025-12-31"),
            row("i1", "p2", "CA-500 12"),
        ]
    );
    assert_eq!(program_counts(&mut connection), [2, 1, 1, 1, 1, 1, 1]);
    drop(connection);

    revert_through(url, "20261207000002");
    let tables = read_schema(url);
    for table in PROGRAM_TABLES {
        assert!(!tables.tables().contains(table), "{table}");
    }
    assert!(program_table_indexes(url).is_empty());
    assert_eq!(
        run_pending(url)
            .expect("and runs again")
            .first()
            .map(String::as_str),
        Some("20261207000002")
    );
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(program_counts(&mut connection), [2, 1, 0, 0, 0, 0, 0]);
}

/// The indexes the program sub-resources migration makes (PostgreSQL's of the primary keys
/// aside).
fn program_table_indexes(url: &str) -> Pairs {
    PROGRAM_TABLES
        .into_iter()
        .flat_map(|table| indexes_named(url, table))
        .filter(|(table, index)| {
            PROGRAM_TABLES.contains(&table.as_str()) && !index.ends_with("_pkey")
        })
        .collect()
}

/// The rows of the programs, the grants and the five new tables.
fn program_counts(connection: &mut DbConnection) -> [i64; 7] {
    let count = |connection: &mut DbConnection, table: &str| -> i64 {
        let counted: ProgramCount = sql_query(format!("SELECT COUNT(*) AS count FROM {table}"))
            .get_result(connection)
            .expect("a count");
        counted.count
    };
    let mut counts = [0; 7];
    for (at, table) in ["programs", "grants"]
        .into_iter()
        .chain(PROGRAM_TABLES)
        .enumerate()
    {
        counts[at] = count(connection, table);
    }
    counts
}

#[derive(QueryableByName)]
struct ProgramCount {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    count: i64,
}

#[derive(Debug, PartialEq, QueryableByName)]
struct MigratedProgramRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    program_id: String,
    #[diesel(sql_type = Text)]
    detail: String,
}

#[test]
fn sqlite_program_subresources_migration_keeps_the_data() {
    program_subresources_migration_keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_program_subresources_migration_keeps_the_data() {
    program_subresources_migration_keeps_the_data(&PostgresDatabase::new().url());
}
