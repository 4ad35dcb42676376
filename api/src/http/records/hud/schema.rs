//! The OpenAPI schemas of a HUD record collection, made from the column catalog: each HUD
//! field with its element's type, its length, its code list (a `$ref` to the list's named
//! schema), so that the spec says what the server reads.

use std::borrow::Cow;

use threshold_domain::codes::HudList;
use threshold_domain::hmis_csv::Column;
use threshold_domain::hud_records::{Collection, FieldSet};
use utoipa::openapi::schema::{
    AllOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::body::{stage_list, CreateHudRecord, UpdateHudRecord, INFORMATION_DATE, STAGE};
use super::{ApiCollection, HudRecordView};
use crate::http::codes::{hud_list_schema, schema_name};
use crate::http::hud_fields::{self, DATE_PATTERN};
use crate::http::v1::common::Audit;

fn date_schema(description: &str) -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(DATE_PATTERN))
        .description(Some(description))
        .into()
}

fn list_ref(list: HudList, description: &str) -> RefOr<Schema> {
    let mut reference = Ref::from_schema_name(schema_name(list));
    reference.description = description.to_owned();
    RefOr::Ref(reference)
}

/// The schema of one HUD field; `nullable` where a body may clear it or a view shows it
/// empty.
fn field_schema(collection: Collection, column: &Column, nullable: bool) -> RefOr<Schema> {
    let described = format!("HMIS CSV {}.{}.", collection.file().name, column.name);
    hud_fields::field_schema(column, described, nullable)
}

/// The HUD lists the collection's fields name, with the stage's.
fn lists_of(collection: Collection) -> Vec<HudList> {
    let mut lists: Vec<HudList> = collection
        .field_columns()
        .filter_map(Column::list)
        .collect();
    if collection.has_stage() {
        lists.push(stage_list());
    }
    lists.sort();
    lists.dedup();
    lists
}

fn add_lists(collection: Collection, schemas: &mut Vec<(String, RefOr<Schema>)>) {
    for list in lists_of(collection) {
        schemas.push((schema_name(list), RefOr::T(hud_list_schema(list))));
    }
}

/// A body or view's object: the date and stage, then the HUD fields in the file's order.
fn object(collection: Collection, write: Option<bool>) -> ObjectBuilder {
    let patch = write == Some(false);
    let mut object = ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::Object))
        .property(
            INFORMATION_DATE,
            date_schema(&format!(
                "HMIS CSV {}.{}: within the enrollment's period, not in the future.",
                collection.file().name,
                collection.date_column()
            )),
        );
    if write == Some(true) {
        object = object.required(INFORMATION_DATE);
    }
    if collection.has_stage() {
        object = object.property(STAGE, list_ref(stage_list(), "HUD 5.03: 1 project start, 2 update, 3 project exit, 5 annual assessment, 6 post-exit."));
        if write != Some(false) {
            object = object.required(STAGE);
        }
    }
    for column in collection.field_columns() {
        object = object.property(
            column.field,
            field_schema(collection, column, patch || write.is_none()),
        );
    }
    if write.is_some() {
        object = object.additional_properties(Some(
            utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
        ));
    }
    object
}

impl<C: ApiCollection> PartialSchema for CreateHudRecord<C> {
    fn schema() -> RefOr<Schema> {
        object(C::COLLECTION, Some(true))
            .description(Some(format!("A new {} record.", C::NAMES.one)))
            .into()
    }
}

impl<C: ApiCollection> ToSchema for CreateHudRecord<C> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Create{}", C::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        add_lists(C::COLLECTION, schemas);
    }
}

impl<C: ApiCollection> PartialSchema for UpdateHudRecord<C> {
    fn schema() -> RefOr<Schema> {
        object(C::COLLECTION, Some(false))
            .description(Some(format!(
                "JSON Merge Patch of a {} record: `null` clears a HUD field.",
                C::NAMES.one
            )))
            .into()
    }
}

impl<C: ApiCollection> ToSchema for UpdateHudRecord<C> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Update{}", C::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        add_lists(C::COLLECTION, schemas);
    }
}

impl<C: ApiCollection> PartialSchema for HudRecordView<C> {
    fn schema() -> RefOr<Schema> {
        let record = object(C::COLLECTION, None)
            .property("id", uuid())
            .property("enrollment_id", uuid())
            .required("id")
            .required("enrollment_id")
            .required(INFORMATION_DATE);
        AllOfBuilder::new()
            .item(RefOr::Ref(Ref::from_schema_name(Audit::name())))
            .item(record)
            .description(Some(format!(
                "A {} record: every HUD field of its file, `null` where nothing is recorded.",
                C::NAMES.one
            )))
            .into()
    }
}

impl<C: ApiCollection> ToSchema for HudRecordView<C> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}View", C::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        add_lists(C::COLLECTION, schemas);
        schemas.push((Audit::name().into_owned(), Audit::schema()));
    }
}

fn uuid() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .into()
}

/// Names the patch schema of one collection as a plain type, for a field of another body
/// (`#[schema(value_type = ...)]` cannot name a generic type's schema).
macro_rules! patch_schema_of {
    ($($name:ident: $collection:ty),* $(,)?) => {
        $(
            #[doc = concat!("The schema of `UpdateHudRecord<", stringify!($collection), ">`.")]
            pub struct $name;

            impl PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    <UpdateHudRecord<$collection> as PartialSchema>::schema()
                }
            }

            impl ToSchema for $name {
                fn name() -> Cow<'static, str> {
                    <UpdateHudRecord<$collection> as ToSchema>::name()
                }

                fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                    <UpdateHudRecord<$collection> as ToSchema>::schemas(schemas);
                }
            }
        )*
    };
}

patch_schema_of!(
    IncomeBenefitsPatch: threshold_persistence::rows::IncomeBenefits,
    DisabilityPatch: threshold_persistence::rows::Disabilities,
    HealthAndDvPatch: threshold_persistence::rows::HealthAndDv,
    EmploymentEducationPatch: threshold_persistence::rows::EmploymentEducation,
);
