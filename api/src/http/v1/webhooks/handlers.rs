use actix_web::{web, HttpRequest, HttpResponse};
use threshold_persistence::ids::WebhookId;
use threshold_persistence::rows::WebhookRow;
use threshold_persistence::DbConnection;

use super::{CreateWebhook, CreatedWebhook, UpdateWebhook, WebhookView};
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::auth::Integrator;
use crate::http::etag::{tagged_ok, IfMatch};
use crate::http::extract::ValidJson;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{Listing, PageQuery};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, Lookup};
use crate::usecases::webhooks::{self, NewWebhook, WebhookEdit};
use crate::usecases::Versioned;
use crate::webhooks::address::check_url;

/// Refuses a URL that may not be delivered to (422 `url.refused`); the host is resolved on
/// a blocking thread, never on the HTTP worker's.
async fn checked_url(state: &AppState, url: String) -> Result<String, ApiError> {
    let allow_private = state.webhooks.settings.allow_private;
    let checked = web::block(move || check_url(&url, allow_private).map(|()| url))
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    checked.map_err(|reason| {
        ApiError::Invalid(vec![threshold_domain::FieldError::new(
            "url",
            "url.refused",
            reason,
        )])
    })
}

pub async fn create_webhook(
    state: web::Data<AppState>,
    Integrator(caller): Integrator,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<CreateWebhook>,
) -> Result<HttpResponse, ApiError> {
    let input = NewWebhook {
        url: checked_url(&state, body.url).await?,
        events: body.events.into_iter().map(Into::into).collect(),
        description: body.description,
        active: body.active.unwrap_or(true),
        dry_run: query.dry_run,
    };
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let row = webhooks::create(conn, &caller, &input)?;
            let view = WebhookView::from_row(&row)?;
            if input.dry_run {
                return Reply::dry_run(&view);
            }
            let created = CreatedWebhook {
                webhook: view,
                secret: row.secret.clone(),
            };
            Reply::created(&created, format!("/v1/webhooks/{}", row.id), row.version)
        })
        .await
}

pub async fn list_webhooks(
    state: web::Data<AppState>,
    caller: Caller,
    list: Listing<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let read =
        move |conn: &mut DbConnection, after, limit| webhooks::list(conn, &caller, after, limit);
    list.read_by_id(
        &state,
        read,
        |row: &WebhookRow| row.id,
        WebhookView::from_row,
    )
    .await
}

pub async fn get_webhook(
    state: web::Data<AppState>,
    read: Lookup<WebhookId>,
) -> Result<HttpResponse, ApiError> {
    let Lookup { caller, path } = read;
    let row = state
        .read_short(move |conn| webhooks::find(conn, &caller, path))
        .await?;
    Ok(tagged_ok(row.version, &WebhookView::from_row(&row)?))
}

pub async fn update_webhook(
    state: web::Data<AppState>,
    Integrator(caller): Integrator,
    path: web::Path<WebhookId>,
    query: web::Query<DryRun>,
    request: HttpRequest,
    ValidJson(body): ValidJson<UpdateWebhook>,
) -> Result<HttpResponse, ApiError> {
    let url = match body.url.as_value() {
        Some(url) => Some(checked_url(&state, url.clone()).await?),
        None => None,
    };
    let input = Versioned {
        target: path.into_inner(),
        expected: IfMatch::from_request(&request).expected(),
        change: WebhookEdit {
            url,
            events: body
                .events
                .as_value()
                .map(|events| events.iter().copied().map(Into::into).collect()),
            description: body.description.into(),
            active: body.active.as_value().copied(),
        },
        dry_run: query.dry_run,
    };
    let row = state.change(caller, input, webhooks::edit).await?;
    Ok(tagged_ok(row.version, &WebhookView::from_row(&row)?))
}

pub async fn delete_webhook(
    state: web::Data<AppState>,
    Integrator(caller): Integrator,
    path: web::Path<WebhookId>,
    query: web::Query<DryRun>,
    request: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let input = Versioned {
        target: path.into_inner(),
        expected: IfMatch::from_request(&request).expected(),
        change: (),
        dry_run: query.dry_run,
    };
    state.change(caller, input, webhooks::delete).await?;
    Ok(HttpResponse::NoContent().finish())
}
