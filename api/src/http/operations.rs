//! The OpenAPI entries of a resource whose handlers are generic (`http::records`,
//! `http::reference`), made from its names and types: what `#[utoipa::path]` would say of
//! its list, create, get, update and delete. What every operation shares (the problem
//! bodies, 400, 401, ...) is added in `http::openapi` as for any other.

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::path::{
    Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::schema::{
    ArrayBuilder, KnownFormat, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::{IntoParams, ToSchema};

use crate::http::v1::common::DryRun;

/// How a resource is named in its paths, operation IDs and documentation.
#[derive(Debug, Clone, Copy)]
pub struct Names {
    /// The collection's path segment, also its OpenAPI tag: `action-steps`.
    pub segment: &'static str,
    /// One item in operation IDs and its path parameter: `action_step` (`get_action_step`,
    /// `{action_step_id}`).
    pub noun: &'static str,
    /// The items in operation IDs: `action_steps` (`list_action_steps`).
    pub nouns: &'static str,
    /// One item in descriptions: `action step` ("No such action step").
    pub one: &'static str,
    /// The items in descriptions: `action steps` ("A page of action steps").
    pub many: &'static str,
}

impl Names {
    /// The names of a resource whose segment is one plural word: `programs`, `program`.
    pub const fn plain(many: &'static str, one: &'static str) -> Names {
        Names {
            segment: many,
            noun: one,
            nouns: many,
            one,
            many,
        }
    }
}

/// What the documentation of a resource's operations is made of.
pub struct Described {
    pub names: Names,
    /// The path the collection hangs under (empty at the top of `/v1`).
    pub parent_path: &'static str,
    /// The parent path's parameters, with their descriptions.
    pub parent_parameters: &'static [(&'static str, &'static str)],
    /// The 404 of a list or a create, when the parent may not be found.
    pub parent_not_found: Option<&'static str>,
    /// The names of the schemas of an item, a page of them, a create and a patch body.
    pub view: String,
    pub list: String,
    pub create: String,
    pub update: String,
}

/// The operation IDs, also the names of the routes.
pub struct OperationIds {
    pub list: String,
    pub create: String,
    pub get: String,
    pub update: String,
    pub delete: String,
}

impl Described {
    /// `/clients/{client_id}/enrollments/{enrollment_id}/services`
    pub fn collection_path(&self) -> String {
        format!("{}/{}", self.parent_path, self.names.segment)
    }

    /// `/clients/{client_id}/enrollments/{enrollment_id}/services/{service_id}`
    pub fn item_path(&self) -> String {
        format!("{}/{{{}}}", self.collection_path(), self.item_id_name())
    }

    fn item_id_name(&self) -> String {
        format!("{}_id", self.names.noun)
    }

    pub fn operation_ids(&self) -> OperationIds {
        let Names { noun, nouns, .. } = self.names;
        OperationIds {
            list: format!("list_{nouns}"),
            create: format!("create_{noun}"),
            get: format!("get_{noun}"),
            update: format!("update_{noun}"),
            delete: format!("delete_{noun}"),
        }
    }

    /// `GET` of the collection: a page of items, filtered by `query`.
    pub fn list(&self, summary: &str, query: Vec<Parameter>) -> Operation {
        let parameters = self.parent_parameters().into_iter().chain(query);
        self.operation(summary, self.operation_ids().list)
            .parameters(Some(parameters))
            .responses(
                ResponsesBuilder::new()
                    .response(
                        "200",
                        body(&format!("A page of {}", self.names.many), &self.list),
                    )
                    .responses_from_iter(described("404", self.parent_not_found)),
            )
            .build()
    }

    /// `POST` to the collection; `conflict` is the 409 of a rule against stored data.
    pub fn create(&self, summary: &str, conflict: Option<&str>) -> Operation {
        let parameters = self
            .parent_parameters()
            .into_iter()
            .chain(DryRun::into_params(|| Some(ParameterIn::Query)));
        let created = ResponseBuilder::from(body("Created", &self.view))
            .header(
                "Location",
                header(&format!("The new {}'s URL", self.names.one)),
            )
            .header("ETag", header("The version"));
        self.operation(summary, self.operation_ids().create)
            .parameters(Some(parameters))
            .request_body(Some(request_body("application/json", &self.create)))
            .responses(
                ResponsesBuilder::new()
                    .response("201", created)
                    .response("200", body("Dry run: what would be stored", &self.view))
                    .responses_from_iter(described("404", self.parent_not_found))
                    .responses_from_iter(described("409", conflict)),
            )
            .build()
    }

    /// `GET` of one item.
    pub fn get(&self, summary: &str, not_found: &str) -> Operation {
        let shown = ResponseBuilder::from(body(&format!("The {}", self.names.one), &self.view))
            .header("ETag", header("The version"));
        self.operation(summary, self.operation_ids().get)
            .parameters(Some(self.item_parameters()))
            .responses(
                ResponsesBuilder::new()
                    .response("200", shown)
                    .response("404", ResponseBuilder::new().description(not_found)),
            )
            .build()
    }

    /// `GET` of one of a client's records (the client itself among them), which the access
    /// log counts in a `viewed` event of the client.
    pub fn get_of_client(&self, summary: &str, not_found: &str) -> Operation {
        let mut operation = self.get(summary, not_found);
        operation.description = Some(
            "A read answered 200 is counted in the audit trail, in a `viewed` event of the \
client\n(`GET /v1/audit-events?entity_id=<client ID>`)."
                .to_owned(),
        );
        operation
    }

    /// `PATCH` of one item (JSON Merge Patch); `conflict` as for [`Described::create`].
    pub fn update(&self, summary: &str, not_found: &str, conflict: Option<&str>) -> Operation {
        let changed =
            ResponseBuilder::from(body(&format!("The changed {}", self.names.one), &self.view))
                .header("ETag", header("The new version"));
        self.operation(summary, self.operation_ids().update)
            .parameters(Some(self.write_parameters()))
            .request_body(Some(request_body(
                "application/merge-patch+json",
                &self.update,
            )))
            .responses(
                ResponsesBuilder::new()
                    .response("200", changed)
                    .response("404", ResponseBuilder::new().description(not_found))
                    .responses_from_iter(described("409", conflict))
                    .response("412", precondition_failed()),
            )
            .build()
    }

    /// `DELETE` of one item; `deleted` describes the 204.
    pub fn delete(&self, summary: &str, deleted: &str, not_found: &str) -> Operation {
        self.delete_refused(summary, deleted, not_found, None)
    }

    /// `DELETE` of one item that a rule against stored data can refuse (`conflict`, 409).
    pub fn delete_refused(
        &self,
        summary: &str,
        deleted: &str,
        not_found: &str,
        conflict: Option<&str>,
    ) -> Operation {
        self.operation(summary, self.operation_ids().delete)
            .parameters(Some(self.write_parameters()))
            .responses(
                ResponsesBuilder::new()
                    .response("204", ResponseBuilder::new().description(deleted))
                    .response("404", ResponseBuilder::new().description(not_found))
                    .responses_from_iter(described("409", conflict))
                    .response("412", precondition_failed()),
            )
            .build()
    }

    /// What every operation of the resource starts with: its tag, summary, ID and the token.
    fn operation(&self, summary: &str, operation_id: String) -> OperationBuilder {
        OperationBuilder::new()
            .tag(self.names.segment)
            .summary(Some(summary))
            .operation_id(Some(operation_id))
            .security(SecurityRequirement::new("bearer", Vec::<String>::new()))
    }

    fn parent_parameters(&self) -> Vec<Parameter> {
        self.parent_parameters
            .iter()
            .map(|(name, description)| path_parameter(name, description))
            .collect()
    }

    pub(crate) fn item_parameters(&self) -> Vec<Parameter> {
        let mut parameters = self.parent_parameters();
        parameters.push(path_parameter(
            &self.item_id_name(),
            &format!("The {}'s ID", self.names.one),
        ));
        parameters
    }

    /// The parameters of a change to one item: its path, `If-Match` and `?dry_run`.
    fn write_parameters(&self) -> Vec<Parameter> {
        self.item_parameters()
            .into_iter()
            .chain([if_match()])
            .chain(DryRun::into_params(|| Some(ParameterIn::Query)))
            .collect()
    }
}

/// Adds a schema and those it names in turn.
pub fn add_schema<T: ToSchema>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    schemas.push((T::name().into_owned(), T::schema()));
    T::schemas(schemas);
}

/// The name of the list envelope of a view's schema: `ServiceView`, `ServiceList`.
pub fn list_name(view: &str) -> String {
    format!("{}List", view.strip_suffix("View").unwrap_or(view))
}

/// Adds the list envelope of the named view's schema, as `crate::list_of!` declares it.
pub fn add_list_schema(schemas: &mut Vec<(String, RefOr<Schema>)>, view: &str) {
    let next_cursor = ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .description(Some(
            "Pass as `cursor` to get the next page; `null` on the last page.",
        ));
    let list = ObjectBuilder::new()
        .property(
            "data",
            ArrayBuilder::new().items(Ref::from_schema_name(view)),
        )
        .required("data")
        .property("next_cursor", next_cursor);
    schemas.push((list_name(view), Schema::Object(list.build()).into()));
}

fn path_parameter(name: &str, description: &str) -> Parameter {
    text_path_parameter(name, description, Some(KnownFormat::Uuid))
}

/// A path parameter of text, of `format` if it has one.
fn text_path_parameter(name: &str, description: &str, format: Option<KnownFormat>) -> Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Path)
        .description(Some(description))
        .required(Required::True)
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(format.map(SchemaFormat::KnownFormat)),
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

/// A response of this status and description, when there is one.
fn described(
    status: &'static str,
    description: Option<&str>,
) -> Option<(&'static str, ResponseBuilder)> {
    description.map(|description| (status, ResponseBuilder::new().description(description)))
}

fn precondition_failed() -> ResponseBuilder {
    ResponseBuilder::new().description("If-Match does not match the current version")
}

/// A JSON response of the named schema.
fn body(description: &str, schema: &str) -> Response {
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

fn request_body(content_type: &str, schema: &str) -> utoipa::openapi::request_body::RequestBody {
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

pub mod entry;

#[cfg(test)]
mod tests {
    use serde::Serialize;
    use utoipa::{PartialSchema, ToSchema};

    use super::*;

    #[derive(Serialize, ToSchema)]
    pub struct ThingView {
        pub name: String,
    }

    crate::list_of!(ThingList, ThingView);

    #[test]
    fn list_schemas_are_those_list_of_declares() {
        let mut schemas = Vec::new();
        add_list_schema(&mut schemas, "ThingView");
        let (name, schema) = schemas.pop().unwrap();
        assert_eq!(name, ThingList::name());
        assert_eq!(
            serde_json::to_value(schema).unwrap(),
            serde_json::to_value(ThingList::schema()).unwrap()
        );
    }
}
