//! `.../enrollments/{enrollment_id}/goals`: what the client works towards during a stay,
//! each of its dates within the enrollment's period.

use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};
use threshold_domain::records::{check_goal_closed_date, RecordKind};
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::{EnrollmentId, GoalId, Id};
use threshold_persistence::rows::GoalRow;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::clock::now;
use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::records::{Dated, Docs, Names, Parent, RecordResource, UnderEnrollment};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, NotFuture, Text};
use crate::usecases::records::delete_steps_of;

/// The goals of an enrollment.
pub struct Goals;

impl RecordResource for Goals {
    type Row = GoalRow;
    type Create = CreateGoal;
    type Update = UpdateGoal;
    type View = GoalView;

    const NAMES: Names = Names::plain("goals", "goal");
    const DOCS: Docs = Docs::new(
        "List an enrollment's goals.",
        "Set a goal for the enrollment.",
    )
    .conflict(
        "enrollment.dependents_outside_period",
        "a date lies outside the enrollment's period",
    )
    .delete(
        "Delete a goal (soft), and its action steps with it.",
        "Deleted, with its action steps",
    );
    const KIND: RecordKind = RecordKind::Goal;

    fn created_dates(body: &CreateGoal) -> Vec<Dated> {
        vec![
            ("target_date", body.target_date),
            ("closed_date", body.closed_date.map(|date| date.0)),
        ]
    }

    fn patched_dates(patch: &UpdateGoal) -> Vec<Dated> {
        vec![
            ("target_date", patch.target_date.as_value().copied()),
            (
                "closed_date",
                patch.closed_date.as_value().map(|date| date.0),
            ),
        ]
    }

    fn to_row(parent: &UnderEnrollment, body: CreateGoal, by: &str) -> GoalRow {
        let at = now();
        GoalRow {
            id: Id::new(),
            enrollment_id: parent.enrollment().id,
            title: body.title.into_string(),
            description: body.description.map(Text::into_string),
            status: body.status.as_str().to_owned(),
            target_date: body.target_date.map(Date::naive),
            closed_date: body.closed_date.map(|date| date.0.naive()),
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
            deleted_at: None,
        }
    }

    fn apply_patch(
        _conn: &mut DbConnection,
        _parent: &UnderEnrollment,
        row: &mut GoalRow,
        patch: UpdateGoal,
    ) -> Result<(), ApiError> {
        if let Patch::Value(title) = patch.title {
            row.title = title.into_string();
        }
        row.description = patch
            .description
            .apply_with(row.description.take(), Text::into_string);
        if let Patch::Value(status) = patch.status {
            row.status = status.as_str().to_owned();
        }
        row.target_date = patch.target_date.apply_with(row.target_date, Date::naive);
        row.closed_date = patch
            .closed_date
            .apply_with(row.closed_date, |date| date.0.naive());
        // The status and the closed date may come from the stored goal: check them together.
        let open = GoalStatus::from_stored(&row.status)? == GoalStatus::Open;
        ApiError::check_fields(
            check_goal_closed_date(open, row.closed_date.map(Date::from))
                .into_iter()
                .collect(),
        )?;
        Ok(())
    }

    fn view(row: &GoalRow) -> Result<GoalView, ApiError> {
        Ok(GoalView {
            id: row.id,
            enrollment_id: row.enrollment_id,
            title: row.title.clone(),
            description: row.description.clone(),
            status: GoalStatus::from_stored(&row.status)?,
            target_date: row.target_date.map(Into::into),
            closed_date: row.closed_date.map(Into::into),
            audit: audit_of(row),
        })
    }

    fn delete_dependents(
        conn: &mut DbConnection,
        row: &GoalRow,
        at: NaiveDateTime,
        by: &str,
    ) -> Result<(), ApiError> {
        delete_steps_of(conn, row, at, by)
    }
}

/// Where a goal stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum GoalStatus {
    #[default]
    Open,
    Achieved,
    Abandoned,
}

impl GoalStatus {
    pub const fn as_str(self) -> &'static str {
        match self {
            GoalStatus::Open => "open",
            GoalStatus::Achieved => "achieved",
            GoalStatus::Abandoned => "abandoned",
        }
    }

    fn from_stored(text: &str) -> Result<GoalStatus, ApiError> {
        match text {
            "open" => Ok(GoalStatus::Open),
            "achieved" => Ok(GoalStatus::Achieved),
            "abandoned" => Ok(GoalStatus::Abandoned),
            other => Err(ApiError::Internal(format!("stored goal status {other}"))),
        }
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "Move into permanent housing", "target_date": "2026-03-01"}))]
pub struct CreateGoal {
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: Text<200>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000, pattern = "\\S")]
    pub description: Option<Text<2000>>,
    /// `open` unless given.
    #[serde(default)]
    pub status: GoalStatus,
    /// Within the enrollment's period.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub target_date: Option<Date>,
    /// Only on a goal that is achieved or abandoned; within the enrollment's period, not in
    /// the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub closed_date: Option<NotFuture>,
}

impl CheckBody for CreateGoal {
    fn check(&self) -> Vec<FieldError> {
        check_goal_closed_date(
            self.status == GoalStatus::Open,
            self.closed_date.map(|date| date.0),
        )
        .into_iter()
        .collect()
    }
}

/// JSON Merge Patch of a goal.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "achieved", "closed_date": "2025-12-01"}))]
pub struct UpdateGoal {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200, pattern = "\\S")]
    pub title: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000, pattern = "\\S")]
    pub description: Patch<Text<2000>>,
    #[serde(default)]
    #[schema(value_type = GoalStatus)]
    pub status: Patch<GoalStatus>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub target_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub closed_date: Patch<NotFuture>,
}

impl CheckBody for UpdateGoal {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("title", &self.title, &mut errors);
        required_in_patch("status", &self.status, &mut errors);
        if let Patch::Value(status) = self.status {
            errors.extend(check_goal_closed_date(
                status == GoalStatus::Open,
                self.closed_date.as_value().map(|date| date.0),
            ));
        }
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GoalView {
    #[schema(value_type = Uuid)]
    pub id: GoalId,
    #[schema(value_type = Uuid)]
    pub enrollment_id: EnrollmentId,
    pub title: String,
    pub description: Option<String>,
    pub status: GoalStatus,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub target_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub closed_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}
