//! `/v1/programs`: HMIS projects. Admins write; every caller reads.

mod create;
mod item;
mod list;

pub use create::*;
pub use item::*;
pub use list::*;

use serde::{Deserialize, Serialize};
use threshold_domain::codes::ProjectType;
use threshold_domain::program::{check_auto_exit_days, check_capacity, check_program};
use threshold_domain::{Date, FieldError};
use threshold_persistence::rows::ProgramRow;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::error::ApiError;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::v1::common::{Audit, Text};
use crate::ids::parse_stored_id;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "organization_id": "0193a1b2-0000-7000-8000-000000000001",
    "name": "Harbor Emergency Shelter",
    "project_type": 0,
    "operating_start_date": "2020-01-01",
    "continuum_project": true,
    "capacity": 40
}))]
pub struct CreateProgram {
    pub organization_id: Uuid,
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Text<200>,
    /// HUD 2.02.6 project type.
    #[schema(value_type = i32)]
    pub project_type: ProjectType,
    #[schema(value_type = String, format = Date)]
    pub operating_start_date: Date,
    /// `null` = still operating.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub operating_end_date: Option<Date>,
    #[serde(default)]
    pub continuum_project: bool,
    /// At most this many active enrollments; `null` = unlimited.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub capacity: Option<i32>,
    /// Exit enrollments with no service and no change for this many days; `null` = never.
    #[serde(default)]
    #[schema(minimum = 1)]
    pub auto_exit_days: Option<i32>,
}

impl CheckBody for CreateProgram {
    fn check(&self) -> Vec<FieldError> {
        check_program(
            self.operating_start_date,
            self.operating_end_date,
            self.capacity,
            self.auto_exit_days,
        )
    }
}

/// JSON Merge Patch of a program (its organization does not change).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"capacity": 50}))]
pub struct UpdateProgram {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = i32)]
    pub project_type: Patch<ProjectType>,
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    pub operating_start_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub operating_end_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub continuum_project: Patch<bool>,
    #[serde(default)]
    #[schema(value_type = Option<i32>, minimum = 1)]
    pub capacity: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = Option<i32>, minimum = 1)]
    pub auto_exit_days: Patch<i32>,
}

impl CheckBody for UpdateProgram {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("name", &self.name, &mut errors);
        required_in_patch("project_type", &self.project_type, &mut errors);
        required_in_patch(
            "operating_start_date",
            &self.operating_start_date,
            &mut errors,
        );
        required_in_patch("continuum_project", &self.continuum_project, &mut errors);
        errors.extend(check_capacity(self.capacity.as_value().copied()));
        errors.extend(check_auto_exit_days(
            self.auto_exit_days.as_value().copied(),
        ));
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProgramView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub name: String,
    pub project_type: i32,
    #[schema(value_type = String, format = Date)]
    pub operating_start_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub operating_end_date: Option<Date>,
    pub continuum_project: bool,
    pub capacity: Option<i32>,
    pub auto_exit_days: Option<i32>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl ProgramView {
    fn from_row(row: &ProgramRow) -> Result<ProgramView, ApiError> {
        Ok(ProgramView {
            id: parse_stored_id(&row.id)?,
            organization_id: parse_stored_id(&row.organization_id)?,
            name: row.name.clone(),
            project_type: row.project_type,
            operating_start_date: row.operating_start_date.into(),
            operating_end_date: row.operating_end_date.map(Into::into),
            continuum_project: row.continuum_project,
            capacity: row.capacity,
            auto_exit_days: row.auto_exit_days,
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

crate::list_of!(ProgramList, ProgramView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListPrograms {
    /// Only this organization's programs.
    pub organization_id: Option<Uuid>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}
