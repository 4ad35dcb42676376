//! The handlers of a change to one stored version (`If-Match`, `?dry_run`), made from the use
//! case they run: a resource registers `delete_through(clients::delete)` or
//! `update_through(clients::edit, client_change, ClientView::from_row)` in its `endpoints()` table. The
//! use case's input is [`Versioned`], the record named by the path, as [`VersionedWrite`]
//! reads it, with the change the body asks for.

use actix_web::{web, Handler, HttpResponse};
use serde::de::DeserializeOwned;
use serde::Serialize;
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::etag::{tagged_ok, Tagged};
use crate::http::extract::{CheckBody, ValidJson};
use crate::http::state::AppState;
use crate::http::v1::common::VersionedWrite;
use crate::usecases::Versioned;

/// A use case run in the write transaction.
pub type UseCase<I, R> = fn(&mut DbConnection, &Caller, &I) -> Result<R, ApiError>;

/// How a stored row is shown.
pub type ViewOf<R, V> = fn(&R) -> Result<V, ApiError>;

type Answer = Result<HttpResponse, ApiError>;

/// A delete through `delete`: 204, dry run or not.
pub fn delete_through<T>(
    delete: UseCase<Versioned<T>, ()>,
) -> impl Handler<(web::Data<AppState>, VersionedWrite<T>), Output = Answer>
where
    T: DeserializeOwned + Send + 'static,
{
    move |state: web::Data<AppState>, write: VersionedWrite<T>| async move {
        state.change(write.caller, write.write, delete).await?;
        Ok(HttpResponse::NoContent().finish())
    }
}

/// A change with no body (a reopening) through `change`: the record as it is (or would be)
/// stored, tagged with its version (and what its read shows: [`Tagged`]).
pub fn change_through<T, R, V>(
    change: UseCase<Versioned<T>, R>,
    view: ViewOf<R, V>,
) -> impl Handler<(web::Data<AppState>, VersionedWrite<T>), Output = Answer>
where
    T: DeserializeOwned + Send + 'static,
    R: Tagged + Send + 'static,
    V: Serialize + 'static,
{
    move |state: web::Data<AppState>, write: VersionedWrite<T>| async move {
        let row = state.change(write.caller, write.write, change).await?;
        Ok(tagged_ok(row.tag(), &view(&row)?))
    }
}

/// A JSON Merge Patch through `edit`, the body read after the path and made the change by
/// `change_of`: the record as it is (or would be) stored, tagged with its version.
pub fn update_through<T, B, C, R, V>(
    edit: UseCase<Versioned<T, C>, R>,
    change_of: fn(B) -> C,
    view: ViewOf<R, V>,
) -> impl Handler<(web::Data<AppState>, VersionedWrite<T>, ValidJson<B>), Output = Answer>
where
    T: DeserializeOwned + Send + 'static,
    B: DeserializeOwned + ToSchema + CheckBody + 'static,
    C: Send + 'static,
    R: Tagged + Send + 'static,
    V: Serialize + 'static,
{
    move |state: web::Data<AppState>, write: VersionedWrite<T>, ValidJson(body): ValidJson<B>| async move {
        let input = write.write.with(change_of(body));
        let row = state.change(write.caller, input, edit).await?;
        Ok(tagged_ok(row.tag(), &view(&row)?))
    }
}
