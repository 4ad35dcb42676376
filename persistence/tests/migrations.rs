//! Both migration trees run up, down and up again, and end in the same schema: the same
//! tables and columns, the same foreign keys, each of them the first column of an index.

use std::collections::BTreeSet;
use std::path::PathBuf;

use diesel::connection::SimpleConnection;
use diesel::sql_types::Text;
use diesel::{sql_query, PgConnection, QueryableByName, RunQueryDsl, SqliteConnection};
use threshold_persistence::db::{redact, DatabaseUrl, DbConnection};
use threshold_persistence::migrations::{revert_all, run_pending};
use uuid::Uuid;

const POSTGRES_URL_VAR: &str = "THRESHOLD_TEST_POSTGRES_URL";
const DEFAULT_POSTGRES_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";
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

/// A SQLite file in a folder of its own, removed afterwards.
struct SqliteFile {
    folder: PathBuf,
}

impl SqliteFile {
    fn new() -> SqliteFile {
        let folder =
            std::env::temp_dir().join(format!("threshold-migrations-{}", Uuid::now_v7().simple()));
        std::fs::create_dir_all(&folder).expect("a temp folder");
        SqliteFile { folder }
    }

    fn url(&self) -> String {
        format!("sqlite://{}", self.folder.join("threshold.db").display())
    }
}

impl Drop for SqliteFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.folder);
    }
}

/// A PostgreSQL database of its own, dropped afterwards. An unreachable server fails the
/// test: skipping would leave the PostgreSQL tree untested without anyone noticing.
struct PostgresDatabase {
    admin_url: String,
    name: String,
}

impl PostgresDatabase {
    fn new() -> PostgresDatabase {
        let admin_url = std::env::var(POSTGRES_URL_VAR)
            .ok()
            .filter(|url| !url.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_POSTGRES_URL.to_owned());
        let name = format!("threshold_test_{}", Uuid::now_v7().simple());
        admin_execute(&admin_url, &format!("CREATE DATABASE \"{name}\""));
        PostgresDatabase { admin_url, name }
    }

    fn url(&self) -> String {
        let (base, query) = match self.admin_url.split_once('?') {
            Some((base, query)) => (base, format!("?{query}")),
            None => (self.admin_url.as_str(), String::new()),
        };
        let authority = base.find("://").map_or(0, |index| index + 3);
        let server = match base[authority..].find('/') {
            Some(slash) => &base[..authority + slash],
            None => base,
        };
        format!("{server}/{}{query}", self.name)
    }
}

impl Drop for PostgresDatabase {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS \"{}\" WITH (FORCE)", self.name);
        if let Ok(mut connection) = DatabaseUrl::parse(&self.admin_url).and_then(|u| u.connect()) {
            if let Err(error) = connection.batch_execute(&sql) {
                eprintln!("cannot drop {}: {error}", self.name);
            }
        }
    }
}

fn admin_execute(admin_url: &str, sql: &str) {
    let mut connection = DatabaseUrl::parse(admin_url)
        .and_then(|url| url.connect())
        .unwrap_or_else(|error| {
            panic!(
                "PostgreSQL is not reachable at {} ({}). Run `make test` (it starts the local \
                 cluster) or set {POSTGRES_URL_VAR} to a server where this user may create \
                 databases.",
                redact(admin_url),
                error.to_string().trim_end()
            )
        });
    connection
        .batch_execute(sql)
        .unwrap_or_else(|error| panic!("`{sql}` failed: {error}"));
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
