//! The OpenAPI entries of a reference resource, made from its types and names by
//! `http::operations`.

use utoipa::openapi::path::{HttpMethod, ParameterIn, Paths};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};

use super::{Deletable, Parent, ReferenceResource};
use crate::http::operations::{list_name, Described};
use crate::http::resource;

/// What the documentation of `R` is made of.
pub fn described<R: ReferenceResource>() -> Described {
    let view = R::View::name();
    Described {
        names: R::NAMES,
        parent_path: R::Parent::PATH,
        parent_parameters: R::Parent::PARAMETERS,
        parent_not_found: R::Parent::NOT_FOUND,
        list: list_name(&view),
        view: view.into_owned(),
        create: R::Create::name().into_owned(),
        update: R::Update::name().into_owned(),
    }
}

pub fn paths<R: ReferenceResource>() -> Paths {
    let doc = described::<R>();
    let (collection, item) = (doc.collection_path(), doc.item_path());
    let query = R::Query::into_params(|| Some(ParameterIn::Query));
    let said = R::DOCS.said(&R::NAMES);
    resource::paths([
        (
            &*collection,
            HttpMethod::Post,
            doc.create(&said.create, said.create_conflict.as_deref()),
        ),
        (&collection, HttpMethod::Get, doc.list(&said.list, query)),
        (
            &item,
            HttpMethod::Get,
            doc.get(&said.get, &said.get_not_found),
        ),
        (
            &item,
            HttpMethod::Patch,
            doc.update(
                &said.update,
                &said.update_not_found,
                said.update_conflict.as_deref(),
            ),
        ),
    ])
}

/// The entry of the `DELETE` of one item.
pub fn delete_paths<R: Deletable>() -> Paths {
    let doc = described::<R>();
    let said = R::DOCS.said(&R::NAMES);
    resource::paths([(
        &*doc.item_path(),
        HttpMethod::Delete,
        doc.delete_refused(
            &said.delete,
            &said.deleted,
            &said.update_not_found,
            R::DELETE_CONFLICT,
        ),
    )])
}

/// The schemas the operations name, and those they name in turn.
pub fn schemas<R: ReferenceResource>(schemas: &mut Vec<(String, RefOr<Schema>)>) {
    resource::schemas::<R::Create, R::Update, R::View>(schemas);
}
