//! The OpenAPI entries of a record resource, made from its types and names by
//! `http::operations`.

use utoipa::openapi::path::{HttpMethod, ParameterIn, PathItem, Paths, PathsBuilder};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};

use super::{Parent, RecordResource};
use crate::http::operations::{add_schema, Described};
use crate::http::pagination::PageQuery;

/// What the documentation of `R` is made of.
pub fn described<R: RecordResource>() -> Described {
    Described {
        names: R::NAMES,
        parent_path: R::Parent::PATH,
        parent_parameters: R::Parent::PARAMETERS,
        parent_not_found: Some(R::Parent::NOT_FOUND),
        view: R::View::name().into_owned(),
        list: R::List::name().into_owned(),
        create: R::Create::name().into_owned(),
        update: R::Update::name().into_owned(),
    }
}

pub fn paths<R: RecordResource>() -> Paths {
    let doc = described::<R>();
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let not_found = format!("No such {}", R::NAMES.one);
    let page = PageQuery::into_params(|| Some(ParameterIn::Query));
    let operations = [
        (&collection, HttpMethod::Get, doc.list(R::DOCS.list, page)),
        (
            &collection,
            HttpMethod::Post,
            doc.create(R::DOCS.create, R::DOCS.create_conflict),
        ),
        (&item, HttpMethod::Get, doc.get(R::DOCS.get, &not_found)),
        (
            &item,
            HttpMethod::Patch,
            doc.update(R::DOCS.update, &not_found, R::DOCS.update_conflict),
        ),
        (
            &item,
            HttpMethod::Delete,
            doc.delete(R::DOCS.delete, R::DOCS.deleted, &not_found),
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
pub fn schemas<R: RecordResource>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    add_schema::<R::Create>(schemas);
    add_schema::<R::Update>(schemas);
    add_schema::<R::View>(schemas);
    add_schema::<R::List>(schemas);
}
