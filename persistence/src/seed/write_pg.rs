//! Writing on PostgreSQL: each table's rows of a batch in one `COPY ... FROM STDIN` (text
//! format), in the column order of the schema, which is the order of the row's fields.

use std::fmt::Display;
use std::io::Write;

use diesel::connection::SimpleConnection;
use diesel::pg::{CopyTarget, PgConnection};
use diesel::prelude::*;
use diesel::result::Error as DieselError;

use super::SeedRows;
use crate::rows::{
    AnyHudRecord, AssessmentRow, ClientRow, EnrollmentRow, GrantRow, HouseholdRow, OrganizationRow,
    ProgramRow, ServiceRow, UserRow,
};
use crate::schema::{
    assessments, clients, enrollments, grants, households, hud_records, organizations, programs,
    services, users,
};

pub(super) fn write(pg: &mut PgConnection, rows: &SeedRows) -> Result<(), DieselError> {
    // Every reference the rows make is to a row written before them or with them, and
    // PostgreSQL's foreign-key triggers would cost as much again as the rest of an
    // enrollment's insert. A superuser skips them for this transaction, as `pg_restore
    // --disable-triggers` does; anyone else gets the checks. (SQLite keeps its foreign keys
    // on, so the tests would catch a dangling reference there.)
    let superuser: bool = diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(
        "current_setting('is_superuser') = 'on'",
    ))
    .get_result(pg)?;
    if superuser {
        pg.batch_execute("SET LOCAL session_replication_role = replica")?;
    }
    copy(pg, organizations::table, &rows.organizations)?;
    copy(pg, programs::table, &rows.programs)?;
    copy(pg, grants::table, &rows.grants)?;
    copy(pg, users::table, &rows.users)?;
    copy(pg, clients::table, &rows.clients)?;
    copy(pg, households::table, &rows.households)?;
    copy(pg, enrollments::table, &rows.enrollments)?;
    copy(pg, assessments::table, &rows.assessments)?;
    copy(pg, services::table, &rows.services)?;
    copy(pg, hud_records::table, &rows.hud_records)
}

/// Copies `rows` into `table`, whose columns (in schema order) the rows write.
fn copy<T, R>(pg: &mut PgConnection, table: T, rows: &[R]) -> Result<(), DieselError>
where
    T: Table + CopyTarget<Table = T> + Copy,
    R: CopyRow,
{
    if rows.is_empty() {
        return Ok(());
    }
    let mut text = CopyText::default();
    for row in rows {
        row.write(&mut text);
        text.end_row();
    }
    diesel::copy_from(table)
        .from_raw_data(table, |out: &mut dyn Write| {
            out.write_all(&text.bytes)
                .map_err(|error| DieselError::SerializationError(Box::new(error)))
        })
        .execute(pg)?;
    Ok(())
}

/// Rows of COPY's text format: fields separated by tabs, `\N` for NULL, backslash escapes.
#[derive(Default)]
struct CopyText {
    bytes: Vec<u8>,
}

impl CopyText {
    fn text(&mut self, value: &str) {
        // Runs of plain bytes are copied whole: most text needs no escape at all.
        let bytes = value.as_bytes();
        let mut plain_from = 0;
        for (index, byte) in bytes.iter().enumerate() {
            let escaped: &[u8] = match byte {
                b'\\' => b"\\\\",
                b'\t' => b"\\t",
                b'\n' => b"\\n",
                b'\r' => b"\\r",
                _ => continue,
            };
            self.bytes.extend_from_slice(&bytes[plain_from..index]);
            self.bytes.extend_from_slice(escaped);
            plain_from = index + 1;
        }
        self.bytes.extend_from_slice(&bytes[plain_from..]);
        self.bytes.push(b'\t');
    }

    /// Numbers, dates and timestamps, whose text needs no escaping.
    fn plain(&mut self, value: impl Display) {
        // Writing into a Vec cannot fail.
        let _ = write!(self.bytes, "{value}\t");
    }

    fn null(&mut self) {
        self.bytes.extend_from_slice(b"\\N\t");
    }

    fn optional_text(&mut self, value: Option<&str>) {
        match value {
            Some(value) => self.text(value),
            None => self.null(),
        }
    }

    fn optional(&mut self, value: Option<impl Display>) {
        match value {
            Some(value) => self.plain(value),
            None => self.null(),
        }
    }

    fn flag(&mut self, value: bool) {
        self.bytes
            .extend_from_slice(if value { b"t\t" } else { b"f\t" });
    }

    fn end_row(&mut self) {
        if let Some(last) = self.bytes.last_mut() {
            *last = b'\n';
        }
    }
}

/// A row written field by field, in its table's column order.
trait CopyRow {
    fn write(&self, out: &mut CopyText);
}

impl CopyRow for OrganizationRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.text(&self.name);
        out.flag(self.victim_service_provider);
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
        out.text(&serde_json::to_string(&self.hud).unwrap_or_else(|_| "{}".into()));
    }
}

impl CopyRow for ProgramRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.organization_id);
        out.text(&self.name);
        out.plain(self.project_type);
        out.plain(self.operating_start_date);
        out.optional(self.operating_end_date);
        out.flag(self.continuum_project);
        out.optional(self.capacity);
        out.optional(self.auto_exit_days);
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
        out.text(&serde_json::to_string(&self.hud).unwrap_or_else(|_| "{}".into()));
    }
}

impl CopyRow for GrantRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.program_id);
        out.plain(self.funder);
        out.optional_text(self.other_funder.as_deref());
        out.text(&self.grant_identifier);
        out.plain(self.start_date);
        out.optional(self.end_date);
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
    }
}

impl CopyRow for UserRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.organization_id);
        out.text(&self.first_name);
        out.text(&self.last_name);
        out.text(&self.email);
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
    }
}

impl CopyRow for ClientRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.optional_text(self.first_name.as_deref());
        out.optional_text(self.middle_name.as_deref());
        out.optional_text(self.last_name.as_deref());
        out.optional_text(self.name_suffix.as_deref());
        out.plain(self.name_data_quality);
        out.optional_text(self.ssn.as_deref());
        out.optional_text(self.ssn_last4.as_deref());
        out.plain(self.ssn_data_quality);
        out.optional(self.dob);
        out.plain(self.dob_data_quality);
        out.plain(self.sex);
        out.text(&self.race_ethnicity);
        out.optional(self.race_none);
        out.plain(self.veteran_status);
        out.text(&self.search_name);
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
        out.optional(self.deleted_at);
        out.optional(self.organization_id);
        out.text(&serde_json::to_string(&self.hud).unwrap_or_else(|_| "{}".into()));
        // Seeded clients come from no other system.
        out.optional_text(None);
    }
}

impl CopyRow for HouseholdRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.program_id);
        out.plain(self.created_at);
        out.text(&self.created_by);
    }
}

impl CopyRow for EnrollmentRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.client_id);
        out.plain(self.program_id);
        out.plain(self.household_id);
        out.plain(self.relationship_to_hoh);
        out.plain(self.entry_date);
        out.optional(self.exit_date);
        out.optional(self.destination);
        out.optional(self.destination_subsidy_type);
        out.optional_text(self.other_destination.as_deref());
        out.flag(self.auto_exited);
        out.optional_text(self.exited_by.as_deref());
        out.optional(self.exited_at);
        out.optional(self.grant_id);
        out.optional(self.case_manager_id);
        out.optional_text(self.enrollment_coc.as_deref());
        out.optional(self.disabling_condition);
        out.optional(self.prior_living_situation);
        out.optional(self.length_of_stay);
        out.optional(self.move_in_date);
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
        out.optional(self.deleted_at);
        out.text(&serde_json::to_string(&self.hud).unwrap_or_else(|_| "{}".into()));
        out.text(&serde_json::to_string(&self.exit_hud).unwrap_or_else(|_| "{}".into()));
        out.text(&serde_json::to_string(&self.flags).unwrap_or_else(|_| "[]".into()));
        // Seeded enrollments come from no other system.
        out.optional_text(None);
        out.optional_text(None);
    }
}

impl CopyRow for AssessmentRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.client_id);
        out.optional(self.enrollment_id);
        out.plain(self.assessment_date);
        out.text(&self.assessment_location);
        out.plain(self.assessment_type);
        out.plain(self.assessment_level);
        out.plain(self.prioritization_status);
        out.text(&self.answers);
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
        out.optional(self.deleted_at);
        out.text(&self.results);
    }
}

impl CopyRow for ServiceRow {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.enrollment_id);
        out.plain(self.date_provided);
        out.plain(self.record_type);
        out.plain(self.type_provided);
        out.optional_text(self.other_type_provided.as_deref());
        out.optional(self.fa_amount_cents);
        out.optional_text(self.note.as_deref());
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
        out.optional(self.deleted_at);
    }
}

impl CopyRow for AnyHudRecord {
    fn write(&self, out: &mut CopyText) {
        out.plain(self.id);
        out.plain(self.enrollment_id);
        out.text(self.collection.name());
        out.plain(self.information_date);
        out.optional(self.data_collection_stage);
        out.optional(self.disability_type);
        // A map of JSON values always prints.
        out.text(&serde_json::to_string(&self.fields).unwrap_or_else(|_| "{}".into()));
        out.plain(self.version);
        out.plain(self.created_at);
        out.plain(self.updated_at);
        out.text(&self.created_by);
        out.text(&self.updated_by);
        out.optional(self.deleted_at);
    }
}

#[cfg(test)]
mod tests {
    use super::CopyText;

    #[test]
    fn text_is_escaped_as_copy_reads_it() {
        let mut out = CopyText::default();
        out.text("plain");
        out.text("a\\b\tc\nd\re");
        out.optional_text(None);
        out.end_row();
        assert_eq!(out.bytes, b"plain\ta\\\\b\\tc\\nd\\re\t\\N\n");
    }
}
