//! What a record resource hangs under: an enrollment the caller may see, or a goal of one.
//! Either is found from the path's IDs before anything else of the request is looked at,
//! so a record under an enrollment the caller may not see is a 404 like the enrollment.

use serde::de::DeserializeOwned;
use threshold_persistence::ids::{ClientId, EnrollmentId, GoalId};
use threshold_persistence::records::EnrollmentRecord;
use threshold_persistence::rows::{EnrollmentRow, GoalRow};
use threshold_persistence::DbConnection;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::usecases::records::goal_of;
use crate::usecases::visibility::visible_enrollment;

/// The parent of a collection of records.
pub trait Parent: Sized + Send + 'static {
    /// The IDs of the parent's path, in their order: `(client_id, enrollment_id, ...)`.
    type Ids: DeserializeOwned + Copy + Send + 'static;
    /// The IDs of the path of one record: the parent's, then the record's (`Rid`).
    type RecordIds<Rid: DeserializeOwned + Send + 'static>: DeserializeOwned + Send + 'static;
    /// The kind of ID records are listed under.
    type ListId: Copy + Eq + Send + 'static;

    /// The parent's path, as the routes and the documentation write it.
    const PATH: &'static str;
    /// Each of the path's parameters, with its description.
    const PARAMETERS: &'static [(&'static str, &'static str)];
    /// The 404 of a list or a create, whose parent is not found.
    const NOT_FOUND: &'static str;

    fn split<Rid: DeserializeOwned + Send + 'static>(ids: Self::RecordIds<Rid>)
        -> (Self::Ids, Rid);
    /// The parent's path with its IDs, as `Location` gives it (below `/v1`).
    fn url(ids: Self::Ids) -> String;
    /// The parent, if the caller may see it (404 otherwise).
    fn find(conn: &mut DbConnection, caller: &Caller, ids: Self::Ids) -> Result<Self, ApiError>;
    /// The enrollment the parent is or belongs to: the rules' period, its program.
    fn enrollment(&self) -> &EnrollmentRow;
    /// The ID records are listed under.
    fn id(&self) -> Self::ListId;

    /// Whether `record` belongs to this parent.
    fn holds(&self, record: &impl EnrollmentRecord<ParentId = Self::ListId>) -> bool {
        record.enrollment_id() == self.enrollment().id && record.parent_id() == self.id()
    }
}

/// The kind of ID records are listed under, which says what they hang under: an
/// enrollment's ID, or a goal's.
pub trait ListedUnder: Copy + Eq + Send + 'static {
    type Parent: Parent<ListId = Self>;
}

impl ListedUnder for EnrollmentId {
    type Parent = UnderEnrollment;
}

impl ListedUnder for GoalId {
    type Parent = UnderGoal;
}

const CLIENT_ID: (&str, &str) = ("client_id", "The client's ID");
const ENROLLMENT_ID: (&str, &str) = ("enrollment_id", "The enrollment's ID");

/// Records right under an enrollment: `/clients/{client_id}/enrollments/{enrollment_id}/...`.
pub struct UnderEnrollment(pub EnrollmentRow);

impl Parent for UnderEnrollment {
    type Ids = (ClientId, EnrollmentId);
    type RecordIds<Rid: DeserializeOwned + Send + 'static> = (ClientId, EnrollmentId, Rid);
    type ListId = EnrollmentId;

    const PATH: &'static str = "/clients/{client_id}/enrollments/{enrollment_id}";
    const PARAMETERS: &'static [(&'static str, &'static str)] = &[CLIENT_ID, ENROLLMENT_ID];
    const NOT_FOUND: &'static str = "No such enrollment, or another organization's";

    fn split<Rid: DeserializeOwned + Send + 'static>(
        (client_id, enrollment_id, record_id): Self::RecordIds<Rid>,
    ) -> (Self::Ids, Rid) {
        ((client_id, enrollment_id), record_id)
    }

    fn url((client_id, enrollment_id): Self::Ids) -> String {
        format!("/clients/{client_id}/enrollments/{enrollment_id}")
    }

    fn find(
        conn: &mut DbConnection,
        caller: &Caller,
        (client_id, enrollment_id): Self::Ids,
    ) -> Result<Self, ApiError> {
        visible_enrollment(conn, caller, client_id, enrollment_id).map(UnderEnrollment)
    }

    fn enrollment(&self) -> &EnrollmentRow {
        &self.0
    }

    fn id(&self) -> EnrollmentId {
        self.0.id
    }
}

/// Records under a goal of an enrollment: `.../enrollments/{enrollment_id}/goals/{goal_id}/...`.
pub struct UnderGoal {
    pub enrollment: EnrollmentRow,
    pub goal: GoalRow,
}

impl Parent for UnderGoal {
    type Ids = (ClientId, EnrollmentId, GoalId);
    type RecordIds<Rid: DeserializeOwned + Send + 'static> = (ClientId, EnrollmentId, GoalId, Rid);
    type ListId = GoalId;

    const PATH: &'static str = "/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}";
    const PARAMETERS: &'static [(&'static str, &'static str)] =
        &[CLIENT_ID, ENROLLMENT_ID, ("goal_id", "The goal's ID")];
    const NOT_FOUND: &'static str = "No such goal or enrollment, or another organization's";

    fn split<Rid: DeserializeOwned + Send + 'static>(
        (client_id, enrollment_id, goal_id, record_id): Self::RecordIds<Rid>,
    ) -> (Self::Ids, Rid) {
        ((client_id, enrollment_id, goal_id), record_id)
    }

    fn url((client_id, enrollment_id, goal_id): Self::Ids) -> String {
        format!("/clients/{client_id}/enrollments/{enrollment_id}/goals/{goal_id}")
    }

    fn find(
        conn: &mut DbConnection,
        caller: &Caller,
        (client_id, enrollment_id, goal_id): Self::Ids,
    ) -> Result<Self, ApiError> {
        let enrollment = visible_enrollment(conn, caller, client_id, enrollment_id)?;
        let goal = goal_of(conn, &enrollment, goal_id)?;
        Ok(UnderGoal { enrollment, goal })
    }

    fn enrollment(&self) -> &EnrollmentRow {
        &self.enrollment
    }

    fn id(&self) -> GoalId {
        self.goal.id
    }
}

#[cfg(test)]
mod tests {
    use std::fmt::Display;

    use threshold_persistence::ids::ServiceId;

    use super::*;

    /// The path with each of its parameters replaced by the ID of the same rank.
    fn filled(path: &str, names: &[(&str, &str)], ids: &[&dyn Display]) -> String {
        names
            .iter()
            .zip(ids)
            .fold(path.to_owned(), |path, ((name, _), id)| {
                path.replace(&format!("{{{name}}}"), &id.to_string())
            })
    }

    /// `Location` names a new record where the routes find it.
    #[test]
    fn urls_fill_the_documented_path() {
        let (client, enrollment, goal) = (ClientId::new(), EnrollmentId::new(), GoalId::new());
        assert_eq!(
            UnderEnrollment::url((client, enrollment)),
            filled(
                UnderEnrollment::PATH,
                UnderEnrollment::PARAMETERS,
                &[&client, &enrollment]
            )
        );
        assert_eq!(
            UnderGoal::url((client, enrollment, goal)),
            filled(
                UnderGoal::PATH,
                UnderGoal::PARAMETERS,
                &[&client, &enrollment, &goal]
            )
        );
    }

    #[test]
    fn record_ids_split_after_the_parent() {
        let (client, enrollment, goal) = (ClientId::new(), EnrollmentId::new(), GoalId::new());
        let record = ServiceId::new();
        assert_eq!(
            UnderEnrollment::split((client, enrollment, record)),
            ((client, enrollment), record)
        );
        assert_eq!(
            UnderGoal::split((client, enrollment, goal, record)),
            ((client, enrollment, goal), record)
        );
    }
}
