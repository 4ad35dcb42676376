//! The audit trail: one event for every write, recorded in the write's own transaction by the
//! functions that insert and update rows, so no write can forget it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::reference::Page;
use crate::rows::*;
use crate::schema::{audit_events, enrollments, programs};

/// A row whose writes are audited.
pub trait Audited: Serialize {
    /// The entity type events name (`enrollment`, `client`, ...).
    const ENTITY: &'static str;

    fn id(&self) -> &str;
    fn actor(&self) -> &str;
    fn at(&self) -> NaiveDateTime;

    /// The organization whose members may read the event (`None`: admins only).
    fn organization(&self, conn: &mut DbConnection) -> Result<Option<String>, StoreError>;

    /// What an update did; plain updates are `update`, and `deleted_at` set is `delete`.
    fn action(before: &Self, after: &Self) -> &'static str
    where
        Self: Sized,
    {
        let _ = (before, after);
        "update"
    }
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize)]
#[diesel(table_name = audit_events)]
pub struct AuditEventRow {
    pub id: String,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: String,
    pub organization_id: Option<String>,
    /// `{"field": {"old": ..., "new": ...}}` as JSON.
    pub changes: String,
}

/// Fields every write changes, which say nothing about what the write did.
const BOOKKEEPING: [&str; 4] = ["version", "updated_at", "updated_by", "search_name"];

/// A row's fields as the trail records them; instants (stored in UTC without a zone) are
/// written in RFC 3339 with their `Z`, like everywhere else in the API.
fn fields<R: Serialize>(row: &R) -> Map<String, Value> {
    let mut map = match serde_json::to_value(row) {
        Ok(Value::Object(map)) => map,
        _ => Map::new(),
    };
    for value in map.values_mut() {
        let instant = value
            .as_str()
            .and_then(|text| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S%.f").ok());
        if let Some(instant) = instant {
            *value = Value::String(
                instant
                    .and_utc()
                    .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            );
        }
    }
    map
}

fn changes(before: Option<&Map<String, Value>>, after: &Map<String, Value>) -> Map<String, Value> {
    let mut changed = Map::new();
    for (field, new) in after {
        if BOOKKEEPING.contains(&field.as_str()) {
            continue;
        }
        let old = before
            .and_then(|before| before.get(field))
            .unwrap_or(&Value::Null);
        if before.is_none() || old != new {
            let mut pair = Map::new();
            pair.insert("old".into(), old.clone());
            pair.insert("new".into(), new.clone());
            changed.insert(field.clone(), Value::Object(pair));
        }
    }
    changed
}

fn record<R: Audited>(
    conn: &mut DbConnection,
    row: &R,
    action: &str,
    changed: Map<String, Value>,
) -> Result<(), StoreError> {
    let event = AuditEventRow {
        id: Uuid::now_v7().hyphenated().to_string(),
        at: row.at(),
        actor: row.actor().to_owned(),
        action: action.to_owned(),
        entity_type: R::ENTITY.to_owned(),
        entity_id: row.id().to_owned(),
        organization_id: row.organization(conn)?,
        changes: Value::Object(changed).to_string(),
    };
    diesel::insert_into(audit_events::table)
        .values(&event)
        .execute(conn)?;
    Ok(())
}

/// Records the creation of `row`, every field new.
pub fn created<R: Audited>(conn: &mut DbConnection, row: &R) -> Result<(), StoreError> {
    record(conn, row, "create", changes(None, &fields(row)))
}

/// Records a change from `before` to `after`, with the old and new value of each field.
pub fn updated<R: Audited>(
    conn: &mut DbConnection,
    before: &R,
    after: &R,
) -> Result<(), StoreError> {
    let (old, new) = (fields(before), fields(after));
    let deleted = old.get("deleted_at").is_some_and(Value::is_null)
        && new.get("deleted_at").is_some_and(|value| !value.is_null());
    let action = if deleted {
        "delete"
    } else {
        R::action(before, after)
    };
    record(conn, after, action, changes(Some(&old), &new))
}

/// Records an event for an import or another write that is not one row's change.
pub fn event(conn: &mut DbConnection, event: &AuditEventRow) -> Result<(), StoreError> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

/// What `GET /v1/audit-events` filters on.
#[derive(Debug, Clone, Default)]
pub struct AuditSearch {
    pub entity_type: Option<String>,
    pub entity_id: Option<String>,
    pub actor: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Only this organization's events (`None`: every event).
    pub organization_id: Option<String>,
}

pub fn search(
    conn: &mut DbConnection,
    search: &AuditSearch,
    after: Option<&str>,
    limit: i64,
) -> Result<Page<AuditEventRow>, StoreError> {
    let mut query = audit_events::table.into_boxed();
    if let Some(entity_type) = &search.entity_type {
        query = query.filter(audit_events::entity_type.eq(entity_type.clone()));
    }
    if let Some(entity_id) = &search.entity_id {
        query = query.filter(audit_events::entity_id.eq(entity_id.clone()));
    }
    if let Some(actor) = &search.actor {
        query = query.filter(audit_events::actor.eq(actor.clone()));
    }
    if let Some(from) = search.from {
        query = query.filter(audit_events::at.ge(from));
    }
    if let Some(to) = search.to {
        query = query.filter(audit_events::at.lt(to));
    }
    if let Some(organization_id) = &search.organization_id {
        query = query.filter(audit_events::organization_id.eq(organization_id.clone()));
    }
    if let Some(after) = after {
        query = query.filter(audit_events::id.gt(after.to_owned()));
    }
    let rows = query
        .order(audit_events::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    Ok(Page::from_probe(rows, limit))
}

fn program_organization(
    conn: &mut DbConnection,
    program_id: &str,
) -> Result<Option<String>, StoreError> {
    Ok(programs::table
        .find(program_id)
        .select(programs::organization_id)
        .first(conn)
        .optional()?)
}

fn enrollment_organization(
    conn: &mut DbConnection,
    enrollment_id: &str,
) -> Result<Option<String>, StoreError> {
    let program_id: Option<String> = enrollments::table
        .find(enrollment_id)
        .select(enrollments::program_id)
        .first(conn)
        .optional()?;
    match program_id {
        Some(program_id) => program_organization(conn, &program_id),
        None => Ok(None),
    }
}

macro_rules! audited {
    ($row:ty, $entity:literal, |$self:ident, $conn:ident| $organization:expr) => {
        impl Audited for $row {
            const ENTITY: &'static str = $entity;

            fn id(&self) -> &str {
                &self.id
            }

            fn actor(&self) -> &str {
                &self.updated_by
            }

            fn at(&self) -> NaiveDateTime {
                self.updated_at
            }

            fn organization(&$self, $conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
                $organization
            }
        }
    };
}

audited!(OrganizationRow, "organization", |self, _conn| Ok(Some(
    self.id.clone()
)));
audited!(ProgramRow, "program", |self, _conn| Ok(Some(
    self.organization_id.clone()
)));
audited!(GrantRow, "grant", |self, conn| program_organization(
    conn,
    &self.program_id
));
audited!(UserRow, "user", |self, _conn| Ok(Some(
    self.organization_id.clone()
)));
audited!(ClientRow, "client", |self, _conn| Ok(None));
audited!(ServiceRow, "service", |self, conn| enrollment_organization(
    conn,
    &self.enrollment_id
));
audited!(GoalRow, "goal", |self, conn| enrollment_organization(
    conn,
    &self.enrollment_id
));
audited!(ActionStepRow, "action_step", |self, conn| {
    enrollment_organization(conn, &self.enrollment_id)
});
audited!(FollowUpRow, "follow_up", |self, conn| {
    enrollment_organization(conn, &self.enrollment_id)
});

impl Audited for EnrollmentRow {
    const ENTITY: &'static str = "enrollment";

    fn id(&self) -> &str {
        &self.id
    }

    fn actor(&self) -> &str {
        &self.updated_by
    }

    fn at(&self) -> NaiveDateTime {
        self.updated_at
    }

    fn organization(&self, conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
        program_organization(conn, &self.program_id)
    }

    fn action(before: &Self, after: &Self) -> &'static str {
        match (before.exit_date, after.exit_date) {
            (None, Some(_)) => "exit",
            (Some(_), None) => "reopen",
            _ => "update",
        }
    }
}

impl Audited for AssessmentRow {
    const ENTITY: &'static str = "assessment";

    fn id(&self) -> &str {
        &self.id
    }

    fn actor(&self) -> &str {
        &self.updated_by
    }

    fn at(&self) -> NaiveDateTime {
        self.updated_at
    }

    fn organization(&self, _conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
        Ok(None)
    }

    fn action(before: &Self, after: &Self) -> &'static str {
        match (&before.enrollment_id, &after.enrollment_id) {
            (None, Some(_)) => "link",
            (Some(_), None) => "unlink",
            _ => "update",
        }
    }
}

impl Audited for HouseholdRow {
    const ENTITY: &'static str = "household";

    fn id(&self) -> &str {
        &self.id
    }

    fn actor(&self) -> &str {
        &self.created_by
    }

    fn at(&self) -> NaiveDateTime {
        self.created_at
    }

    fn organization(&self, conn: &mut DbConnection) -> Result<Option<String>, StoreError> {
        program_organization(conn, &self.program_id)
    }
}
