//! The OpenAPI entries of a reference resource, made from its types and names by
//! `http::operations`.

use utoipa::openapi::path::{HttpMethod, ParameterIn, PathItem, Paths, PathsBuilder};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};

use super::{Parent, ReferenceResource};
use crate::http::operations::{add_schema, Described};

/// What the documentation of `R` is made of.
pub fn described<R: ReferenceResource>() -> Described {
    Described {
        names: R::NAMES,
        parent_path: R::Parent::PATH,
        parent_parameters: R::Parent::PARAMETERS,
        parent_not_found: R::Parent::NOT_FOUND,
        view: R::View::name().into_owned(),
        list: R::List::name().into_owned(),
        create: R::Create::name().into_owned(),
        update: R::Update::name().into_owned(),
    }
}

pub fn paths<R: ReferenceResource>() -> Paths {
    let doc = described::<R>();
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let query = R::Query::into_params(|| Some(ParameterIn::Query));
    let docs = R::DOCS;
    let operations = [
        (&collection, HttpMethod::Post, doc.create(docs.create, None)),
        (&collection, HttpMethod::Get, doc.list(docs.list, query)),
        (
            &item,
            HttpMethod::Get,
            doc.get(docs.get, docs.get_not_found),
        ),
        (
            &item,
            HttpMethod::Patch,
            doc.update(docs.update, docs.update_not_found, None),
        ),
    ];
    operations
        .into_iter()
        .fold(PathsBuilder::new(), |paths, (path, method, operation)| {
            paths.path(path, PathItem::new(method, operation))
        })
        .build()
}

/// The schemas the operations name, and those they name in turn.
pub fn schemas<R: ReferenceResource>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    add_schema::<R::Create>(schemas);
    add_schema::<R::Update>(schemas);
    add_schema::<R::View>(schemas);
    add_schema::<R::List>(schemas);
}
