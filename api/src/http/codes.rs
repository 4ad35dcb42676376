//! HUD code lists in the OpenAPI document: each list a named schema of its codes (`enum`),
//! each code's label beside it (`x-enum-descriptions`, which generated clients and readers
//! of the spec show), so that Swagger UI offers the choices and a generated client types
//! the field as a union of codes. The codes come from the domain's lists, the one place
//! they are written.

use std::borrow::Cow;

use threshold_domain::codes::{self as hud, CodeList};
use utoipa::openapi::extensions::ExtensionsBuilder;
use utoipa::openapi::schema::{ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::RefOr;

/// The schema of an integer of the HUD list `L`.
pub fn list_schema<L: CodeList>() -> Schema {
    let codes: Vec<serde_json::Value> = L::CODES.iter().map(|(code, _)| (*code).into()).collect();
    let labels: Vec<serde_json::Value> =
        L::CODES.iter().map(|(_, label)| (*label).into()).collect();
    let table: Vec<String> = L::CODES
        .iter()
        .map(|(code, label)| format!("- `{code}`: {label}"))
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
                L::NAME,
                table.join("\n")
            )))
            .enum_values(Some(codes))
            .extensions(Some(extensions))
            .build(),
    )
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
