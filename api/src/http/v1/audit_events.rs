//! `GET /v1/audit-events`: who changed what, and when; and who read which client's records
//! (`viewed`, written by the access log a moment after the read).

use actix_web::{web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use threshold_persistence::audit::{self, AuditEventRow, AuditSearch};
use threshold_persistence::ids::{AuditEventId, EntityId};
use utoipa::openapi::path::HttpMethod;
use utoipa::{IntoParams, ToSchema};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::endpoints::Endpoints;
use crate::http::operations::entry::Entry;
use crate::http::pagination::Listing;
use crate::http::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventView {
    #[schema(value_type = Uuid)]
    pub id: AuditEventId,
    pub at: DateTime<Utc>,
    /// The `sub` of the token that made the change or the read (`auto-exit` for the job).
    pub actor: String,
    /// `create`, `update`, `delete`, `exit`, `reopen`, `link`, `unlink`, `revoke`, `import`, or
    /// `viewed`: a read of one of a client's records, an event of the client.
    pub action: String,
    /// `organization`, `program`, `grant`, `user`, `client`, `consent`, `household`,
    /// `enrollment`, `assessment`, `service`, `goal`, `action_step`, `follow_up`.
    pub entity_type: String,
    #[schema(value_type = Uuid)]
    pub entity_id: EntityId,
    /// Each changed field with its `old` and `new` value (every field, for a create); for
    /// `viewed`, what was read, how many times and when last (the event's `at` is the first
    /// read): `{"viewed": {"entity_type": "enrollment", "entity_id": ..., "reads": 3,
    /// "last_at": ...}}`.
    #[schema(value_type = Object)]
    pub changes: serde_json::Value,
}

impl AuditEventView {
    fn from_row(row: &AuditEventRow) -> Result<AuditEventView, ApiError> {
        Ok(AuditEventView {
            id: row.id,
            at: row.at.and_utc(),
            actor: row.actor.clone(),
            action: row.action.clone(),
            entity_type: row.entity_type.clone(),
            entity_id: row.entity_id,
            changes: serde_json::from_str(&row.changes)
                .map_err(|error| ApiError::Internal(format!("audit event {}: {error}", row.id)))?,
        })
    }
}

crate::list_of!(AuditEventList, AuditEventView);

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct SearchAuditEvents {
    /// `enrollment`, `client`, ...
    pub entity_type: Option<String>,
    #[param(value_type = Option<Uuid>)]
    pub entity_id: Option<EntityId>,
    /// The `sub` of the token that made the change or the read.
    pub actor: Option<String>,
    /// At or after this instant (RFC 3339).
    pub from: Option<DateTime<Utc>>,
    /// Before this instant (RFC 3339).
    pub to: Option<DateTime<Utc>>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// The route of the audit trail with its OpenAPI entry.
pub fn endpoints() -> Endpoints {
    let text = "The audit trail, oldest first. Admins see every event; others see the events of \
their\norganization's records (clients, their consents and assessments are shared: their events\n\
are admins').\n\n\
Every read of one of a client's records answered 200 (`GET` of the client, a consent, an\n\
enrollment, an assessment, a service, a goal, an action step or a follow-up; not a list\n\
page, nor a 404) is counted in a `viewed` event of the client, written a moment after the\n\
read (100 ms by default; a reader's reads of one record written together are one event,\n\
with how many and when last in `changes`): `?entity_type=client&entity_id=<client ID>`\n\
shows who looked at the client's records, and when (with `entity_type`, the search uses an\n\
index). A view belongs\n\
to the reader's organization: its members see the views of their own organization's\n\
members, of the clients they may see; admins see every view, and only they see those of an\n\
admin without an organization.\n\n\
An HMIS CSV import is one event (`import`). The clients, enrollments, households,\n\
assessments, services and HUD records it creates have no stored creation event: named by\n\
`entity_id`, such a record's trail begins with its creation as the import made it\n\
(`actor` `import:<job id>`, the values it was created with, its `id` the record's own),\n\
shown to whom a stored one would be; a search that names no record does not list it.";
    let entry = Entry::new("audit", "list_audit_events", text)
        .query::<SearchAuditEvents>()
        .json::<AuditEventList>("200", "A page of audit events, oldest first", &[]);
    Endpoints::new().route(HttpMethod::Get, "/audit-events", list_audit_events, entry)
}

pub async fn list_audit_events(
    state: web::Data<AppState>,
    caller: Caller,
    list: Listing<SearchAuditEvents>,
) -> Result<HttpResponse, ApiError> {
    let query = &list.query;
    let search = AuditSearch {
        entity_type: query.entity_type.clone(),
        entity_id: query.entity_id,
        actor: query.actor.clone(),
        from: query.from.map(|at| at.naive_utc()),
        to: query.to.map(|at| at.naive_utc()),
        sight: caller.sight(),
    };
    let after = list.page.after_id()?;
    let limit = list.page.limit;
    // A history for review, which may trail the last changes by a moment: read from the
    // replica when there is one.
    let found = state
        .read_lagging(move |conn| Ok(audit::search(conn, &search, after, limit)?))
        .await?;
    list.answer(
        found,
        |row: &AuditEventRow| row.id,
        AuditEventView::from_row,
    )
}
