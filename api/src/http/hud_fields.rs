//! HUD fields on the wire: the OpenAPI schema of each field, made from the column catalog
//! (its type, its length, its code list as a `$ref` to the list's named schema, a count
//! never negative, an amount in dollars), and the schemas and bodies of the HUD fields a
//! client, an enrollment, an exit, a program or an organization holds beside its own
//! ([`Resource`]): one place for every resource whose fields are catalog columns.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};
use threshold_domain::codes::HudList;
use threshold_domain::hmis_csv::{Coding, Column, ColumnType};
use threshold_domain::hud_fields::resources::Resource;
use threshold_domain::hud_fields::{parse_fields, FieldChanges, FieldSet};
use threshold_domain::FieldError;
use utoipa::openapi::schema::{
    AdditionalProperties, KnownFormat, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat,
    SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};

use crate::http::codes::{hud_list_schema, schema_name};
use crate::http::extract::CheckBody;
use crate::usecases::hud_records::given;

pub const DATE_PATTERN: &str = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$";
/// 2.03.1: two capital letters, a hyphen, three digits (`CA-500`).
const COC_CODE_PATTERN: &str = "^[A-Z]{2}-[0-9]{3}$";

/// The schema of one HUD field, described by `described` (the column's file and name, its
/// element); `nullable` where a body may clear it or a view shows it empty.
pub fn field_schema(column: &Column, described: String, nullable: bool) -> RefOr<Schema> {
    let schema: RefOr<Schema> = match column.kind {
        ColumnType::Text(max) => {
            let pattern = if column.field == "coc_code" {
                COC_CODE_PATTERN
            } else {
                "\\S"
            };
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::String))
                .min_length(Some(1))
                .max_length(Some(max))
                .pattern(Some(pattern))
                .description(Some(described))
                .into()
        }
        ColumnType::Integer(Coding::List(list)) => {
            let mut reference = Ref::from_schema_name(schema_name(list));
            reference.description = described;
            RefOr::Ref(reference)
        }
        ColumnType::Integer(Coding::Conditional(lists)) => {
            let names: Vec<String> = lists
                .iter()
                .map(|candidate| {
                    let when: Vec<String> = candidate
                        .when
                        .iter()
                        .map(|condition| format!("{} in {:?}", condition.column, condition.codes))
                        .collect();
                    format!("- {} when {}", candidate.list.name(), when.join(" and "))
                })
                .collect();
            // Every code of every list it may take; which list is a rule across fields.
            let mut codes: Vec<i32> = lists
                .iter()
                .flat_map(|candidate| candidate.list.codes().iter().map(|(code, _)| *code))
                .collect();
            codes.sort_unstable();
            codes.dedup();
            ObjectBuilder::new()
                .schema_type(SchemaType::Type(Type::Integer))
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
                .enum_values(Some(codes))
                .description(Some(format!(
                    "{described} A code of the list the record's other codes call for:\n\n{}",
                    names.join("\n")
                )))
                .into()
        }
        ColumnType::Integer(_) => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Integer))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int32)))
            .minimum(Some(0))
            .maximum(Some(i32::MAX))
            .description(Some(format!(
                "{described} A count, a year or a score, never negative."
            )))
            .into(),
        ColumnType::Date => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
            .pattern(Some(DATE_PATTERN))
            .description(Some(described))
            .into(),
        ColumnType::DateTime => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::String))
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime)))
            .description(Some(described))
            .into(),
        ColumnType::Money => ObjectBuilder::new()
            .schema_type(SchemaType::Type(Type::Number))
            .minimum(Some(0))
            .maximum(Some(1_000_000_000))
            .multiple_of(Some(0.01))
            .description(Some(format!("{described} Dollars, at most two decimals.")))
            .into(),
    };
    if nullable {
        OneOfBuilder::new()
            .item(schema)
            .item(ObjectBuilder::new().schema_type(SchemaType::Type(Type::Null)))
            .into()
    } else {
        schema
    }
}

/// The named schemas of the HUD lists `columns` take.
pub fn list_schemas<'a>(
    columns: impl IntoIterator<Item = &'a Column>,
    schemas: &mut Vec<(String, RefOr<Schema>)>,
) {
    let mut lists: Vec<HudList> = columns.into_iter().filter_map(Column::list).collect();
    lists.sort();
    lists.dedup();
    for list in lists {
        schemas.push((schema_name(list), RefOr::T(hud_list_schema(list))));
    }
}

/// A resource with HUD fields beside its own, as a type (for the generic bodies and views).
pub trait ApiResource {
    const RESOURCE: Resource;
    /// The name of its fields' schemas: `ClientHudFields`, `UpdateClientHudFields`.
    const TYPE_NAME: &'static str;
}

macro_rules! api_resources {
    ($($name:ident => $resource:ident, $view:ident),* $(,)?) => {
        $(
            #[doc = concat!("The HUD fields of ", stringify!($resource), " (`Resource::", stringify!($resource), "`).")]
            #[derive(Debug, Clone, Copy)]
            pub struct $name;

            impl ApiResource for $name {
                const RESOURCE: Resource = Resource::$resource;
                const TYPE_NAME: &'static str = stringify!($name);
            }

            #[doc = concat!("The schema of `HudView<", stringify!($name), ">` as a plain type, for a derived view's field (`#[schema(value_type = ...)]` cannot name a generic type's schema).")]
            pub struct $view;

            impl PartialSchema for $view {
                fn schema() -> RefOr<Schema> {
                    <HudView<$name> as PartialSchema>::schema()
                }
            }

            impl ToSchema for $view {
                fn name() -> Cow<'static, str> {
                    <HudView<$name> as ToSchema>::name()
                }

                fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                    <HudView<$name> as ToSchema>::schemas(schemas);
                }
            }
        )*
    };
}

api_resources!(
    ClientHud => Client, ClientHudView,
    EnrollmentHud => Enrollment, EnrollmentHudView,
    ExitHud => Exit, ExitHudView,
    ProgramHud => Program, ProgramHudView,
    OrganizationHud => Organization, OrganizationHudView,
);

/// How a field reads in a resource's description: `HMIS CSV Enrollment.DateToStreetESSH
/// (HUD 3.917.3).`
fn described(resource: Resource, column: &Column) -> String {
    match Resource::element(column.name) {
        Some(element) => format!(
            "HMIS CSV {}.{} (HUD {element}).",
            resource.file().name,
            column.name
        ),
        None => format!("HMIS CSV {}.{}.", resource.file().name, column.name),
    }
}

/// The object of a resource's HUD fields: every one optional; `nullable` in a patch (where
/// `null` clears a field) and a view (where it shows one empty).
fn object(resource: Resource, nullable: bool) -> ObjectBuilder {
    let mut object = ObjectBuilder::new().schema_type(SchemaType::Type(Type::Object));
    for column in resource.field_columns() {
        object = object.property(
            column.field,
            field_schema(column, described(resource, column), nullable),
        );
    }
    object
}

/// The HUD fields a body gives (a create's or a patch's), as JSON: every member of the body
/// the resource's own fields did not take (the extractor has refused the names that are
/// neither, from this type's schema).
#[derive(Debug, Clone, Default)]
pub struct HudBody<R> {
    pub object: Map<String, Value>,
    _resource: PhantomData<R>,
}

impl<'de, R> Deserialize<'de> for HudBody<R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(HudBody {
            object: Map::deserialize(deserializer)?,
            _resource: PhantomData,
        })
    }
}

impl<R: ApiResource> HudBody<R> {
    /// The fields given, read against the catalog (`None` clears a field), with every
    /// problem of type, length and list.
    pub fn read(&self) -> (FieldChanges, Vec<FieldError>) {
        parse_fields(
            R::RESOURCE,
            self.object
                .iter()
                .map(|(name, value)| (name.as_str(), given(value))),
        )
    }

    /// The fields given, once the body's check has passed.
    pub fn changes(&self) -> FieldChanges {
        self.read().0
    }

    /// The problems of type, length and list (the body's check).
    pub fn check(&self) -> Vec<FieldError> {
        self.read().1
    }
}

impl<R: ApiResource> PartialSchema for HudBody<R> {
    fn schema() -> RefOr<Schema> {
        object(R::RESOURCE, true).into()
    }
}

impl<R: ApiResource> ToSchema for HudBody<R> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}Fields", R::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        list_schemas(R::RESOURCE.field_columns(), schemas);
    }
}

/// A resource's HUD fields as shown: every field of its file it does not hold as its own,
/// `null` where nothing is recorded.
#[derive(Debug, Clone, Default)]
pub struct HudView<R> {
    pub fields: Map<String, Value>,
    _resource: PhantomData<R>,
}

impl<R: ApiResource> HudView<R> {
    /// The view of stored fields (a JSON object of them, by field name).
    pub fn of(stored: &Map<String, Value>) -> HudView<R> {
        HudView {
            fields: stored.clone(),
            _resource: PhantomData,
        }
    }
}

impl<R: ApiResource> Serialize for HudView<R> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let columns: Vec<&Column> = R::RESOURCE.field_columns().collect();
        let mut map = serializer.serialize_map(Some(columns.len()))?;
        for column in columns {
            map.serialize_entry(
                column.field,
                self.fields.get(column.field).unwrap_or(&Value::Null),
            )?;
        }
        map.end()
    }
}

impl<R: ApiResource> PartialSchema for HudView<R> {
    fn schema() -> RefOr<Schema> {
        let mut object = object(R::RESOURCE, true);
        for column in R::RESOURCE.field_columns() {
            object = object.required(column.field);
        }
        object.into()
    }
}

impl<R: ApiResource> ToSchema for HudView<R> {
    fn name() -> Cow<'static, str> {
        Cow::Owned(format!("{}View", R::TYPE_NAME))
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        list_schemas(R::RESOURCE.field_columns(), schemas);
    }
}

/// A body of a resource with HUD fields: its own fields (`T`, a derived body without
/// `deny_unknown_fields`) and its HUD fields, one flat JSON object whose schema is `T`'s
/// (its name, its properties) with the HUD fields' properties added, closed to others.
///
/// The body extractor takes the HUD fields out before `T` reads the rest
/// ([`CheckBody::extra_fields`]), so that each problem of `T`'s fields is named by its
/// field, and hands them back ([`CheckBody::take_extra`]) for the checks.
#[derive(Debug, Clone)]
pub struct WithHud<T, R> {
    pub own: T,
    pub hud: HudBody<R>,
}

impl<'de, T: Deserialize<'de>, R> Deserialize<'de> for WithHud<T, R> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(WithHud {
            own: T::deserialize(deserializer)?,
            hud: HudBody {
                object: Map::new(),
                _resource: PhantomData,
            },
        })
    }
}

impl<T: PartialSchema, R: ApiResource> PartialSchema for WithHud<T, R> {
    fn schema() -> RefOr<Schema> {
        let RefOr::T(Schema::Object(mut object)) = T::schema() else {
            return T::schema();
        };
        let RefOr::T(Schema::Object(hud)) = HudBody::<R>::schema() else {
            return RefOr::T(Schema::Object(object));
        };
        object.properties.extend(hud.properties);
        object.additional_properties = Some(Box::new(AdditionalProperties::FreeForm(false)));
        RefOr::T(Schema::Object(object))
    }
}

impl<T: ToSchema, R: ApiResource> ToSchema for WithHud<T, R> {
    fn name() -> Cow<'static, str> {
        T::name()
    }

    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        T::schemas(schemas);
        HudBody::<R>::schemas(schemas);
    }
}

impl<T: CheckBody, R: ApiResource> CheckBody for WithHud<T, R> {
    fn check(&self) -> Vec<FieldError> {
        let mut errors = self.own.check();
        errors.extend(self.hud.check());
        errors
    }

    fn extra_fields() -> Vec<&'static str> {
        R::RESOURCE
            .field_columns()
            .map(|column| column.field)
            .collect()
    }

    fn take_extra(&mut self, extra: Map<String, Value>) {
        self.hud.object = extra;
    }
}
