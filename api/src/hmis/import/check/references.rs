//! References from one file's rows to another file's records.

use threshold_persistence::ids::ProgramId;

use super::plan::EnrollmentRecord;
use super::values::Cells;
use super::Checker;
use crate::hmis::import::{codes, CausedBy};

impl Checker<'_> {
    pub(super) fn project_id(&self, source_id: &str) -> Option<ProgramId> {
        self.plan
            .projects
            .iter()
            .find(|project| project.meta.source_id == source_id)
            .map(|project| project.meta.id)
    }

    /// A reference to a record of another file, which must be there.
    pub(super) fn reference<I>(
        &self,
        cells: &mut Cells<'_, '_>,
        column: &'static str,
        entity: &str,
        file: &str,
        resolve: impl Fn(&str) -> Option<I>,
    ) -> Option<I> {
        let source_id = cells.text_ref(column, 32, true)?;
        let resolved = resolve(source_id);
        if resolved.is_none() {
            self.not_found(cells, column, entity, source_id, file);
        }
        resolved
    }

    /// Tells why the row's `column` refers to nothing: the row it names was refused for its
    /// own values (the row is refused with it, and says which row caused it), or `file`
    /// has no such row.
    pub(super) fn not_found(
        &self,
        cells: &mut Cells<'_, '_>,
        column: &str,
        entity: &str,
        source_id: &str,
        file: &str,
    ) {
        match self.refused(entity, source_id) {
            Some(cause) => cells.fail_caused(
                column,
                codes::DEPENDS_ON_REFUSED,
                format!(
                    "{column} {source_id} is {} line {}, which is not imported",
                    cause.file, cause.line
                ),
                cause.clone(),
            ),
            None => cells.fail(
                column,
                codes::REFERENCE_NOT_FOUND,
                format!("{column} {source_id} is not in {file}"),
            ),
        }
    }

    /// The row of the file of `entity` with this ID, when it was refused for its own
    /// values: what refers to it is refused with it.
    pub(super) fn refused(&self, entity: &str, source_id: &str) -> Option<&CausedBy> {
        self.unplanned
            .get(entity)
            .and_then(|unplanned| unplanned.get(source_id))
    }

    pub(super) fn enrollment(&self, source_id: &str) -> Option<&EnrollmentRecord> {
        let enrollments = &self.plan.enrollments;
        let place = |index: &u32| &enrollments[*index as usize];
        self.enrollment_order
            .binary_search_by(|index| place(index).meta.source_id.as_str().cmp(source_id))
            .ok()
            .map(|found| place(&self.enrollment_order[found]))
    }
}
