//! `/v1/programs`: HMIS projects. Admins write; every caller reads.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::codes::ProjectType;
use threshold_domain::{new_id, Date, FieldError};
use threshold_persistence::reference::{self, organization, program};
use threshold_persistence::rows::ProgramRow;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Admin, Caller};
use crate::errors::ApiError;
use crate::etag::{tagged, IfMatch};
use crate::extract::{CheckBody, Patch, ValidJson};
use crate::idempotency::{Idempotent, Reply};
use crate::pagination::{page_response, PageRequest};
use crate::state::AppState;
use crate::v1::common::{id_text, now, parse_stored_id, Audit, DryRun, NoQuery, Text};
use crate::v1::organizations::required_in_patch;

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

fn check_program(
    start: Date,
    end: Option<Date>,
    capacity: Option<i32>,
    auto_exit_days: Option<i32>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if end.is_some_and(|end| end < start) {
        errors.push(FieldError::new(
            "operating_end_date",
            "date.order",
            "operating_end_date is before operating_start_date",
        ));
    }
    if capacity.is_some_and(|capacity| capacity < 1) {
        errors.push(FieldError::new(
            "capacity",
            "invalid",
            "capacity must be at least 1",
        ));
    }
    if auto_exit_days.is_some_and(|days| days < 1) {
        errors.push(FieldError::new(
            "auto_exit_days",
            "invalid",
            "auto_exit_days must be at least 1",
        ));
    }
    errors
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
    #[schema(value_type = Option<String>)]
    pub name: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub project_type: Patch<ProjectType>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub operating_start_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub operating_end_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<bool>)]
    pub continuum_project: Patch<bool>,
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub capacity: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
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
        if self
            .capacity
            .as_value()
            .is_some_and(|capacity| *capacity < 1)
        {
            errors.push(FieldError::new(
                "capacity",
                "invalid",
                "capacity must be at least 1",
            ));
        }
        if self.auto_exit_days.as_value().is_some_and(|days| *days < 1) {
            errors.push(FieldError::new(
                "auto_exit_days",
                "invalid",
                "auto_exit_days must be at least 1",
            ));
        }
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

/// Add a program.
#[utoipa::path(
    tag = "programs",
    operation_id = "create_program",
    params(DryRun),
    request_body = CreateProgram,
    responses(
        (status = 201, description = "Created", body = ProgramView,
            headers(("Location" = String, description = "The new program's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = ProgramView),
    ),
    security(("bearer" = []))
)]
#[post("/programs")]
pub async fn create_program(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateProgram>,
) -> Result<HttpResponse, ApiError> {
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&caller.sub, key, move |conn| {
            let at = now();
            let row = ProgramRow {
                id: id_text(new_id()),
                organization_id: id_text(body.organization_id),
                name: body.name.as_str().to_owned(),
                project_type: body.project_type.code(),
                operating_start_date: body.operating_start_date.naive(),
                operating_end_date: body.operating_end_date.map(Date::naive),
                continuum_project: body.continuum_project,
                capacity: body.capacity,
                auto_exit_days: body.auto_exit_days,
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: sub.clone(),
                updated_by: sub.clone(),
            };
            if organization::find(conn, &row.organization_id)?.is_none() {
                return Err(unknown("organization_id", "no such organization"));
            }
            let view = ProgramView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            program::insert(conn, &row)?;
            Reply::created(&view, format!("/v1/programs/{}", row.id), row.version)
        })
        .await
}

/// A body that names a record that does not exist (or that the caller cannot see).
pub fn unknown(field: &str, message: &str) -> ApiError {
    ApiError::invalid(field, "reference.not_found", message)
}

/// List programs.
#[utoipa::path(
    tag = "programs",
    operation_id = "list_programs",
    params(ListPrograms),
    responses((status = 200, description = "A page of programs", body = ProgramList)),
    security(("bearer" = []))
)]
#[get("/programs")]
pub async fn list_programs(
    state: web::Data<AppState>,
    _caller: Caller,
    request: HttpRequest,
    query: web::Query<ListPrograms>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let organization_id = query.organization_id.map(id_text);
    let found = state
        .read(move |conn| {
            Ok(reference::list_programs(
                conn,
                organization_id.as_deref(),
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(&request, found, |row| row.id.clone(), ProgramView::from_row)
}

/// Get a program.
#[utoipa::path(
    tag = "programs",
    operation_id = "get_program",
    params(("program_id" = Uuid, Path, description = "The program's ID")),
    responses(
        (status = 200, description = "The program", body = ProgramView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such program"),
    ),
    security(("bearer" = []))
)]
#[get("/programs/{program_id}")]
pub async fn get_program(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<Uuid>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let row = state
        .read(move |conn| program::find(conn, &id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ProgramView::from_row(&row)?,
    ))
}

/// Change a program (JSON Merge Patch).
#[utoipa::path(
    tag = "programs",
    operation_id = "update_program",
    params(
        ("program_id" = Uuid, Path, description = "The program's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateProgram, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed program", body = ProgramView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such program"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/programs/{program_id}")]
pub async fn update_program(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateProgram>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let mut row = program::find(conn, &id)?.ok_or(ApiError::NotFound)?;
            if_match.check(row.version)?;
            if let Patch::Value(name) = &body.name {
                row.name = name.as_str().to_owned();
            }
            if let Patch::Value(project_type) = body.project_type {
                row.project_type = project_type.code();
            }
            if let Patch::Value(start) = body.operating_start_date {
                row.operating_start_date = start.naive();
            }
            row.operating_end_date = body
                .operating_end_date
                .clone()
                .apply(row.operating_end_date.map(Date::from))
                .map(Date::naive);
            if let Patch::Value(flag) = body.continuum_project {
                row.continuum_project = flag;
            }
            row.capacity = body.capacity.clone().apply(row.capacity);
            row.auto_exit_days = body.auto_exit_days.clone().apply(row.auto_exit_days);
            ApiError::check_fields(check_program(
                row.operating_start_date.into(),
                row.operating_end_date.map(Into::into),
                row.capacity,
                row.auto_exit_days,
            ))?;
            row.version += 1;
            row.updated_at = now();
            row.updated_by = caller.sub.clone();
            if !dry_run {
                program::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ProgramView::from_row(&row)?,
    ))
}
