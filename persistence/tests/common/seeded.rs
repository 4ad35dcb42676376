//! What the migration tests of the import's columns share: the rows a database holds before
//! (an organization, a program, a client, a household and an exited enrollment, as every
//! migration since 2026-12-06 stores them), and the end of each test: down again and up
//! again keep those rows.

use diesel::connection::SimpleConnection;
use threshold_persistence::db::{DatabaseUrl, DbConnection};
use threshold_persistence::migrations::run_pending;

use crate::revert::revert_through;

pub const STAMPS: &str = "1, '2026-01-03 00:00:00', '2026-01-03 00:00:00', 'cm', 'cm'";

/// Stores organization o1, program p1, client c1, household h1 and enrollment e1 (exited).
pub fn seed_enrollment(connection: &mut DbConnection) {
    connection
        .batch_execute(&format!(
            "INSERT INTO organizations (id, name, victim_service_provider, version, created_at, \
               updated_at, created_by, updated_by) VALUES ('o1', 'Harbor', FALSE, {STAMPS}); \
             INSERT INTO programs (id, organization_id, name, project_type, \
               operating_start_date, continuum_project, version, created_at, updated_at, \
               created_by, updated_by) VALUES ('p1', 'o1', 'Homes', 13, '2020-01-01', TRUE, \
               {STAMPS}); \
             INSERT INTO clients (id, first_name, last_name, name_data_quality, \
               ssn_data_quality, dob_data_quality, sex, race_ethnicity, veteran_status, \
               search_name, version, created_at, updated_at, created_by, updated_by) VALUES \
               ('c1', 'Sam', 'Ray', 1, 99, 99, 0, '', 1, 'sam ray', {STAMPS}); \
             INSERT INTO households (id, program_id, created_at, created_by) VALUES \
               ('h1', 'p1', '2026-01-03 00:00:00', 'cm'); \
             INSERT INTO enrollments (id, client_id, program_id, household_id, \
               relationship_to_hoh, entry_date, exit_date, destination, hud, version, \
               created_at, updated_at, created_by, updated_by) VALUES ('e1', 'c1', 'p1', 'h1', \
               1, '2026-01-03', '2026-02-01', 410, '{{\"times_homeless_past_three_years\":2}}', \
               {STAMPS});"
        ))
        .expect("rows as the migration before stores them");
}

/// Reverts `version` (the columns it added are gone: `added` fails) and runs it again: the
/// rows read by `kept` stay as `before` both times.
pub fn reverts_and_runs_again<T: PartialEq + std::fmt::Debug>(
    url: &str,
    version: &str,
    before: &T,
    kept: impl Fn(&mut DbConnection) -> T,
    added: impl Fn(&mut DbConnection) -> bool,
) {
    revert_through(url, version);
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert!(!added(&mut connection), "the migration's columns are gone");
    assert_eq!(&kept(&mut connection), before);
    drop(connection);
    run_pending(url).expect("and runs again");
    let mut connection = DatabaseUrl::parse(url).unwrap().connect().unwrap();
    assert_eq!(&kept(&mut connection), before);
}
