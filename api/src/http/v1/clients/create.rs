use actix_web::{web, HttpResponse};

use super::{ClientView, CreateClient, Name};
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::state::AppState;
use crate::http::v1::common::DryRun;
use crate::usecases::clients::{self, NewClient};

pub async fn create_client(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateClient>,
) -> Result<HttpResponse, ApiError> {
    let hud = body.hud.changes();
    let body = body.own;
    let input = NewClient {
        first_name: body.first_name.map(Name::into_string),
        middle_name: body.middle_name.map(Name::into_string),
        last_name: body.last_name.map(Name::into_string),
        name_suffix: body.name_suffix.map(Name::into_string),
        name_data_quality: body.name_data_quality,
        ssn: body.ssn,
        ssn_data_quality: body.ssn_data_quality,
        dob: body.dob.map(|dob| dob.0),
        dob_data_quality: body.dob_data_quality,
        sex: body.sex,
        race_ethnicity: body.race_ethnicity,
        race_none: body.race_none,
        veteran_status: body.veteran_status,
        hud,
        dry_run: query.dry_run,
    };
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let row = clients::create(conn, &caller, &input)?;
            let location = format!("/v1/clients/{}", row.id);
            let view = ClientView::from_row(&row)?;
            Reply::created_unless_dry_run(input.dry_run, &view, location, row.version)
        })
        .await
}
