use actix_web::{post, web, HttpResponse};
use threshold_domain::client::RaceAnswer;
use threshold_domain::codes::{DataQuality, NoYesMissing, RaceNone, Sex};
use threshold_domain::new_id;
use threshold_persistence::clients;
use threshold_persistence::rows::ClientRow;

use super::{ClientView, CreateClient, Name};
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::DryRun;
use crate::ids::id_text;

/// Add a client.
#[utoipa::path(
    tag = "clients",
    operation_id = "create_client",
    params(DryRun),
    request_body = CreateClient,
    responses(
        (status = 201, description = "Created", body = ClientView,
            headers(("Location" = String, description = "The new client's URL"),
                    ("ETag" = String, description = "The version"))),
        (status = 200, description = "Dry run: what would be stored", body = ClientView),
    ),
    security(("bearer" = []))
)]
#[post("/clients")]
pub async fn create_client(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateClient>,
) -> Result<HttpResponse, ApiError> {
    let race = RaceAnswer::new(body.race_ethnicity.clone(), body.race_none)
        .map_err(|error| ApiError::Invalid(vec![error]))?;
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&caller.sub, key, move |conn| {
            let at = now();
            let mut row = ClientRow {
                id: id_text(new_id()),
                first_name: name_text(&body.first_name),
                middle_name: name_text(&body.middle_name),
                last_name: name_text(&body.last_name),
                name_suffix: name_text(&body.name_suffix),
                name_data_quality: body
                    .name_data_quality
                    .unwrap_or(DataQuality::NOT_COLLECTED)
                    .code(),
                ssn_last4: body.ssn.as_ref().map(|ssn| ssn.last4().to_owned()),
                ssn: body.ssn.as_ref().map(|ssn| ssn.as_str().to_owned()),
                ssn_data_quality: body
                    .ssn_data_quality
                    .unwrap_or(DataQuality::NOT_COLLECTED)
                    .code(),
                dob: body.dob.map(|dob| dob.0.naive()),
                dob_data_quality: body
                    .dob_data_quality
                    .unwrap_or(DataQuality::NOT_COLLECTED)
                    .code(),
                sex: body.sex.unwrap_or(Sex::NOT_COLLECTED).code(),
                race_ethnicity: race.categories_text(),
                race_none: race.race_none().map(RaceNone::code),
                veteran_status: body
                    .veteran_status
                    .unwrap_or(NoYesMissing::NOT_COLLECTED)
                    .code(),
                search_name: String::new(),
                version: 1,
                created_at: at,
                updated_at: at,
                created_by: sub.clone(),
                updated_by: sub.clone(),
                deleted_at: None,
            };
            row.search_name = row.search_text();
            let view = ClientView::from_row(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            clients::insert(conn, &row)?;
            Reply::created(&view, format!("/v1/clients/{}", row.id), row.version)
        })
        .await
}

fn name_text(name: &Option<Name>) -> Option<String> {
    name.as_ref().map(|name| name.as_str().to_owned())
}
