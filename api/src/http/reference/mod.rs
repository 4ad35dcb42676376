//! Reference resources: the organizations, programs, grants and users that enrollments
//! name, each a type that implements [`ReferenceResource`] (its fields, its rules) and one
//! registration, `.service(Reference::<Organizations>::new())`, which gives it:
//!
//! - `GET .../{segment}`: a page of items (`limit`, `cursor` and the resource's filters);
//! - `POST .../{segment}`: a new item, 201 with `Location` and `ETag`, `?dry_run`,
//!   `Idempotency-Key`;
//! - `GET` and `PATCH` (JSON Merge Patch) of `.../{segment}/{noun_id}`, with `ETag`,
//!   `If-Match` (412) and `?dry_run` on the write;
//! - for a [`Deletable`] one registered with `Reference::deletable()`, `DELETE` (soft) of
//!   `.../{segment}/{noun_id}`, with `If-Match` and `?dry_run`;
//!
//! admins alone writing, the audit event written by the table's `insert` and `update`, and
//! the OpenAPI entries of all four (or five).

mod docs;
mod handlers;

use std::marker::PhantomData;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use serde::de::DeserializeOwned;
use serde::Serialize;
use threshold_persistence::error::StoreError;
use threshold_persistence::page::Page;
use threshold_persistence::reference::{organization, program, Owned, ReferenceRow, SoftDeleted};
use threshold_persistence::DbConnection;
use utoipa::openapi::path::Paths;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::OpenApiFactory;

pub use crate::http::resource::{Docs, Names};
use threshold_persistence::ids::{OrganizationId, ProgramId};

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::endpoints::RouteTable;
use crate::http::extract::CheckBody;
use crate::http::pagination::{PageQuery, PageRequest};

/// A collection of reference data: its types, names and rules. The handlers in
/// [`handlers`] run the rest, the same for every such collection.
pub trait ReferenceResource: Sized + 'static {
    /// Where the collection hangs.
    type Parent: Parent;
    /// The stored row, which says the kind of ID an item has.
    type Row: ReferenceRow + Owned + Clone + Send + 'static;
    /// The body of a `POST`.
    type Create: DeserializeOwned + ToSchema + CheckBody + Send + 'static;
    /// The body of a `PATCH` (JSON Merge Patch).
    type Update: DeserializeOwned + ToSchema + CheckBody + Send + 'static;
    /// An item as the API shows it (and, named after it, a page of them: `UserList`).
    type View: Serialize + ToSchema;
    /// The query of a list: a page and the resource's filters.
    type Query: ListQuery + DeserializeOwned + IntoParams + Send + 'static;

    const NAMES: Names;
    const DOCS: Docs;

    /// Whether the caller may see the item (404 otherwise).
    fn visible(caller: &Caller, parent: ParentIds<Self>, row: &Self::Row) -> bool {
        let _ = (caller, parent, row);
        true
    }

    /// Whether the list asked for can hold anything for this caller: when it cannot, the
    /// answer is an empty page, and nothing is read.
    fn lists_anything(caller: &Caller, query: &Self::Query) -> bool {
        let _ = (caller, query);
        true
    }

    /// A page of the items the caller may see, in ID order.
    fn list(
        conn: &mut DbConnection,
        caller: &Caller,
        parent: ParentIds<Self>,
        query: &Self::Query,
        after: Option<IdOf<Self>>,
        limit: i64,
    ) -> Result<Page<Self::Row>, StoreError>;

    /// The rules a new item must keep against stored data (422 for a reference).
    fn check_create(conn: &mut DbConnection, body: &Self::Create) -> Result<(), ApiError> {
        let _ = (conn, body);
        Ok(())
    }

    /// The row of a new item that passed [`ReferenceResource::check_create`].
    fn to_row(parent: ParentIds<Self>, body: &Self::Create, by: &str) -> Self::Row;

    /// Locks what the rules of a write under `parent` read, before the write reads anything
    /// else (`usecases::scopes`). Nothing by default.
    fn lock(conn: &mut DbConnection, parent: ParentIds<Self>) -> Result<(), ApiError> {
        let _ = (conn, parent);
        Ok(())
    }

    /// The rules a new item's row must keep against stored data (409), checked after
    /// [`ReferenceResource::lock`].
    fn check_new(
        conn: &mut DbConnection,
        parent: ParentIds<Self>,
        row: &Self::Row,
    ) -> Result<(), ApiError> {
        let _ = (conn, parent, row);
        Ok(())
    }

    /// Applies a patch to a stored row, checking the rules the changed row must keep.
    fn apply_patch(row: &mut Self::Row, patch: &Self::Update) -> Result<(), ApiError>;

    /// The rules a changed row must keep against stored data (409), given the row before.
    fn check_change(
        conn: &mut DbConnection,
        before: &Self::Row,
        after: &Self::Row,
    ) -> Result<(), ApiError> {
        let _ = (conn, before, after);
        Ok(())
    }

    fn view(row: &Self::Row) -> Result<Self::View, ApiError>;
}

/// A reference resource whose items are deleted (softly: kept for the audit trail, gone
/// from every read).
pub trait Deletable: ReferenceResource<Row: SoftDeleted> {
    /// The 409 of a delete, when a rule against stored data can refuse one: its rule code
    /// and why, as the documentation says it (`` `coc.in_use`: ... ``).
    const DELETE_CONFLICT: Option<&'static str> = None;

    /// The rules the item's deletion must keep against stored data (409).
    fn check_delete(conn: &mut DbConnection, row: &Self::Row) -> Result<(), ApiError> {
        let _ = (conn, row);
        Ok(())
    }
}

/// The IDs of the path the collection of `R` hangs under.
pub type ParentIds<R> = <<R as ReferenceResource>::Parent as Parent>::Ids;

/// The kind of ID an item of `R` has.
pub type IdOf<R> = <<R as ReferenceResource>::Row as ReferenceRow>::Id;

/// The query of a list: the page it asks for.
pub trait ListQuery {
    fn page(&self) -> Result<PageRequest, ApiError>;
}

impl ListQuery for PageQuery {
    fn page(&self) -> Result<PageRequest, ApiError> {
        PageQuery::page(self)
    }
}

/// What a collection hangs under: nothing (`/v1/organizations`) or an item of another
/// (`/v1/programs/{program_id}/grants`), found before anything else of a list or a create.
pub trait Parent: Send + 'static {
    /// The IDs of the parent's path, in their order.
    type Ids: DeserializeOwned + Copy + Send + 'static;
    /// The IDs of the path of one item: the parent's, then the item's (`Iid`).
    type ItemIds<Iid: DeserializeOwned + Send + 'static>: DeserializeOwned + Send + 'static;

    /// The parent's path, as the routes and the documentation write it.
    const PATH: &'static str;
    /// Each of the path's parameters, with its description.
    const PARAMETERS: &'static [(&'static str, &'static str)];
    /// The 404 of a list or a create, whose parent is not found.
    const NOT_FOUND: Option<&'static str>;

    fn split<Iid: DeserializeOwned + Send + 'static>(ids: Self::ItemIds<Iid>) -> (Self::Ids, Iid);
    /// The parent's path with its IDs, as `Location` gives it (below `/v1`).
    fn url(ids: Self::Ids) -> String;
    /// Checks that the parent exists (404 otherwise).
    fn find(conn: &mut DbConnection, ids: Self::Ids) -> Result<(), ApiError>;
}

/// A collection right under `/v1`.
pub struct TopLevel;

impl Parent for TopLevel {
    type Ids = ();
    type ItemIds<Iid: DeserializeOwned + Send + 'static> = Iid;

    const PATH: &'static str = "";
    const PARAMETERS: &'static [(&'static str, &'static str)] = &[];
    const NOT_FOUND: Option<&'static str> = None;

    fn split<Iid: DeserializeOwned + Send + 'static>(id: Iid) -> ((), Iid) {
        ((), id)
    }

    fn url((): ()) -> String {
        String::new()
    }

    fn find(_conn: &mut DbConnection, (): ()) -> Result<(), ApiError> {
        Ok(())
    }
}

/// A collection under a program: `/programs/{program_id}/grants`.
pub struct UnderProgram;

impl Parent for UnderProgram {
    type Ids = ProgramId;
    type ItemIds<Iid: DeserializeOwned + Send + 'static> = (ProgramId, Iid);

    const PATH: &'static str = "/programs/{program_id}";
    const PARAMETERS: &'static [(&'static str, &'static str)] =
        &[("program_id", "The program's ID")];
    const NOT_FOUND: Option<&'static str> = Some("No such program");

    fn split<Iid: DeserializeOwned + Send + 'static>(ids: (ProgramId, Iid)) -> (ProgramId, Iid) {
        ids
    }

    fn url(program_id: ProgramId) -> String {
        format!("/programs/{program_id}")
    }

    fn find(conn: &mut DbConnection, program_id: ProgramId) -> Result<(), ApiError> {
        program::find(conn, program_id)?.ok_or(ApiError::NotFound)?;
        Ok(())
    }
}

/// The organization a new item names, which must exist (422 otherwise).
pub fn known_organization(
    conn: &mut DbConnection,
    organization_id: OrganizationId,
) -> Result<(), ApiError> {
    if organization::find(conn, organization_id)?.is_none() {
        return Err(ApiError::unknown_reference(
            "organization_id",
            "no such organization",
        ));
    }
    Ok(())
}

/// The `DELETE` of a [`Deletable`] resource: what adds its route at the item's path, and
/// what makes its entry.
#[derive(Clone, Copy)]
struct Delete {
    route: fn(&mut RouteTable, &str),
    paths: fn() -> Paths,
}

/// The routes of a reference resource with their OpenAPI entries, registered together.
pub struct Reference<R> {
    delete: Option<Delete>,
    resource: PhantomData<R>,
}

impl<R: ReferenceResource> Reference<R> {
    pub fn new() -> Self {
        Reference {
            delete: None,
            resource: PhantomData,
        }
    }
}

impl<R: Deletable> Reference<R> {
    /// The four routes and a `DELETE` of one item.
    pub fn deletable() -> Self {
        fn route<R: Deletable>(table: &mut RouteTable, item: &str) {
            table.add(item, Method::DELETE, handlers::delete::<R>);
        }
        Reference {
            delete: Some(Delete {
                route: route::<R>,
                paths: docs::delete_paths::<R>,
            }),
            resource: PhantomData,
        }
    }
}

impl<R: ReferenceResource> Default for Reference<R> {
    fn default() -> Self {
        Reference::new()
    }
}

impl<R: ReferenceResource> HttpServiceFactory for Reference<R> {
    fn register(self, config: &mut AppService) {
        let doc = docs::described::<R>();
        let (collection, item) = (doc.collection_path(), doc.item_path());
        let mut table = RouteTable::new();
        table.add(&collection, Method::POST, handlers::create::<R>);
        table.add(&collection, Method::GET, handlers::list::<R>);
        table.add(&item, Method::GET, handlers::get::<R>);
        table.add(&item, Method::PATCH, handlers::update::<R>);
        if let Some(delete) = self.delete {
            (delete.route)(&mut table, &item);
        }
        table.register(config);
    }
}

impl<R: ReferenceResource> OpenApiFactory for Reference<R> {
    fn paths(&self) -> Paths {
        let mut paths = docs::paths::<R>();
        if let Some(delete) = self.delete {
            paths.merge((delete.paths)());
        }
        paths
    }

    fn schemas(&self, schemas: &mut Vec<(String, RefOr<Schema>)>) {
        docs::schemas::<R>(schemas);
    }
}
