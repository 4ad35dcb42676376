//! The five handlers of every record resource. Each reads its request, opens one
//! transaction, finds the parent the caller may see, loads the record, applies the
//! resource's rules, writes, and shows the record.

use actix_web::{web, HttpRequest, HttpResponse};
use threshold_domain::records::check_record_dates;
use threshold_persistence::records::EnrollmentRecord;
use threshold_persistence::rows::Stamped;
use threshold_persistence::DbConnection;

use super::{Dated, Parent, ParentOf, RecordResource};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::access_log::Viewer;
use crate::http::auth::Writer;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::ValidJson;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{page_response, PageQuery};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery};

type Ids<R> = <ParentOf<R> as Parent>::Ids;
type RecordId<R> = <<R as RecordResource>::Row as EnrollmentRecord>::Id;
type RecordIds<R> = <ParentOf<R> as Parent>::RecordIds<RecordId<R>>;

/// `GET .../{segment}`: a page of the parent's records, in id order.
pub async fn list<R: RecordResource>(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<Ids<R>>,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let ids = path.into_inner();
    let page = query.page()?;
    let after = page.after_id()?;
    let found = state
        .read_short(move |conn| {
            let parent = ParentOf::<R>::find(conn, &caller, ids)?;
            Ok(R::Row::list(conn, parent.id(), after, page.limit)?)
        })
        .await?;
    page_response(&request, found, EnrollmentRecord::id, R::view)
}

/// `POST .../{segment}`: a new record (201), or what it would be (`?dry_run`, 200).
pub async fn create<R: RecordResource>(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    path: web::Path<Ids<R>>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<R::Create>,
) -> Result<HttpResponse, ApiError> {
    let ids = path.into_inner();
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&sub, key, move |conn| {
            let parent = ParentOf::<R>::find(conn, &caller, ids)?;
            R::check_create(conn, &parent, &body)?;
            check_dates::<R>(&parent, &R::created_dates(&body))?;
            let row = R::to_row(&parent, body.clone(), &caller.sub);
            let view = R::view(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            R::Row::insert(conn, &row)?;
            let location = format!(
                "/v1{}/{}/{}",
                ParentOf::<R>::url(ids),
                R::NAMES.segment,
                row.id()
            );
            Reply::created(&view, location, row.version())
        })
        .await
}

/// `GET .../{segment}/{noun_id}`: one record with its `ETag`.
pub async fn get<R: RecordResource>(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<RecordIds<R>>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (ids, record_id) = ParentOf::<R>::split(path.into_inner());
    let viewer = Viewer::of(&caller);
    let (client_id, row) = state
        .read_short(move |conn| {
            let parent = ParentOf::<R>::find(conn, &caller, ids)?;
            let row = record_of::<R>(conn, &parent, record_id)?;
            Ok((parent.enrollment().client_id, row))
        })
        .await?;
    let response = tagged(HttpResponse::Ok(), row.version(), &R::view(&row)?);
    state.viewed(viewer, client_id, &row).await;
    Ok(response)
}

/// `PATCH .../{segment}/{noun_id}`: the record changed by a JSON Merge Patch, checked
/// against `If-Match` first.
pub async fn update<R: RecordResource>(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<RecordIds<R>>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<R::Update>,
) -> Result<HttpResponse, ApiError> {
    let (ids, record_id) = ParentOf::<R>::split(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            let parent = ParentOf::<R>::find(conn, &caller, ids)?;
            let mut row = record_of::<R>(conn, &parent, record_id)?;
            if_match.check(row.version())?;
            let dates = R::patched_dates(&body);
            R::apply_patch(conn, &parent, &mut row, body.clone())?;
            check_dates::<R>(&parent, &dates)?;
            row.stamp(now(), &caller.sub);
            if !dry_run {
                R::Row::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(HttpResponse::Ok(), row.version(), &R::view(&row)?))
}

/// `DELETE .../{segment}/{noun_id}`: the record deleted (softly), checked against
/// `If-Match` first.
pub async fn delete<R: RecordResource>(
    state: web::Data<AppState>,
    Writer(caller): Writer,
    request: HttpRequest,
    path: web::Path<RecordIds<R>>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (ids, record_id) = ParentOf::<R>::split(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            let parent = ParentOf::<R>::find(conn, &caller, ids)?;
            let mut row = record_of::<R>(conn, &parent, record_id)?;
            if_match.check(row.version())?;
            let at = now();
            row.stamp(at, &caller.sub);
            if !dry_run {
                R::delete_dependents(conn, &row, at, &caller.sub)?;
                row.mark_deleted(at);
                R::Row::update(conn, &row)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The record of the parent with this ID (not deleted); 404 otherwise.
fn record_of<R: RecordResource>(
    conn: &mut DbConnection,
    parent: &ParentOf<R>,
    record_id: RecordId<R>,
) -> Result<R::Row, ApiError> {
    R::Row::find(conn, record_id)?
        .filter(|row| parent.holds(row))
        .ok_or(ApiError::NotFound)
}

/// The dates a body gives a record of `R` lie within its enrollment's period.
fn check_dates<R: RecordResource>(parent: &ParentOf<R>, dates: &[Dated]) -> Result<(), ApiError> {
    check_record_dates(&parent.enrollment().period(), R::KIND, dates)?;
    Ok(())
}
