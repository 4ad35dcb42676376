//! `/v1/organizations`: agencies. Admins write; every caller reads.

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::{new_id, FieldError};
use threshold_persistence::reference::{self, organization};
use threshold_persistence::rows::OrganizationRow;
use threshold_persistence::rows::Stamped;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::http::auth::Admin;
use crate::http::extract::required_in_patch;

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::{CheckBody, Patch, ValidJson};
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{page_response, PageQuery, PageRequest};
use crate::http::state::AppState;
use crate::http::v1::common::{Audit, DryRun, NoQuery, Text};
use crate::ids::{id_text, parse_stored_id};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Harbor Light Services", "victim_service_provider": false}))]
pub struct CreateOrganization {
    /// 1-200 characters.
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Text<200>,
    #[serde(default)]
    pub victim_service_provider: bool,
}

impl CheckBody for CreateOrganization {}

/// JSON Merge Patch of an organization.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"name": "Harbor Light"}))]
pub struct UpdateOrganization {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 200)]
    pub name: Patch<Text<200>>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub victim_service_provider: Patch<bool>,
}

impl CheckBody for UpdateOrganization {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("name", &self.name, &mut errors);
        required_in_patch(
            "victim_service_provider",
            &self.victim_service_provider,
            &mut errors,
        );
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationView {
    pub id: Uuid,
    pub name: String,
    pub victim_service_provider: bool,
    #[serde(flatten)]
    pub audit: Audit,
}

impl OrganizationView {
    fn from_row(row: &OrganizationRow) -> Result<OrganizationView, ApiError> {
        Ok(OrganizationView {
            id: parse_stored_id(&row.id)?,
            name: row.name.clone(),
            victim_service_provider: row.victim_service_provider,
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

crate::list_of!(OrganizationList, OrganizationView);

pub type ListOrganizations = PageQuery;

/// Add an organization.
#[utoipa::path(
    tag = "organizations",
    operation_id = "create_organization",
    params(DryRun),
    request_body = CreateOrganization,
    responses(
        (status = 201, description = "Created", body = OrganizationView,
            headers(("Location" = String, description = "The new organization's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = OrganizationView),
    ),
    security(("bearer" = []))
)]
#[post("/organizations")]
pub async fn create_organization(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&caller.sub, key, move |conn| {
            let at = now();
            let row = OrganizationRow {
                id: id_text(new_id()),
                name: body.name.as_str().to_owned(),
                victim_service_provider: body.victim_service_provider,
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: sub.clone(),
                updated_by: sub.clone(),
            };
            let view = OrganizationView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            organization::insert(conn, &row)?;
            Reply::created(&view, format!("/v1/organizations/{}", row.id), row.version)
        })
        .await
}

/// List organizations.
#[utoipa::path(
    tag = "organizations",
    operation_id = "list_organizations",
    params(ListOrganizations),
    responses((status = 200, description = "A page of organizations", body = OrganizationList)),
    security(("bearer" = []))
)]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    _caller: Caller,
    request: HttpRequest,
    query: web::Query<ListOrganizations>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            Ok(reference::list_organizations(
                conn,
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(
        &request,
        found,
        |row| row.id.clone(),
        OrganizationView::from_row,
    )
}

/// Get an organization.
#[utoipa::path(
    tag = "organizations",
    operation_id = "get_organization",
    params(("organization_id" = Uuid, Path, description = "The organization's ID")),
    responses(
        (status = 200, description = "The organization", body = OrganizationView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such organization"),
    ),
    security(("bearer" = []))
)]
#[get("/organizations/{organization_id}")]
pub async fn get_organization(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<Uuid>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let row = state
        .read(move |conn| organization::find(conn, &id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &OrganizationView::from_row(&row)?,
    ))
}

/// Change an organization (JSON Merge Patch).
#[utoipa::path(
    tag = "organizations",
    operation_id = "update_organization",
    params(
        ("organization_id" = Uuid, Path, description = "The organization's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateOrganization, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed organization", body = OrganizationView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such organization"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/organizations/{organization_id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateOrganization>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let mut row = organization::find(conn, &id)?.ok_or(ApiError::NotFound)?;
            if_match.check(row.version)?;
            if let Patch::Value(name) = &body.name {
                row.name = name.as_str().to_owned();
            }
            if let Patch::Value(flag) = body.victim_service_provider {
                row.victim_service_provider = flag;
            }
            row.stamp(now(), &caller.sub);
            if !dry_run {
                organization::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &OrganizationView::from_row(&row)?,
    ))
}
