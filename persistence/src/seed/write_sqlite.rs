//! SQLite: the rows as the repositories insert them, through SQLite's own connection (the
//! two-backend connection has no multi-row insert), inside the batch's one transaction,
//! which is what makes SQLite fast.

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::SeedRows;
use crate::schema::{
    assessments, clients, enrollments, grants, households, organizations, programs, services, users,
};

pub(super) fn write(sqlite: &mut SqliteConnection, rows: &SeedRows) -> QueryResult<()> {
    diesel::insert_into(organizations::table)
        .values(&rows.organizations)
        .execute(sqlite)?;
    diesel::insert_into(programs::table)
        .values(&rows.programs)
        .execute(sqlite)?;
    diesel::insert_into(grants::table)
        .values(&rows.grants)
        .execute(sqlite)?;
    diesel::insert_into(users::table)
        .values(&rows.users)
        .execute(sqlite)?;
    diesel::insert_into(clients::table)
        .values(&rows.clients)
        .execute(sqlite)?;
    diesel::insert_into(households::table)
        .values(&rows.households)
        .execute(sqlite)?;
    diesel::insert_into(enrollments::table)
        .values(&rows.enrollments)
        .execute(sqlite)?;
    diesel::insert_into(assessments::table)
        .values(&rows.assessments)
        .execute(sqlite)?;
    diesel::insert_into(services::table)
        .values(&rows.services)
        .execute(sqlite)?;
    Ok(())
}
