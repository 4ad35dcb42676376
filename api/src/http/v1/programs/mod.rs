//! `/v1/programs`: HMIS projects. Admins write; every caller reads.

use serde::{Deserialize, Serialize};
use threshold_domain::codes::ProjectType;
use threshold_domain::hud_fields::present;
use threshold_domain::hud_fields::resources::{Own, Resource};
use threshold_domain::program::{check_auto_exit_days, check_capacity, check_program};
use threshold_domain::{Date, FieldError};
use threshold_persistence::error::StoreError;
use threshold_persistence::ids::{Id, OrganizationId, ProgramId};
use threshold_persistence::page::Page;
use threshold_persistence::reference;
use threshold_persistence::rows::{HudFieldsJson, ProgramRow};
use threshold_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::codes;
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch};
use crate::http::hud_fields::{HudView, ProgramHud, ProgramHudView, WithHud};
use crate::http::pagination::PageRequest;
use crate::http::reference::{
    known_organization, Docs, ListQuery, Names, ReferenceResource, TopLevel,
};
use crate::http::resource::audit_of;
use crate::http::v1::common::{Audit, Text};
use crate::usecases::hud_fields;

/// The HMIS projects.
pub struct Programs;

impl ReferenceResource for Programs {
    type Parent = TopLevel;
    type Row = ProgramRow;
    type Create = CreateProgram;
    type Update = UpdateProgram;
    type View = ProgramView;
    type Query = ListPrograms;

    const NAMES: Names = Names::plain("programs", "program");
    const DOCS: Docs = Docs::new("List programs.", "Add a program.");

    fn list(
        conn: &mut DbConnection,
        _caller: &Caller,
        (): (),
        query: &ListPrograms,
        after: Option<ProgramId>,
        limit: i64,
    ) -> Result<Page<ProgramRow>, StoreError> {
        let project_type = query.project_type.map(ProjectType::code);
        reference::list_programs(conn, query.organization_id, project_type, after, limit)
    }

    fn check_create(conn: &mut DbConnection, body: &CreateProgram) -> Result<(), ApiError> {
        known_organization(conn, body.own.organization_id)?;
        hud_fields::apply(
            Resource::Program,
            &HudFieldsJson::default(),
            &body.hud.changes(),
            None,
            &program_own(body.own.project_type.code()),
        )?;
        Ok(())
    }

    fn to_row((): (), body: &CreateProgram, by: &str) -> ProgramRow {
        let at = now();
        ProgramRow {
            // Checked by `check_create`.
            hud: hud_fields::to_json(&present(body.hud.changes()), &[]),
            id: Id::new(),
            organization_id: body.own.organization_id,
            name: body.own.name.as_str().to_owned(),
            project_type: body.own.project_type.code(),
            operating_start_date: body.own.operating_start_date.naive(),
            operating_end_date: body.own.operating_end_date.map(Date::naive),
            continuum_project: body.own.continuum_project,
            capacity: body.own.capacity,
            auto_exit_days: body.own.auto_exit_days,
            version: 1,
            created_at: at,
            updated_at: at,
            created_by: by.to_owned(),
            updated_by: by.to_owned(),
        }
    }

    fn apply_patch(row: &mut ProgramRow, patch: &UpdateProgram) -> Result<(), ApiError> {
        let before = program_own(row.project_type);
        if let Patch::Value(name) = &patch.own.name {
            row.name = name.as_str().to_owned();
        }
        if let Patch::Value(project_type) = patch.own.project_type {
            row.project_type = project_type.code();
        }
        if let Patch::Value(start) = patch.own.operating_start_date {
            row.operating_start_date = start.naive();
        }
        row.operating_end_date = patch
            .own
            .operating_end_date
            .clone()
            .apply(row.operating_end_date.map(Date::from))
            .map(Date::naive);
        if let Patch::Value(flag) = patch.own.continuum_project {
            row.continuum_project = flag;
        }
        row.capacity = patch.own.capacity.clone().apply(row.capacity);
        row.auto_exit_days = patch.own.auto_exit_days.clone().apply(row.auto_exit_days);
        row.hud = hud_fields::apply(
            Resource::Program,
            &row.hud,
            &patch.hud.changes(),
            Some(&before),
            &program_own(row.project_type),
        )?;
        ApiError::check_fields(check_program(
            row.operating_start_date.into(),
            row.operating_end_date.map(Into::into),
            row.capacity,
            row.auto_exit_days,
        ))
    }

    fn view(row: &ProgramRow) -> Result<ProgramView, ApiError> {
        Ok(ProgramView {
            id: row.id,
            organization_id: row.organization_id,
            name: row.name.clone(),
            project_type: row.project_type,
            operating_start_date: row.operating_start_date.into(),
            operating_end_date: row.operating_end_date.map(Into::into),
            continuum_project: row.continuum_project,
            capacity: row.capacity,
            auto_exit_days: row.auto_exit_days,
            hud: HudView::of(row.hud.as_map()),
            audit: audit_of(row),
        })
    }
}

/// A new program: its own fields and Project.csv's other columns as HUD fields.
pub type CreateProgram = WithHud<ProgramBody, ProgramHud>;

/// JSON Merge Patch of a program: its own fields and its HUD fields.
pub type UpdateProgram = WithHud<ProgramPatch, ProgramHud>;

/// What the consistency of a program's HUD fields reads of its own: its project type.
fn program_own(project_type: i32) -> Own {
    Own {
        project_type: Some(project_type),
        ..Own::default()
    }
}

/// A new program (HUD 2.02). Beside these fields it takes Project.csv's other columns as
/// HUD fields: `housing_type` (2.02.D), `rrh_sub_type` (2.02.A, rapid re-housing only),
/// `residential_affiliation` (2.02.B, services only), `target_population` (2.02.7),
/// `hopwa_med_assisted_living_fac` (2.02.8), `pit_count`, `project_common_name`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = CreateProgram, example = json!({
    "organization_id": "0193a1b2-0000-7000-8000-000000000001",
    "name": "Harbor Emergency Shelter",
    "project_type": 0,
    "operating_start_date": "2020-01-01",
    "continuum_project": true,
    "capacity": 40
}))]
pub struct ProgramBody {
    #[schema(value_type = Uuid)]
    pub organization_id: OrganizationId,
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Text<200>,
    /// HUD 2.02.6 project type.
    #[schema(value_type = codes::ProjectType)]
    pub project_type: ProjectType,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub operating_start_date: Date,
    /// `null` = still operating.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
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

impl CheckBody for ProgramBody {
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
/// JSON Merge Patch of a program; `null` clears a HUD field.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = UpdateProgram, example = json!({"capacity": 50}))]
pub struct ProgramPatch {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = codes::ProjectType)]
    pub project_type: Patch<ProjectType>,
    #[serde(default)]
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub operating_start_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
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

impl CheckBody for ProgramPatch {
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
    #[schema(value_type = Uuid)]
    pub id: ProgramId,
    #[schema(value_type = Uuid)]
    pub organization_id: OrganizationId,
    pub name: String,
    #[schema(value_type = codes::ProjectType)]
    pub project_type: i32,
    #[schema(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub operating_start_date: Date,
    #[schema(value_type = Option<String>, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub operating_end_date: Option<Date>,
    pub continuum_project: bool,
    pub capacity: Option<i32>,
    pub auto_exit_days: Option<i32>,
    #[serde(flatten)]
    #[schema(value_type = ProgramHudView)]
    pub hud: HudView<ProgramHud>,
    #[serde(flatten)]
    pub audit: Audit,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListPrograms {
    /// Only this organization's programs.
    #[param(value_type = Option<Uuid>)]
    pub organization_id: Option<OrganizationId>,
    /// Only programs of this HUD project type (2.02.6).
    #[param(value_type = Option<codes::ProjectType>)]
    pub project_type: Option<ProjectType>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

impl ListQuery for ListPrograms {
    fn page(&self) -> Result<PageRequest, ApiError> {
        PageRequest::new(self.limit, self.cursor.as_deref())
    }
}
