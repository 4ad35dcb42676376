//! The OpenAPI entries of a record resource, made from its types and names by
//! `http::operations`.

use utoipa::openapi::path::{HttpMethod, ParameterIn, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};

use super::{Parent, ParentOf, RecordResource};
use crate::http::operations::{list_name, Described};
use crate::http::pagination::PageQuery;
use crate::http::resource;

/// What the documentation of `R` is made of.
pub fn described<R: RecordResource>() -> Described {
    let view = R::View::name();
    Described {
        names: R::NAMES,
        parent_path: ParentOf::<R>::PATH,
        parent_parameters: ParentOf::<R>::PARAMETERS,
        parent_not_found: Some(ParentOf::<R>::NOT_FOUND),
        list: list_name(&view),
        view: view.into_owned(),
        create: R::Create::name().into_owned(),
        update: R::Update::name().into_owned(),
    }
}

pub fn paths<R: RecordResource>() -> Paths {
    let doc = described::<R>();
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let said = R::DOCS.said(&R::NAMES);
    let not_found = &said.update_not_found;
    let page = PageQuery::into_params(|| Some(ParameterIn::Query));
    let create_conflict = said.create_conflict.as_deref();
    let update_conflict = said.update_conflict.as_deref();
    resource::paths([
        (&*collection, HttpMethod::Get, doc.list(&said.list, page)),
        (
            &collection,
            HttpMethod::Post,
            doc.create(&said.create, create_conflict),
        ),
        (
            &item,
            HttpMethod::Get,
            doc.get_of_client(&said.get, &said.get_not_found),
        ),
        (
            &item,
            HttpMethod::Patch,
            doc.update(&said.update, not_found, update_conflict),
        ),
        (
            &item,
            HttpMethod::Delete,
            doc.delete(&said.delete, &said.deleted, not_found),
        ),
    ])
}

/// The schemas the operations name, and those they name in turn.
pub fn schemas<R: RecordResource>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    resource::schemas::<R::Create, R::Update, R::View>(schemas);
}
