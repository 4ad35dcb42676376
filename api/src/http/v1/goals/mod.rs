//! `.../enrollments/{enrollment_id}/goals`: what the client works towards during a stay,
//! each of its dates within the enrollment's period.

mod create;
mod item;
mod list;

pub use create::*;
pub use item::*;
pub use list::*;

use serde::{Deserialize, Serialize};
use threshold_domain::records::check_goal_closed_date;
use threshold_domain::{Date, FieldError};
use threshold_persistence::rows::GoalRow;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::v1::common::{Audit, NotFuture, Text};
use crate::ids::parse_stored_id;

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
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub title: Text<200>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    pub description: Option<Text<2000>>,
    /// `open` unless given.
    #[serde(default)]
    pub status: GoalStatus,
    /// Within the enrollment's period.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    /// Only on a goal that is achieved or abandoned; within the enrollment's period, not in
    /// the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
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
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub title: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 2000)]
    pub description: Patch<Text<2000>>,
    #[serde(default)]
    #[schema(value_type = GoalStatus)]
    pub status: Patch<GoalStatus>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
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
    pub id: Uuid,
    pub enrollment_id: Uuid,
    pub title: String,
    pub description: Option<String>,
    pub status: GoalStatus,
    #[schema(value_type = Option<String>, format = Date)]
    pub target_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub closed_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl GoalView {
    fn from_row(row: &GoalRow) -> Result<GoalView, ApiError> {
        Ok(GoalView {
            id: parse_stored_id(&row.id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            title: row.title.clone(),
            description: row.description.clone(),
            status: GoalStatus::from_stored(&row.status)?,
            target_date: row.target_date.map(Into::into),
            closed_date: row.closed_date.map(Into::into),
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

crate::list_of!(GoalList, GoalView);
