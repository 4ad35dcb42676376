//! The OpenAPI entry of a hand-written handler, made from what it says beyond what every
//! operation shares: its names, path parameters, query and body types, and the responses
//! that differ. Where a resource has the shape of a generic one (a list, a create, ...),
//! its entries come from [`Described`] instead, as the generic resources' do.

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::path::{Operation, OperationBuilder, Parameter, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::response::{ResponseBuilder, ResponsesBuilder};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{Ref, RefOr, Required};
use utoipa::{IntoParams, ToSchema};

use super::{
    add_schema, header, if_match, path_parameter, precondition_failed, request_body,
    text_path_parameter, Described, Names,
};
use crate::http::v1::common::DryRun;

/// An operation's entry and the schemas it names.
pub struct Documentation {
    pub operation: Operation,
    pub schemas: Vec<(String, RefOr<Schema>)>,
}

impl From<Operation> for Documentation {
    /// An entry whose schemas are added by its resource (one built by [`Described`]).
    fn from(operation: Operation) -> Documentation {
        Documentation {
            operation,
            schemas: Vec::new(),
        }
    }
}

impl From<Entry> for Documentation {
    fn from(entry: Entry) -> Documentation {
        Documentation {
            operation: entry
                .operation
                .parameters(Some(entry.parameters))
                .responses(entry.responses)
                .build(),
            schemas: entry.schemas,
        }
    }
}

/// The entry of one operation, built up in the order `#[utoipa::path]` lists its parts:
/// parameters (path, then query and headers), the body, then the responses.
pub struct Entry {
    operation: OperationBuilder,
    parameters: Vec<Parameter>,
    responses: ResponsesBuilder,
    schemas: Vec<(String, RefOr<Schema>)>,
}

impl Entry {
    /// An operation of `tag` that takes the bearer token; `text` is its summary and, after
    /// a blank line, its description, as a handler's doc comment would give them.
    pub fn new(tag: &str, operation_id: &str, text: &str) -> Entry {
        let (summary, description) = match text.split_once("\n\n") {
            Some((summary, description)) => (summary, Some(description)),
            None => (text, None),
        };
        Entry {
            operation: OperationBuilder::new()
                .tag(tag)
                .summary(Some(summary))
                .description(description)
                .operation_id(Some(operation_id))
                .security(SecurityRequirement::new("bearer", Vec::<String>::new())),
            parameters: Vec::new(),
            responses: ResponsesBuilder::new(),
            schemas: Vec::new(),
        }
    }

    /// UUIDs in the path, each with its description.
    pub fn path(mut self, parameters: &[(&str, &str)]) -> Entry {
        self.parameters.extend(
            parameters
                .iter()
                .map(|(name, description)| path_parameter(name, description)),
        );
        self
    }

    /// Names in the path (not UUIDs), each with its description.
    pub fn text_path(mut self, parameters: &[(&str, &str)]) -> Entry {
        self.parameters.extend(
            parameters
                .iter()
                .map(|(name, description)| text_path_parameter(name, description, None)),
        );
        self
    }

    /// The parameters of a query type.
    pub fn query<Q: IntoParams>(mut self) -> Entry {
        self.parameters.extend(query_of::<Q>());
        self
    }

    /// `?dry_run`.
    pub fn dry_run(self) -> Entry {
        self.query::<DryRun>()
    }

    /// `If-Match`, naming the version it concerns.
    pub fn if_match(mut self, description: &str) -> Entry {
        let mut parameter = if_match();
        parameter.description = Some(description.to_owned());
        self.parameters.push(parameter);
        self
    }

    /// A JSON body of type `T`.
    pub fn json_body<T: ToSchema>(mut self) -> Entry {
        self.operation = self
            .operation
            .request_body(Some(request_body("application/json", &T::name())));
        self.named::<T>()
    }

    /// A body of other content types, each schema written out in place: `(content type,
    /// schema)`, as `T::schema()` gives them.
    pub fn inline_body(mut self, contents: Vec<(&str, RefOr<Schema>)>, description: &str) -> Entry {
        let body = contents
            .into_iter()
            .fold(
                RequestBodyBuilder::new().description(Some(description)),
                |body, (content_type, schema)| {
                    body.content(
                        content_type,
                        ContentBuilder::new().schema(Some(schema)).build(),
                    )
                },
            )
            .required(Some(Required::True));
        self.operation = self.operation.request_body(Some(body.build()));
        self
    }

    /// A response without a body (its problem body is added with the shared ones).
    pub fn status(mut self, status: &str, description: &str) -> Entry {
        self.responses = self
            .responses
            .response(status, ResponseBuilder::new().description(description));
        self
    }

    /// The 412 of a change whose `If-Match` names another version.
    pub fn precondition_failed(mut self) -> Entry {
        self.responses = self.responses.response("412", precondition_failed());
        self
    }

    /// A JSON response of type `T`, with these headers (name, description).
    pub fn json<T: ToSchema>(
        self,
        status: &str,
        description: &str,
        headers: &[(&str, &str)],
    ) -> Entry {
        let content = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(T::name())))
            .build();
        self.content(status, description, "application/json", content, headers)
            .named::<T>()
    }

    /// A JSON response of type `T`, or, as the request's `Accept` asks, one of
    /// `content_type` whose schema `U` is written out in place, with these headers.
    pub fn json_or<T: ToSchema, U: ToSchema>(
        mut self,
        status: &str,
        description: &str,
        content_type: &str,
        headers: &[(&str, &str)],
    ) -> Entry {
        let json = ContentBuilder::new()
            .schema(Some(Ref::from_schema_name(T::name())))
            .build();
        let other = ContentBuilder::new().schema(Some(U::schema())).build();
        let response = headers.iter().fold(
            ResponseBuilder::new()
                .description(description)
                .content("application/json", json)
                .content(content_type, other),
            |response, (name, description)| response.header(*name, header(description)),
        );
        self.responses = self.responses.response(status, response);
        self.named::<T>()
    }

    /// A response of another content type, its schema `U` written out in place.
    pub fn inline<T: ToSchema>(
        self,
        status: &str,
        description: &str,
        content_type: &str,
        headers: &[(&str, &str)],
    ) -> Entry {
        let content = ContentBuilder::new().schema(Some(T::schema())).build();
        self.content(status, description, content_type, content, headers)
    }

    fn content(
        mut self,
        status: &str,
        description: &str,
        content_type: &str,
        content: utoipa::openapi::content::Content,
        headers: &[(&str, &str)],
    ) -> Entry {
        let response = headers.iter().fold(
            ResponseBuilder::new()
                .description(description)
                .content(content_type, content),
            |response, (name, description)| response.header(*name, header(description)),
        );
        self.responses = self.responses.response(status, response);
        self
    }

    fn named<T: ToSchema>(mut self) -> Entry {
        add_schema::<T>(&mut self.schemas);
        self
    }
}

/// Where a hand-written collection hangs.
pub struct Under {
    /// The parent's path (empty at the top of `/v1`).
    pub path: &'static str,
    /// The path's parameters, with their descriptions.
    pub parameters: &'static [(&'static str, &'static str)],
    /// The 404 of a list or a create, when the parent may not be found.
    pub not_found: Option<&'static str>,
}

impl Under {
    /// Right under `/v1`.
    pub const TOP: Under = Under {
        path: "",
        parameters: &[],
        not_found: None,
    };
}

impl Described {
    /// What the documentation of a resource with these types is made of.
    pub fn of<View: ToSchema, List: ToSchema, Create: ToSchema, Update: ToSchema>(
        names: Names,
        under: &Under,
    ) -> Described {
        Described {
            names,
            parent_path: under.path,
            parent_parameters: under.parameters,
            parent_not_found: under.not_found,
            view: View::name().into_owned(),
            list: List::name().into_owned(),
            create: Create::name().into_owned(),
            update: Update::name().into_owned(),
        }
    }

    /// A read of something about one item beyond the item itself: its path only.
    pub fn read_of_item(&self, operation_id: &str, text: &str) -> Entry {
        let entry = Entry::new(self.names.segment, operation_id, text);
        Entry {
            parameters: self.item_parameters(),
            ..entry
        }
    }

    /// A change to one item beyond update and delete: its path, `If-Match` and `?dry_run`.
    pub fn change_of_item(&self, operation_id: &str, text: &str) -> Entry {
        let entry = Entry::new(self.names.segment, operation_id, text);
        Entry {
            parameters: self.write_parameters(),
            ..entry
        }
    }
}

/// The parameters of a query type, as a list takes them.
pub fn query_of<Q: IntoParams>() -> Vec<Parameter> {
    Q::into_params(|| Some(ParameterIn::Query))
}

/// An entry built by [`Described`] with one more response: a delete that a rule may refuse
/// (409), or a list whose 200 says more.
pub fn with_response(mut operation: Operation, status: &str, description: &str) -> Operation {
    let response = match operation.responses.responses.remove(status) {
        Some(RefOr::T(mut response)) => {
            response.description = description.to_owned();
            response
        }
        _ => ResponseBuilder::new().description(description).build(),
    };
    operation
        .responses
        .responses
        .insert(status.to_owned(), RefOr::T(response));
    operation
}
