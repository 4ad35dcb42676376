//! References from one file's rows to another file's records.

use threshold_persistence::ids::ProgramId;

use super::plan::EnrollmentRecord;
use super::values::Cells;
use super::Checker;
use crate::hmis::import::codes;

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
        if resolved.is_none() && !self.refused(entity, source_id) {
            cells.fail(
                column,
                codes::REFERENCE_NOT_FOUND,
                format!("{column} {source_id} is not in {file}"),
            );
        }
        resolved
    }

    /// Whether the file of `entity` holds a row with this ID that was refused for its own
    /// values: what refers to it is not reported again.
    pub(super) fn refused(&self, entity: &str, source_id: &str) -> bool {
        self.unplanned
            .get(entity)
            .is_some_and(|unplanned| unplanned.contains(source_id))
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
