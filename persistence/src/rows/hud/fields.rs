//! A HUD record's fields, as `hud_records.fields` keeps them.

use diesel::deserialize::FromSqlRow;
use diesel::expression::AsExpression;
use diesel::sql_types::Text;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::{Map, Value};

use threshold_domain::hud_fields::{parse_fields, present, FieldSet, Given, HudFields, HudValue};
use threshold_domain::hud_records::Collection;

use crate::rows::stored_text::StoredText;

/// The columns of `hud_records` that a record's JSON holds beside its fields: no field may
/// take one of their names.
pub(super) const COLUMNS: [&str; 12] = [
    "id",
    "enrollment_id",
    "collection",
    "information_date",
    "data_collection_stage",
    "disability_type",
    "version",
    "created_at",
    "updated_at",
    "created_by",
    "updated_by",
    "deleted_at",
];

/// A record's HUD fields by the API's names (`total_monthly_income`), as one JSON object,
/// none named like a column of `hud_records` (the columns hold those values: a disability's
/// `disability_type`, which the domain counts among its fields, is kept in its column).
/// Which fields a record may have, and their values, is the domain's to check against its
/// column catalog (`hud_records::HudFields` is their checked form).
#[derive(Debug, Clone, PartialEq, Default, Deserialize, AsExpression, FromSqlRow)]
#[diesel(sql_type = Text)]
#[serde(try_from = "Map<String, Value>")]
pub struct HudFieldsJson(Map<String, Value>);

/// Why a value cannot be a record's [`HudFieldsJson`].
#[derive(Debug, thiserror::Error)]
pub enum NotHudFieldsJson {
    #[error("the fields are not a JSON object")]
    NotAnObject,
    #[error("`{0}` is a column of the record, not one of its fields")]
    Column(String),
    #[error("the fields are not JSON: {0}")]
    NotJson(#[from] serde_json::Error),
}

impl HudFieldsJson {
    /// The fields of `object`, unless one is named like a column.
    pub fn new(object: Map<String, Value>) -> Result<HudFieldsJson, NotHudFieldsJson> {
        if let Some(column) = object.keys().find(|name| COLUMNS.contains(&name.as_str())) {
            return Err(NotHudFieldsJson::Column(column.clone()));
        }
        Ok(HudFieldsJson(object))
    }

    /// The fields of a JSON value, which must be an object.
    pub fn from_value(value: Value) -> Result<HudFieldsJson, NotHudFieldsJson> {
        match value {
            Value::Object(object) => HudFieldsJson::new(object),
            _ => Err(NotHudFieldsJson::NotAnObject),
        }
    }

    pub fn get(&self, name: &str) -> Option<&Value> {
        self.0.get(name)
    }

    /// Sets a field, answering what it held before.
    pub fn insert(&mut self, name: &str, value: Value) -> Result<Option<Value>, NotHudFieldsJson> {
        if COLUMNS.contains(&name) {
            return Err(NotHudFieldsJson::Column(name.to_owned()));
        }
        Ok(self.0.insert(name.to_owned(), value))
    }

    pub fn remove(&mut self, name: &str) -> Option<Value> {
        self.0.remove(name)
    }

    pub fn as_map(&self) -> &Map<String, Value> {
        &self.0
    }

    pub fn into_map(self) -> Map<String, Value> {
        self.0
    }
}

impl TryFrom<Map<String, Value>> for HudFieldsJson {
    type Error = NotHudFieldsJson;

    fn try_from(object: Map<String, Value>) -> Result<HudFieldsJson, NotHudFieldsJson> {
        HudFieldsJson::new(object)
    }
}

impl Serialize for HudFieldsJson {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl StoredText for HudFieldsJson {
    type Refused = NotHudFieldsJson;

    fn to_text(&self) -> String {
        // A map of JSON values always prints (as `StoredAnswer::encode` relies on too).
        serde_json::to_string(&self.0).unwrap_or_else(|_| "{}".into())
    }

    fn from_text(text: &str) -> Result<HudFieldsJson, NotHudFieldsJson> {
        HudFieldsJson::from_value(serde_json::from_str(text)?)
    }
}

stored_as_text!([] HudFieldsJson);

/// A JSON value as the domain reads it.
pub fn given(value: &Value) -> Given<'_> {
    match value {
        Value::Null => Given::Null,
        Value::Bool(flag) => Given::Bool(*flag),
        Value::Number(number) => match number.as_i64() {
            Some(integer) => Given::Integer(integer),
            None => Given::Number(number.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(text) => Given::Text(text),
        Value::Array(_) | Value::Object(_) => Given::Composite,
    }
}

/// A disability's type has a column of its own, beside the JSON of the other fields.
pub const DISABILITY_TYPE: &str = "disability_type";

impl HudFieldsJson {
    /// The stored fields as the domain reads them, as fields of `set`. They were checked
    /// when written: a field a later list would refuse is left out of the reading, never a
    /// reason to fail a read.
    pub fn read(&self, set: impl FieldSet) -> HudFields {
        let entries = self
            .0
            .iter()
            .map(|(name, value)| (name.as_str(), given(value)));
        present(parse_fields(set, entries).0)
    }
}

/// A stored record's fields as the domain reads them, with a disability's type from its
/// column.
pub fn stored_fields(
    collection: Collection,
    json: &HudFieldsJson,
    disability_type: Option<i32>,
) -> HudFields {
    let mut fields = json.read(collection);
    if let Some(kind) = disability_type {
        fields = fields.merged(&[(DISABILITY_TYPE, Some(HudValue::Integer(kind)))].into());
    }
    fields
}
