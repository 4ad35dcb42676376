//! `/v1/programs/{program_id}/grants`: HMIS funders. Admins write; every caller reads.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::codes::FundingSource;
use threshold_domain::program::check_grant;
use threshold_domain::{new_id, Date, FieldError};
use threshold_persistence::reference::{self, grant, program};
use threshold_persistence::rows::GrantRow;
use threshold_persistence::rows::Stamped;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::auth::Admin;

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch, ValidJson};
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{page_response, PageQuery, PageRequest};
use crate::http::state::AppState;
use crate::http::v1::common::{Audit, DryRun, NoQuery, Text};
use crate::ids::{id_text, parse_stored_id};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "funder": 2,
    "grant_identifier": "CA0001L9T001",
    "start_date": "2025-07-01",
    "end_date": "2026-06-30"
}))]
pub struct CreateGrant {
    /// HUD 2.06.1 funding source.
    #[schema(value_type = i32)]
    pub funder: FundingSource,
    /// Required when `funder` is 46 (local or other), and only then.
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub other_funder: Option<Text<100>>,
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub grant_identifier: Text<100>,
    #[schema(value_type = String, format = Date)]
    pub start_date: Date,
    /// `null` = open-ended.
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<Date>,
}

impl CheckBody for CreateGrant {
    fn check(&self) -> Vec<FieldError> {
        check_grant(
            self.funder,
            self.other_funder.as_ref().map(Text::as_str),
            self.start_date,
            self.end_date,
        )
    }
}

/// JSON Merge Patch of a grant.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"end_date": "2027-06-30"}))]
pub struct UpdateGrant {
    #[serde(default)]
    #[schema(value_type = i32)]
    pub funder: Patch<FundingSource>,
    #[serde(default)]
    #[schema(value_type = Option<String>, min_length = 1, max_length = 100)]
    pub other_funder: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub grant_identifier: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, format = Date)]
    pub start_date: Patch<Date>,
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Patch<Date>,
}

impl CheckBody for UpdateGrant {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("funder", &self.funder, &mut errors);
        required_in_patch("grant_identifier", &self.grant_identifier, &mut errors);
        required_in_patch("start_date", &self.start_date, &mut errors);
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantView {
    pub id: Uuid,
    pub program_id: Uuid,
    pub funder: i32,
    pub other_funder: Option<String>,
    pub grant_identifier: String,
    #[schema(value_type = String, format = Date)]
    pub start_date: Date,
    #[schema(value_type = Option<String>, format = Date)]
    pub end_date: Option<Date>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl GrantView {
    fn from_row(row: &GrantRow) -> Result<GrantView, ApiError> {
        Ok(GrantView {
            id: parse_stored_id(&row.id)?,
            program_id: parse_stored_id(&row.program_id)?,
            funder: row.funder,
            other_funder: row.other_funder.clone(),
            grant_identifier: row.grant_identifier.clone(),
            start_date: row.start_date.into(),
            end_date: row.end_date.map(Into::into),
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

crate::list_of!(GrantList, GrantView);

pub type ListGrants = PageQuery;

/// Add a grant to a program.
#[utoipa::path(
    tag = "grants",
    operation_id = "create_grant",
    params(("program_id" = Uuid, Path, description = "The program's ID"), DryRun),
    request_body = CreateGrant,
    responses(
        (status = 201, description = "Created", body = GrantView,
            headers(("Location" = String, description = "The new grant's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = GrantView),
        (status = 404, description = "No such program"),
    ),
    security(("bearer" = []))
)]
#[post("/programs/{program_id}/grants")]
pub async fn create_grant(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateGrant>,
) -> Result<HttpResponse, ApiError> {
    let program_id = id_text(path.into_inner());
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&caller.sub, key, move |conn| {
            let at = now();
            let row = GrantRow {
                id: id_text(new_id()),
                program_id: program_id.clone(),
                funder: body.funder.code(),
                other_funder: body
                    .other_funder
                    .as_ref()
                    .map(|text| text.as_str().to_owned()),
                grant_identifier: body.grant_identifier.as_str().to_owned(),
                start_date: body.start_date.naive(),
                end_date: body.end_date.map(Date::naive),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: sub.clone(),
                updated_by: sub.clone(),
            };
            program::find(conn, &row.program_id)?.ok_or(ApiError::NotFound)?;
            let view = GrantView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            grant::insert(conn, &row)?;
            Reply::created(
                &view,
                format!("/v1/programs/{program_id}/grants/{}", row.id),
                row.version,
            )
        })
        .await
}

/// List a program's grants.
#[utoipa::path(
    tag = "grants",
    operation_id = "list_grants",
    params(("program_id" = Uuid, Path, description = "The program's ID"), ListGrants),
    responses(
        (status = 200, description = "A page of grants", body = GrantList),
        (status = 404, description = "No such program"),
    ),
    security(("bearer" = []))
)]
#[get("/programs/{program_id}/grants")]
pub async fn list_grants(
    state: web::Data<AppState>,
    _caller: Caller,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<ListGrants>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let program_id = id_text(path.into_inner());
    let found = state
        .read(move |conn| {
            program::find(conn, &program_id)?.ok_or(ApiError::NotFound)?;
            Ok(reference::list_grants(
                conn,
                &program_id,
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(&request, found, |row| row.id.clone(), GrantView::from_row)
}

/// Get a grant.
#[utoipa::path(
    tag = "grants",
    operation_id = "get_grant",
    params(
        ("program_id" = Uuid, Path, description = "The program's ID"),
        ("grant_id" = Uuid, Path, description = "The grant's ID"),
    ),
    responses(
        (status = 200, description = "The grant", body = GrantView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such grant in this program"),
    ),
    security(("bearer" = []))
)]
#[get("/programs/{program_id}/grants/{grant_id}")]
pub async fn get_grant(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<(Uuid, Uuid)>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (program_id, grant_id) = path.into_inner();
    let (program_id, grant_id) = (id_text(program_id), id_text(grant_id));
    let row = state
        .read(move |conn| find_in_program(conn, &program_id, &grant_id))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &GrantView::from_row(&row)?,
    ))
}

fn find_in_program(
    conn: &mut threshold_persistence::DbConnection,
    program_id: &str,
    grant_id: &str,
) -> Result<GrantRow, ApiError> {
    grant::find(conn, grant_id)?
        .filter(|row| row.program_id == program_id)
        .ok_or(ApiError::NotFound)
}

/// Change a grant (JSON Merge Patch).
#[utoipa::path(
    tag = "grants",
    operation_id = "update_grant",
    params(
        ("program_id" = Uuid, Path, description = "The program's ID"),
        ("grant_id" = Uuid, Path, description = "The grant's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateGrant, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed grant", body = GrantView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such grant in this program"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/programs/{program_id}/grants/{grant_id}")]
pub async fn update_grant(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateGrant>,
) -> Result<HttpResponse, ApiError> {
    let (program_id, grant_id) = path.into_inner();
    let (program_id, grant_id) = (id_text(program_id), id_text(grant_id));
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let mut row = find_in_program(conn, &program_id, &grant_id)?;
            if_match.check(row.version)?;
            if let Patch::Value(funder) = body.funder {
                row.funder = funder.code();
            }
            row.other_funder = body
                .other_funder
                .clone()
                .apply_with(row.other_funder.take(), Text::into_string);
            if let Patch::Value(identifier) = &body.grant_identifier {
                row.grant_identifier = identifier.as_str().to_owned();
            }
            if let Patch::Value(start) = body.start_date {
                row.start_date = start.naive();
            }
            row.end_date = body
                .end_date
                .clone()
                .apply(row.end_date.map(Date::from))
                .map(Date::naive);
            let funder = FundingSource::try_from(row.funder)
                .map_err(|error| ApiError::Internal(error.to_string()))?;
            ApiError::check_fields(check_grant(
                funder,
                row.other_funder.as_deref(),
                row.start_date.into(),
                row.end_date.map(Into::into),
            ))?;
            row.stamp(now(), &caller.sub);
            if !dry_run {
                grant::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &GrantView::from_row(&row)?,
    ))
}
