//! SQLite: the rows as the repositories insert them, through SQLite's own connection (the
//! two-backend connection has no multi-row insert), inside the batch's one transaction,
//! which is what makes SQLite fast.

use diesel::prelude::*;
use diesel::sqlite::SqliteConnection;

use super::SeedRows;
use crate::schema::{
    assessments, clients, enrollments, grants, households, hud_records, organizations, programs,
    services, users,
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
    // A typed record (`HudRecord<C>`) inserts itself; a batch holds every collection's side
    // by side, written as their columns' values.
    for chunk in rows.hud_records.chunks(ROWS_PER_STATEMENT) {
        let values: Vec<_> = chunk
            .iter()
            .map(|record| {
                (
                    hud_records::id.eq(&record.id),
                    hud_records::enrollment_id.eq(&record.enrollment_id),
                    hud_records::collection.eq(record.collection.name()),
                    hud_records::information_date.eq(record.information_date),
                    hud_records::data_collection_stage.eq(record.data_collection_stage),
                    hud_records::disability_type.eq(record.disability_type),
                    hud_records::fields.eq(&record.fields),
                    hud_records::version.eq(record.version),
                    hud_records::created_at.eq(record.created_at),
                    hud_records::updated_at.eq(record.updated_at),
                    hud_records::created_by.eq(&record.created_by),
                    hud_records::updated_by.eq(&record.updated_by),
                    hud_records::deleted_at.eq(record.deleted_at),
                )
            })
            .collect();
        diesel::insert_into(hud_records::table)
            .values(values)
            .execute(sqlite)?;
    }
    Ok(())
}
