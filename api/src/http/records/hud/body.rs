//! The bodies of a HUD record collection: what a `POST` and a `PATCH` give, read into the
//! domain's fields (`threshold_domain::hud_records`) and checked there, every problem at
//! once (422).

use std::collections::BTreeMap;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use threshold_domain::codes::HudList;
use threshold_domain::hud_records::consistency::check_consistency;
use threshold_domain::hud_records::fields::check_required;
use threshold_domain::hud_records::{parse_fields, Collection, FieldSet, HudFields, HudValue};
use threshold_domain::{Date, FieldError};

use super::ApiCollection;
use crate::clock::today;
use crate::http::extract::CheckBody;
pub use crate::usecases::hud_records::given;

/// The fields every record has beside its HUD fields.
pub const INFORMATION_DATE: &str = "information_date";
pub const STAGE: &str = "data_collection_stage";

/// A record's body as read: its date, its stage (HUD 5.03) and its HUD fields.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordBody {
    pub information_date: Option<Date>,
    pub stage: Option<i32>,
    /// `None` clears a field (a patch).
    pub fields: BTreeMap<&'static str, Option<HudValue>>,
}

impl RecordBody {
    /// The HUD fields that hold a value.
    pub fn present(&self) -> HudFields {
        self.fields
            .iter()
            .filter_map(|(field, value)| value.clone().map(|value| (*field, value)))
            .collect()
    }
}

/// Reads a body of `collection`: `information_date` (not in the future) and
/// `data_collection_stage` (a 5.03.1 code) beside the HUD fields.
pub fn read(collection: Collection, object: &Map<String, Value>) -> (RecordBody, Vec<FieldError>) {
    let mut errors = Vec::new();
    let mut information_date = None;
    let mut stage = None;
    let hud = object
        .iter()
        .filter(|(name, _)| name.as_str() != INFORMATION_DATE && name.as_str() != STAGE)
        .map(|(name, value)| (name.as_str(), given(value)));
    let (fields, mut field_errors) = parse_fields(collection, hud);
    match object.get(INFORMATION_DATE) {
        None | Some(Value::Null) => {}
        Some(Value::String(text)) => match Date::parse(text) {
            Ok(date) if date > today() => errors.push(FieldError::new(
                INFORMATION_DATE,
                "date.in_future",
                format!("{date} is in the future"),
            )),
            Ok(date) => information_date = Some(date),
            Err(_) => errors.push(not_a_date()),
        },
        Some(_) => errors.push(not_a_date()),
    }
    match object.get(STAGE) {
        None | Some(Value::Null) => {}
        Some(value) => match value.as_i64() {
            Some(code) if collection.has_stage() && stage_list().check(code).is_ok() => {
                stage = i32::try_from(code).ok();
            }
            _ if !collection.has_stage() => errors.push(FieldError::new(
                STAGE,
                "unknown_field",
                "unknown field `data_collection_stage`",
            )),
            _ => errors.push(FieldError::new(
                STAGE,
                "invalid",
                format!("{value} is not a code of HUD list {}", stage_list().name()),
            )),
        },
    }
    errors.append(&mut field_errors);
    (
        RecordBody {
            information_date,
            stage,
            fields,
        },
        errors,
    )
}

fn not_a_date() -> FieldError {
    FieldError::new(
        INFORMATION_DATE,
        "invalid",
        "`information_date` is not a date in the form YYYY-MM-DD",
    )
}

/// HUD 5.03.1 Data Collection Stage.
pub fn stage_list() -> HudList {
    HudList::DataCollectionStage
}

/// The body of a `POST`: a new record of the collection.
#[derive(Debug, Clone)]
pub struct CreateHudRecord<C> {
    pub object: Map<String, Value>,
    _collection: PhantomData<C>,
}

/// The body of a `PATCH` (JSON Merge Patch): `null` clears a HUD field.
#[derive(Debug, Clone)]
pub struct UpdateHudRecord<C> {
    pub object: Map<String, Value>,
    _collection: PhantomData<C>,
}

macro_rules! object_body {
    ($body:ident) => {
        impl<'de, C> Deserialize<'de> for $body<C> {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                Ok($body {
                    object: Map::deserialize(deserializer)?,
                    _collection: PhantomData,
                })
            }
        }
    };
}

object_body!(CreateHudRecord);
object_body!(UpdateHudRecord);

impl<C: ApiCollection> CreateHudRecord<C> {
    pub fn read(&self) -> RecordBody {
        read(C::COLLECTION, &self.object).0
    }
}

impl<C: ApiCollection> UpdateHudRecord<C> {
    pub fn read(&self) -> RecordBody {
        read(C::COLLECTION, &self.object).0
    }
}

/// HMIS CSV's "never null" columns among the fields (DisabilityType, Event), then, when
/// every field could be read, the record's own consistency.
fn check_whole(collection: Collection, body: &RecordBody, errors: &mut Vec<FieldError>) {
    let present = body.present();
    for missing in check_required(collection, &present) {
        if !errors.iter().any(|e| e.field == missing.field) {
            errors.push(missing);
        }
    }
    if errors.is_empty() {
        *errors = check_consistency(collection, &present);
    }
}

/// An exit-stage record an exit request brings: its HUD fields (the exit gives its date and
/// stage, 3), checked as a new record's are; problems named under `path`
/// (`records.{enrollment_id}.income_benefits`).
pub fn exit_record(
    collection: Collection,
    object: &Map<String, Value>,
    path: &str,
) -> (HudFields, Vec<FieldError>) {
    let (body, mut errors) = read(collection, object);
    for field in [INFORMATION_DATE, STAGE] {
        if object.contains_key(field) {
            errors.push(FieldError::new(
                field,
                "not_allowed",
                "an exit's records are dated the exit date, at stage 3 (project exit)",
            ));
        }
    }
    check_whole(collection, &body, &mut errors);
    for error in &mut errors {
        error.field = format!("{path}.{}", error.field);
    }
    (body.present(), errors)
}

impl<C: ApiCollection> CheckBody for CreateHudRecord<C> {
    fn check(&self) -> Vec<FieldError> {
        let collection = C::COLLECTION;
        let (body, mut errors) = read(collection, &self.object);
        if body.information_date.is_none() && !errors.iter().any(|e| e.field == INFORMATION_DATE) {
            errors.push(FieldError::new(
                INFORMATION_DATE,
                "required",
                "`information_date` is required",
            ));
        }
        if collection.has_stage()
            && body.stage.is_none()
            && !errors.iter().any(|e| e.field == STAGE)
        {
            errors.push(FieldError::new(
                STAGE,
                "required",
                "`data_collection_stage` is required",
            ));
        }
        check_whole(collection, &body, &mut errors);
        errors
    }
}

impl<C: ApiCollection> CheckBody for UpdateHudRecord<C> {
    fn check(&self) -> Vec<FieldError> {
        let (_, mut errors) = read(C::COLLECTION, &self.object);
        let required = C::COLLECTION
            .field_columns()
            .filter(|column| column.required)
            .map(|column| column.field);
        for field in [INFORMATION_DATE, STAGE].into_iter().chain(required) {
            if self.object.get(field) == Some(&Value::Null) {
                errors.push(FieldError::new(
                    field,
                    "required",
                    format!("{field} cannot be cleared"),
                ));
            }
        }
        errors
    }
}
