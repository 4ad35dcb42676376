//! `.../enrollments/{enrollment_id}/services`: services provided during a stay (HUD
//! Services), each dated within the enrollment's period.

use actix_web::{delete, get, patch, post, web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::codes::ServiceRecordType;
use threshold_domain::records::check_service_date;
use threshold_domain::{new_id, Date, FieldError, Period};
use threshold_persistence::records::{self, service};
use threshold_persistence::rows::{EnrollmentRow, ServiceRow};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::{Caller, Writer};
use crate::errors::ApiError;
use crate::etag::{tagged, IfMatch};
use crate::extract::{CheckBody, Patch, ValidJson};
use crate::pagination::{list_response, PageRequest};
use crate::state::AppState;
use crate::v1::common::{id_text, now, parse_stored_id, text_len, Audit, DryRun, NotFuture};
use crate::v1::enrollments::visible_enrollment;
use crate::v1::organizations::required_in_patch;

/// The stay as the period rules see it.
pub fn period_of(enrollment: &EnrollmentRow) -> Period {
    Period::new(
        enrollment.entry_date.into(),
        enrollment.exit_date.map(Into::into),
    )
}

#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"date_provided": "2025-11-04", "record_type": 144,
                          "type_provided": 1, "note": "Housing search"}))]
pub struct CreateService {
    /// Within the enrollment's period, not in the future.
    #[schema(value_type = String, format = Date)]
    pub date_provided: NotFuture,
    /// HUD 1.4 record type.
    #[schema(value_type = i32)]
    pub record_type: ServiceRecordType,
    /// The HUD type of service for the record type (a positive code).
    #[schema(minimum = 1)]
    pub type_provided: i32,
    #[serde(default)]
    #[schema(max_length = 100)]
    pub other_type_provided: Option<String>,
    /// Financial assistance in dollars, at most two decimals.
    #[serde(default)]
    #[schema(minimum = 0)]
    pub fa_amount: Option<f64>,
    #[serde(default)]
    #[schema(max_length = 2000)]
    pub note: Option<String>,
}

fn check_service(
    type_provided: Option<i32>,
    other_type_provided: Option<&str>,
    fa_amount: Option<f64>,
    note: Option<&str>,
) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if type_provided.is_some_and(|code| !(1..=99_999).contains(&code)) {
        errors.push(FieldError::new(
            "type_provided",
            "invalid",
            "type_provided is a positive code",
        ));
    }
    text_len("other_type_provided", other_type_provided, 100, &mut errors);
    text_len("note", note, 2000, &mut errors);
    if let Some(amount) = fa_amount {
        if cents(amount).is_none() {
            errors.push(FieldError::new(
                "fa_amount",
                "invalid",
                "fa_amount is an amount of dollars from 0 to 1,000,000,000 with at most two decimals",
            ));
        }
    }
    errors
}

/// Dollars as whole cents, when the amount has at most two decimals and is in range.
fn cents(amount: f64) -> Option<i64> {
    let scaled = amount * 100.0;
    let rounded = scaled.round();
    ((0.0..=100_000_000_000.0).contains(&rounded) && (scaled - rounded).abs() < 1e-6)
        .then_some(rounded as i64)
}

impl CheckBody for CreateService {
    fn check(&self) -> Vec<FieldError> {
        check_service(
            Some(self.type_provided),
            self.other_type_provided.as_deref(),
            self.fa_amount,
            self.note.as_deref(),
        )
    }
}

/// JSON Merge Patch of a service.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "Housing search, two viewings"}))]
pub struct UpdateService {
    #[serde(default)]
    #[schema(value_type = Option<String>, format = Date)]
    pub date_provided: Patch<NotFuture>,
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub record_type: Patch<ServiceRecordType>,
    #[serde(default)]
    #[schema(value_type = Option<i32>)]
    pub type_provided: Patch<i32>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub other_type_provided: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Option<f64>)]
    pub fa_amount: Patch<f64>,
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub note: Patch<String>,
}

impl CheckBody for UpdateService {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("date_provided", &self.date_provided, &mut errors);
        required_in_patch("record_type", &self.record_type, &mut errors);
        required_in_patch("type_provided", &self.type_provided, &mut errors);
        errors.extend(check_service(
            self.type_provided.as_value().copied(),
            self.other_type_provided.as_value().map(String::as_str),
            self.fa_amount.as_value().copied(),
            self.note.as_value().map(String::as_str),
        ));
        errors
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceView {
    pub id: Uuid,
    pub enrollment_id: Uuid,
    #[schema(value_type = String, format = Date)]
    pub date_provided: Date,
    pub record_type: i32,
    pub type_provided: i32,
    pub other_type_provided: Option<String>,
    pub fa_amount: Option<f64>,
    pub note: Option<String>,
    #[serde(flatten)]
    pub audit: Audit,
}

impl ServiceView {
    fn from_row(row: &ServiceRow) -> Result<ServiceView, ApiError> {
        Ok(ServiceView {
            id: parse_stored_id(&row.id)?,
            enrollment_id: parse_stored_id(&row.enrollment_id)?,
            date_provided: row.date_provided.into(),
            record_type: row.record_type,
            type_provided: row.type_provided,
            other_type_provided: row.other_type_provided.clone(),
            fa_amount: row.fa_amount_cents.map(|cents| cents as f64 / 100.0),
            note: row.note.clone(),
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

crate::list_of!(ServiceList, ServiceView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ListServices {
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn trimmed(text: Option<String>) -> Option<String> {
    text.map(|text| text.trim().to_owned())
}

/// Record a service.
#[utoipa::path(
    tag = "services",
    operation_id = "create_service",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        DryRun,
    ),
    request_body = CreateService,
    responses(
        (status = 201, description = "Created", body = ServiceView,
            headers(("Location" = String, description = "The new service's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = ServiceView),
        (status = 404, description = "No such enrollment, or another organization's"),
        (status = 409, description = "`service.outside_enrollment`: the date lies outside the enrollment's period"),
    ),
    security(("bearer" = []))
)]
#[post("/clients/{client_id}/enrollments/{enrollment_id}/services")]
pub async fn create_service(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<CreateService>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            check_service_date(&period_of(&enrollment), body.date_provided.0)?;
            let at = now();
            let row = ServiceRow {
                id: id_text(new_id()),
                enrollment_id: enrollment.id.clone(),
                date_provided: body.date_provided.0.naive(),
                record_type: body.record_type.code(),
                type_provided: body.type_provided,
                other_type_provided: trimmed(body.other_type_provided.clone()),
                fa_amount_cents: body.fa_amount.and_then(cents),
                note: trimmed(body.note.clone()),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: caller.sub.clone(),
                updated_by: caller.sub.clone(),
                deleted_at: None,
            };
            if !dry_run {
                service::insert(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    let view = ServiceView::from_row(&row)?;
    if dry_run {
        return Ok(HttpResponse::Ok().json(view));
    }
    let mut response = HttpResponse::Created();
    response.insert_header((
        "Location",
        format!(
            "/v1/clients/{client_id}/enrollments/{enrollment_id}/services/{}",
            row.id
        ),
    ));
    Ok(tagged(response, row.version, &view))
}

/// List an enrollment's services.
#[utoipa::path(
    tag = "services",
    operation_id = "list_services",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ListServices,
    ),
    responses(
        (status = 200, description = "A page of services", body = ServiceList),
        (status = 404, description = "No such enrollment, or another organization's"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/services")]
pub async fn list_services(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid)>,
    query: web::Query<ListServices>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let found = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            Ok(records::list_services(
                conn,
                &enrollment.id,
                page.after.as_deref(),
                page.limit,
            )?)
        })
        .await?;
    let next = found
        .more
        .then(|| found.rows.last().map(|row| row.id.clone()))
        .flatten();
    let data = found
        .rows
        .iter()
        .map(ServiceView::from_row)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(list_response(&request, data, next))
}

fn service_of(
    conn: &mut threshold_persistence::DbConnection,
    enrollment: &EnrollmentRow,
    service_id: Uuid,
) -> Result<ServiceRow, ApiError> {
    service::find(conn, &id_text(service_id))?
        .filter(|row| row.enrollment_id == enrollment.id)
        .ok_or(ApiError::NotFound)
}

/// Get a service.
#[utoipa::path(
    tag = "services",
    operation_id = "get_service",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("service_id" = Uuid, Path, description = "The service's ID"),
    ),
    responses(
        (status = 200, description = "The service", body = ServiceView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such service"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}")]
pub async fn get_service(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, service_id) = path.into_inner();
    let row = state
        .read(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            service_of(conn, &enrollment, service_id)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ServiceView::from_row(&row)?,
    ))
}

/// Change a service (JSON Merge Patch).
#[utoipa::path(
    tag = "services",
    operation_id = "update_service",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("service_id" = Uuid, Path, description = "The service's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateService, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed service", body = ServiceView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such service"),
        (status = 409, description = "`service.outside_enrollment`"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}")]
pub async fn update_service(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateService>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, service_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = service_of(conn, &enrollment, service_id)?;
            if_match.check(row.version)?;
            let body = body.clone();
            if let Patch::Value(date) = body.date_provided {
                row.date_provided = date.0.naive();
                check_service_date(&period_of(&enrollment), date.0)?;
            }
            if let Patch::Value(record_type) = body.record_type {
                row.record_type = record_type.code();
            }
            if let Patch::Value(type_provided) = body.type_provided {
                row.type_provided = type_provided;
            }
            row.other_type_provided = body
                .other_type_provided
                .apply_with(row.other_type_provided.take(), |text| {
                    text.trim().to_owned()
                });
            row.fa_amount_cents = match body.fa_amount {
                Patch::Absent => row.fa_amount_cents,
                Patch::Null => None,
                Patch::Value(amount) => cents(amount),
            };
            row.note = body
                .note
                .apply_with(row.note.take(), |text| text.trim().to_owned());
            row.version += 1;
            row.updated_at = now();
            row.updated_by = caller.sub.clone();
            if !dry_run {
                service::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ServiceView::from_row(&row)?,
    ))
}

/// Delete a service (soft).
#[utoipa::path(
    tag = "services",
    operation_id = "delete_service",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("enrollment_id" = Uuid, Path, description = "The enrollment's ID"),
        ("service_id" = Uuid, Path, description = "The service's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such service"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}")]
pub async fn delete_service(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<(Uuid, Uuid, Uuid)>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id, service_id) = path.into_inner();
    let if_match = IfMatch::from_request(&request);
    state
        .write(move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            let mut row = service_of(conn, &enrollment, service_id)?;
            if_match.check(row.version)?;
            let at = now();
            row.version += 1;
            row.updated_at = at;
            row.updated_by = caller.sub.clone();
            row.deleted_at = Some(at);
            service::update(conn, &row)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
