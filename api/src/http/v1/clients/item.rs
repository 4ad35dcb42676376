use actix_web::{web, HttpResponse};
use threshold_persistence::ids::ClientId;

use super::{ClientView, UpdateClient};
use crate::error::ApiError;
use crate::http::access_log::Viewer;
use crate::http::etag::tagged_ok;
use crate::http::state::AppState;
use crate::http::v1::common::{Lookup, Text};
use crate::usecases::clients::{self, ClientChange};
use crate::usecases::Change;

pub async fn get_client(
    state: web::Data<AppState>,
    read: Lookup<ClientId>,
) -> Result<HttpResponse, ApiError> {
    let Lookup { caller, path } = read;
    let viewer = Viewer::of(&caller);
    let row = state
        .read_short(move |conn| clients::find(conn, &caller, path))
        .await?;
    let response = tagged_ok(row.version, &ClientView::from_row(&row)?);
    state.viewed(viewer, row.id, &row).await;
    Ok(response)
}

/// What a patch of a client changes.
pub fn client_change(body: UpdateClient) -> ClientChange {
    let hud = body.hud.changes();
    let body = body.own;
    ClientChange {
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
        hud,
    }
}
