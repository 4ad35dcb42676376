//! The OpenAPI schemas of a descriptor collection, made from the column catalog: each field
//! with its column's type, its length, its code list (a `$ref` to the list's named schema),
//! so that the spec says what the server reads.

use std::borrow::Cow;

use threshold_domain::hmis_csv::Column;
use threshold_domain::hud_fields::FieldSet;
use utoipa::openapi::schema::{
    AdditionalProperties, AllOfBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use super::{ApiDescriptor, CreateDescriptor, DescriptorView, UpdateDescriptor};
use crate::http::hud_fields;
use crate::http::v1::common::Audit;

/// What a schema is for: a new record, a patch, or a record as shown.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Use {
    Create,
    Patch,
    View,
}

/// The schema of one field; `null` is allowed where a patch may clear it or a view shows it
/// empty.
fn field_schema<D: ApiDescriptor>(column: &Column, usage: Use) -> RefOr<Schema> {
    let described = format!("HMIS CSV {}.{}.", D::DESCRIPTOR.file().name, column.name);
    let nullable = match usage {
        Use::Create => false,
        Use::Patch | Use::View => !column.required,
    };
    hud_fields::field_schema(column, described, nullable)
}

/// The HUD lists the fields name.
fn add_lists<D: ApiDescriptor>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    hud_fields::list_schemas(D::DESCRIPTOR.field_columns(), schemas);
}

/// A body or view's object: the fields in the file's order.
fn object<D: ApiDescriptor>(usage: Use) -> ObjectBuilder {
    let mut object = ObjectBuilder::new().schema_type(SchemaType::Type(Type::Object));
    for column in D::DESCRIPTOR.field_columns() {
        object = object.property(column.field, field_schema::<D>(column, usage));
        if column.required && usage != Use::Patch {
            object = object.required(column.field);
        }
    }
    if usage != Use::View {
        object = object.additional_properties(Some(AdditionalProperties::FreeForm(false)));
    }
    object
}

impl<D: ApiDescriptor> PartialSchema for CreateDescriptor<D> {
    fn schema() -> RefOr<Schema> {
        object::<D>(Use::Create)
            .description(Some(format!("A new {} ({}).", D::NAMES.one, D::ELEMENT)))
            .into()
    }
}

impl<D: ApiDescriptor> ToSchema for CreateDescriptor<D> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Create{}", D::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        add_lists::<D>(schemas);
    }
}

impl<D: ApiDescriptor> PartialSchema for UpdateDescriptor<D> {
    fn schema() -> RefOr<Schema> {
        object::<D>(Use::Patch)
            .description(Some(format!(
                "JSON Merge Patch of a {}: `null` clears a field that may be empty.",
                D::NAMES.one
            )))
            .into()
    }
}

impl<D: ApiDescriptor> ToSchema for UpdateDescriptor<D> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("Update{}", D::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        add_lists::<D>(schemas);
    }
}

impl<D: ApiDescriptor> PartialSchema for DescriptorView<D> {
    fn schema() -> RefOr<Schema> {
        let record = object::<D>(Use::View)
            .property("id", uuid())
            .property("program_id", uuid())
            .required("id")
            .required("program_id");
        AllOfBuilder::new()
            .item(RefOr::Ref(Ref::from_schema_name(Audit::name())))
            .item(record)
            .description(Some(format!(
                "A {} ({}): every field of its file, `null` where nothing is recorded.",
                D::NAMES.one,
                D::ELEMENT
            )))
            .into()
    }
}

impl<D: ApiDescriptor> ToSchema for DescriptorView<D> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}View", D::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        add_lists::<D>(schemas);
        schemas.push((Audit::name().into_owned(), Audit::schema()));
    }
}

fn uuid() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::Type(Type::String))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .into()
}
