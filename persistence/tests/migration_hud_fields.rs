//! The HUD fields migration (2026-12-07-000003) on a database holding an organization, a
//! program, a client and an exited enrollment written at the migration before it: every row
//! is kept with its values, each gains an empty object of HUD fields, which then holds what
//! is written; down and up again leave the rows as they were.

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

const VERSION: &str = "20261207000003";

/// Each row's ID, the values it held before the migration, and its HUD fields after.
#[derive(Debug, PartialEq, QueryableByName)]
struct Row {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Text)]
    kept: String,
    #[diesel(sql_type = Text)]
    hud: String,
}

fn rows(connection: &mut DbConnection) -> Vec<Row> {
    sql_query(
        "SELECT id, name AS kept, hud FROM organizations \
         UNION ALL SELECT id, name || ' ' || project_type, hud FROM programs \
         UNION ALL SELECT id, first_name || ' ' || veteran_status, hud FROM clients \
         UNION ALL SELECT id, entry_date || ' ' || exit_date || ' ' || destination, \
           hud || ' ' || exit_hud FROM enrollments ORDER BY id",
    )
    .load(connection)
    .expect("the rows read back")
}

fn row(id: &str, kept: &str, hud: &str) -> Row {
    Row {
        id: id.into(),
        kept: kept.into(),
        hud: hud.into(),
    }
}

/// Whether `table` has a column `hud`.
fn has_hud_column(connection: &mut DbConnection, table: &str) -> bool {
    sql_query(format!(
        "SELECT hud AS id, '' AS kept, '' AS hud FROM {table}"
    ))
    .load::<Row>(connection)
    .is_ok()
}

fn keeps_the_data(url: &str) {
    run_pending(url).expect("the migrations run");
    revert_through(url, VERSION);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    for table in ["organizations", "programs", "clients", "enrollments"] {
        assert!(!has_hud_column(&mut connection, table), "{table}");
    }
    let stamps = "1, '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm'";
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
               relationship_to_hoh, entry_date, exit_date, destination, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('e1', 'c1', 'p1', 'h1', 1, \
               '2026-01-03', '2026-02-01', 410, {stamps});"
        ))
        .expect("rows as the migration before HUD fields stores them");
    drop(connection);

    let applied = run_pending(url).expect("the migration runs");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    let before = [
        row("c1", "Sam 1", "{}"),
        row("e1", "2026-01-03 2026-02-01 410", "{} {}"),
        row("o1", "Harbor", "{}"),
        row("p1", "Homes 13", "{}"),
    ];
    assert_eq!(rows(&mut connection), before);
    connection
        .batch_execute(
            "UPDATE clients SET hud = '{\"year_entered_service\":1990}'; \
             UPDATE enrollments SET hud = '{\"times_homeless_past_three_years\":2}', \
               exit_hud = '{\"housing_assessment\":1}'; \
             UPDATE programs SET hud = '{\"rrh_sub_type\":2}'; \
             UPDATE organizations SET hud = '{\"organization_common_name\":\"H\"}';",
        )
        .expect("HUD fields are written");
    assert_eq!(
        rows(&mut connection),
        [
            row("c1", "Sam 1", "{\"year_entered_service\":1990}"),
            row(
                "e1",
                "2026-01-03 2026-02-01 410",
                "{\"times_homeless_past_three_years\":2} {\"housing_assessment\":1}"
            ),
            row("o1", "Harbor", "{\"organization_common_name\":\"H\"}"),
            row("p1", "Homes 13", "{\"rrh_sub_type\":2}"),
        ]
    );
    drop(connection);

    revert_through(url, VERSION);
    let applied = run_pending(url).expect("and runs again");
    assert_eq!(applied.first().map(String::as_str), Some(VERSION));
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(rows(&mut connection), before);
}

#[test]
fn sqlite_hud_fields_migration_keeps_the_data() {
    keeps_the_data(&SqliteFile::new().url());
}

#[test]
fn postgres_hud_fields_migration_keeps_the_data() {
    keeps_the_data(&PostgresDatabase::new().url());
}
