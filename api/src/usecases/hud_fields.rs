//! The HUD fields a client, an enrollment, an exit, a program or an organization holds
//! beside its own (`hud_fields::resources`): read from their stored JSON, changed and
//! checked by the domain, stored again. One place for every resource's writes of them.

use serde_json::{Map, Value};
use threshold_domain::hud_fields::resources::{apply_changes, Own, Resource};
use threshold_domain::hud_fields::{FieldChanges, HudFields, HudValue};
use threshold_persistence::rows::{EnrollmentRow, HudFieldsJson};

use crate::error::ApiError;

/// A HUD field's value as the API shows it and the tables store it.
pub fn json_of(value: &HudValue) -> Value {
    match value {
        HudValue::Text(text) => Value::String(text.clone()),
        HudValue::Integer(code) => Value::from(*code),
        HudValue::Date(date) => Value::String(date.to_string()),
        HudValue::Money(amount) => Value::from(amount.dollars()),
    }
}

/// Fields as stored, but those `skip` names (kept in columns of their own).
pub fn to_json(fields: &HudFields, skip: &[&str]) -> HudFieldsJson {
    let map: Map<String, Value> = fields
        .iter()
        .filter(|(field, _)| !skip.contains(field))
        .map(|(field, value)| (field.to_owned(), json_of(value)))
        .collect();
    // No HUD field is named like a column of a record's table, so this is never refused.
    HudFieldsJson::new(map).unwrap_or_default()
}

/// What the consistency of an enrollment's (or its exit's) HUD fields reads of its own: its
/// dates.
pub fn enrollment_own(row: &EnrollmentRow) -> Own {
    Own {
        entry_date: Some(row.entry_date.into()),
        exit_date: row.exit_date.map(Into::into),
        ..Own::default()
    }
}

/// `changes` applied to a resource's stored HUD fields, checked against its own fields
/// (`own`; `own_before` those of the stored resource, `None` for a new one): 422 for what
/// the change breaks (`validation.failed`).
pub fn apply(
    resource: Resource,
    stored_json: &HudFieldsJson,
    changes: &FieldChanges,
    own_before: Option<&Own>,
    own: &Own,
) -> Result<HudFieldsJson, ApiError> {
    let current = stored_json.read(resource);
    let next =
        apply_changes(resource, &current, changes, own_before, own).map_err(ApiError::Invalid)?;
    Ok(to_json(&next, &[]))
}
