//! Which records a caller may see: one rule, applied wherever a record is looked up.

use threshold_persistence::enrollments;
use threshold_persistence::rows::EnrollmentRow;
use threshold_persistence::DbConnection;
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::ids::id_text;

/// The enrollment at a client's path, if the caller may see it.
pub fn visible_enrollment(
    conn: &mut DbConnection,
    caller: &Caller,
    client_id: Uuid,
    enrollment_id: Uuid,
) -> Result<EnrollmentRow, ApiError> {
    let scope = caller.scope();
    enrollments::find(conn, scope.as_deref(), &id_text(enrollment_id))?
        .filter(|row| row.client_id == id_text(client_id))
        .ok_or(ApiError::NotFound)
}
