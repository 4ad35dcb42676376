//! SQLite: the rows as the repositories insert them, through SQLite's own connection (the
//! two-backend connection has no multi-row insert), inside the batch's one transaction,
//! which is what makes SQLite fast.

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::SeedRows;
use crate::schema::{
    assessments, clients, enrollments, grants, households, organizations, programs, services, users,
};

/// Rows per statement: at most 26 columns a row keeps it under SQLite's limit of 32,766
/// bound values.
const ROWS_PER_STATEMENT: usize = 1_000;

/// Inserts `$rows` into `$table`, `ROWS_PER_STATEMENT` rows per statement.
macro_rules! insert {
    ($sqlite:expr, $table:path, $rows:expr) => {
        for chunk in $rows.chunks(ROWS_PER_STATEMENT) {
            diesel::insert_into($table).values(chunk).execute($sqlite)?;
        }
    };
}

pub(super) fn write(sqlite: &mut SqliteConnection, rows: &SeedRows) -> QueryResult<()> {
    insert!(sqlite, organizations::table, rows.organizations);
    insert!(sqlite, programs::table, rows.programs);
    insert!(sqlite, grants::table, rows.grants);
    insert!(sqlite, users::table, rows.users);
    insert!(sqlite, clients::table, rows.clients);
    insert!(sqlite, households::table, rows.households);
    insert!(sqlite, enrollments::table, rows.enrollments);
    insert!(sqlite, assessments::table, rows.assessments);
    insert!(sqlite, services::table, rows.services);
    Ok(())
}
