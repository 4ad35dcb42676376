//! `.../enrollments/{enrollment_id}/follow-ups`: contacts to make with the client, each due
//! within the enrollment's period and optionally assigned to a staff member of the
//! program's organization. New enrollments may bring their first follow-ups along
//! (`NewFollowUp`); the worklist (`GET /v1/follow-ups`) lists them across enrollments.

mod worklist;

pub use worklist::*;

use chrono::{DateTime, NaiveDateTime, Timelike, Utc};
use serde::{Deserialize, Serialize};
use threshold_domain::dates::check_moment_not_future;
use threshold_domain::records::RecordKind;
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::{EnrollmentId, FollowUpId, UserId};
use threshold_persistence::rows::FollowUpRow;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::records::{Dated, Docs, Names, Parent, RecordResource, UnderEnrollment};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, Text};
use crate::usecases::follow_ups::{check_assignee, new_follow_up_row};

/// The follow-ups of an enrollment.
pub struct FollowUps;

impl RecordResource for FollowUps {
    type Row = FollowUpRow;
    type Create = CreateFollowUp;
    type Update = UpdateFollowUp;
    type View = FollowUpView;

    const NAMES: Names = Names {
        segment: "follow-ups",
        noun: "follow_up",
        nouns: "follow_ups",
        one: "follow-up",
        many: "follow-ups",
    };
    const DOCS: Docs = Docs::new("List an enrollment's follow-ups.", "Plan a follow-up.")
        .conflict(
            "enrollment.dependents_outside_period",
            "the due date lies outside the enrollment's period",
        )
        .update("Change a follow-up, or record it done (JSON Merge Patch).");
    const KIND: RecordKind = RecordKind::FollowUp;

    fn check_create(
        conn: &mut DbConnection,
        parent: &UnderEnrollment,
        body: &CreateFollowUp,
    ) -> Result<(), ApiError> {
        check_assignee(conn, parent.enrollment(), body.assigned_to)
    }

    fn created_dates(body: &CreateFollowUp) -> Vec<Dated> {
        vec![("due_date", Some(body.due_date))]
    }

    fn patched_dates(patch: &UpdateFollowUp) -> Vec<Dated> {
        vec![("due_date", patch.due_date.as_value().copied())]
    }

    fn to_row(parent: &UnderEnrollment, body: CreateFollowUp, by: &str) -> FollowUpRow {
        let mut row = new_follow_up_row(
            parent.enrollment(),
            body.reason.as_str(),
            body.due_date,
            body.assigned_to,
            by,
        );
        row.completed_at = body.completed_at.map(stored_instant);
        row.outcome = body.outcome.map(Text::into_string);
        row
    }

    fn apply_patch(
        conn: &mut DbConnection,
        parent: &UnderEnrollment,
        row: &mut FollowUpRow,
        patch: UpdateFollowUp,
    ) -> Result<(), ApiError> {
        if let Patch::Value(assigned_to) = patch.assigned_to {
            check_assignee(conn, parent.enrollment(), Some(assigned_to))?;
        }
        if let Patch::Value(due_date) = patch.due_date {
            row.due_date = due_date.naive();
        }
        if let Patch::Value(reason) = patch.reason {
            row.reason = reason.into_string();
        }
        row.assigned_to = patch.assigned_to.apply(row.assigned_to.take());
        row.completed_at = patch
            .completed_at
            .apply_with(row.completed_at, stored_instant);
        row.outcome = patch
            .outcome
            .apply_with(row.outcome.take(), Text::into_string);
        Ok(())
    }

    fn view(row: &FollowUpRow) -> Result<FollowUpView, ApiError> {
        Ok(FollowUpView {
            id: row.id,
            enrollment_id: row.enrollment_id,
            reason: row.reason.clone(),
            due_date: row.due_date.into(),
            assigned_to: row.assigned_to,
            completed_at: row.completed_at.map(|at| at.and_utc()),
            outcome: row.outcome.clone(),
            audit: audit_of(row),
        })
    }
}

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
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_date: Date,
    /// A user of the program's organization.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Option<UserId>,
    /// When the follow-up was done (RFC 3339), not in the future.
    #[serde(default)]
    pub completed_at: Option<DateTime<Utc>>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    pub outcome: Option<Text<2000>>,
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
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Patch<UserId>,
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
    #[schema(value_type = Uuid)]
    pub id: FollowUpId,
    #[schema(value_type = Uuid)]
    pub enrollment_id: EnrollmentId,
    pub reason: String,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_date: Date,
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Option<UserId>,
    pub completed_at: Option<DateTime<Utc>>,
    pub outcome: Option<String>,
    #[serde(flatten)]
    pub audit: Audit,
}

crate::list_of!(FollowUpList, FollowUpView);
