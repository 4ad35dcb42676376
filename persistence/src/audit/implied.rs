//! Creation events an import leaves implied. An import stores the clients, enrollments,
//! households, assessments, services and HUD records it creates (nearly all of the
//! 1,030,000 records of a 100,000-enrollment export) without a creation event each, which
//! would repeat every value the record itself holds, into a table of five indexes, and cost
//! the import more than the records themselves. The import is one write with one event of
//! its own (`import`, with its counts), and each record it created names it (`created_by`
//! is `import:<job id>`).
//!
//! Asked for one such record's events (its `entity_id`, with or without `entity_type`), the
//! trail answers with its creation as the import would have stored it: at its
//! `created_at`, by its `created_by`, with the values it was created with, which are the
//! stored row's with the changes of every later event undone (each keeps a field's `old`
//! value). Its ID is the record's own: made when the import read the record, before any
//! later event's.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Map, Value};
use threshold_domain::hud_records::Collection;

use super::{creation_changes, fields, AuditEventRow, Audited, VIEWED};
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{kind, ClientId, EntityId, OrganizationId};
use crate::imports::IMPORT_ACTOR;
use crate::rows::{
    AnyHudRecord, AssessmentRow, ClientRow, EnrollmentRow, HouseholdRow, ServiceRow,
};
use crate::schema::{
    assessments, audit_events, clients, enrollments, households, hud_records, services,
};

/// The kinds whose creations an import leaves implied: clients, enrollments, households,
/// assessments, services and the seven kinds of HUD records.
const KINDS: [&str; 5] = [
    ClientRow::ENTITY,
    EnrollmentRow::ENTITY,
    HouseholdRow::ENTITY,
    AssessmentRow::ENTITY,
    ServiceRow::ENTITY,
];

/// Whether an import leaves the creation events of `entity_type`'s records implied.
pub fn is_implied(entity_type: &str) -> bool {
    KINDS.contains(&entity_type)
        || Collection::ALL
            .iter()
            .any(|collection| collection.entity() == entity_type)
}

/// An implied creation, and the client whose privacy decides who may see it (an
/// enrollment's: the search shows the events of clients and enrollments only to those who
/// may see the client).
pub(super) struct Implied {
    pub event: AuditEventRow,
    pub client_id: Option<ClientId>,
}

/// What a record's implied creation is made from.
struct Created {
    fields: Map<String, Value>,
    at: NaiveDateTime,
    by: String,
    organization_id: Option<OrganizationId>,
    client_id: Option<ClientId>,
}

impl Created {
    /// What the creation of `row` is made from, if an import created it; its fields and
    /// organization are read only then.
    fn of<R: Audited>(
        conn: &mut DbConnection,
        row: &R,
        at: NaiveDateTime,
        by: &str,
        client_id: Option<ClientId>,
    ) -> Result<Option<Created>, StoreError> {
        if !by.starts_with(IMPORT_ACTOR) {
            return Ok(None);
        }
        Ok(Some(Created {
            fields: fields(row),
            at,
            by: by.to_owned(),
            organization_id: row.organization(conn)?,
            client_id,
        }))
    }
}

/// The creation event of the record, when an import created it without storing one; of
/// whatever kind the record with this ID is when `entity_type` is not given.
pub(super) fn creation(
    conn: &mut DbConnection,
    entity_type: Option<&str>,
    entity_id: EntityId,
) -> Result<Option<Implied>, StoreError> {
    let found = match entity_type {
        Some(entity_type) if !is_implied(entity_type) => return Ok(None),
        Some(entity_type) => load(conn, entity_type, entity_id)?,
        None => {
            let mut found = None;
            for entity_type in KINDS {
                found = load(conn, entity_type, entity_id)?;
                if found.is_some() {
                    break;
                }
            }
            match found {
                Some(found) => Some(found),
                None => hud_record(conn, None, entity_id)?,
            }
        }
    };
    // Found, and created by an import.
    let Some((entity_type, Some(mut created))) = found else {
        return Ok(None);
    };
    let later: Vec<(String, String)> = audit_events::table
        .filter(audit_events::entity_type.eq(entity_type))
        .filter(audit_events::entity_id.eq(entity_id))
        .order(audit_events::id.desc())
        .select((audit_events::action, audit_events::changes))
        .load(conn)?;
    // Imported before creations were left implied: its creation is stored.
    if later.iter().any(|(action, _)| action == "create") {
        return Ok(None);
    }
    // A client's reads are events of it too, which change nothing.
    for (_, changes) in later.iter().filter(|(action, _)| action != VIEWED) {
        undo(&mut created.fields, changes);
    }
    Ok(Some(Implied {
        event: AuditEventRow {
            id: entity_id.cast(),
            at: created.at,
            actor: created.by,
            action: "create".to_owned(),
            entity_type: entity_type.to_owned(),
            entity_id,
            organization_id: created.organization_id,
            changes: creation_changes(&created.fields),
        },
        client_id: created.client_id,
    }))
}

/// Sets each field an event changed back to its `old` value.
fn undo(fields: &mut Map<String, Value>, changes: &str) {
    let Ok(Value::Object(changes)) = serde_json::from_str::<Value>(changes) else {
        return;
    };
    for (field, pair) in changes {
        let old = pair.get("old").cloned().unwrap_or(Value::Null);
        fields.insert(field, old);
    }
}

/// The kind's name of the record of the kind `entity_type` with this ID, if there is one,
/// with what its creation is made from if an import created it.
fn load(
    conn: &mut DbConnection,
    entity_type: &str,
    entity_id: EntityId,
) -> Result<Option<(&'static str, Option<Created>)>, StoreError> {
    macro_rules! row {
        ($table:ident, $row:ty, $kind:ident, $client:expr) => {{
            let row: Option<$row> = $table::table
                .find(entity_id.cast::<kind::$kind>())
                .first(conn)
                .optional()?;
            match row {
                Some(row) => {
                    let client: fn(&$row) -> Option<ClientId> = $client;
                    let client_id = client(&row);
                    let created =
                        Created::of(conn, &row, row.created_at, &row.created_by, client_id)?;
                    Some((<$row>::ENTITY, created))
                }
                None => None,
            }
        }};
    }
    Ok(match entity_type {
        ClientRow::ENTITY => row!(clients, ClientRow, Client, |_| None),
        EnrollmentRow::ENTITY => {
            row!(enrollments, EnrollmentRow, Enrollment, |row| Some(
                row.client_id
            ))
        }
        HouseholdRow::ENTITY => row!(households, HouseholdRow, Household, |_| None),
        AssessmentRow::ENTITY => row!(assessments, AssessmentRow, Assessment, |_| None),
        ServiceRow::ENTITY => row!(services, ServiceRow, Service, |_| None),
        _ => hud_record(conn, Some(entity_type), entity_id)?,
    })
}

/// A HUD record with this ID, of the collection whose records are `entity_type`'s when it
/// is given.
fn hud_record(
    conn: &mut DbConnection,
    entity_type: Option<&str>,
    entity_id: EntityId,
) -> Result<Option<(&'static str, Option<Created>)>, StoreError> {
    let row: Option<AnyHudRecord> = hud_records::table
        .find(entity_id.cast::<kind::AnyHudRecord>())
        .first(conn)
        .optional()?;
    let Some(row) =
        row.filter(|row| entity_type.is_none_or(|kind| row.collection.entity() == kind))
    else {
        return Ok(None);
    };
    let (entity_type, at, by) = (
        row.collection.entity(),
        row.created_at,
        row.created_by.clone(),
    );
    // Typed by its collection, the record's JSON is the one its events were made from.
    macro_rules! typed {
        ($($kind:ident),*) => {
            match row.collection {
                $(Collection::$kind => match row.into_collection::<kind::$kind>() {
                    Some(row) => Created::of(conn, &row, at, &by, None)?,
                    None => None,
                },)*
            }
        };
    }
    let created = typed!(
        IncomeBenefits,
        Disabilities,
        HealthAndDv,
        EmploymentEducation,
        CurrentLivingSituations,
        Events,
        YouthEducationStatuses
    );
    Ok(Some((entity_type, created)))
}
