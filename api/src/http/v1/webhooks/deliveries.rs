use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use threshold_persistence::ids::{EntityId, WebhookDeliveryId, WebhookEventId, WebhookId};
use threshold_persistence::webhooks::DeliveryLog;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use super::AttemptView;
use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::auth::Integrator;
use crate::http::idempotency::{Keyed, Reply};
use crate::http::pagination::{Listing, PageQuery};
use crate::http::state::AppState;
use crate::usecases::webhooks;

/// What a delivery sends.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveredEvent {
    /// The event's ID: the `webhook-id` header and the body's `id`.
    #[schema(value_type = Uuid)]
    pub id: WebhookEventId,
    /// The event type (`enrollment.exited`).
    #[serde(rename = "type")]
    pub event_type: String,
    /// What the event is about, as the audit trail names it (`enrollment`, `service`...).
    pub resource_type: String,
    #[schema(value_type = Uuid)]
    pub resource_id: EntityId,
    pub occurred_at: DateTime<Utc>,
}

/// One event to send to the subscription, and how sending it went.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeliveryView {
    #[schema(value_type = Uuid)]
    pub id: WebhookDeliveryId,
    #[schema(value_type = Uuid)]
    pub webhook_id: WebhookId,
    pub event: DeliveredEvent,
    /// `pending` (to be sent, or sent again at `next_attempt_at`), `succeeded` (a 2xx
    /// answer) or `failed` (its attempts spent, or no longer to be sent).
    pub status: String,
    /// When a pending delivery is sent (again); `null` once it is not pending.
    pub next_attempt_at: Option<DateTime<Utc>>,
    /// The status code of the last attempt; `null` before any or when it had no answer.
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    /// Every attempt, oldest first.
    pub attempts: Vec<AttemptView>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DeliveryView {
    pub fn from_log(log: &DeliveryLog) -> Result<DeliveryView, ApiError> {
        let (delivery, event) = (&log.delivery, &log.event);
        Ok(DeliveryView {
            id: delivery.id,
            webhook_id: delivery.webhook_id,
            event: DeliveredEvent {
                id: event.id,
                event_type: event.event_type.clone(),
                resource_type: event.entity_type.clone(),
                resource_id: event.entity_id,
                occurred_at: event.occurred_at.and_utc(),
            },
            status: delivery.status.clone(),
            next_attempt_at: (delivery.status == "pending")
                .then(|| delivery.next_attempt_at.and_utc()),
            last_status_code: delivery.last_status_code,
            last_error: delivery.last_error.clone(),
            attempts: log
                .attempts
                .iter()
                .map(|attempt| AttemptView {
                    at: attempt.at.and_utc(),
                    status_code: attempt.status_code,
                    error: attempt.error.clone(),
                    duration_ms: attempt.duration_ms,
                })
                .collect(),
            created_at: delivery.created_at.and_utc(),
            updated_at: delivery.updated_at.and_utc(),
        })
    }
}

crate::list_of!(DeliveryList, DeliveryView);

pub async fn list_webhook_deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<WebhookId>,
    list: Listing<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let webhook_id = path.into_inner();
    let read = move |conn: &mut DbConnection, after, limit| {
        webhooks::deliveries(conn, &caller, webhook_id, after, limit)
    };
    list.read_by_id(
        &state,
        read,
        |log: &DeliveryLog| log.delivery.id,
        DeliveryView::from_log,
    )
    .await
}

/// A delivery of a subscription.
#[derive(Debug, Clone, Copy, Deserialize)]
pub struct DeliveryKey {
    pub webhook_id: WebhookId,
    pub delivery_id: WebhookDeliveryId,
}

pub async fn retry_webhook_delivery(
    state: web::Data<AppState>,
    Integrator(caller): Integrator,
    path: web::Path<DeliveryKey>,
    Keyed(key): Keyed,
) -> Result<HttpResponse, ApiError> {
    let target = path.into_inner();
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let log = webhooks::retry(conn, &caller, target.webhook_id, target.delivery_id)?;
            Reply::accepted(&DeliveryView::from_log(&log)?)
        })
        .await
}
