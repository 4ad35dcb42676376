//! `/v1/users`: staff such as case managers. Admins write; callers read their own
//! organization's staff (admins read all).

use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::{new_id, FieldError};
use threshold_persistence::reference::{self, organization, user};
use threshold_persistence::rows::Stamped;
use threshold_persistence::rows::UserRow;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::http::auth::Admin;

use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::required_in_patch;
use crate::http::extract::{CheckBody, Patch, ValidJson};
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{list_response, page_response, PageRequest};
use crate::http::state::AppState;
use crate::http::v1::common::{Audit, DryRun, Email, NoQuery, Text};
use crate::ids::{id_text, parse_stored_id};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "organization_id": "0193a1b2-0000-7000-8000-000000000001",
    "first_name": "Dana",
    "last_name": "Reyes",
    "email": "dana.reyes@example.org"
}))]
pub struct CreateUser {
    pub organization_id: Uuid,
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub first_name: Text<100>,
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub last_name: Text<100>,
    #[schema(value_type = String, format = Email, max_length = 320)]
    pub email: Email,
}

impl CheckBody for CreateUser {}

/// JSON Merge Patch of a user (the organization does not change).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"email": "dana@example.org"}))]
pub struct UpdateUser {
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub first_name: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, min_length = 1, max_length = 100)]
    pub last_name: Patch<Text<100>>,
    #[serde(default)]
    #[schema(value_type = String, format = Email, max_length = 320)]
    pub email: Patch<Email>,
}

impl CheckBody for UpdateUser {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("first_name", &self.first_name, &mut errors);
        required_in_patch("last_name", &self.last_name, &mut errors);
        required_in_patch("email", &self.email, &mut errors);
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserView {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    #[serde(flatten)]
    pub audit: Audit,
}

impl UserView {
    fn from_row(row: &UserRow) -> Result<UserView, ApiError> {
        Ok(UserView {
            id: parse_stored_id(&row.id)?,
            organization_id: parse_stored_id(&row.organization_id)?,
            first_name: row.first_name.clone(),
            last_name: row.last_name.clone(),
            email: row.email.clone(),
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

crate::list_of!(UserList, UserView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListUsers {
    /// Only this organization's staff (admins; others always see their own).
    pub organization_id: Option<Uuid>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// Add a user.
#[utoipa::path(
    tag = "users",
    operation_id = "create_user",
    params(DryRun),
    request_body = CreateUser,
    responses(
        (status = 201, description = "Created", body = UserView,
            headers(("Location" = String, description = "The new user's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = UserView),
    ),
    security(("bearer" = []))
)]
#[post("/users")]
pub async fn create_user(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateUser>,
) -> Result<HttpResponse, ApiError> {
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&caller.sub, key, move |conn| {
            let at = now();
            let row = UserRow {
                id: id_text(new_id()),
                organization_id: id_text(body.organization_id),
                first_name: body.first_name.as_str().to_owned(),
                last_name: body.last_name.as_str().to_owned(),
                email: body.email.clone().into_string(),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: sub.clone(),
                updated_by: sub.clone(),
            };
            if organization::find(conn, &row.organization_id)?.is_none() {
                return Err(ApiError::unknown_reference(
                    "organization_id",
                    "no such organization",
                ));
            }
            let view = UserView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            user::insert(conn, &row)?;
            Reply::created(&view, format!("/v1/users/{}", row.id), row.version)
        })
        .await
}

/// List users.
#[utoipa::path(
    tag = "users",
    operation_id = "list_users",
    params(ListUsers),
    responses((status = 200, description = "A page of users", body = UserList)),
    security(("bearer" = []))
)]
#[get("/users")]
pub async fn list_users(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: web::Query<ListUsers>,
) -> Result<HttpResponse, ApiError> {
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let asked = query.organization_id.map(id_text);
    let organization_id = match (caller.scope(), asked) {
        (None, asked) => asked,
        (Some(own), Some(asked)) if asked != own => {
            return Ok(list_response(&request, Vec::<UserView>::new(), None))
        }
        (Some(own), _) => Some(own),
    };
    let found = state
        .read(move |conn| {
            Ok(reference::list_users(
                conn,
                organization_id.as_deref(),
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    page_response(&request, found, |row| row.id.clone(), UserView::from_row)
}

/// Get a user.
#[utoipa::path(
    tag = "users",
    operation_id = "get_user",
    params(("user_id" = Uuid, Path, description = "The user's ID")),
    responses(
        (status = 200, description = "The user", body = UserView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such user in an organization the caller can see"),
    ),
    security(("bearer" = []))
)]
#[get("/users/{user_id}")]
pub async fn get_user(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<Uuid>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let row = state
        .read(move |conn| {
            user::find(conn, &id)?
                .filter(|row| caller.sees(&row.organization_id))
                .ok_or(ApiError::NotFound)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &UserView::from_row(&row)?,
    ))
}

/// Change a user (JSON Merge Patch).
#[utoipa::path(
    tag = "users",
    operation_id = "update_user",
    params(
        ("user_id" = Uuid, Path, description = "The user's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateUser, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed user", body = UserView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such user"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/users/{user_id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateUser>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let mut row = user::find(conn, &id)?.ok_or(ApiError::NotFound)?;
            if_match.check(row.version)?;
            if let Patch::Value(first_name) = body.first_name.clone() {
                row.first_name = first_name.into_string();
            }
            if let Patch::Value(last_name) = body.last_name.clone() {
                row.last_name = last_name.into_string();
            }
            if let Patch::Value(email) = body.email.clone() {
                row.email = email.into_string();
            }
            row.stamp(now(), &caller.sub);
            if !dry_run {
                user::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &UserView::from_row(&row)?,
    ))
}
