//! Records under an enrollment: each is found only through the enrollment it belongs to.

use chrono::NaiveDateTime;
use threshold_persistence::ids::GoalId;
use threshold_persistence::records::{self, action_step, goal};
use threshold_persistence::rows::{EnrollmentRow, GoalRow, Stamped};
use threshold_persistence::DbConnection;

use crate::error::ApiError;

/// The goal of this enrollment with this ID (not deleted); 404 otherwise.
pub fn goal_of(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    goal_id: GoalId,
) -> Result<GoalRow, ApiError> {
    goal::find(conn, goal_id)?
        .filter(|row| row.enrollment_id == enrollment.id)
        .ok_or(ApiError::NotFound)
}

/// Deletes (softly) a goal's action steps, as the goal is deleted: steps left behind would be
/// invisible yet still hold the enrollment's dates in place.
pub fn delete_steps_of(
    conn: &mut DbConnection,
    goal: &GoalRow,
    at: NaiveDateTime,
    by: &str,
) -> Result<(), ApiError> {
    loop {
        let steps = records::list_action_steps(conn, goal.id, None, 200)?;
        for mut step in steps.rows {
            step.stamp(at, by);
            step.deleted_at = Some(at);
            action_step::update(conn, &step)?;
        }
        if !steps.more {
            return Ok(());
        }
    }
}
