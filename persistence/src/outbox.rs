//! The outbox of webhook events: an event is a row written in the transaction of the change
//! it tells of, with one delivery for each subscription that may see it, so that no change
//! commits without its event and no event without its change. The audit trail's functions
//! (`audit::created`, `audit::updated`, and the bulk writes of an import) publish every
//! change they record through [`Outbox::publish`], which keeps what is an event to the
//! domain's `EventType::of_change`: no write can forget its event, as none can its audit.
//!
//! Who may see an event is decided here, against the state the change commits: admins'
//! subscriptions see every event; an integration's, those its organization may read. An
//! enrollment, a record under it and a household belong to their program's organization, and
//! are read there unless a victim service provider serves the client and the organization
//! is not one ([`Sight::sealed_away`]); a client's change is seen by the organizations that
//! see the client ([`Sight::sees`]); an import, by the organization it imported into. The
//! deliverer checks again before it sends.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use threshold_domain::webhooks::{EventType, ATTEMPTS};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{
    ClientId, EnrollmentId, EntityId, OrganizationId, WebhookDeliveryId, WebhookEventId, WebhookId,
};
use crate::privacy::Sight;
use crate::rows::{EnrollmentRow, HouseholdRow};
use crate::schema::{enrollments, webhook_deliveries, webhook_events, webhooks};

/// The client a changed row is about, which scopes who may see its event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClientOf {
    /// None: an import, a household (whose members are checked one by one when sent).
    Nobody,
    /// The row is the client.
    Itself,
    Known(ClientId),
    /// The client of this enrollment.
    Enrollment(EnrollmentId),
}

/// A change the audit trail recorded, as the outbox reads it.
#[derive(Debug, Clone)]
pub struct Change<'a> {
    /// What the audit trail calls the entity (`enrollment`, `service`, `import`...).
    pub entity_type: &'a str,
    /// What the audit trail calls the change (`create`, `exit`, `head_change`...).
    pub action: &'a str,
    pub entity_id: EntityId,
    /// The organization the resource belongs to; `None`: any that sees the client.
    pub organization_id: Option<OrganizationId>,
    pub client: ClientOf,
    pub occurred_at: NaiveDateTime,
}

/// An event as stored: what changed, who may see it, and the resource as it was stored
/// when the change committed (`data`, the row's JSON, which the API turns into what its
/// `GET` shows).
#[derive(Debug, Clone, PartialEq, Queryable, Serialize)]
pub struct EventRow {
    /// The order of commits, per resource.
    pub seq: i64,
    pub id: WebhookEventId,
    pub event_type: String,
    pub entity_type: String,
    pub entity_id: EntityId,
    pub organization_id: Option<OrganizationId>,
    pub client_id: Option<ClientId>,
    pub occurred_at: NaiveDateTime,
    pub data: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = webhook_events)]
struct NewEvent<'a> {
    id: WebhookEventId,
    event_type: &'a str,
    entity_type: &'a str,
    entity_id: EntityId,
    organization_id: Option<OrganizationId>,
    client_id: Option<ClientId>,
    occurred_at: NaiveDateTime,
    data: &'a str,
}

/// One event to send to one subscription, and how sending it went so far.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize)]
#[diesel(table_name = webhook_deliveries, treat_none_as_default_value = false)]
pub struct DeliveryRow {
    pub id: WebhookDeliveryId,
    pub webhook_id: WebhookId,
    pub event_seq: i64,
    /// `entity_type:entity_id`: one resource's deliveries are sent in `event_seq` order.
    pub resource: String,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub next_attempt_at: NaiveDateTime,
    pub leased_until: Option<NaiveDateTime>,
    pub leased_by: Option<String>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// An active subscription, as publishing reads it.
#[derive(Debug, Clone)]
struct Subscriber {
    id: WebhookId,
    organization_id: Option<OrganizationId>,
    events: Vec<EventType>,
}

/// The subscriptions events are published to, read once for the changes of one write.
#[derive(Debug, Clone)]
pub struct Outbox {
    subscribers: Vec<Subscriber>,
    today: NaiveDate,
}

/// The event types of a subscription as stored (a JSON array of names); unknown names,
/// which no subscription is saved with, are left out.
pub fn decode_events(text: &str) -> Vec<EventType> {
    serde_json::from_str::<Vec<String>>(text)
        .unwrap_or_default()
        .iter()
        .filter_map(|name| EventType::parse(name))
        .collect()
}

impl Outbox {
    /// The active subscriptions, as the write's transaction sees them.
    pub fn open(conn: &mut DbConnection) -> Result<Outbox, StoreError> {
        let rows: Vec<(WebhookId, Option<OrganizationId>, String)> = webhooks::table
            .filter(webhooks::active.eq(true))
            .filter(webhooks::deleted_at.is_null())
            .select((webhooks::id, webhooks::organization_id, webhooks::events))
            .load(conn)?;
        Ok(Outbox {
            subscribers: rows
                .into_iter()
                .map(|(id, organization_id, events)| Subscriber {
                    id,
                    organization_id,
                    events: decode_events(&events),
                })
                .collect(),
            today: chrono::Utc::now().date_naive(),
        })
    }

    /// Whether no subscription is active: nothing published would be written.
    pub fn is_silent(&self) -> bool {
        self.subscribers.is_empty()
    }

    /// Writes the event of `change`, if it is one and a subscription may see it, with a
    /// delivery for each such subscription; `data` makes the resource's JSON, only then.
    pub fn publish(
        &self,
        conn: &mut DbConnection,
        change: &Change<'_>,
        data: &dyn Fn() -> Result<String, StoreError>,
    ) -> Result<(), StoreError> {
        let Some(event_type) = EventType::of_change(change.entity_type, change.action) else {
            return Ok(());
        };
        let interested: Vec<&Subscriber> = self
            .subscribers
            .iter()
            .filter(|subscriber| subscriber.events.contains(&event_type))
            .collect();
        if interested.is_empty() {
            return Ok(());
        }
        let client_id = match change.client {
            ClientOf::Nobody => None,
            ClientOf::Itself => Some(change.entity_id.cast()),
            ClientOf::Known(client_id) => Some(client_id),
            ClientOf::Enrollment(enrollment_id) => enrollments::table
                .find(enrollment_id)
                .select(enrollments::client_id)
                .first(conn)
                .optional()?,
        };
        let mut seeing = Vec::new();
        for subscriber in interested {
            if may_see(
                conn,
                subscriber.organization_id,
                change.organization_id,
                client_id,
                self.today,
            )? {
                seeing.push(subscriber.id);
            }
        }
        if seeing.is_empty() {
            return Ok(());
        }
        let id = WebhookEventId::new();
        let data = data()?;
        diesel::insert_into(webhook_events::table)
            .values(NewEvent {
                id,
                event_type: event_type.name(),
                entity_type: change.entity_type,
                entity_id: change.entity_id,
                organization_id: change.organization_id,
                client_id,
                occurred_at: change.occurred_at,
                data: &data,
            })
            .execute(conn)?;
        let seq: i64 = webhook_events::table
            .filter(webhook_events::id.eq(id))
            .select(webhook_events::seq)
            .first(conn)?;
        let resource = format!("{}:{}", change.entity_type, change.entity_id);
        let now = chrono::Utc::now().naive_utc();
        let deliveries: Vec<DeliveryRow> = seeing
            .into_iter()
            .map(|webhook_id| DeliveryRow {
                id: WebhookDeliveryId::new(),
                webhook_id,
                event_seq: seq,
                resource: resource.clone(),
                status: "pending".into(),
                attempts: 0,
                max_attempts: i32::try_from(ATTEMPTS).unwrap_or(i32::MAX),
                next_attempt_at: now,
                leased_until: None,
                leased_by: None,
                last_status_code: None,
                last_error: None,
                created_at: now,
                updated_at: now,
            })
            .collect();
        crate::multi_row::insert_rows!(conn, webhook_deliveries::table, deliveries.as_slice())
    }
}

/// [`Outbox::publish`] of one change, reading the subscriptions for it.
pub fn publish(
    conn: &mut DbConnection,
    change: &Change<'_>,
    data: &dyn Fn() -> Result<String, StoreError>,
) -> Result<(), StoreError> {
    if EventType::of_change(change.entity_type, change.action).is_none() {
        return Ok(());
    }
    Outbox::open(conn)?.publish(conn, change, data)
}

/// Whether a subscription of `subscriber` (an organization, `None` for an admin's) may see
/// an event of a resource of `owner` about `client_id` (see the module's documentation).
pub fn may_see(
    conn: &mut DbConnection,
    subscriber: Option<OrganizationId>,
    owner: Option<OrganizationId>,
    client_id: Option<ClientId>,
    today: NaiveDate,
) -> Result<bool, StoreError> {
    let Some(organization_id) = subscriber else {
        return Ok(true);
    };
    let sight = Sight::Organization {
        organization_id,
        today,
    };
    match (owner, client_id) {
        (Some(owner), _) if owner != organization_id => Ok(false),
        (Some(_), None) => Ok(true),
        (Some(_), Some(client_id)) => Ok(!sight.sealed_away(conn, client_id)?),
        (None, Some(client_id)) => sight.sees(conn, client_id),
        (None, None) => Ok(false),
    }
}

/// What a household's event keeps: the household and every member's enrollment (not
/// deleted) as the change left them.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct HouseholdData {
    pub household: HouseholdRow,
    pub members: Vec<EnrollmentRow>,
}

/// A JSON text of a value (a row), as events keep it.
pub fn json<T: Serialize>(value: &T) -> Result<String, StoreError> {
    serde_json::to_string(value)
        .map_err(|error| StoreError::Config(format!("an event's data as JSON: {error}")))
}
