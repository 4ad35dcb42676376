//! The audit trail: one event for every write, recorded in the write's own transaction by the
//! functions that insert and update rows, so no write can forget it; and a `viewed` event for
//! every read of one of a client's records, which the API's access log writes in batches
//! ([`viewed`]).

mod implied;

use std::collections::HashMap;

pub use implied::is_implied;

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{AuditEventId, ClientId, EnrollmentId, EntityId, OrganizationId, ProgramId};
use crate::outbox::{self, Change, ClientOf, Outbox};
use crate::page::Page;
use crate::privacy::{AuditedClient, Sight};
use crate::rows::*;
use crate::schema::{audit_events, enrollments, programs};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use serde_json::{Map, Value};

/// A row whose writes are audited.
pub trait Audited: Serialize {
    /// The entity type events name (`enrollment`, `client`, ...).
    const ENTITY: &'static str;

    fn id(&self) -> EntityId;
    fn actor(&self) -> &str;
    fn at(&self) -> NaiveDateTime;

    /// Where the organization whose members may read the event comes from.
    fn organization_of(&self) -> OrganizationOf;

    /// The organization whose members may read the event (`None`: admins only).
    fn organization(&self, conn: &mut DbConnection) -> Result<Option<OrganizationId>, StoreError> {
        match self.organization_of() {
            OrganizationOf::Known(organization) => Ok(organization),
            OrganizationOf::Program(program_id) => program_organization(conn, program_id),
            OrganizationOf::Enrollment(enrollment_id) => {
                enrollment_organization(conn, enrollment_id)
            }
        }
    }

    /// The client the row is about, which scopes who may see its webhook event.
    fn client_of(&self) -> ClientOf {
        ClientOf::Nobody
    }

    /// What an update did; plain updates are `update`, and `deleted_at` set is `delete`.
    fn action(before: &Self, after: &Self) -> &'static str
    where
        Self: Sized,
    {
        let _ = (before, after);
        "update"
    }
}

/// Where the organization of an audited row is read from: said by the row itself, or that
/// of a program or an enrollment's program, which many rows can read at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrganizationOf {
    /// `None`: admins only.
    Known(Option<OrganizationId>),
    Program(ProgramId),
    Enrollment(EnrollmentId),
}

#[derive(Debug, Clone, PartialEq, Queryable, Insertable, Serialize)]
#[diesel(table_name = audit_events, treat_none_as_default_value = false)]
pub struct AuditEventRow {
    pub id: AuditEventId,
    pub at: NaiveDateTime,
    pub actor: String,
    pub action: String,
    pub entity_type: String,
    pub entity_id: EntityId,
    pub organization_id: Option<OrganizationId>,
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
            .filter(|text| may_be_instant(text))
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

/// Whether text could be an instant as serde writes one: parsing every text field of every
/// row audited by an import costs more than the rest of its event.
fn may_be_instant(text: &str) -> bool {
    text.len() >= 19 && text.contains('T') && text.contains(':')
}

/// What a creation records, `changes(None, after)` as JSON, written straight from the fields
/// without building the objects of the pairs: an import creates hundreds of thousands.
fn creation_changes(after: &Map<String, Value>) -> String {
    let write = || -> serde_json::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(64 * after.len());
        out.push(b'{');
        for (field, new) in after {
            if BOOKKEEPING.contains(&field.as_str()) {
                continue;
            }
            if out.len() > 1 {
                out.push(b',');
            }
            serde_json::to_writer(&mut out, field)?;
            // The pair's keys in the order of serde_json's maps, as `changes` writes them.
            out.extend_from_slice(b":{\"new\":");
            serde_json::to_writer(&mut out, new)?;
            out.extend_from_slice(b",\"old\":null}");
        }
        out.push(b'}');
        Ok(out)
    };
    match write().map(String::from_utf8) {
        Ok(Ok(text)) => text,
        _ => Value::Object(changes(None, after)).to_string(),
    }
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
            changed.insert(field.clone(), pair(old, new));
        }
    }
    // A row's fields are its columns, the same before and after, but a HUD record's JSON
    // holds its HUD fields too, and a change may leave one out: it was set to null.
    for (field, old) in before.into_iter().flatten() {
        if !after.contains_key(field) && !old.is_null() && !BOOKKEEPING.contains(&field.as_str()) {
            changed.insert(field.clone(), pair(old, &Value::Null));
        }
    }
    changed
}

fn pair(old: &Value, new: &Value) -> Value {
    let mut pair = Map::new();
    pair.insert("old".into(), old.clone());
    pair.insert("new".into(), new.clone());
    Value::Object(pair)
}

fn event_of<R: Audited>(
    row: &R,
    action: &str,
    changes: String,
    organization_id: Option<OrganizationId>,
) -> AuditEventRow {
    AuditEventRow {
        id: AuditEventId::new(),
        at: row.at(),
        actor: row.actor().to_owned(),
        action: action.to_owned(),
        entity_type: R::ENTITY.to_owned(),
        entity_id: row.id(),
        organization_id,
        changes,
    }
}

fn record<R: Audited>(
    conn: &mut DbConnection,
    row: &R,
    action: &'static str,
    changed: Map<String, Value>,
) -> Result<(), StoreError> {
    let organization_id = row.organization(conn)?;
    let changes = Value::Object(changed).to_string();
    event(conn, &event_of(row, action, changes, organization_id))?;
    outbox::publish(conn, &change_of(row, action, organization_id), &|| {
        outbox::json(row)
    })
}

/// The change the outbox publishes, if it is a webhook event: the audit trail records
/// every write, and so the outbox hears of every one.
fn change_of<R: Audited>(
    row: &R,
    action: &'static str,
    organization_id: Option<OrganizationId>,
) -> Change<'static> {
    Change {
        entity_type: R::ENTITY,
        action,
        entity_id: row.id(),
        organization_id,
        client: row.client_of(),
        occurred_at: row.at(),
    }
}

/// Publishes the creation of every row, whose organizations are known, to the outbox.
pub(crate) fn publish_created<R: Audited>(
    conn: &mut DbConnection,
    rows: &[R],
    organizations: &[Option<OrganizationId>],
) -> Result<(), StoreError> {
    if threshold_domain::webhooks::EventType::of_change(R::ENTITY, "create").is_none() {
        return Ok(());
    }
    let outbox = Outbox::open(conn)?;
    publish_each_created(conn, &outbox, rows, organizations)
}

/// Publishes the creation of every row to the outbox, as [`publish_created`] does, reading
/// their organizations only when some subscription might hear of them: rows created
/// without an event of their own need them for nothing else.
pub(crate) fn publish_created_reading_organizations<R: Audited>(
    conn: &mut DbConnection,
    rows: &[R],
) -> Result<(), StoreError> {
    if threshold_domain::webhooks::EventType::of_change(R::ENTITY, "create").is_none() {
        return Ok(());
    }
    let outbox = Outbox::open(conn)?;
    if outbox.is_silent() {
        return Ok(());
    }
    let organizations = organizations_of(conn, rows)?;
    publish_each_created(conn, &outbox, rows, &organizations)
}

fn publish_each_created<R: Audited>(
    conn: &mut DbConnection,
    outbox: &Outbox,
    rows: &[R],
    organizations: &[Option<OrganizationId>],
) -> Result<(), StoreError> {
    for (row, organization_id) in rows.iter().zip(organizations) {
        outbox.publish(conn, &change_of(row, "create", *organization_id), &|| {
            outbox::json(row)
        })?;
    }
    Ok(())
}

/// Records the creation of `row`, every field new.
pub fn created<R: Audited>(conn: &mut DbConnection, row: &R) -> Result<(), StoreError> {
    let organization_id = row.organization(conn)?;
    let changes = creation_changes(&fields(row));
    event(conn, &event_of(row, "create", changes, organization_id))?;
    outbox::publish(conn, &change_of(row, "create", organization_id), &|| {
        outbox::json(row)
    })
}

/// Records the creation of every row, as [`created`] does one by one, reading their
/// organizations and inserting the events many at a time.
pub fn created_all<R: Audited>(conn: &mut DbConnection, rows: &[R]) -> Result<(), StoreError> {
    let organizations = organizations_of(conn, rows)?;
    insert_events(conn, &creation_events(rows, organizations.clone()))?;
    publish_created(conn, rows, &organizations)
}

/// The creation events of rows whose organizations, in their order, are known; no database
/// is needed, so a caller may make them while its connection does something else.
pub(crate) fn creation_events<R: Audited>(
    rows: &[R],
    organizations: Vec<Option<OrganizationId>>,
) -> Vec<AuditEventRow> {
    rows.iter()
        .zip(organizations)
        .map(|(row, organization_id)| {
            event_of(
                row,
                "create",
                creation_changes(&fields(row)),
                organization_id,
            )
        })
        .collect()
}

/// Inserts events many at a time.
pub(crate) fn insert_events(
    conn: &mut DbConnection,
    events: &[AuditEventRow],
) -> Result<(), StoreError> {
    crate::multi_row::insert_rows!(conn, audit_events::table, events)
}

/// The organization of each row, in their order: the programs and enrollments they name
/// read a thousand at a time.
pub(crate) fn organizations_of<R: Audited>(
    conn: &mut DbConnection,
    rows: &[R],
) -> Result<Vec<Option<OrganizationId>>, StoreError> {
    let mut program_ids = Vec::new();
    let mut enrollment_ids = Vec::new();
    for row in rows {
        match row.organization_of() {
            OrganizationOf::Known(_) => {}
            OrganizationOf::Program(id) => program_ids.push(id),
            OrganizationOf::Enrollment(id) => enrollment_ids.push(id),
        }
    }
    program_ids.sort_unstable();
    program_ids.dedup();
    enrollment_ids.sort_unstable();
    enrollment_ids.dedup();
    let mut of_programs: HashMap<ProgramId, OrganizationId> = HashMap::new();
    for chunk in program_ids.chunks(crate::multi_row::ROWS_PER_STATEMENT) {
        let found: Vec<(ProgramId, OrganizationId)> = programs::table
            .filter(programs::id.eq_any(chunk))
            .select((programs::id, programs::organization_id))
            .load(conn)?;
        of_programs.extend(found);
    }
    let mut of_enrollments: HashMap<EnrollmentId, OrganizationId> = HashMap::new();
    for chunk in enrollment_ids.chunks(crate::multi_row::ROWS_PER_STATEMENT) {
        let found: Vec<(EnrollmentId, OrganizationId)> = enrollments::table
            .inner_join(programs::table)
            .filter(enrollments::id.eq_any(chunk))
            .select((enrollments::id, programs::organization_id))
            .load(conn)?;
        of_enrollments.extend(found);
    }
    Ok(rows
        .iter()
        .map(|row| match row.organization_of() {
            OrganizationOf::Known(organization) => organization,
            OrganizationOf::Program(id) => of_programs.get(&id).copied(),
            OrganizationOf::Enrollment(id) => of_enrollments.get(&id).copied(),
        })
        .collect())
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

/// Records that another member became the head of a household, as an event of the
/// household (`head_change`) naming the old and new head's enrollments; the members' own
/// changes are their enrollments' updates, recorded by `enrollments::update`. `members` are
/// the household's enrollments as the change left them.
pub fn head_changed(
    conn: &mut DbConnection,
    household: &HouseholdRow,
    old_head: Option<EnrollmentId>,
    new_head: EnrollmentId,
    members: &[EnrollmentRow],
    at: NaiveDateTime,
    actor: &str,
) -> Result<(), StoreError> {
    let organization_id = household.organization(conn)?;
    let changes = serde_json::json!({
        "head_enrollment_id": {"old": old_head, "new": new_head},
    })
    .to_string();
    event(
        conn,
        &AuditEventRow {
            at,
            actor: actor.to_owned(),
            ..event_of(household, "head_change", changes, organization_id)
        },
    )?;
    let change = Change {
        occurred_at: at,
        ..change_of(household, "head_change", organization_id)
    };
    outbox::publish(conn, &change, &|| {
        outbox::json(&outbox::HouseholdData {
            household: household.clone(),
            members: members.to_vec(),
        })
    })
}

/// Records an event for an import or another write that is not one row's change.
pub fn event(conn: &mut DbConnection, event: &AuditEventRow) -> Result<(), StoreError> {
    diesel::insert_into(audit_events::table)
        .values(event)
        .execute(conn)?;
    Ok(())
}

/// A read of one of a client's records (the client itself, an enrollment, an assessment, a
/// service...): who read what, and when. It is recorded as a `viewed` event of the client.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Access {
    /// When the read was answered.
    pub at: NaiveDateTime,
    /// The `sub` of the token that read.
    pub actor: String,
    /// The reader's organization, whose members may read the event (`None`: admins only).
    pub organization_id: Option<OrganizationId>,
    /// The client whose record was read.
    pub client_id: ClientId,
    /// What was read, as events name it (`client`, `enrollment`, `service`, ...).
    pub entity_type: &'static str,
    pub entity_id: EntityId,
}

impl Access {
    /// `actor`'s read of `record`, one of `client_id`'s records, at `at`.
    pub fn of<R: Audited>(
        record: &R,
        client_id: ClientId,
        actor: String,
        organization_id: Option<OrganizationId>,
        at: NaiveDateTime,
    ) -> Access {
        Access {
            at,
            actor,
            organization_id,
            client_id,
            entity_type: R::ENTITY,
            entity_id: record.id(),
        }
    }

    /// What makes two reads one event: one reader's reads of one record.
    fn key(
        &self,
    ) -> (
        &str,
        Option<OrganizationId>,
        ClientId,
        &'static str,
        EntityId,
    ) {
        (
            &self.actor,
            self.organization_id,
            self.client_id,
            self.entity_type,
            self.entity_id,
        )
    }

    /// The events of `accesses`, the reads of one batch in the order they were answered:
    /// one event for each record a reader read, at its first read, with how many times it
    /// was read (`reads`) and when last (`last_at`). A page a front end shows reads the same
    /// records again and again; a row for each read would make the log write as much as
    /// the reads themselves.
    ///
    /// Each ID is made now, when the event is written rather than when the read was
    /// answered: the trail, in ID order, gains it at its end as it gains a write's, so a
    /// reader following `next_cursor` does not pass it by.
    pub(crate) fn events(accesses: &[Access]) -> Vec<AuditEventRow> {
        let mut index = HashMap::with_capacity(accesses.len().min(1024));
        let mut views: Vec<(&Access, u64, NaiveDateTime, NaiveDateTime)> = Vec::new();
        for access in accesses {
            let view = *index.entry(access.key()).or_insert_with(|| {
                views.push((access, 0, access.at, access.at));
                views.len() - 1
            });
            let (_, reads, first_at, last_at) = &mut views[view];
            *reads += 1;
            *first_at = (*first_at).min(access.at);
            *last_at = (*last_at).max(access.at);
        }
        views
            .into_iter()
            .map(|(first, reads, first_at, last_at)| first.event(reads, first_at, last_at))
            .collect()
    }

    /// The event of `reads` reads of this record, from `first_at` to `last_at`.
    fn event(&self, reads: u64, first_at: NaiveDateTime, last_at: NaiveDateTime) -> AuditEventRow {
        // Written out rather than through a JSON map: the log writes thousands a second.
        // The entity type is one of the `Audited::ENTITY` names, which need no escaping.
        debug_assert!(self
            .entity_type
            .bytes()
            .all(|byte| byte.is_ascii_lowercase() || byte == b'_'));
        let changes = format!(
            "{{\"viewed\":{{\"entity_id\":\"{}\",\"entity_type\":\"{}\",\"last_at\":\"{}\",\"reads\":{reads}}}}}",
            self.entity_id,
            self.entity_type,
            last_at
                .and_utc()
                .to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
        );
        AuditEventRow {
            id: AuditEventId::new(),
            at: first_at,
            actor: self.actor.clone(),
            action: VIEWED.to_owned(),
            entity_type: ClientRow::ENTITY.to_owned(),
            entity_id: self.client_id.cast(),
            organization_id: self.organization_id,
            changes,
        }
    }
}

/// The action of a read's event.
pub const VIEWED: &str = "viewed";

/// Records reads as `viewed` events of their clients (see [`Access::events`]), many rows
/// per statement.
pub fn viewed(conn: &mut DbConnection, accesses: &[Access]) -> Result<(), StoreError> {
    let events = Access::events(accesses);
    insert_events(conn, &events)
}

/// What `GET /v1/audit-events` filters on.
#[derive(Debug, Clone)]
pub struct AuditSearch {
    pub entity_type: Option<String>,
    pub entity_id: Option<EntityId>,
    pub actor: Option<String>,
    pub from: Option<NaiveDateTime>,
    pub to: Option<NaiveDateTime>,
    /// Who asks: an organization sees its own events, of the clients it may see.
    pub sight: Sight,
}

/// The events `search` asks for, a page at a time.
pub fn search(
    conn: &mut DbConnection,
    search: &AuditSearch,
    after: Option<AuditEventId>,
    limit: i64,
) -> Result<Page<AuditEventRow>, StoreError> {
    let mut query = audit_events::table.into_boxed();
    if let Some(entity_type) = &search.entity_type {
        query = query.filter(audit_events::entity_type.eq(entity_type.clone()));
    }
    if let Some(entity_id) = &search.entity_id {
        query = query.filter(audit_events::entity_id.eq(*entity_id));
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
    if let Some(organization_id) = search.sight.organization() {
        query = query
            .filter(audit_events::organization_id.eq(organization_id))
            .filter(
                audit_events::entity_type
                    .ne_all(["client", "enrollment"])
                    .or(search.sight.sees_client(AuditedClient)),
            );
    }
    if let Some(after) = after {
        query = query.filter(audit_events::id.gt(after));
    }
    let mut rows: Vec<AuditEventRow> = query
        .order(audit_events::id.asc())
        .limit(limit + 1)
        .load(conn)?;
    // One record's events begin with its creation, stored or, for an imported service or
    // HUD record, implied.
    if let Some(entity_id) = search.entity_id {
        let entity_type = search.entity_type.as_deref();
        let creation = implied::creation(conn, entity_type, entity_id)?.filter(|implied| {
            search.admits(&implied.event) && after.is_none_or(|after| implied.event.id > after)
        });
        if let Some(implied) = creation {
            // The rule the search applies to the events of clients and enrollments.
            let seen = match (implied.client_id, search.sight.organization()) {
                (Some(client_id), Some(_)) => search.sight.sees(conn, client_id)?,
                _ => true,
            };
            if seen {
                rows.push(implied.event);
                rows.sort_by_key(|event| event.id);
            }
        }
    }
    Ok(Page::from_probe(rows, limit))
}

impl AuditSearch {
    /// Whether an event made rather than read (an implied creation) is one the search asks
    /// for, and, but for the privacy of its client, may show.
    fn admits(&self, event: &AuditEventRow) -> bool {
        self.entity_type
            .as_ref()
            .is_none_or(|entity_type| *entity_type == event.entity_type)
            && self.entity_id.is_none_or(|id| id == event.entity_id)
            && self
                .actor
                .as_ref()
                .is_none_or(|actor| *actor == event.actor)
            && self.from.is_none_or(|from| event.at >= from)
            && self.to.is_none_or(|to| event.at < to)
            && self
                .sight
                .organization()
                .is_none_or(|organization| event.organization_id == Some(organization))
    }
}

fn program_organization(
    conn: &mut DbConnection,
    program_id: ProgramId,
) -> Result<Option<OrganizationId>, StoreError> {
    Ok(programs::table
        .find(program_id)
        .select(programs::organization_id)
        .first(conn)
        .optional()?)
}

fn enrollment_organization(
    conn: &mut DbConnection,
    enrollment_id: EnrollmentId,
) -> Result<Option<OrganizationId>, StoreError> {
    let program_id: Option<ProgramId> = enrollments::table
        .find(enrollment_id)
        .select(enrollments::program_id)
        .first(conn)
        .optional()?;
    match program_id {
        Some(program_id) => program_organization(conn, program_id),
        None => Ok(None),
    }
}

macro_rules! audited {
    ($row:ty, $entity:literal, |$self:ident| $organization:expr) => {
        audited!($row, $entity, |$self| $organization, ClientOf::Nobody);
    };
    ($row:ty, $entity:literal, |$self:ident| $organization:expr, $client:expr) => {
        impl Audited for $row {
            const ENTITY: &'static str = $entity;

            fn id(&self) -> EntityId {
                self.id.cast()
            }

            fn actor(&self) -> &str {
                &self.updated_by
            }

            fn at(&self) -> NaiveDateTime {
                self.updated_at
            }

            fn organization_of(&$self) -> OrganizationOf {
                $organization
            }

            fn client_of(&$self) -> ClientOf {
                $client
            }
        }
    };
}

audited!(OrganizationRow, "organization", |self| {
    OrganizationOf::Known(Some(self.id))
});
audited!(ProgramRow, "program", |self| OrganizationOf::Known(Some(
    self.organization_id
)));
audited!(GrantRow, "grant", |self| OrganizationOf::Program(
    self.program_id
));
audited!(
    ProgramCocRow,
    "program_coc",
    |self| OrganizationOf::Program(self.program_id)
);
audited!(InventoryRow, "inventory", |self| OrganizationOf::Program(
    self.program_id
));
audited!(HmisParticipationRow, "hmis_participation", |self| {
    OrganizationOf::Program(self.program_id)
});
audited!(CeParticipationRow, "ce_participation", |self| {
    OrganizationOf::Program(self.program_id)
});
audited!(AffiliationRow, "affiliation", |self| {
    OrganizationOf::Program(self.program_id)
});
audited!(UserRow, "user", |self| OrganizationOf::Known(Some(
    self.organization_id
)));
audited!(
    ClientRow,
    "client",
    |self| OrganizationOf::Known(None),
    ClientOf::Itself
);
audited!(
    ServiceRow,
    "service",
    |self| OrganizationOf::Enrollment(self.enrollment_id),
    ClientOf::Enrollment(self.enrollment_id)
);
audited!(
    GoalRow,
    "goal",
    |self| OrganizationOf::Enrollment(self.enrollment_id),
    ClientOf::Enrollment(self.enrollment_id)
);
audited!(
    ActionStepRow,
    "action_step",
    |self| OrganizationOf::Enrollment(self.enrollment_id),
    ClientOf::Enrollment(self.enrollment_id)
);
audited!(
    FollowUpRow,
    "follow_up",
    |self| OrganizationOf::Enrollment(self.enrollment_id),
    ClientOf::Enrollment(self.enrollment_id)
);
audited!(WebhookRow, "webhook", |self| OrganizationOf::Known(
    self.organization_id
));

impl Audited for EnrollmentRow {
    const ENTITY: &'static str = "enrollment";

    fn id(&self) -> EntityId {
        self.id.cast()
    }

    fn actor(&self) -> &str {
        &self.updated_by
    }

    fn at(&self) -> NaiveDateTime {
        self.updated_at
    }

    fn organization_of(&self) -> OrganizationOf {
        OrganizationOf::Program(self.program_id)
    }

    fn client_of(&self) -> ClientOf {
        ClientOf::Known(self.client_id)
    }

    fn action(before: &Self, after: &Self) -> &'static str {
        match (before.exit_date, after.exit_date) {
            (None, Some(_)) => "exit",
            (Some(_), None) => "reopen",
            _ => "update",
        }
    }
}

/// A HUD record is audited as a service is, as the entity its collection names
/// (`income_benefits`, `disability`, ...).
impl<C: HudCollection> Audited for HudRecord<C> {
    const ENTITY: &'static str = C::ENTITY;

    fn id(&self) -> EntityId {
        self.id.cast()
    }

    fn actor(&self) -> &str {
        &self.updated_by
    }

    fn at(&self) -> NaiveDateTime {
        self.updated_at
    }

    fn organization_of(&self) -> OrganizationOf {
        OrganizationOf::Enrollment(self.enrollment_id)
    }

    fn client_of(&self) -> ClientOf {
        ClientOf::Enrollment(self.enrollment_id)
    }
}

impl Audited for AssessmentRow {
    const ENTITY: &'static str = "assessment";

    fn id(&self) -> EntityId {
        self.id.cast()
    }

    fn actor(&self) -> &str {
        &self.updated_by
    }

    fn at(&self) -> NaiveDateTime {
        self.updated_at
    }

    fn organization_of(&self) -> OrganizationOf {
        OrganizationOf::Known(None)
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

    fn id(&self) -> EntityId {
        self.id.cast()
    }

    fn actor(&self) -> &str {
        &self.created_by
    }

    fn at(&self) -> NaiveDateTime {
        self.created_at
    }

    fn organization_of(&self) -> OrganizationOf {
        OrganizationOf::Program(self.program_id)
    }
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn instant(second: u32, micro: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2024, 3, 1)
            .and_then(|date| date.and_hms_micro_opt(10, 0, second, micro))
            .expect("an instant")
    }

    fn read(
        actor: &str,
        client_id: ClientId,
        entity: (&'static str, EntityId),
        at: NaiveDateTime,
    ) -> Access {
        Access {
            at,
            actor: actor.into(),
            organization_id: None,
            client_id,
            entity_type: entity.0,
            entity_id: entity.1,
        }
    }

    fn changes_of(event: &AuditEventRow) -> Value {
        serde_json::from_str(&event.changes).expect("JSON")
    }

    #[test]
    fn a_read_is_a_viewed_event_of_the_client_naming_what_was_read() {
        let client_id = ClientId::new();
        let enrollment_id = EnrollmentId::new();
        let organization_id = OrganizationId::new();
        let at = instant(0, 5);
        let access = Access {
            organization_id: Some(organization_id),
            ..read("casey", client_id, ("enrollment", enrollment_id.cast()), at)
        };
        let events = Access::events(std::slice::from_ref(&access));
        let [event] = events.as_slice() else {
            panic!("one event: {events:?}");
        };
        assert_eq!(
            (event.at, event.actor.as_str(), event.action.as_str()),
            (at, "casey", "viewed")
        );
        assert_eq!(event.entity_type, "client");
        assert_eq!(event.entity_id, client_id.cast());
        assert_eq!(event.organization_id, Some(organization_id));
        assert_eq!(
            changes_of(event),
            serde_json::json!({"viewed": {
                "entity_type": "enrollment",
                "entity_id": enrollment_id.to_string(),
                "reads": 1,
                "last_at": "2024-03-01T10:00:00.000005Z",
            }})
        );
        assert_ne!(
            Access::events(&[access])[0].id,
            event.id,
            "each written event has an ID of its own"
        );
    }

    #[test]
    fn one_readers_reads_of_one_record_in_a_batch_are_one_event_counting_them() {
        let (ana, ben) = (ClientId::new(), ClientId::new());
        let enrollment = ("enrollment", EnrollmentId::new().cast());
        let client = ("client", ana.cast());
        let accesses = [
            read("casey", ana, client, instant(1, 0)),
            read("casey", ana, enrollment, instant(2, 0)),
            // Answered out of order: the event spans the earliest to the latest.
            read("casey", ana, client, instant(0, 500)),
            read("robin", ana, client, instant(3, 0)),
            read("casey", ana, client, instant(4, 250)),
            read("casey", ben, ("client", ben.cast()), instant(5, 0)),
        ];
        let events = Access::events(&accesses);
        let summary: Vec<(&str, EntityId, NaiveDateTime, Value)> = events
            .iter()
            .map(|event| {
                let viewed = changes_of(event)["viewed"].clone();
                (event.actor.as_str(), event.entity_id, event.at, viewed)
            })
            .collect();
        let viewed = |entity: (&str, EntityId), reads: u64, last_at: &str| {
            serde_json::json!({
                "entity_type": entity.0,
                "entity_id": entity.1.to_string(),
                "reads": reads,
                "last_at": last_at,
            })
        };
        assert_eq!(
            summary,
            vec![
                (
                    "casey",
                    ana.cast(),
                    instant(0, 500),
                    viewed(client, 3, "2024-03-01T10:00:04.000250Z")
                ),
                (
                    "casey",
                    ana.cast(),
                    instant(2, 0),
                    viewed(enrollment, 1, "2024-03-01T10:00:02Z")
                ),
                (
                    "robin",
                    ana.cast(),
                    instant(3, 0),
                    viewed(client, 1, "2024-03-01T10:00:03Z")
                ),
                (
                    "casey",
                    ben.cast(),
                    instant(5, 0),
                    viewed(("client", ben.cast()), 1, "2024-03-01T10:00:05Z")
                ),
            ],
            "in the order of each record's first read"
        );
        let reads: u64 = events
            .iter()
            .map(|event| changes_of(event)["viewed"]["reads"].as_u64().unwrap_or(0))
            .sum();
        assert_eq!(reads, 6, "every read is counted");
    }

    #[test]
    fn reads_by_one_actor_for_two_organizations_are_two_events() {
        let ana = ClientId::new();
        let client = ("client", ana.cast());
        let at = instant(0, 0);
        let accesses = [
            Access {
                organization_id: Some(OrganizationId::new()),
                ..read("casey", ana, client, at)
            },
            Access {
                organization_id: Some(OrganizationId::new()),
                ..read("casey", ana, client, at)
            },
        ];
        let events = Access::events(&accesses);
        assert_eq!(events.len(), 2, "{events:?}");
        assert_eq!(events[0].organization_id, accesses[0].organization_id);
        assert_eq!(events[1].organization_id, accesses[1].organization_id);
    }

    /// A HUD record's JSON holds the HUD fields it has (`HudRecord`): a change that leaves
    /// one out set it to null, and the trail says so.
    #[test]
    fn a_field_a_change_leaves_out_is_recorded_as_set_to_null() {
        let object = |value: Value| match value {
            Value::Object(map) => map,
            _ => Map::new(),
        };
        let before = object(serde_json::json!({
            "kept": 1, "changed": 2, "dropped": 3, "was_null": null, "version": 1,
        }));
        let after = object(serde_json::json!({"kept": 1, "changed": 4, "added": 5}));
        assert_eq!(
            Value::Object(changes(Some(&before), &after)),
            serde_json::json!({
                "changed": {"old": 2, "new": 4},
                "dropped": {"old": 3, "new": null},
                "added": {"old": null, "new": 5},
            })
        );
    }

    #[test]
    fn a_creation_records_what_changes_would() {
        let row = ClientRow {
            hud: Default::default(),
            source: None,
            id: "0193c0de-0000-7000-8000-000000000001".parse().unwrap(),
            first_name: Some("Ana \"Lu\"\n".into()),
            middle_name: None,
            last_name: Some("López".into()),
            name_suffix: None,
            name_data_quality: 1,
            ssn: Some("123456789".into()),
            ssn_last4: Some("6789".into()),
            ssn_data_quality: 1,
            dob: NaiveDate::from_ymd_opt(1980, 1, 2),
            dob_data_quality: 1,
            sex: 0,
            race_ethnicity: "white".into(),
            race_none: None,
            veteran_status: 0,
            search_name: "ana lópez".into(),
            version: 1,
            created_at: NaiveDate::from_ymd_opt(2024, 3, 1)
                .and_then(|date| date.and_hms_micro_opt(10, 0, 0, 123_456))
                .expect("an instant"),
            updated_at: NaiveDate::from_ymd_opt(2024, 3, 1)
                .and_then(|date| date.and_hms_opt(10, 0, 0))
                .expect("an instant"),
            created_by: "import:T 12:00".into(),
            updated_by: "import:x".into(),
            deleted_at: None,
            organization_id: None,
        };
        let after = fields(&row);
        assert_eq!(after["created_at"], "2024-03-01T10:00:00.123456Z");
        assert!(!after.contains_key("ssn"));
        assert_eq!(
            creation_changes(&after),
            Value::Object(changes(None, &after)).to_string()
        );
    }
}
