//! Webhook subscriptions and their delivery logs. Admins and integrations keep them: an
//! integration's subscription belongs to its organization and sees what the organization
//! may read; an admin's sees everything. Another organization's subscription is a 404.
//!
//! The URL is checked (https, and where its host resolves) by the caller before the
//! transaction, never inside it: a name server may be slow.

use threshold_domain::webhooks::EventType;
use threshold_persistence::ids::{Id, WebhookDeliveryId, WebhookId};
use threshold_persistence::page::Page;
use threshold_persistence::rows::{Stamped, WebhookRow};
use threshold_persistence::webhooks::{self, DeliveryLog};
use threshold_persistence::DbConnection;

use super::{Change, Versioned};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::webhooks::signature::new_secret;

/// A new subscription.
#[derive(Debug, Clone)]
pub struct NewWebhook {
    /// Checked by the caller (`webhooks::address::check_url`).
    pub url: String,
    pub events: Vec<EventType>,
    pub description: Option<String>,
    pub active: bool,
    pub dry_run: bool,
}

/// The event types as stored: a JSON array of their names, each once, in their order.
fn encode_events(events: &[EventType]) -> String {
    let mut names: Vec<&str> = Vec::with_capacity(events.len());
    for kind in EventType::ALL {
        if events.contains(&kind) {
            names.push(kind.name());
        }
    }
    serde_json::Value::from(names).to_string()
}

/// Subscribes the caller (an integration's organization, or an admin) to the events; the
/// row holds the secret, which the caller is shown this once.
pub fn create(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &NewWebhook,
) -> Result<WebhookRow, ApiError> {
    caller.require_integrator()?;
    let at = now();
    let row = WebhookRow {
        id: Id::new(),
        organization_id: caller.scope(),
        url: input.url.clone(),
        events: encode_events(&input.events),
        description: input.description.clone(),
        active: input.active,
        secret: new_secret()?,
        version: 1,
        created_at: at,
        updated_at: at,
        created_by: caller.sub.clone(),
        updated_by: caller.sub.clone(),
        deleted_at: None,
    };
    if !input.dry_run {
        webhooks::insert(conn, &row)?;
    }
    Ok(row)
}

/// A subscription the caller may see; 404 otherwise.
pub fn find(
    conn: &mut DbConnection,
    caller: &Caller,
    id: WebhookId,
) -> Result<WebhookRow, ApiError> {
    caller.require_integrator()?;
    webhooks::find(conn, caller.scope(), id)?.ok_or(ApiError::NotFound)
}

/// A page of the subscriptions the caller may see.
pub fn list(
    conn: &mut DbConnection,
    caller: &Caller,
    after: Option<WebhookId>,
    limit: i64,
) -> Result<Page<WebhookRow>, ApiError> {
    caller.require_integrator()?;
    Ok(webhooks::list(conn, caller.scope(), after, limit)?)
}

/// What an edit of a subscription changes; the URL, when given, checked by the caller.
#[derive(Debug, Clone, Default)]
pub struct WebhookEdit {
    pub url: Option<String>,
    pub events: Option<Vec<EventType>>,
    pub description: Change<String>,
    pub active: Option<bool>,
}

pub fn edit(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &Versioned<WebhookId, WebhookEdit>,
) -> Result<WebhookRow, ApiError> {
    let mut row = find(conn, caller, input.target)?;
    input.expected.check(row.version)?;
    let change = &input.change;
    if let Some(url) = &change.url {
        row.url = url.clone();
    }
    if let Some(events) = &change.events {
        row.events = encode_events(events);
    }
    row.description = change.description.clone().apply(row.description.take());
    if let Some(active) = change.active {
        row.active = active;
    }
    row.stamp(now(), &caller.sub);
    if !input.dry_run {
        webhooks::update(conn, &row)?;
    }
    Ok(row)
}

/// Deletes a subscription: nothing more is delivered to it; its log goes with it.
pub fn delete(
    conn: &mut DbConnection,
    caller: &Caller,
    input: &Versioned<WebhookId>,
) -> Result<(), ApiError> {
    let mut row = find(conn, caller, input.target)?;
    input.expected.check(row.version)?;
    let at = now();
    row.stamp(at, &caller.sub);
    row.deleted_at = Some(at);
    if !input.dry_run {
        webhooks::update(conn, &row)?;
    }
    Ok(())
}

/// A page of a subscription's deliveries, each with its attempts.
pub fn deliveries(
    conn: &mut DbConnection,
    caller: &Caller,
    webhook_id: WebhookId,
    after: Option<WebhookDeliveryId>,
    limit: i64,
) -> Result<Page<DeliveryLog>, ApiError> {
    find(conn, caller, webhook_id)?;
    Ok(webhooks::deliveries(conn, webhook_id, after, limit)?)
}

/// Sends a delivery once more, as soon as the deliverer can: one more attempt for a
/// delivered or failed one, and a pending one due now.
pub fn retry(
    conn: &mut DbConnection,
    caller: &Caller,
    webhook_id: WebhookId,
    delivery_id: WebhookDeliveryId,
) -> Result<DeliveryLog, ApiError> {
    find(conn, caller, webhook_id)?;
    webhooks::retry(conn, webhook_id, delivery_id, now())?.ok_or(ApiError::NotFound)?;
    webhooks::find_delivery(conn, webhook_id, delivery_id)?.ok_or(ApiError::NotFound)
}
