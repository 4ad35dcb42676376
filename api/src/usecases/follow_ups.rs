//! Follow-ups: the checks and the row of a new one, whether it comes alone or with a new
//! enrollment; and who a follow-up or an action step may be assigned to.

use threshold_domain::records::{check_record_dates, RecordKind};
use threshold_domain::Date;
use threshold_persistence::ids::{Id, UserId};
use threshold_persistence::reference::{program, user};
use threshold_persistence::rows::{EnrollmentRow, FollowUpRow};
use threshold_persistence::DbConnection;

use crate::clock::now;
use crate::error::ApiError;

/// Whoever a record is assigned to is staff of the enrollment's program's organization.
pub fn check_assignee(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    assigned_to: Option<UserId>,
) -> Result<(), ApiError> {
    let Some(assigned_to) = assigned_to else {
        return Ok(());
    };
    let owner = program::find(conn, enrollment.program_id)?
        .ok_or_else(|| ApiError::Internal(format!("enrollment {} has no program", enrollment.id)))?
        .organization_id;
    let found = user::find(conn, assigned_to)?.filter(|row| row.organization_id == owner);
    if found.is_none() {
        return Err(ApiError::unknown_reference(
            "assigned_to",
            "no such user in the program's organization",
        ));
    }
    Ok(())
}

/// The checks a new follow-up of `enrollment` must pass against stored data.
pub fn check_new_follow_up(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    due_date: Date,
    assigned_to: Option<UserId>,
) -> Result<(), ApiError> {
    check_assignee(conn, enrollment, assigned_to)?;
    check_record_dates(
        &enrollment.period(),
        RecordKind::FollowUp,
        &[("due_date", Some(due_date))],
    )?;
    Ok(())
}

/// A new, open follow-up of `enrollment`, created by `by`.
pub fn new_follow_up_row(
    enrollment: &EnrollmentRow,
    reason: &str,
    due_date: Date,
    assigned_to: Option<UserId>,
    by: &str,
) -> FollowUpRow {
    let at = now();
    FollowUpRow {
        id: Id::new(),
        enrollment_id: enrollment.id,
        reason: reason.trim().to_owned(),
        due_date: due_date.naive(),
        assigned_to,
        completed_at: None,
        outcome: None,
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: by.to_owned(),
        updated_by: by.to_owned(),
        deleted_at: None,
    }
}
