//! `.../enrollments/{enrollment_id}/goals/{goal_id}/action-steps`: the action plan of a goal,
//! each step's dates within the enrollment's period.

mod create;
mod item;
mod list;

pub use create::*;
pub use item::*;
pub use list::*;

use serde::{Deserialize, Serialize};
use threshold_domain::{Date, FieldError};
use threshold_persistence::records::action_step;
use threshold_persistence::rows::{ActionStepRow, GoalRow};
use threshold_persistence::DbConnection;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::v1::common::{Audit, NotFuture, Text};
use crate::ids::{id_text, parse_stored_id};

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Apply for a housing voucher", "due_date": "2025-12-15"}))]
pub struct CreateActionStep {
    #[schema(value_type = String, min_length = 1, max_length = 2000)]
    pub description: Text<2000>,
    /// A user of the program's organization.
    #[serde(default)]
    pub assigned_to: Option<Uuid>,
    /// Within the enrollment's period.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    /// Within the enrollment's period, not in the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_date: Option<NotFuture>,
}

impl CheckBody for CreateActionStep {}

/// JSON Merge Patch of an action step.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"completed_date": "2025-12-10"}))]
pub struct UpdateActionStep {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 2000)]
    pub description: Patch<Text<2000>>,
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Patch<Uuid>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_date: Patch<NotFuture>,
}

impl CheckBody for UpdateActionStep {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("description", &self.description, &mut errors);
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ActionStepView {
    pub id: Uuid,
    pub goal_id: Uuid,
    pub enrollment_id: Uuid,
    pub description: String,
    pub assigned_to: Option<Uuid>,
    #[schema(value_type = Option<String>, format = Date)]
    pub due_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date)]
    pub completed_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl ActionStepView {
    fn from_row(row: &ActionStepRow) -> Result<ActionStepView, ApiError> {
        Ok(ActionStepView {
            id: parse_stored_id(&row.id)?,
            goal_id: parse_stored_id(&row.goal_id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            description: row.description.clone(),
            assigned_to: row
                .assigned_to
                .as_deref()
                .map(parse_stored_id)
                .transpose()?,
            due_date: row.due_date.map(Into::into),
            completed_date: row.completed_date.map(Into::into),
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

crate::list_of!(ActionStepList, ActionStepView);

fn action_step_of(
    conn: &mut DbConnection,
    goal: &GoalRow,
    action_step_id: Uuid,
) -> Result<ActionStepRow, ApiError> {
    action_step::find(conn, &id_text(action_step_id))?
        .filter(|row| row.goal_id == goal.id && row.enrollment_id == goal.enrollment_id)
        .ok_or(ApiError::NotFound)
}
