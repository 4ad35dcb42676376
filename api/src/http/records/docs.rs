//! The OpenAPI entries of a record resource, made from its types and names: what
//! `#[utoipa::path]` would say of each of the five handlers. What every operation shares
//! (the problem bodies, 400, 401, ...) is added in `http::openapi` as for any other.

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn, PathItem,
    Paths, PathsBuilder,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::{IntoParams, ToSchema};

use super::{Parent, RecordResource};
use crate::http::pagination::PageQuery;
use crate::http::v1::common::DryRun;

/// `/clients/{client_id}/enrollments/{enrollment_id}/services`
pub fn collection_path<R: RecordResource>() -> String {
    format!("{}/{}", R::Parent::PATH, R::NAMES.segment)
}

/// `/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}`
pub fn item_path<R: RecordResource>() -> String {
    format!("{}/{{{}}}", collection_path::<R>(), record_id_name::<R>())
}

fn record_id_name<R: RecordResource>() -> String {
    format!("{}_id", R::NAMES.noun)
}

/// The operation IDs of the five operations, also the names of their routes.
pub struct OperationIds {
    pub list: String,
    pub create: String,
    pub get: String,
    pub update: String,
    pub delete: String,
}

pub fn operation_ids<R: RecordResource>() -> OperationIds {
    let (noun, nouns) = (R::NAMES.noun, R::NAMES.nouns);
    OperationIds {
        list: format!("list_{nouns}"),
        create: format!("create_{noun}"),
        get: format!("get_{noun}"),
        update: format!("update_{noun}"),
        delete: format!("delete_{noun}"),
    }
}

pub fn paths<R: RecordResource>() -> Paths {
    let (collection, item) = (collection_path::<R>(), item_path::<R>());
    PathsBuilder::new()
        .path(&collection, PathItem::new(HttpMethod::Get, list::<R>()))
        .path(&collection, PathItem::new(HttpMethod::Post, create::<R>()))
        .path(&item, PathItem::new(HttpMethod::Get, get::<R>()))
        .path(&item, PathItem::new(HttpMethod::Patch, update::<R>()))
        .path(&item, PathItem::new(HttpMethod::Delete, delete::<R>()))
        .build()
}

/// The schemas the operations name, and those they name in turn.
pub fn schemas<R: RecordResource>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    fn add<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
    add::<R::Create>(schemas);
    add::<R::Update>(schemas);
    add::<R::View>(schemas);
    add::<R::List>(schemas);
}

fn list<R: RecordResource>() -> Operation {
    let parameters = parent_parameters::<R>()
        .into_iter()
        .chain(PageQuery::into_params(|| Some(ParameterIn::Query)));
    operation::<R>(R::DOCS.list, operation_ids::<R>().list)
        .parameters(Some(parameters))
        .responses(
            ResponsesBuilder::new()
                .response(
                    "200",
                    body(&format!("A page of {}", R::NAMES.many), R::List::name()),
                )
                .response(
                    "404",
                    ResponseBuilder::new().description(R::Parent::NOT_FOUND),
                ),
        )
        .build()
}

fn create<R: RecordResource>() -> Operation {
    let parameters = parent_parameters::<R>()
        .into_iter()
        .chain(DryRun::into_params(|| Some(ParameterIn::Query)));
    let created = ResponseBuilder::from(body("Created", R::View::name()))
        .header(
            "Location",
            header(&format!("The new {}'s URL", R::NAMES.one)),
        )
        .header("ETag", header("The version"));
    operation::<R>(R::DOCS.create, operation_ids::<R>().create)
        .parameters(Some(parameters))
        .request_body(Some(request_body("application/json", R::Create::name())))
        .responses(
            ResponsesBuilder::new()
                .response("201", created)
                .response(
                    "200",
                    body("Dry run: what would be stored", R::View::name()),
                )
                .response(
                    "404",
                    ResponseBuilder::new().description(R::Parent::NOT_FOUND),
                )
                .responses_from_iter(conflict(R::DOCS.create_conflict)),
        )
        .build()
}

fn get<R: RecordResource>() -> Operation {
    let shown = ResponseBuilder::from(body(&format!("The {}", R::NAMES.one), R::View::name()))
        .header("ETag", header("The version"));
    operation::<R>(R::DOCS.get, operation_ids::<R>().get)
        .parameters(Some(record_parameters::<R>()))
        .responses(
            ResponsesBuilder::new()
                .response("200", shown)
                .response("404", not_found::<R>()),
        )
        .build()
}

fn update<R: RecordResource>() -> Operation {
    let parameters = record_parameters::<R>()
        .into_iter()
        .chain([if_match()])
        .chain(DryRun::into_params(|| Some(ParameterIn::Query)));
    let changed = ResponseBuilder::from(body(
        &format!("The changed {}", R::NAMES.one),
        R::View::name(),
    ))
    .header("ETag", header("The new version"));
    operation::<R>(R::DOCS.update, operation_ids::<R>().update)
        .parameters(Some(parameters))
        .request_body(Some(request_body(
            "application/merge-patch+json",
            R::Update::name(),
        )))
        .responses(
            ResponsesBuilder::new()
                .response("200", changed)
                .response("404", not_found::<R>())
                .responses_from_iter(conflict(R::DOCS.update_conflict))
                .response("412", precondition_failed()),
        )
        .build()
}

fn delete<R: RecordResource>() -> Operation {
    let parameters = record_parameters::<R>()
        .into_iter()
        .chain([if_match()])
        .chain(DryRun::into_params(|| Some(ParameterIn::Query)));
    operation::<R>(R::DOCS.delete, operation_ids::<R>().delete)
        .parameters(Some(parameters))
        .responses(
            ResponsesBuilder::new()
                .response("204", ResponseBuilder::new().description(R::DOCS.deleted))
                .response("404", not_found::<R>())
                .response("412", precondition_failed()),
        )
        .build()
}

/// What every operation of the resource starts with: its tag, summary, ID and the token.
fn operation<R: RecordResource>(summary: &str, operation_id: String) -> OperationBuilder {
    OperationBuilder::new()
        .tag(R::NAMES.segment)
        .summary(Some(summary))
        .operation_id(Some(operation_id))
        .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
}

fn parent_parameters<R: RecordResource>() -> Vec<Parameter> {
    R::Parent::PARAMETERS
        .iter()
        .map(|(name, description)| path_parameter(name, description))
        .collect()
}

fn record_parameters<R: RecordResource>() -> Vec<Parameter> {
    let mut parameters = parent_parameters::<R>();
    parameters.push(path_parameter(
        &record_id_name::<R>(),
        &format!("The {}'s ID", R::NAMES.one),
    ));
    parameters
}

fn path_parameter(name: &str, description: &str) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .description(Some(description))
        .required(Required::True)
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid))),
        ))
        .build()
}

fn if_match() -> Parameter {
    ParameterBuilder::new()
        .name("If-Match")
        .parameter_in(ParameterIn::Header)
        .description(Some("The ETag you last read"))
        .required(Required::False)
        .schema(Some(
            ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null])),
        ))
        .build()
}

fn not_found<R: RecordResource>() -> ResponseBuilder {
    ResponseBuilder::new().description(format!("No such {}", R::NAMES.one))
}

/// The 409 of a rule against stored data, when the resource has one.
fn conflict(description: Option<&str>) -> Option<(&'static str, ResponseBuilder)> {
    description.map(|description| ("409", ResponseBuilder::new().description(description)))
}

fn precondition_failed() -> ResponseBuilder {
    ResponseBuilder::new().description("If-Match does not match the current version")
}

/// A JSON response of the named schema.
fn body(description: &str, schema: impl Into<String>) -> Response {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        )
        .build()
}

fn header(description: &str) -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(description))
        .build()
}

fn request_body(
    content_type: &str,
    schema: impl Into<String>,
) -> utoipa::openapi::request_body::RequestBody {
    RequestBodyBuilder::new()
        .content(
            content_type,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name(schema)))
                .build(),
        )
        .required(Some(Required::True))
        .build()
}
