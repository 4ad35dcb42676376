//! Checking an archive: every row's types, lengths and codes, the references between files,
//! and the enrollment rules (through the domain's own functions), every problem listed.

mod clients;
mod enrollments;
mod plan;
mod records;
mod reference_data;
mod references;
mod rules;
mod stored;
mod values;

use std::collections::{HashMap, HashSet};

use threshold_domain::{new_id, Date};
use threshold_persistence::{imports, DbConnection, StoreError};
use uuid::Uuid;

use super::read::{Archive, Table};
use super::ImportError;

pub use plan::{
    AssessmentRecord, ClientRecord, EnrollmentRecord, ExitRecord, FunderRecord, Meta, Plan,
    ProjectRecord, ServiceRecord, UserRecord,
};
use values::Cells;

/// Reads, resolves and checks; on any problem, every problem and nothing to write.
pub fn check(
    conn: &mut DbConnection,
    archive: &Archive,
    today: Date,
) -> Result<Plan, (Option<String>, Vec<ImportError>)> {
    let mut checker = Checker {
        conn,
        seen: HashMap::new(),
        errors: Vec::new(),
        plan: Plan::default(),
        today,
    };
    let result = checker.run(archive);
    let source = Some(checker.plan.source.clone());
    match result {
        Err(error) => Err((
            source,
            vec![ImportError {
                file: String::new(),
                line: None,
                column: None,
                reason: format!("the database could not be read: {error}"),
            }],
        )),
        Ok(()) if checker.errors.is_empty() => Ok(checker.plan),
        Ok(()) => {
            let mut errors = checker.errors;
            errors.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
            Err((source, errors))
        }
    }
}

struct Checker<'c> {
    conn: &'c mut DbConnection,
    /// Every source ID each entity's file holds, its row good or not: a reference to a
    /// bad row is not reported again.
    seen: HashMap<&'static str, HashSet<String>>,
    errors: Vec<ImportError>,
    plan: Plan,
    today: Date,
}

fn id_text(id: Uuid) -> String {
    id.hyphenated().to_string()
}

impl Checker<'_> {
    fn run(&mut self, archive: &Archive) -> Result<(), StoreError> {
        self.plan.source = source_of(archive.table("Export"));
        let empty = Table::default();
        let table = |name: &str| archive.table(name).unwrap_or(&empty);
        self.organizations(table("Organization"))?;
        self.users(table("User"))?;
        self.projects(table("Project"))?;
        self.funders(table("Funder"))?;
        self.clients(table("Client"))?;
        let exits = self.exits(table("Exit"))?;
        self.enrollments(table("Enrollment"), exits)?;
        self.services(table("Services"))?;
        let answers = self.questions(table("AssessmentQuestions"));
        self.assessments(table("Assessment"), answers)?;
        self.enrollment_rules()?;
        Ok(())
    }

    /// The id, the date updated and the deleted mark every record has.
    fn meta(
        &mut self,
        cells: &mut Cells<'_>,
        entity: &'static str,
        id_column: &str,
        seen: &mut HashSet<String>,
    ) -> Result<Option<Meta>, StoreError> {
        let source_id = cells.text(id_column, 32, true);
        let date_updated = cells.datetime("DateUpdated", true);
        let deleted = cells.datetime("DateDeleted", false).is_some();
        let Some(source_id) = source_id else {
            return Ok(None);
        };
        self.seen
            .entry(entity)
            .or_default()
            .insert(source_id.clone());
        if !seen.insert(source_id.clone()) {
            cells.fail(id_column, format!("{source_id} appears twice in the file"));
            return Ok(None);
        }
        let Some(date_updated) = date_updated else {
            return Ok(None);
        };
        let stored = imports::record_id(self.conn, &self.plan.source, entity, &source_id)?;
        let last_seen = match stored {
            Some(_) => imports::last_seen(self.conn, &self.plan.source, entity, &source_id)?,
            None => None,
        };
        Ok(Some(Meta {
            line: cells.row.line,
            known: stored.is_some(),
            last_seen,
            id: stored.unwrap_or_else(|| id_text(new_id())),
            source_id,
            date_updated,
            deleted,
        }))
    }
}

/// Export.csv's SourceID, else its SourceName, else `default`: IDs of two sources never meet.
fn source_of(export: Option<&Table>) -> String {
    export
        .and_then(|table| {
            let row = table.rows.first()?;
            ["SourceID", "SourceName"].into_iter().find_map(|column| {
                table
                    .column(column)
                    .and_then(|index| row.fields.get(index))
                    .filter(|value| !value.is_empty())
                    .cloned()
            })
        })
        .unwrap_or_else(|| "default".into())
}
