use actix_web::{post, web, HttpResponse};
use threshold_domain::money::Cents;
use threshold_domain::new_id;
use threshold_domain::records::check_service_date;
use threshold_persistence::records::service;
use threshold_persistence::rows::ServiceRow;
use uuid::Uuid;

use super::{CreateService, ServiceView};
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, Text};
use crate::ids::id_text;
use crate::usecases::visibility::visible_enrollment;

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
    Idempotent(body, key): Idempotent<CreateService>,
) -> Result<HttpResponse, ApiError> {
    let (client_id, enrollment_id) = path.into_inner();
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let enrollment = visible_enrollment(conn, &caller, client_id, enrollment_id)?;
            check_service_date(&enrollment.period(), body.date_provided.0)?;
            let at = now();
            let row = ServiceRow {
                id: id_text(new_id()),
                enrollment_id: enrollment.id.clone(),
                date_provided: body.date_provided.0.naive(),
                record_type: body.record_type.code(),
                type_provided: body.type_provided,
                other_type_provided: body.other_type_provided.clone().map(Text::into_string),
                fa_amount_cents: body.fa_amount.and_then(Cents::from_dollars).map(i64::from),
                note: body.note.clone().map(Text::into_string),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: caller.sub.clone(),
                updated_by: caller.sub.clone(),
                deleted_at: None,
            };
            let view = ServiceView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            service::insert(conn, &row)?;
            Reply::created(
                &view,
                format!(
                    "/v1/clients/{client_id}/enrollments/{enrollment_id}/services/{}",
                    row.id
                ),
                row.version,
            )
        })
        .await
}
