//! Creation events an import leaves implied. Services and HUD's records are most of what an
//! HMIS archive holds (831,000 of the 1,030,000 records of a 100,000-enrollment export): an
//! import stores them without a creation event each, which would repeat every value the
//! record itself holds, into a table of five indexes, and cost the import more than the
//! records themselves. The import is one write with one event of its own (`import`, with
//! its counts), and each record it created names it (`created_by` is `import:<job id>`).
//!
//! Asked for one such record's events (`entity_type` and `entity_id`), the trail answers
//! with its creation as the import would have stored it: at its `created_at`, by its
//! `created_by`, with the values it was created with, which are the stored row's with the
//! changes of every later event undone (each keeps a field's `old` value). Its ID is the
//! record's own: made when the import read the record, before any later event's.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::{Map, Value};
use threshold_domain::hud_records::Collection;

use super::{creation_changes, enrollment_organization, fields, AuditEventRow, Audited};
use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{kind, EnrollmentId, EntityId};
use crate::imports::IMPORT_ACTOR;
use crate::rows::{AnyHudRecord, ServiceRow};
use crate::schema::{audit_events, hud_records, services};

/// Whether an import leaves the creation events of `entity_type`'s records implied:
/// services and the seven kinds of HUD records. None is a client or an enrollment, whose
/// events the search shows only to those who may see the client: an implied event is
/// shown to its organization.
pub fn is_implied(entity_type: &str) -> bool {
    entity_type == ServiceRow::ENTITY
        || Collection::ALL
            .iter()
            .any(|collection| collection.entity() == entity_type)
}

/// What a record's implied creation is made from.
struct Created {
    fields: Map<String, Value>,
    at: NaiveDateTime,
    by: String,
    enrollment_id: EnrollmentId,
}

/// The creation event of the record, when an import created it without storing one.
pub(super) fn creation(
    conn: &mut DbConnection,
    entity_type: &str,
    entity_id: EntityId,
) -> Result<Option<AuditEventRow>, StoreError> {
    if !is_implied(entity_type) {
        return Ok(None);
    }
    let Some(mut created) = load(conn, entity_type, entity_id)? else {
        return Ok(None);
    };
    if !created.by.starts_with(IMPORT_ACTOR) {
        return Ok(None);
    }
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
    for (_, changes) in &later {
        undo(&mut created.fields, changes);
    }
    let organization_id = enrollment_organization(conn, created.enrollment_id)?;
    Ok(Some(AuditEventRow {
        id: entity_id.cast(),
        at: created.at,
        actor: created.by,
        action: "create".to_owned(),
        entity_type: entity_type.to_owned(),
        entity_id,
        organization_id,
        changes: creation_changes(&created.fields),
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

/// The record as the trail records it, whatever its kind.
fn load(
    conn: &mut DbConnection,
    entity_type: &str,
    entity_id: EntityId,
) -> Result<Option<Created>, StoreError> {
    if entity_type == ServiceRow::ENTITY {
        let row: Option<ServiceRow> = services::table
            .find(entity_id.cast::<kind::Service>())
            .first(conn)
            .optional()?;
        return Ok(row.map(|row| Created {
            fields: fields(&row),
            at: row.created_at,
            by: row.created_by,
            enrollment_id: row.enrollment_id,
        }));
    }
    let row: Option<AnyHudRecord> = hud_records::table
        .find(entity_id.cast::<kind::AnyHudRecord>())
        .first(conn)
        .optional()?;
    let Some(row) = row.filter(|row| row.collection.entity() == entity_type) else {
        return Ok(None);
    };
    let (at, by, enrollment_id) = (row.created_at, row.created_by.clone(), row.enrollment_id);
    // Typed by its collection, the record's JSON is the one its events were made from.
    macro_rules! typed {
        ($($kind:ident),*) => {
            match row.collection {
                $(Collection::$kind => row.into_collection::<kind::$kind>().map(|row| fields(&row)),)*
            }
        };
    }
    let fields = typed!(
        IncomeBenefits,
        Disabilities,
        HealthAndDv,
        EmploymentEducation,
        CurrentLivingSituations,
        Events,
        YouthEducationStatuses
    );
    Ok(fields.map(|fields| Created {
        fields,
        at,
        by,
        enrollment_id,
    }))
}
