//! The bodies of a descriptor collection: what a `POST` and a `PATCH` give, read into the
//! domain's fields (`threshold_domain::program_descriptors`) and checked there, every
//! problem at once (422).

use std::marker::PhantomData;

use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use threshold_domain::hud_fields::FieldSet;
use threshold_domain::hud_records::{HudFields, HudValue};
use threshold_domain::program_descriptors::{check_fields, parse_fields, FieldChanges};
use threshold_domain::FieldError;
use threshold_persistence::rows::given;

use super::ApiDescriptor;
use crate::http::extract::CheckBody;

/// A field's value as the API shows it.
pub fn json_of(value: &HudValue) -> Value {
    match value {
        HudValue::Text(text) => Value::String(text.clone()),
        HudValue::Integer(code) => Value::from(*code),
        HudValue::Date(date) => Value::String(date.to_string()),
        HudValue::Money(amount) => Value::from(amount.dollars()),
    }
}

/// Reads a body of `D`'s records: the fields it sets, and what is wrong with them.
fn read<D: ApiDescriptor>(object: &Map<String, Value>) -> (FieldChanges, Vec<FieldError>) {
    parse_fields(
        D::DESCRIPTOR,
        object
            .iter()
            .map(|(name, value)| (name.as_str(), given(value))),
    )
}

/// The body of a `POST`: a new record's fields.
#[derive(Debug)]
pub struct CreateDescriptor<D> {
    object: Map<String, Value>,
    descriptor: PhantomData<D>,
}

/// The body of a `PATCH` (JSON Merge Patch): `null` clears a field that may be empty.
#[derive(Debug)]
pub struct UpdateDescriptor<D> {
    object: Map<String, Value>,
    descriptor: PhantomData<D>,
}

macro_rules! object_body {
    ($body:ident) => {
        impl<'de, D> Deserialize<'de> for $body<D> {
            fn deserialize<De: Deserializer<'de>>(deserializer: De) -> Result<Self, De::Error> {
                Ok($body {
                    object: Map::deserialize(deserializer)?,
                    descriptor: PhantomData,
                })
            }
        }
    };
}

object_body!(CreateDescriptor);
object_body!(UpdateDescriptor);

impl<D: ApiDescriptor> CreateDescriptor<D> {
    /// The fields given a value.
    pub fn fields(&self) -> HudFields {
        HudFields::default().merged(&read::<D>(&self.object).0)
    }
}

impl<D: ApiDescriptor> UpdateDescriptor<D> {
    /// The fields the patch sets or clears.
    pub fn changes(&self) -> FieldChanges {
        read::<D>(&self.object).0
    }
}

impl<D: ApiDescriptor> CheckBody for CreateDescriptor<D> {
    fn check(&self) -> Vec<FieldError> {
        let (changes, mut errors) = read::<D>(&self.object);
        let fields = HudFields::default().merged(&changes);
        // A field already refused is not said to be missing too.
        let refused: Vec<String> = errors.iter().map(|error| error.field.clone()).collect();
        errors.extend(
            check_fields(D::DESCRIPTOR, &fields)
                .into_iter()
                .filter(|error| !refused.contains(&error.field)),
        );
        errors
    }
}

impl<D: ApiDescriptor> CheckBody for UpdateDescriptor<D> {
    fn check(&self) -> Vec<FieldError> {
        let (_, mut errors) = read::<D>(&self.object);
        for column in D::DESCRIPTOR.field_columns() {
            if column.required && self.object.get(column.field) == Some(&Value::Null) {
                errors.push(FieldError::new(
                    column.field,
                    "required",
                    format!("{} cannot be cleared", column.field),
                ));
            }
        }
        errors
    }
}
