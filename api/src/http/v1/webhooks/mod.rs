//! `/v1/webhooks`: subscriptions to events, kept by admins and integrations (an
//! integration's belongs to its organization, and sees what it may read); the create answer
//! shows the signing secret once. `/v1/webhooks/{webhook_id}/deliveries` is the delivery log,
//! each delivery with its attempts, and `.../deliveries/{delivery_id}/retry` sends one again.

mod deliveries;
mod handlers;

pub use deliveries::*;
pub use handlers::*;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use threshold_domain::webhooks::EventType;
use threshold_domain::FieldError;
use threshold_persistence::ids::{OrganizationId, WebhookId};
use threshold_persistence::outbox::decode_events;
use threshold_persistence::rows::WebhookRow;
use utoipa::openapi::path::HttpMethod;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::endpoints::Endpoints;
use crate::http::extract::{required_in_patch, CheckBody, Patch};
use crate::http::operations::entry::{query_of, with_response, Entry, Under};
use crate::http::operations::Names;
use crate::http::pagination::PageQuery;
use crate::http::v1::common::Audit;

/// The longest URL a subscription takes.
const MAX_URL: usize = 2000;
/// The longest description.
const MAX_DESCRIPTION: usize = 1000;

/// The routes of webhooks with their OpenAPI entries.
pub fn endpoints() -> Endpoints {
    let (endpoints, doc) =
        Endpoints::described::<WebhookView, WebhookList, CreateWebhook, UpdateWebhook>(
            Names::plain("webhooks", "webhook"),
            &Under::TOP,
        );
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let not_found = "No such subscription, or another organization's";
    let invalid = "The request is invalid: every problem is listed in `errors` (`url.refused`: \
                   not https, or a host that resolves to a loopback, private or link-local \
                   address, or to none)";
    let webhook = [("webhook_id", "The subscription's ID")];
    let create = Entry::new(
        "webhooks",
        "create_webhook",
        "Subscribe a URL to events. The answer shows the signing `secret` this once.",
    )
    .dry_run()
    .json_body::<CreateWebhook>()
    .json::<CreatedWebhook>(
        "201",
        "The subscription, with its secret",
        &[
            ("Location", "The subscription's URL"),
            ("ETag", "The version"),
        ],
    )
    .json::<WebhookView>("200", "Dry run: what would be stored (no secret)", &[])
    .status("403", "Only admins and integrations keep subscriptions")
    .status("422", invalid);
    let list_deliveries = Entry::new(
        "webhooks",
        "list_webhook_deliveries",
        "List a subscription's deliveries, oldest first, each with every attempt and its \
         status code.",
    )
    .path(&webhook)
    .query::<PageQuery>()
    .json::<DeliveryList>("200", "A page of deliveries", &[])
    .status("404", not_found);
    let retry = Entry::new(
        "webhooks",
        "retry_webhook_delivery",
        "Send a delivery once more, as soon as the deliverer can: one more attempt for a \
         delivered or failed one; a pending one is made due now.",
    )
    .path(&[
        ("webhook_id", "The subscription's ID"),
        ("delivery_id", "The delivery's ID"),
    ])
    .json::<DeliveryView>("202", "The delivery, pending", &[])
    .status(
        "404",
        "No such delivery of this subscription, or another organization's",
    )
    .status(
        "422",
        "`idempotency.key_reused`: the Idempotency-Key was sent with another request",
    );
    endpoints
        .route(HttpMethod::Post, &collection, create_webhook, create)
        .route(
            HttpMethod::Get,
            &collection,
            list_webhooks,
            doc.list(
                "List subscriptions (an integration's organization's; an admin's: all).",
                query_of::<PageQuery>(),
            ),
        )
        .route(
            HttpMethod::Get,
            &item,
            get_webhook,
            doc.get("Get a subscription (without its secret).", not_found),
        )
        .route(
            HttpMethod::Patch,
            &item,
            update_webhook,
            with_response(
                doc.update(
                    "Change a subscription (JSON Merge Patch): `url`, `events`, `description`, \
                     `active` (`false` pauses deliveries; they wait until it is active again).",
                    not_found,
                    None,
                ),
                "422",
                invalid,
            ),
        )
        .route(
            HttpMethod::Delete,
            &item,
            delete_webhook,
            doc.delete(
                "Delete a subscription: nothing more is delivered to it.",
                "Deleted",
                not_found,
            ),
        )
        .route(
            HttpMethod::Get,
            &format!("{item}/deliveries"),
            list_webhook_deliveries,
            list_deliveries,
        )
        .route(
            HttpMethod::Post,
            &format!("{item}/deliveries/{{delivery_id}}/retry"),
            retry_webhook_delivery,
            retry,
        )
}

/// An event type a subscription names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub enum WebhookEvent {
    #[serde(rename = "enrollment.created")]
    EnrollmentCreated,
    #[serde(rename = "enrollment.updated")]
    EnrollmentUpdated,
    #[serde(rename = "enrollment.exited")]
    EnrollmentExited,
    #[serde(rename = "enrollment.reopened")]
    EnrollmentReopened,
    #[serde(rename = "enrollment.deleted")]
    EnrollmentDeleted,
    #[serde(rename = "household.head_changed")]
    HouseholdHeadChanged,
    #[serde(rename = "client.updated")]
    ClientUpdated,
    #[serde(rename = "import.finished")]
    ImportFinished,
    #[serde(rename = "record.created")]
    RecordCreated,
    #[serde(rename = "record.updated")]
    RecordUpdated,
    #[serde(rename = "record.deleted")]
    RecordDeleted,
}

impl From<WebhookEvent> for EventType {
    fn from(event: WebhookEvent) -> EventType {
        match event {
            WebhookEvent::EnrollmentCreated => EventType::EnrollmentCreated,
            WebhookEvent::EnrollmentUpdated => EventType::EnrollmentUpdated,
            WebhookEvent::EnrollmentExited => EventType::EnrollmentExited,
            WebhookEvent::EnrollmentReopened => EventType::EnrollmentReopened,
            WebhookEvent::EnrollmentDeleted => EventType::EnrollmentDeleted,
            WebhookEvent::HouseholdHeadChanged => EventType::HouseholdHeadChanged,
            WebhookEvent::ClientUpdated => EventType::ClientUpdated,
            WebhookEvent::ImportFinished => EventType::ImportFinished,
            WebhookEvent::RecordCreated => EventType::RecordCreated,
            WebhookEvent::RecordUpdated => EventType::RecordUpdated,
            WebhookEvent::RecordDeleted => EventType::RecordDeleted,
        }
    }
}

impl From<EventType> for WebhookEvent {
    fn from(event: EventType) -> WebhookEvent {
        match event {
            EventType::EnrollmentCreated => WebhookEvent::EnrollmentCreated,
            EventType::EnrollmentUpdated => WebhookEvent::EnrollmentUpdated,
            EventType::EnrollmentExited => WebhookEvent::EnrollmentExited,
            EventType::EnrollmentReopened => WebhookEvent::EnrollmentReopened,
            EventType::EnrollmentDeleted => WebhookEvent::EnrollmentDeleted,
            EventType::HouseholdHeadChanged => WebhookEvent::HouseholdHeadChanged,
            EventType::ClientUpdated => WebhookEvent::ClientUpdated,
            EventType::ImportFinished => WebhookEvent::ImportFinished,
            EventType::RecordCreated => WebhookEvent::RecordCreated,
            EventType::RecordUpdated => WebhookEvent::RecordUpdated,
            EventType::RecordDeleted => WebhookEvent::RecordDeleted,
        }
    }
}

/// A new subscription.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://hooks.example.org/threshold",
    "events": ["enrollment.created", "enrollment.exited"],
    "description": "Bed board"
}))]
pub struct CreateWebhook {
    /// Where events are sent: `https`, its host resolving to public addresses only.
    #[schema(max_length = 2000)]
    pub url: String,
    /// The event types sent (at least one, each once).
    #[schema(min_items = 1)]
    pub events: Vec<WebhookEvent>,
    #[serde(default)]
    #[schema(max_length = 1000)]
    pub description: Option<String>,
    /// `false`: nothing is sent until it is made active (default `true`).
    #[serde(default)]
    pub active: Option<bool>,
}

fn check_url_field(url: &str, errors: &mut Vec<FieldError>) {
    if url.trim().is_empty() || url.len() > MAX_URL {
        errors.push(FieldError::new(
            "url",
            "invalid",
            format!("a URL of 1 to {MAX_URL} characters"),
        ));
    }
}

fn check_events(events: &[WebhookEvent], errors: &mut Vec<FieldError>) {
    if events.is_empty() {
        errors.push(FieldError::new(
            "events",
            "required",
            "name at least one event type",
        ));
    }
    for (index, event) in events.iter().enumerate() {
        if events[..index].contains(event) {
            errors.push(FieldError::new(
                format!("events[{index}]"),
                "duplicate",
                "each event type once",
            ));
        }
    }
}

fn check_description(description: Option<&String>, errors: &mut Vec<FieldError>) {
    if description.is_some_and(|text| text.chars().count() > MAX_DESCRIPTION) {
        errors.push(FieldError::new(
            "description",
            "too_long",
            format!("at most {MAX_DESCRIPTION} characters"),
        ));
    }
}

impl CheckBody for CreateWebhook {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        check_url_field(&self.url, &mut errors);
        check_events(&self.events, &mut errors);
        check_description(self.description.as_ref(), &mut errors);
        errors
    }
}

/// JSON Merge Patch of a subscription.
#[derive(Debug, Clone, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"active": false}))]
pub struct UpdateWebhook {
    #[serde(default)]
    #[schema(value_type = String, max_length = 2000)]
    pub url: Patch<String>,
    #[serde(default)]
    #[schema(value_type = Vec<WebhookEvent>, min_items = 1)]
    pub events: Patch<Vec<WebhookEvent>>,
    /// `null` clears it.
    #[serde(default)]
    #[schema(value_type = Option<String>, max_length = 1000)]
    pub description: Patch<String>,
    #[serde(default)]
    #[schema(value_type = bool)]
    pub active: Patch<bool>,
}

impl CheckBody for UpdateWebhook {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        required_in_patch("url", &self.url, &mut errors);
        required_in_patch("events", &self.events, &mut errors);
        required_in_patch("active", &self.active, &mut errors);
        if let Some(url) = self.url.as_value() {
            check_url_field(url, &mut errors);
        }
        if let Some(events) = self.events.as_value() {
            check_events(events, &mut errors);
        }
        check_description(self.description.as_value(), &mut errors);
        errors
    }
}

/// A subscription, without its secret.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookView {
    #[schema(value_type = Uuid)]
    pub id: WebhookId,
    /// The organization of the integration that subscribed; `null`: an admin's, which sees
    /// every organization's events.
    #[schema(value_type = Option<Uuid>)]
    pub organization_id: Option<OrganizationId>,
    pub url: String,
    pub events: Vec<WebhookEvent>,
    pub description: Option<String>,
    pub active: bool,
    #[serde(flatten)]
    pub audit: Audit,
}

impl WebhookView {
    pub fn from_row(row: &WebhookRow) -> Result<WebhookView, ApiError> {
        Ok(WebhookView {
            id: row.id,
            organization_id: row.organization_id,
            url: row.url.clone(),
            events: decode_events(&row.events)
                .into_iter()
                .map(WebhookEvent::from)
                .collect(),
            description: row.description.clone(),
            active: row.active,
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

/// A new subscription with its signing secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedWebhook {
    #[serde(flatten)]
    pub webhook: WebhookView,
    /// The key of the `webhook-signature` HMAC: `whsec_` and the key's bytes in base64.
    /// Keep it: it is never shown again.
    pub secret: String,
}

crate::list_of!(WebhookList, WebhookView);

/// One attempt to send a delivery.
#[derive(Debug, Serialize, ToSchema)]
pub struct AttemptView {
    pub at: DateTime<Utc>,
    /// The receiver's status code; `null` when it did not answer (refused, timed out, an
    /// address the guard refused).
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
}
