use actix_web::{web, HttpResponse};

use super::{ClientView, UpdateClient};
use crate::error::ApiError;
use crate::http::etag::tagged_ok;
use crate::http::extract::ValidJson;
use crate::http::state::AppState;
use crate::http::v1::common::{ClientPath, Lookup, Text, VersionedWrite};
use crate::usecases::clients::{self, DeleteClient, EditClient};
use crate::usecases::Change;

pub async fn get_client(
    state: web::Data<AppState>,
    read: Lookup<ClientPath>,
) -> Result<HttpResponse, ApiError> {
    let client_id = read.path.client_id;
    let row = state
        .read(move |conn| clients::find(conn, client_id))
        .await?;
    Ok(tagged_ok(row.version, &ClientView::from_row(&row)?))
}

pub async fn update_client(
    state: web::Data<AppState>,
    write: VersionedWrite<ClientPath>,
    ValidJson(body): ValidJson<UpdateClient>,
) -> Result<HttpResponse, ApiError> {
    let input = EditClient {
        client_id: write.path.client_id,
        expected: write.expected,
        first_name: Change::from(body.first_name).map(Text::into_string),
        middle_name: Change::from(body.middle_name).map(Text::into_string),
        last_name: Change::from(body.last_name).map(Text::into_string),
        name_suffix: Change::from(body.name_suffix).map(Text::into_string),
        name_data_quality: body.name_data_quality.into(),
        ssn: body.ssn.into(),
        ssn_data_quality: body.ssn_data_quality.into(),
        dob: Change::from(body.dob).map(|dob| dob.0),
        dob_data_quality: body.dob_data_quality.into(),
        sex: body.sex.into(),
        race_ethnicity: body.race_ethnicity.into(),
        race_none: body.race_none.into(),
        veteran_status: body.veteran_status.into(),
        dry_run: write.dry_run,
    };
    let row = state.change(write.caller, input, clients::edit).await?;
    Ok(tagged_ok(row.version, &ClientView::from_row(&row)?))
}

pub async fn delete_client(
    state: web::Data<AppState>,
    write: VersionedWrite<ClientPath>,
) -> Result<HttpResponse, ApiError> {
    let input = DeleteClient {
        client_id: write.path.client_id,
        expected: write.expected,
        dry_run: write.dry_run,
    };
    state.change(write.caller, input, clients::delete).await?;
    Ok(HttpResponse::NoContent().finish())
}
