//! Webhook subscriptions (audited like every write), their deliveries as the outbox made
//! them, the attempts to send each, and the deliverer's side: claiming due deliveries so
//! that one server at a time sends each, and recording how an attempt went.
//!
//! A delivery is claimed with a lease: on PostgreSQL its row is taken with
//! `FOR UPDATE SKIP LOCKED` (servers claiming at once take different rows) and marked
//! leased to the server until `leased_until`; on SQLite the claim runs in the one write
//! transaction at a time. A server that dies while sending leaves its lease to run out, and
//! another server (or itself, restarted) takes the delivery again: delivered at least once.
//! A resource's deliveries to one subscription go in commit order: a delivery is not claimed
//! while an earlier one of the same resource to the same subscription is still pending
//! (delivered or given up, it no longer holds the later ones back).

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Text, Timestamp};

use crate::audit;
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{OrganizationId, WebhookAttemptId, WebhookDeliveryId, WebhookId};
use crate::outbox::{DeliveryRow, EventRow};
use crate::page::Page;
use crate::rows::WebhookRow;
use crate::schema::{webhook_attempts, webhook_deliveries, webhook_events, webhooks};

/// Whose subscriptions a caller may see: `None`, every one (an admin); an organization,
/// its own.
pub type Owner = Option<OrganizationId>;

pub fn insert(conn: &mut DbConnection, row: &WebhookRow) -> Result<(), StoreError> {
    diesel::insert_into(webhooks::table)
        .values(row)
        .execute(conn)?;
    audit::created(conn, row)
}

pub fn update(conn: &mut DbConnection, row: &WebhookRow) -> Result<(), StoreError> {
    let before: WebhookRow = webhooks::table.find(row.id).first(conn)?;
    diesel::update(webhooks::table.find(row.id))
        .set(row)
        .execute(conn)?;
    audit::updated(conn, &before, row)
}

/// The subscription with this ID, unless deleted or another organization's.
pub fn find(
    conn: &mut DbConnection,
    owner: Owner,
    id: WebhookId,
) -> Result<Option<WebhookRow>, StoreError> {
    let mut query = webhooks::table
        .filter(webhooks::id.eq(id))
        .filter(webhooks::deleted_at.is_null())
        .into_boxed();
    if let Some(organization_id) = owner {
        query = query.filter(webhooks::organization_id.eq(organization_id));
    }
    Ok(query.first(conn).optional()?)
}

/// The subscriptions `owner` may see (not deleted), a page at a time in ID order.
pub fn list(
    conn: &mut DbConnection,
    owner: Owner,
    after: Option<WebhookId>,
    limit: i64,
) -> Result<Page<WebhookRow>, StoreError> {
    let mut query = webhooks::table
        .filter(webhooks::deleted_at.is_null())
        .into_boxed();
    if let Some(organization_id) = owner {
        query = query.filter(webhooks::organization_id.eq(organization_id));
    }
    if let Some(after) = after {
        query = query.filter(webhooks::id.gt(after));
    }
    let rows = query
        .order(webhooks::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

/// One attempt to send a delivery.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(table_name = webhook_attempts)]
pub struct AttemptRow {
    pub id: WebhookAttemptId,
    pub delivery_id: WebhookDeliveryId,
    pub at: NaiveDateTime,
    /// The receiver's status code; `None` when it did not answer.
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
}

/// What the event of a delivery was, as the delivery log shows it.
#[derive(Debug, Clone, PartialEq, Queryable)]
pub struct EventSummary {
    pub id: crate::ids::WebhookEventId,
    pub event_type: String,
    pub entity_type: String,
    pub entity_id: crate::ids::EntityId,
    pub occurred_at: NaiveDateTime,
}

type SummaryColumns = (
    webhook_events::id,
    webhook_events::event_type,
    webhook_events::entity_type,
    webhook_events::entity_id,
    webhook_events::occurred_at,
);

const SUMMARY: SummaryColumns = (
    webhook_events::id,
    webhook_events::event_type,
    webhook_events::entity_type,
    webhook_events::entity_id,
    webhook_events::occurred_at,
);

/// A delivery with its event and every attempt to send it, oldest first.
#[derive(Debug, Clone, PartialEq)]
pub struct DeliveryLog {
    pub delivery: DeliveryRow,
    pub event: EventSummary,
    pub attempts: Vec<AttemptRow>,
}

/// A subscription's deliveries, a page at a time in ID order (the order they were made),
/// each with its attempts. Only the event's type and the ID of its resource are read, for
/// the subscription's owner, who was sent (or is to be sent) the event itself.
pub fn deliveries(
    conn: &mut DbConnection,
    webhook_id: WebhookId,
    after: Option<WebhookDeliveryId>,
    limit: i64,
) -> Result<Page<DeliveryLog>, StoreError> {
    let mut query = webhook_deliveries::table
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .select((webhook_deliveries::all_columns, SUMMARY))
        .into_boxed();
    if let Some(after) = after {
        query = query.filter(webhook_deliveries::id.gt(after));
    }
    let rows: Vec<(DeliveryRow, EventSummary)> = query
        .order(webhook_deliveries::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    let page = Page::from_probe(rows, limit);
    let logs = with_attempts(conn, page.rows)?;
    Ok(Page {
        rows: logs,
        more: page.more,
    })
}

/// One delivery of a subscription, with its event and attempts.
pub fn find_delivery(
    conn: &mut DbConnection,
    webhook_id: WebhookId,
    delivery_id: WebhookDeliveryId,
) -> Result<Option<DeliveryLog>, StoreError> {
    let row: Option<(DeliveryRow, EventSummary)> = webhook_deliveries::table
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .filter(webhook_deliveries::id.eq(delivery_id))
        .select((webhook_deliveries::all_columns, SUMMARY))
        .first(conn)
        .optional()?;
    Ok(with_attempts(conn, row.into_iter().collect())?.pop())
}

fn with_attempts(
    conn: &mut DbConnection,
    rows: Vec<(DeliveryRow, EventSummary)>,
) -> Result<Vec<DeliveryLog>, StoreError> {
    let ids: Vec<WebhookDeliveryId> = rows.iter().map(|(delivery, _)| delivery.id).collect();
    let mut attempts: Vec<AttemptRow> = if ids.is_empty() {
        Vec::new()
    } else {
        webhook_attempts::table
            .filter(webhook_attempts::delivery_id.eq_any(&ids))
            .order((webhook_attempts::at.asc(), webhook_attempts::id.asc()))
            .load(conn)?
    };
    Ok(rows
        .into_iter()
        .map(|(delivery, event)| {
            let (own, rest): (Vec<AttemptRow>, Vec<AttemptRow>) = std::mem::take(&mut attempts)
                .into_iter()
                .partition(|attempt| attempt.delivery_id == delivery.id);
            attempts = rest;
            DeliveryLog {
                delivery,
                event,
                attempts: own,
            }
        })
        .collect())
}

/// Sends a delivery once more, now: pending again with one attempt more allowed than it
/// has made (a pending one is only made due now). `None` when the subscription has no such
/// delivery.
pub fn retry(
    conn: &mut DbConnection,
    webhook_id: WebhookId,
    delivery_id: WebhookDeliveryId,
    now: NaiveDateTime,
) -> Result<Option<DeliveryRow>, StoreError> {
    let Some(mut row) = webhook_deliveries::table
        .filter(webhook_deliveries::webhook_id.eq(webhook_id))
        .filter(webhook_deliveries::id.eq(delivery_id))
        .first::<DeliveryRow>(conn)
        .optional()?
    else {
        return Ok(None);
    };
    if row.status != "pending" {
        row.status = "pending".into();
        row.max_attempts = row.attempts.saturating_add(1);
    }
    row.next_attempt_at = now;
    row.updated_at = now;
    diesel::update(webhook_deliveries::table.find(delivery_id))
        .set((
            webhook_deliveries::status.eq(&row.status),
            webhook_deliveries::max_attempts.eq(row.max_attempts),
            webhook_deliveries::next_attempt_at.eq(now),
            webhook_deliveries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(Some(row))
}

/// A delivery a server has claimed, with its subscription and event.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub delivery: DeliveryRow,
    pub webhook: WebhookRow,
    pub event: EventRow,
}

#[derive(QueryableByName)]
struct DueId {
    #[diesel(sql_type = Text)]
    id: String,
}

/// The due deliveries no earlier pending delivery of the same resource holds back, of
/// active subscriptions, that no server holds: at most `$2` in commit order.
const DUE: &str = "SELECT d.id FROM webhook_deliveries d \
    JOIN webhooks w ON w.id = d.webhook_id \
    WHERE d.status = 'pending' AND d.next_attempt_at <= $1 \
    AND (d.leased_until IS NULL OR d.leased_until <= $1) \
    AND w.active AND w.deleted_at IS NULL \
    AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e \
      WHERE e.webhook_id = d.webhook_id AND e.resource = d.resource \
      AND e.event_seq < d.event_seq AND e.status = 'pending') \
    ORDER BY d.event_seq LIMIT $2";

/// Whether any delivery may be due: a read of the index alone, so that an idle deliverer
/// asks for no write transaction (on SQLite, the one writer's lock) every time it looks.
pub fn any_due(conn: &mut DbConnection, now: NaiveDateTime) -> Result<bool, StoreError> {
    let found: Option<WebhookDeliveryId> = webhook_deliveries::table
        .filter(webhook_deliveries::status.eq("pending"))
        .filter(webhook_deliveries::next_attempt_at.le(now))
        .select(webhook_deliveries::id)
        .first(conn)
        .optional()?;
    Ok(found.is_some())
}

/// Claims up to `limit` due deliveries for the server `by` until `until`; in a write
/// transaction. Each resource has at most one among them, so they may be sent side by side.
pub fn claim(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    until: NaiveDateTime,
    by: &str,
    limit: i64,
) -> Result<Vec<Claimed>, StoreError> {
    let due: Vec<DueId> = match conn {
        DbConnection::Postgresql(pg) => {
            diesel::sql_query(format!("{DUE} FOR UPDATE OF d SKIP LOCKED"))
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(limit)
                .load(pg)?
        }
        DbConnection::Sqlite(sqlite) => {
            diesel::sql_query(DUE.replace("$1", "?1").replace("$2", "?2"))
                .bind::<Timestamp, _>(now)
                .bind::<BigInt, _>(limit)
                .load(sqlite)?
        }
    };
    let ids: Vec<WebhookDeliveryId> = due.iter().filter_map(|row| row.id.parse().ok()).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    diesel::update(webhook_deliveries::table.filter(webhook_deliveries::id.eq_any(&ids)))
        .set((
            webhook_deliveries::leased_until.eq(Some(until)),
            webhook_deliveries::leased_by.eq(Some(by)),
        ))
        .execute(conn)?;
    let rows: Vec<(DeliveryRow, WebhookRow, EventRow)> = webhook_deliveries::table
        .inner_join(webhooks::table)
        .inner_join(webhook_events::table)
        .filter(webhook_deliveries::id.eq_any(&ids))
        .select((
            webhook_deliveries::all_columns,
            webhooks::all_columns,
            webhook_events::all_columns,
        ))
        .order(webhook_deliveries::event_seq.asc())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(delivery, webhook, event)| Claimed {
            delivery,
            webhook,
            event,
        })
        .collect())
}

/// How an attempt ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub at: NaiveDateTime,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub duration_ms: i32,
    /// Delivered: a 2xx answer.
    pub delivered: bool,
    /// When to try again if it failed and attempts remain; `None`: give up now.
    pub retry_at: Option<NaiveDateTime>,
}

/// Records an attempt of the server `by` and what follows from it: `succeeded`, pending
/// until `retry_at`, or `failed` once its attempts are spent. The attempt is kept even when
/// the lease ran out and another server took the delivery; its status is then left to that
/// server. In a write transaction.
pub fn record_attempt(
    conn: &mut DbConnection,
    delivery_id: WebhookDeliveryId,
    by: &str,
    outcome: &Outcome,
) -> Result<(), StoreError> {
    diesel::insert_into(webhook_attempts::table)
        .values(AttemptRow {
            id: WebhookAttemptId::new(),
            delivery_id,
            at: outcome.at,
            status_code: outcome.status_code,
            error: outcome.error.clone(),
            duration_ms: outcome.duration_ms,
        })
        .execute(conn)?;
    let Some(row) = webhook_deliveries::table
        .find(delivery_id)
        .filter(webhook_deliveries::leased_by.eq(by))
        .first::<DeliveryRow>(conn)
        .optional()?
    else {
        return Ok(());
    };
    let attempts = row.attempts.saturating_add(1);
    let (status, next) = match outcome.retry_at {
        _ if outcome.delivered => ("succeeded", row.next_attempt_at),
        Some(at) if attempts < row.max_attempts => ("pending", at),
        _ => ("failed", row.next_attempt_at),
    };
    let now = chrono::Utc::now().naive_utc();
    diesel::update(webhook_deliveries::table.find(delivery_id))
        .set((
            webhook_deliveries::status.eq(status),
            webhook_deliveries::attempts.eq(attempts),
            webhook_deliveries::next_attempt_at.eq(next),
            webhook_deliveries::leased_until.eq(None::<NaiveDateTime>),
            webhook_deliveries::leased_by.eq(None::<String>),
            webhook_deliveries::last_status_code.eq(outcome.status_code),
            webhook_deliveries::last_error.eq(outcome.error.clone()),
            webhook_deliveries::updated_at.eq(now),
        ))
        .execute(conn)?;
    Ok(())
}
