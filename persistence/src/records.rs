//! What is recorded against an enrollment: assessments, services, goals, action steps,
//! follow-ups, and HUD's records (`hud`). Deleted records (soft) are invisible to every read
//! here.

pub mod hud;

use crate::audit;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{
    ActionStepId, AnyHudRecordId, AssessmentId, ClientId, EnrollmentId, FollowUpId, GoalId, Id,
    ServiceId, UserId,
};
use crate::page::Page;
use crate::privacy::Sight;
use crate::rows::Stamped;
use crate::rows::{
    ActionStepRow, AssessmentRow, CollectionColumn, FollowUpRow, GoalRow, ServiceRow,
};
use crate::schema::{
    action_steps, assessments, enrollments, follow_ups, goals, hud_records, programs, services,
};
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use threshold_domain::records::{DatedRecord, RecordKind};

/// Finds (not deleted), inserts and updates rows of a soft-deleted table.
macro_rules! soft_table {
    ($module:ident, $table:ident, $row:ty, $id:ty) => {
        pub mod $module {
            use super::*;

            pub fn find(conn: &mut DbConnection, id: $id) -> Result<Option<$row>, StoreError> {
                Ok($table::table
                    .find(id)
                    .filter($table::deleted_at.is_null())
                    .first::<$row>(conn)
                    .optional()?)
            }

            pub fn insert(conn: &mut DbConnection, row: &$row) -> Result<(), StoreError> {
                diesel::insert_into($table::table)
                    .values(row)
                    .execute(conn)?;
                audit::created(conn, row)
            }

            pub fn update(conn: &mut DbConnection, row: &$row) -> Result<(), StoreError> {
                let before: $row = $table::table.find(row.id).first(conn)?;
                diesel::update($table::table.find(row.id))
                    .set(row)
                    .execute(conn)?;
                audit::updated(conn, &before, row)
            }
        }
    };
}

soft_table!(assessment, assessments, AssessmentRow, AssessmentId);
soft_table!(service, services, ServiceRow, ServiceId);
soft_table!(goal, goals, GoalRow, GoalId);
soft_table!(action_step, action_steps, ActionStepRow, ActionStepId);
soft_table!(follow_up, follow_ups, FollowUpRow, FollowUpId);

/// Lists the rows (not deleted) of a table that belong to one parent (an enrollment, or a
/// goal), in id order.
macro_rules! list_by {
    ($name:ident, $table:ident, $parent:ident, $row:ty, $parent_id:ty, $id:ty) => {
        pub fn $name(
            conn: &mut DbConnection,
            parent_id: $parent_id,
            after: Option<$id>,
            limit: i64,
        ) -> Result<Page<$row>, StoreError> {
            let mut query = $table::table
                .filter($table::$parent.eq(parent_id))
                .filter($table::deleted_at.is_null())
                .into_boxed();
            if let Some(after) = after {
                query = query.filter($table::id.gt(after));
            }
            let rows = query.order($table::id.asc()).limit(limit + 1).load(conn)?;
            Ok(Page::from_probe(rows, limit))
        }
    };
}

list_by!(
    list_services,
    services,
    enrollment_id,
    ServiceRow,
    EnrollmentId,
    ServiceId
);
list_by!(
    list_goals,
    goals,
    enrollment_id,
    GoalRow,
    EnrollmentId,
    GoalId
);
list_by!(
    list_action_steps,
    action_steps,
    goal_id,
    ActionStepRow,
    GoalId,
    ActionStepId
);
list_by!(
    list_follow_ups,
    follow_ups,
    enrollment_id,
    FollowUpRow,
    EnrollmentId,
    FollowUpId
);
list_by!(
    list_linked_assessments,
    assessments,
    enrollment_id,
    AssessmentRow,
    EnrollmentId,
    AssessmentId
);

/// A record kept under an enrollment (a service, goal, action step or follow-up): versioned,
/// deleted softly, and written only through `insert` and `update`, which record its audit
/// event and tick the change feed in the same transaction.
pub trait EnrollmentRecord: Stamped + Sized {
    /// The record's own kind of ID.
    type Id: Copy
        + Eq
        + std::fmt::Display
        + std::str::FromStr
        + serde::de::DeserializeOwned
        + Send
        + 'static;
    /// The kind of ID the record is listed under: an enrollment's, or a goal's.
    type ParentId: Copy + Eq + Send + 'static;

    fn id(&self) -> Self::Id;
    fn enrollment_id(&self) -> EnrollmentId;
    /// The ID the record is listed under: its enrollment's, or an action step's goal's.
    fn parent_id(&self) -> Self::ParentId;
    fn mark_deleted(&mut self, at: NaiveDateTime);

    /// The record with this ID, unless deleted.
    fn find(conn: &mut DbConnection, id: Self::Id) -> Result<Option<Self>, StoreError>;
    fn insert(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError>;
    fn update(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError>;
    /// The records (not deleted) under a parent, in id order.
    fn list(
        conn: &mut DbConnection,
        parent_id: Self::ParentId,
        after: Option<Self::Id>,
        limit: i64,
    ) -> Result<Page<Self>, StoreError>;
}

/// Implements [`EnrollmentRecord`] for a row over its `soft_table!` module and `list_by!`.
macro_rules! enrollment_record {
    ($row:ty, $module:ident, $parent:ident, $list:ident, $parent_id:ty, $id:ty) => {
        impl EnrollmentRecord for $row {
            type Id = $id;
            type ParentId = $parent_id;

            fn id(&self) -> $id {
                self.id
            }

            fn enrollment_id(&self) -> EnrollmentId {
                self.enrollment_id
            }

            fn parent_id(&self) -> $parent_id {
                self.$parent
            }

            fn mark_deleted(&mut self, at: NaiveDateTime) {
                self.deleted_at = Some(at);
            }

            fn find(conn: &mut DbConnection, id: $id) -> Result<Option<Self>, StoreError> {
                $module::find(conn, id)
            }

            fn insert(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError> {
                $module::insert(conn, row)
            }

            fn update(conn: &mut DbConnection, row: &Self) -> Result<(), StoreError> {
                $module::update(conn, row)
            }

            fn list(
                conn: &mut DbConnection,
                parent_id: $parent_id,
                after: Option<$id>,
                limit: i64,
            ) -> Result<Page<Self>, StoreError> {
                $list(conn, parent_id, after, limit)
            }
        }
    };
}

enrollment_record!(
    ServiceRow,
    service,
    enrollment_id,
    list_services,
    EnrollmentId,
    ServiceId
);
enrollment_record!(
    GoalRow,
    goal,
    enrollment_id,
    list_goals,
    EnrollmentId,
    GoalId
);
enrollment_record!(
    ActionStepRow,
    action_step,
    goal_id,
    list_action_steps,
    GoalId,
    ActionStepId
);
enrollment_record!(
    FollowUpRow,
    follow_up,
    enrollment_id,
    list_follow_ups,
    EnrollmentId,
    FollowUpId
);

/// Filters of a client's assessments.
#[derive(Debug, Clone, Default)]
pub struct AssessmentSearch {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub unlinked: bool,
}

/// A client's assessments (not deleted), if `sight` sees the client; a page at a time.
pub fn list_client_assessments(
    conn: &mut DbConnection,
    sight: &Sight,
    client_id: ClientId,
    search: &AssessmentSearch,
    after: Option<AssessmentId>,
    limit: i64,
) -> Result<Page<AssessmentRow>, StoreError> {
    let mut query = assessments::table
        .filter(assessments::client_id.eq(client_id))
        .filter(assessments::deleted_at.is_null())
        .into_boxed();
    if let Sight::Organization { .. } = sight {
        query = query.filter(sight.sees_client(assessments::client_id));
    }
    if let Some(from) = search.from {
        query = query.filter(assessments::assessment_date.ge(from));
    }
    if let Some(to) = search.to {
        query = query.filter(assessments::assessment_date.le(to));
    }
    if search.unlinked {
        query = query.filter(assessments::enrollment_id.is_null());
    }
    if let Some(after) = after {
        query = query.filter(assessments::id.gt(after));
    }
    let rows = query
        .order(assessments::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

/// Every dated record (not deleted) of an enrollment, HUD's records among them, as the
/// period rule sees them.
pub fn dependents(
    conn: &mut DbConnection,
    enrollment_id: EnrollmentId,
) -> Result<Vec<DatedRecord>, StoreError> {
    let mut found = Vec::new();
    let linked: Vec<(AssessmentId, NaiveDate)> = assessments::table
        .filter(assessments::enrollment_id.eq(enrollment_id))
        .filter(assessments::deleted_at.is_null())
        .select((assessments::id, assessments::assessment_date))
        .load(conn)?;
    push(
        &mut found,
        RecordKind::Assessment,
        "assessment_date",
        linked,
    );
    let provided: Vec<(ServiceId, NaiveDate)> = services::table
        .filter(services::enrollment_id.eq(enrollment_id))
        .filter(services::deleted_at.is_null())
        .select((services::id, services::date_provided))
        .load(conn)?;
    push(&mut found, RecordKind::Service, "date_provided", provided);
    let goal_dates: Vec<(GoalId, Option<NaiveDate>, Option<NaiveDate>)> = goals::table
        .filter(goals::enrollment_id.eq(enrollment_id))
        .filter(goals::deleted_at.is_null())
        .select((goals::id, goals::target_date, goals::closed_date))
        .load(conn)?;
    for (id, target, closed) in goal_dates {
        push(
            &mut found,
            RecordKind::Goal,
            "target_date",
            target.map(|d| (id, d)),
        );
        push(
            &mut found,
            RecordKind::Goal,
            "closed_date",
            closed.map(|d| (id, d)),
        );
    }
    let step_dates: Vec<(ActionStepId, Option<NaiveDate>, Option<NaiveDate>)> = action_steps::table
        .filter(action_steps::enrollment_id.eq(enrollment_id))
        .filter(action_steps::deleted_at.is_null())
        .select((
            action_steps::id,
            action_steps::due_date,
            action_steps::completed_date,
        ))
        .load(conn)?;
    for (id, due, completed) in step_dates {
        push(
            &mut found,
            RecordKind::ActionStep,
            "due_date",
            due.map(|d| (id, d)),
        );
        push(
            &mut found,
            RecordKind::ActionStep,
            "completed_date",
            completed.map(|d| (id, d)),
        );
    }
    let due: Vec<(FollowUpId, NaiveDate)> = follow_ups::table
        .filter(follow_ups::enrollment_id.eq(enrollment_id))
        .filter(follow_ups::deleted_at.is_null())
        .select((follow_ups::id, follow_ups::due_date))
        .load(conn)?;
    push(&mut found, RecordKind::FollowUp, "due_date", due);
    // HUD's records: each collection's file date (`information_date`), moved by nothing.
    let recorded: Vec<(AnyHudRecordId, CollectionColumn, NaiveDate)> = hud_records::table
        .filter(hud_records::enrollment_id.eq(enrollment_id))
        .filter(hud_records::deleted_at.is_null())
        .select((
            hud_records::id,
            hud_records::collection,
            hud_records::information_date,
        ))
        .order(hud_records::id.asc())
        .load(conn)?;
    for (id, collection, date) in recorded {
        push(
            &mut found,
            RecordKind::Hud(collection.into()),
            "information_date",
            [(id, date)],
        );
    }
    Ok(found)
}

fn push<K>(
    found: &mut Vec<DatedRecord>,
    kind: RecordKind,
    field: &'static str,
    dated: impl IntoIterator<Item = (Id<K>, NaiveDate)>,
) {
    for (id, date) in dated {
        found.push(DatedRecord {
            kind,
            id: id.uuid(),
            field,
            date: date.into(),
        });
    }
}

/// Deleting an enrollment deletes (soft) its services, goals, action steps, follow-ups and
/// HUD records, and unlinks its assessments, which stay with the client: row by row, so each
/// change is audited.
pub fn cascade_delete(
    conn: &mut DbConnection,
    enrollment_id: EnrollmentId,
    at: NaiveDateTime,
    by: &str,
) -> Result<(), StoreError> {
    macro_rules! soft_delete {
        ($table:ident, $row:ty, $module:ident) => {
            let rows: Vec<$row> = $table::table
                .filter($table::enrollment_id.eq(enrollment_id))
                .filter($table::deleted_at.is_null())
                .load(conn)?;
            for mut row in rows {
                row.deleted_at = Some(at);
                row.stamp(at, by);
                $module::update(conn, &row)?;
            }
        };
    }
    soft_delete!(services, ServiceRow, service);
    soft_delete!(action_steps, ActionStepRow, action_step);
    soft_delete!(goals, GoalRow, goal);
    soft_delete!(follow_ups, FollowUpRow, follow_up);
    hud::delete_with_enrollment(conn, enrollment_id, at, by)?;
    let linked: Vec<AssessmentRow> = assessments::table
        .filter(assessments::enrollment_id.eq(enrollment_id))
        .filter(assessments::deleted_at.is_null())
        .load(conn)?;
    for mut row in linked {
        row.enrollment_id = None;
        row.stamp(at, by);
        assessment::update(conn, &row)?;
    }
    Ok(())
}

/// The date of the latest service (not deleted) of an enrollment.
pub fn last_service_date(
    conn: &mut DbConnection,
    enrollment_id: EnrollmentId,
) -> Result<Option<NaiveDate>, StoreError> {
    Ok(services::table
        .filter(services::enrollment_id.eq(enrollment_id))
        .filter(services::deleted_at.is_null())
        .select(diesel::dsl::max(services::date_provided))
        .first(conn)?)
}

/// Filters of the follow-up worklist.
#[derive(Debug, Clone, Default)]
pub struct FollowUpSearch {
    pub assigned_to: Option<UserId>,
    pub due_before: Option<NaiveDate>,
    /// `Some(true)` for open (not completed), `Some(false)` for done.
    pub open: Option<bool>,
}

/// Follow-ups of enrollments (not deleted) in the organization's programs, of clients it may
/// see, soonest due first.
pub fn worklist(
    conn: &mut DbConnection,
    sight: &Sight,
    search: &FollowUpSearch,
    after: Option<(NaiveDate, FollowUpId)>,
    limit: i64,
) -> Result<Page<FollowUpRow>, StoreError> {
    let mut query = follow_ups::table
        .inner_join(enrollments::table.inner_join(programs::table))
        .filter(follow_ups::deleted_at.is_null())
        .filter(enrollments::deleted_at.is_null())
        .select(follow_ups::all_columns)
        .into_boxed();
    if let Some(organization_id) = sight.organization() {
        query = query
            .filter(programs::organization_id.eq(organization_id))
            .filter(sight.sees_client(enrollments::client_id));
    }
    if let Some(assigned_to) = &search.assigned_to {
        query = query.filter(follow_ups::assigned_to.eq(*assigned_to));
    }
    if let Some(due_before) = search.due_before {
        query = query.filter(follow_ups::due_date.lt(due_before));
    }
    match search.open {
        Some(true) => query = query.filter(follow_ups::completed_at.is_null()),
        Some(false) => query = query.filter(follow_ups::completed_at.is_not_null()),
        None => {}
    }
    if let Some((due_date, id)) = after {
        query = query.filter(
            follow_ups::due_date
                .gt(due_date)
                .or(follow_ups::due_date.eq(due_date).and(follow_ups::id.gt(id))),
        );
    }
    let rows = query
        .order((follow_ups::due_date.asc(), follow_ups::id.asc()))
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(rows, limit))
}
