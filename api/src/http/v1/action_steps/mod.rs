//! `.../enrollments/{enrollment_id}/goals/{goal_id}/action-steps`: the action plan of a goal,
//! each step's dates within the enrollment's period.

use serde::{Deserialize, Serialize};
use threshold_domain::records::RecordKind;
use threshold_domain::{Date, FieldError};
use threshold_persistence::ids::{ActionStepId, EnrollmentId, GoalId, Id, UserId};
use threshold_persistence::rows::ActionStepRow;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::clock::now;
use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::records::{Dated, Docs, Names, Parent, RecordResource, UnderGoal};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, NotFuture, Text};
use crate::usecases::follow_ups::check_assignee;

/// The action steps of a goal.
pub struct ActionSteps;

impl RecordResource for ActionSteps {
    type Row = ActionStepRow;
    type Create = CreateActionStep;
    type Update = UpdateActionStep;
    type View = ActionStepView;

    const NAMES: Names = Names {
        segment: "action-steps",
        noun: "action_step",
        nouns: "action_steps",
        one: "action step",
        many: "action steps",
    };
    const DOCS: Docs = Docs::new(
        "List a goal's action plan.",
        "Add a step to a goal's action plan.",
    )
    .conflict(
        "enrollment.dependents_outside_period",
        "a date lies outside the enrollment's period",
    );
    const KIND: RecordKind = RecordKind::ActionStep;

    fn check_create(
        conn: &mut DbConnection,
        parent: &UnderGoal,
        body: &CreateActionStep,
    ) -> Result<(), ApiError> {
        check_assignee(conn, parent.enrollment(), body.assigned_to)
    }

    fn created_dates(body: &CreateActionStep) -> Vec<Dated> {
        vec![
            ("due_date", body.due_date),
            ("completed_date", body.completed_date.map(|date| date.0)),
        ]
    }

    fn patched_dates(patch: &UpdateActionStep) -> Vec<Dated> {
        vec![
            ("due_date", patch.due_date.as_value().copied()),
            (
                "completed_date",
                patch.completed_date.as_value().map(|date| date.0),
            ),
        ]
    }

    fn to_row(parent: &UnderGoal, body: CreateActionStep, by: &str) -> ActionStepRow {
        let at = now();
        ActionStepRow {
            id: Id::new(),
            goal_id: parent.goal.id,
            enrollment_id: parent.enrollment().id,
            description: body.description.into_string(),
            assigned_to: body.assigned_to,
            due_date: body.due_date.map(Date::naive),
            completed_date: body.completed_date.map(|date| date.0.naive()),
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
            deleted_at: None,
        }
    }

    fn apply_patch(
        conn: &mut DbConnection,
        parent: &UnderGoal,
        row: &mut ActionStepRow,
        patch: UpdateActionStep,
    ) -> Result<(), ApiError> {
        if let Patch::Value(assigned_to) = patch.assigned_to {
            check_assignee(conn, parent.enrollment(), Some(assigned_to))?;
        }
        if let Patch::Value(description) = patch.description {
            row.description = description.into_string();
        }
        row.assigned_to = patch.assigned_to.apply(row.assigned_to.take());
        row.due_date = patch.due_date.apply_with(row.due_date, Date::naive);
        row.completed_date = patch
            .completed_date
            .apply_with(row.completed_date, |date| date.0.naive());
        Ok(())
    }

    fn view(row: &ActionStepRow) -> Result<ActionStepView, ApiError> {
        Ok(ActionStepView {
            id: row.id,
            goal_id: row.goal_id,
            enrollment_id: row.enrollment_id,
            description: row.description.clone(),
            assigned_to: row.assigned_to,
            due_date: row.due_date.map(Into::into),
            completed_date: row.completed_date.map(Into::into),
            audit: audit_of(row),
        })
    }
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"description": "Apply for a housing voucher", "due_date": "2025-12-15"}))]
pub struct CreateActionStep {
    #[schema(value_type = String, min_length = 1, max_length = 2000)]
    pub description: Text<2000>,
    /// A user of the program's organization.
    #[serde(default)]
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Option<UserId>,
    /// Within the enrollment's period.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_date: Option<Date>,
    /// Within the enrollment's period, not in the future.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
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
    pub assigned_to: Patch<UserId>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
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
    #[schema(value_type = Uuid)]
    pub id: ActionStepId,
    #[schema(value_type = Uuid)]
    pub goal_id: GoalId,
    #[schema(value_type = Uuid)]
    pub enrollment_id: EnrollmentId,
    pub description: String,
    #[schema(value_type = Option<Uuid>)]
    pub assigned_to: Option<UserId>,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub due_date: Option<Date>,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub completed_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}
