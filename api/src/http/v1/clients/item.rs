use actix_web::{delete, get, patch, web, HttpRequest, HttpResponse};
use threshold_domain::client::{check_delete, races_from_text, RaceAnswer};
use threshold_domain::codes::{DataQuality, NoYesMissing, RaceNone, Sex};
use threshold_persistence::clients;
use threshold_persistence::rows::Stamped;
use uuid::Uuid;

use super::{ClientView, UpdateClient};

use crate::auth::Caller;

use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::{Patch, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery, Text};
use crate::ids::id_text;

/// Get a client.
#[utoipa::path(
    tag = "clients",
    operation_id = "get_client",
    params(("client_id" = Uuid, Path, description = "The client's ID")),
    responses(
        (status = 200, description = "The client", body = ClientView,
            headers(("ETag" = String, description = "The version"))),
        (status = 404, description = "No such client"),
    ),
    security(("bearer" = []))
)]
#[get("/clients/{client_id}")]
pub async fn get_client(
    state: web::Data<AppState>,
    _caller: Caller,
    path: web::Path<Uuid>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let row = state
        .read(move |conn| clients::find(conn, &id)?.ok_or(ApiError::NotFound))
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ClientView::from_row(&row)?,
    ))
}

fn code_or_missing<T: Copy + Into<i32>>(patch: Patch<T>, current: i32, missing: T) -> i32 {
    match patch {
        Patch::Absent => current,
        Patch::Null => missing.into(),
        Patch::Value(value) => value.into(),
    }
}

/// Change a client (JSON Merge Patch).
#[utoipa::path(
    tag = "clients",
    operation_id = "update_client",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    request_body(content = UpdateClient, content_type = "application/merge-patch+json"),
    responses(
        (status = 200, description = "The changed client", body = ClientView,
            headers(("ETag" = String, description = "The new version"))),
        (status = 404, description = "No such client"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[patch("/clients/{client_id}")]
pub async fn update_client(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<UpdateClient>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let mut row = clients::find(conn, &id)?.ok_or(ApiError::NotFound)?;
            if_match.check(row.version)?;
            let body = body.clone();
            row.first_name = body
                .first_name
                .apply_with(row.first_name.take(), Text::into_string);
            row.middle_name = body
                .middle_name
                .apply_with(row.middle_name.take(), Text::into_string);
            row.last_name = body
                .last_name
                .apply_with(row.last_name.take(), Text::into_string);
            row.name_suffix = body
                .name_suffix
                .apply_with(row.name_suffix.take(), Text::into_string);
            row.name_data_quality = code_or_missing(
                body.name_data_quality,
                row.name_data_quality,
                DataQuality::NOT_COLLECTED,
            );
            match body.ssn {
                Patch::Absent => {}
                Patch::Null => {
                    row.ssn = None;
                    row.ssn_last4 = None;
                }
                Patch::Value(ssn) => {
                    row.ssn_last4 = Some(ssn.last4().to_owned());
                    row.ssn = Some(ssn.as_str().to_owned());
                }
            }
            row.ssn_data_quality = code_or_missing(
                body.ssn_data_quality,
                row.ssn_data_quality,
                DataQuality::NOT_COLLECTED,
            );
            row.dob = body.dob.apply_with(row.dob, |dob| dob.0.naive());
            row.dob_data_quality = code_or_missing(
                body.dob_data_quality,
                row.dob_data_quality,
                DataQuality::NOT_COLLECTED,
            );
            row.sex = code_or_missing(body.sex, row.sex, Sex::NOT_COLLECTED);
            row.veteran_status = code_or_missing(
                body.veteran_status,
                row.veteran_status,
                NoYesMissing::NOT_COLLECTED,
            );
            let races = body
                .race_ethnicity
                .apply(Some(races_from_text(&row.race_ethnicity)))
                .unwrap_or_default();
            let race_none = match body.race_none {
                Patch::Absent if races.is_empty() => row
                    .race_none
                    .and_then(|code| NoYesMissing::try_from(code).ok()),
                Patch::Absent | Patch::Null => None,
                Patch::Value(code) => Some(code),
            };
            let race = RaceAnswer::new(races, race_none)
                .map_err(|error| ApiError::Invalid(vec![error]))?;
            row.race_ethnicity = race.categories_text();
            row.race_none = race.race_none().map(RaceNone::code);
            row.search_name = row.search_text();
            row.stamp(now(), &caller.sub);
            if !dry_run {
                clients::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(
        HttpResponse::Ok(),
        row.version,
        &ClientView::from_row(&row)?,
    ))
}

/// Delete a client (soft). A client with enrollments is not deleted.
#[utoipa::path(
    tag = "clients",
    operation_id = "delete_client",
    params(
        ("client_id" = Uuid, Path, description = "The client's ID"),
        ("If-Match" = Option<String>, Header, description = "The ETag you last read"),
        DryRun,
    ),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such client"),
        (status = 409, description = "`client.has_enrollments`: the client has enrollments"),
        (status = 412, description = "If-Match does not match the current version"),
    ),
    security(("bearer" = []))
)]
#[delete("/clients/{client_id}")]
pub async fn delete_client(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<Uuid>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let id = id_text(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            let mut row = clients::find(conn, &id)?.ok_or(ApiError::NotFound)?;
            if_match.check(row.version)?;
            check_delete(clients::has_enrollments(conn, &id)?)?;
            let at = now();
            row.stamp(at, &caller.sub);
            if !dry_run {
                row.deleted_at = Some(at);
                clients::update(conn, &row)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
