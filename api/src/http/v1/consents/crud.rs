use actix_web::{web, HttpResponse};
use threshold_persistence::consents::ConsentRecord;
use threshold_persistence::DbConnection;

use super::{ConsentScope, ConsentView, CreateConsent};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::access_log::Viewer;
use crate::http::auth::Writer;
use crate::http::etag::tagged_ok;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{Listing, PageQuery};
use crate::http::state::AppState;
use crate::http::v1::common::{ClientPath, DryRun, Lookup};
use crate::usecases::consents::{self, NewConsent, Scope};
use crate::usecases::ConsentKey;

pub async fn create_consent(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<ClientPath>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateConsent>,
) -> Result<HttpResponse, ApiError> {
    let input = NewConsent {
        client_id: path.client_id,
        scope: match body.scope {
            ConsentScope::Coc => Scope::Coc,
            ConsentScope::Organizations => {
                Scope::Organizations(body.organization_ids.unwrap_or_default())
            }
        },
        start_date: body.start_date.map(|date| date.0),
        end_date: body.end_date,
        dry_run: query.dry_run,
    };
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let record = consents::create(conn, &caller, &input)?;
            let row = &record.row;
            let location = format!("/v1/clients/{}/consents/{}", row.client_id, row.id);
            let view = ConsentView::from_record(&record)?;
            Reply::created_unless_dry_run(input.dry_run, &view, location, row.version)
        })
        .await
}

pub async fn list_consents(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ClientPath>,
    list: Listing<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let client_id = path.client_id;
    let read = move |conn: &mut DbConnection, after, limit| {
        consents::list(conn, &caller, client_id, after, limit)
    };
    let by_id = |record: &ConsentRecord| record.row.id;
    list.read_by_id(&state, read, by_id, ConsentView::from_record)
        .await
}

pub async fn get_consent(
    state: web::Data<AppState>,
    read: Lookup<ConsentKey>,
) -> Result<HttpResponse, ApiError> {
    let key = read.path;
    let viewer = Viewer::of(&read.caller);
    let record = state
        .read_short(move |conn| consents::of_client(conn, &read.caller, key))
        .await?;
    let response = tagged_ok(record.row.version, &ConsentView::from_record(&record)?);
    state.viewed(viewer, record.row.client_id, &record).await;
    Ok(response)
}
