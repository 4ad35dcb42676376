//! Records under an enrollment: each is found only through the enrollment it belongs to.

use threshold_persistence::records::goal;
use threshold_persistence::rows::{EnrollmentRow, GoalRow};
use threshold_persistence::DbConnection;
use uuid::Uuid;

use crate::error::ApiError;
use crate::ids::id_text;

/// The goal of this enrollment with this ID (not deleted); 404 otherwise.
pub fn goal_of(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    goal_id: Uuid,
) -> Result<GoalRow, ApiError> {
    goal::find(conn, &id_text(goal_id))?
        .filter(|row| row.enrollment_id == enrollment.id)
        .ok_or(ApiError::NotFound)
}
