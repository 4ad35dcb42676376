//! `.../enrollments/{enrollment_id}/follow-ups`: contacts to make with the client, each due
//! within the enrollment's period and optionally assigned to a staff member of the
//! program's organization. New enrollments may bring their first follow-ups along
//! ([`NewFollowUp`]).

mod create;
mod item;
mod list;
mod worklist;

pub use create::*;
pub use item::*;
pub use list::*;
pub use worklist::*;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use threshold_domain::dates::check_moment_not_future;
use threshold_domain::{Date, FieldError};
use threshold_persistence::records::follow_up;
use threshold_persistence::rows::{EnrollmentRow, FollowUpRow};
use threshold_persistence::DbConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::v1::common::{Audit, NewFollowUp, Text};
use crate::ids::{id_text, parse_stored_id};

/// A moment as stored: UTC, to the microsecond both backends keep.
fn stored_instant(at: DateTime<Utc>) -> NaiveDateTime {
    let micros = at.nanosecond() / 1_000 * 1_000;
    at.with_nanosecond(micros).unwrap_or(at).naive_utc()
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Check in after move-in", "due_date": "2025-12-01",
                          "assigned_to": "0193a1b2-0000-7000-8000-000000000004"}))]
pub struct CreateFollowUp {
    #[schema(value_type = String, min_length = 1, max_length = 500)]
    pub reason: Text<500>,
    /// Within the enrollment's period.
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    /// A user of the program's organization.
    #[serde(default)]
    pub assigned_to: Option<Uuid>,
    /// When the follow-up was done (RFC 3339), not in the future.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    pub outcome: Option<Text<2000>>,
}

impl CreateFollowUp {
    fn as_new(&self) -> NewFollowUp {
        NewFollowUp {
            reason: self.reason.clone(),
            due_date: self.due_date,
            assigned_to: self.assigned_to,
        }
    }
}

impl CheckBody for CreateFollowUp {
    fn check(&self) -> Vec<FieldError> {
        check_moment_not_future("completed_at", self.completed_at, Utc::now())
            .into_iter()
            .collect()
    }
}

/// JSON Merge Patch of a follow-up.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"completed_at": "2025-12-01T15:30:00Z", "outcome": "Settled in"}))]
pub struct UpdateFollowUp {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 500)]
    pub reason: Patch<Text<500>>,
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    pub due_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<DateTime<Utc>>)]
    pub completed_at: Patch<DateTime<Utc>>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    pub outcome: Patch<Text<2000>>,
}

impl CheckBody for UpdateFollowUp {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("reason", &self.reason, &mut errors);
        required_in_patch("due_date", &self.due_date, &mut errors);
        errors.extend(check_moment_not_future(
            "completed_at",
            self.completed_at.as_value().copied(),
            Utc::now(),
        ));
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct FollowUpView {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub reason: String,
    #[schema(value_type = String, format = Date)]
    pub due_date: Date,
    pub assigned_to: Option<Uuid>,
    pub completed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl FollowUpView {
    pub fn from_row(row: &FollowUpRow) -> Result<FollowUpView, ApiError> {
        Ok(FollowUpView {
            id: parse_stored_id(&row.id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            reason: row.reason.clone(),
            due_date: row.due_date.into(),
            assigned_to: row
                .assigned_to
                .as_deref()
                .map(parse_stored_id)
                .transpose()?,
            completed_at: row.completed_at.map(|at| at.and_utc()),
            outcome: row.outcome.clone(),
            audit: Audit::new(
                row.version,
                row.created_at,
                row.updated_at,
                &row.created_by,
                &row.updated_by,
            ),
        })
    }
}

crate::list_of!(FollowUpList, FollowUpView);

fn follow_up_of(
    conn: &mut DbConnection,
    enrollment: &EnrollmentRow,
    follow_up_id: Uuid,
) -> Result<FollowUpRow, ApiError> {
    follow_up::find(conn, &id_text(follow_up_id))?
        .filter(|row| row.enrollment_id == enrollment.id)
        .ok_or(ApiError::NotFound)
}
