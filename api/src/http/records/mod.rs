//! Record resources: collections of records kept under an enrollment (services, goals,
//! action steps, follow-ups), each a type that implements [`RecordResource`] (its fields,
//! its rules) and one line of their registration, `Records::new().with::<Services>()`,
//! which gives it:
//!
//! - `GET .../{segment}`: a page of records (`limit`, `cursor`);
//! - `POST .../{segment}`: a new record, 201 with `Location` and `ETag`, `?dry_run`,
//!   `Idempotency-Key`;
//! - `GET`, `PATCH` (JSON Merge Patch) and `DELETE` (soft) of `.../{segment}/{noun_id}`, with
//!   `ETag`, `If-Match` (412) and `?dry_run` on the writes;
//!
//! with a 404 for a parent the caller may not see, the audit event and the change feed
//! written by the row's `insert` and `update`, and the OpenAPI entries of all five.

mod docs;
mod handlers;
pub mod hud;
mod parent;

use actix_web::dev::{AppService, HttpServiceFactory};
use actix_web::http::Method;
use chrono::NaiveDateTime;
use serde::de::DeserializeOwned;
use serde::Serialize;
use threshold_domain::records::RecordKind;
use threshold_domain::Date;
use threshold_persistence::audit::Audited;
use threshold_persistence::records::EnrollmentRecord;
use threshold_persistence::DbConnection;
use utoipa::openapi::path::Paths;
use utoipa::openapi::schema::Schema;
use utoipa::openapi::RefOr;
use utoipa::ToSchema;
use utoipa_actix_web::OpenApiFactory;

pub use crate::http::resource::{Docs, Names};
pub use parent::{ListedUnder, Parent, UnderEnrollment, UnderGoal};

use crate::error::ApiError;
use crate::http::endpoints::RouteTable;
use crate::http::extract::CheckBody;

/// A collection of records under an enrollment: its types, names and rules. The handlers
/// in [`handlers`] run the rest, the same for every such collection.
pub trait RecordResource: Sized + 'static {
    /// The stored row; what it is listed under says what the records hang under.
    type Row: EnrollmentRecord<ParentId: ListedUnder> + Audited + Send + 'static;
    /// The body of a `POST`.
    type Create: DeserializeOwned + ToSchema + CheckBody + Clone + Send + 'static;
    /// The body of a `PATCH` (JSON Merge Patch).
    type Update: DeserializeOwned + ToSchema + CheckBody + Clone + Send + 'static;
    /// A record as the API shows it (and, named after it, a page of them: `ServiceList`).
    type View: Serialize + ToSchema;

    const NAMES: Names;
    const DOCS: Docs;
    /// What the rules call a record of this resource.
    const KIND: RecordKind;

    /// The rules a new record must keep against stored data (409, or 422 for a reference),
    /// checked before its [`RecordResource::created_dates`].
    fn check_create(
        conn: &mut DbConnection,
        parent: &ParentOf<Self>,
        body: &Self::Create,
    ) -> Result<(), ApiError> {
        let _ = (conn, parent, body);
        Ok(())
    }

    /// The dates of a new record that must lie within the enrollment's period (409
    /// `enrollment.dependents_outside_period`).
    fn created_dates(body: &Self::Create) -> Vec<Dated> {
        let _ = body;
        Vec::new()
    }

    /// The dates a patch sets that must lie within the enrollment's period, checked after
    /// [`RecordResource::apply_patch`] (409 `enrollment.dependents_outside_period`).
    fn patched_dates(patch: &Self::Update) -> Vec<Dated> {
        let _ = patch;
        Vec::new()
    }

    /// The row of a new record that passed [`RecordResource::check_create`].
    fn to_row(parent: &ParentOf<Self>, body: Self::Create, by: &str) -> Self::Row;

    /// Applies a patch to a stored row, checking the rules the change must keep.
    fn apply_patch(
        conn: &mut DbConnection,
        parent: &ParentOf<Self>,
        row: &mut Self::Row,
        patch: Self::Update,
    ) -> Result<(), ApiError>;

    fn view(row: &Self::Row) -> Result<Self::View, ApiError>;

    /// Deletes (softly) what may not outlive the record, before the record is deleted.
    fn delete_dependents(
        conn: &mut DbConnection,
        row: &Self::Row,
        at: NaiveDateTime,
        by: &str,
    ) -> Result<(), ApiError> {
        let _ = (conn, row, at, by);
        Ok(())
    }
}

/// A date of a record by the field that carries it, `None` where the body leaves it out.
pub type Dated = (&'static str, Option<Date>);

/// What the records of `R` hang under, as their row says.
pub type ParentOf<R> =
    <<<R as RecordResource>::Row as EnrollmentRecord>::ParentId as ListedUnder>::Parent;

/// The routes of record resources with their OpenAPI entries, registered together, each
/// resource's after those of the one added before it.
#[derive(Default)]
pub struct Records {
    routes: Vec<fn(&mut RouteTable)>,
    paths: Paths,
    schemas: Vec<(String, RefOr<Schema>)>,
}

impl Records {
    pub fn new() -> Records {
        Records::default()
    }

    /// Adds the five routes of `R` and their entries.
    pub fn with<R: RecordResource>(mut self) -> Records {
        self.routes.push(register::<R>);
        self.paths.merge(docs::paths::<R>());
        docs::schemas::<R>(&mut self.schemas);
        self
    }
}

/// Adds the five routes of `R`.
fn register<R: RecordResource>(table: &mut RouteTable) {
    let doc = docs::described::<R>();
    let (collection, item) = (doc.collection_path(), doc.item_path());
    table.add(&collection, Method::GET, handlers::list::<R>);
    table.add(&collection, Method::POST, handlers::create::<R>);
    table.add(&item, Method::GET, handlers::get::<R>);
    table.add(&item, Method::PATCH, handlers::update::<R>);
    table.add(&item, Method::DELETE, handlers::delete::<R>);
}

impl HttpServiceFactory for Records {
    fn register(self, config: &mut AppService) {
        let mut table = RouteTable::new();
        for register in self.routes {
            register(&mut table);
        }
        table.register(config);
    }
}

impl OpenApiFactory for Records {
    fn paths(&self) -> Paths {
        self.paths.clone()
    }

    fn schemas(&self, schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.extend(self.schemas.iter().cloned());
    }
}
