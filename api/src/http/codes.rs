//! HUD code lists in the OpenAPI document: each list a named schema of its codes (`enum`),
//! each code's label beside it (`x-enum-descriptions`, which generated clients and readers
//! of the spec show), so that Swagger UI offers the choices and a generated client types
//! the field as a union of codes. The codes come from the domain's lists, the one place
//! they are written.

use std::borrow::Cow;

use threshold_domain::codes::{self as hud, CodeList, HudList};
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// The schema of an integer of the HUD list `L`.
pub fn list_schema<L: CodeList>() -> Schema {
    hud_list_schema(L::LIST)
}

/// The schema of an integer of a HUD list.
pub fn hud_list_schema(list: HudList) -> Schema {
    let codes: Vec<serde_json::Value> = list
        .codes()
        .iter()
        .map(|(code, _)| (*code).into())
        .collect();
    let labels: Vec<serde_json::Value> = list
        .codes()
        .iter()
        .map(|(_, label)| (*label).into())
        .collect();
    let extensions = ExtensionsBuilder::new()
        .add("x-enum-descriptions", labels)
        .build();
    Schema::Object(
        ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .format(Some(utoipa::openapi::schema::SchemaFormat::KnownFormat(
                utoipa::openapi::KnownFormat::Int32,
            )))
            .description(Some(format!(
                "HUD list {}:\n\n{}",
                list.name(),
                list_table(list)
            )))
            .enum_values(Some(codes))
            .extensions(Some(extensions))
            .build(),
    )
}

/// The name a HUD list's schema has in the document: its type's (`Destination`).
pub fn schema_name(list: HudList) -> String {
    format!("{list:?}")
}

/// The codes of a list with their labels, one Markdown list item each.
pub fn list_table(list: HudList) -> String {
    list.codes()
        .iter()
        .map(|(code, label)| format!("- `{code}`: {label}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Each field of a HUD list that has a description of its own (`HUD 3.15.1: 1 is the head
/// of household.`) also lists the codes with their labels: Swagger UI and generated clients'
/// comments show the field's description in place of the list's, so without this a reader
/// of the field sees the codes without what they mean.
pub fn describe_fields(openapi: &mut utoipa::openapi::OpenApi) {
    let tables: Vec<(String, String)> = HudList::ALL
        .iter()
        .map(|list| (schema_name(*list), list_table(*list)))
        .collect();
    for item in openapi.paths.paths.values_mut() {
        let operations = [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ];
        for operation in operations.into_iter().flatten() {
            for parameter in operation.parameters.iter_mut().flatten() {
                let RefOr::T(parameter) = parameter else {
                    continue;
                };
                let Some(RefOr::Ref(reference)) = &parameter.schema else {
                    continue;
                };
                if let Some(table) = table_of(&reference.ref_location, &tables) {
                    let description = parameter.description.get_or_insert_with(String::new);
                    *description = format!("{description}\n\n{table}");
                }
            }
        }
    }
    let Some(components) = openapi.components.as_mut() else {
        return;
    };
    for schema in components.schemas.values_mut() {
        describe_in(schema, &tables);
    }
}

/// The table of the HUD list a `$ref` names, if it names one.
fn table_of<'t>(ref_location: &str, tables: &'t [(String, String)]) -> Option<&'t str> {
    let name = ref_location.rsplit('/').next().unwrap_or_default();
    tables
        .iter()
        .find(|(list, _)| *list == name)
        .map(|(_, table)| table.as_str())
}

fn describe_in(schema: &mut RefOr<Schema>, tables: &[(String, String)]) {
    match schema {
        RefOr::Ref(reference) => {
            if let Some(table) = table_of(&reference.ref_location, tables) {
                if !reference.description.is_empty() && !reference.description.contains(table) {
                    reference.description = format!("{}\n\n{table}", reference.description);
                }
            }
        }
        RefOr::T(Schema::Object(object)) => {
            for property in object.properties.values_mut() {
                describe_in(property, tables);
            }
        }
        RefOr::T(Schema::Array(array)) => {
            if let utoipa::openapi::schema::ArrayItems::RefOrSchema(items) = &mut array.items {
                describe_in(items, tables);
            }
        }
        RefOr::T(Schema::OneOf(one_of)) => {
            for item in &mut one_of.items {
                describe_in(item, tables);
            }
        }
        RefOr::T(Schema::AllOf(all_of)) => {
            for item in &mut all_of.items {
                describe_in(item, tables);
            }
        }
        RefOr::T(Schema::AnyOf(any_of)) => {
            for item in &mut any_of.items {
                describe_in(item, tables);
            }
        }
        RefOr::T(_) => {}
    }
}

/// Names a HUD list's schema for `#[schema(value_type = codes::Name)]`: a type of this
/// module per list, whose schema is the list's.
macro_rules! hud_lists {
    ($($name:ident),* $(,)?) => {
        $(
            #[doc = concat!("The OpenAPI schema of HUD's `", stringify!($name), "` codes.")]
            pub struct $name;

            impl utoipa::PartialSchema for $name {
                fn schema() -> RefOr<Schema> {
                    RefOr::T(list_schema::<hud::$name>())
                }
            }

            impl utoipa::ToSchema for $name {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed(stringify!($name))
                }
            }
        )*
    };
}

hud_lists!(
    NoYesMissing,
    RaceNone,
    DataQuality,
    Sex,
    RelationshipToHoh,
    Destination,
    RentalSubsidyType,
    PriorLivingSituation,
    LengthOfStay,
    ProjectType,
    FundingSource,
    AssessmentType,
    AssessmentLevel,
    PrioritizationStatus,
    ServiceRecordType,
);
