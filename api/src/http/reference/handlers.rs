//! The four handlers of every reference resource, and the delete of a deletable one. Each reads its request, opens one
//! transaction, finds what the path names, applies the resource's rules, writes, and shows
//! the item.

use actix_web::{web, HttpRequest, HttpResponse};
use threshold_persistence::audit::Audited;
use threshold_persistence::reference::{Owned, ReferenceRow, SoftDeleted};
use threshold_persistence::rows::Stamped;
use threshold_persistence::DbConnection;

use super::{Deletable, IdOf, ListQuery, Parent, ParentIds, ReferenceResource};
use crate::auth::Caller;
use crate::clock::now;
use crate::error::ApiError;
use crate::http::auth::Admin;
use crate::http::etag::{tagged, IfMatch};
use crate::http::extract::ValidJson;
use crate::http::idempotency::{Idempotent, Reply};
use crate::http::pagination::{list_response, page_response};
use crate::http::state::AppState;
use crate::http::v1::common::{DryRun, NoQuery};
use crate::usecases::scopes;

type ItemIds<R> = <<R as ReferenceResource>::Parent as Parent>::ItemIds<IdOf<R>>;

/// `POST .../{segment}`: a new item (201), or what it would be (`?dry_run`, 200).
pub async fn create<R: ReferenceResource>(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    path: web::Path<ParentIds<R>>,
    query: web::Query<DryRun>,
    Idempotent(body, key): Idempotent<R::Create>,
) -> Result<HttpResponse, ApiError> {
    let parent = path.into_inner();
    let dry_run = query.dry_run;
    let sub = caller.sub.clone();
    state
        .write_once(&caller.sub, key, move |conn| {
            R::Parent::find(conn, parent)?;
            R::check_create(conn, &body)?;
            R::lock(conn, parent)?;
            let row = R::to_row(parent, &body, &sub);
            R::check_new(conn, parent, &row)?;
            let view = R::view(&row)?;
            if dry_run {
                return Reply::dry_run(&view);
            }
            R::Row::insert(conn, &row)?;
            let location = format!(
                "/v1{}/{}/{}",
                R::Parent::url(parent),
                R::NAMES.segment,
                row.id()
            );
            Reply::created(&view, location, row.version())
        })
        .await
}

/// `GET .../{segment}`: a page of the items the caller may see, in ID order.
pub async fn list<R: ReferenceResource>(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    path: web::Path<ParentIds<R>>,
    query: web::Query<R::Query>,
) -> Result<HttpResponse, ApiError> {
    let parent = path.into_inner();
    let query = query.into_inner();
    let page = query.page()?;
    let after = page.after_id()?;
    if !R::lists_anything(&caller, &query) {
        return Ok(list_response(&request, Vec::<R::View>::new(), None));
    }
    let found = state
        .read(move |conn| {
            R::Parent::find(conn, parent)?;
            Ok(R::list(conn, &caller, parent, &query, after, page.limit)?)
        })
        .await?;
    page_response(&request, found, Audited::id, R::view)
}

/// `GET .../{segment}/{noun_id}`: one item with its `ETag`.
pub async fn get<R: ReferenceResource>(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<ItemIds<R>>,
    _query: web::Query<NoQuery>,
) -> Result<HttpResponse, ApiError> {
    let (parent, id) = R::Parent::split(path.into_inner());
    let row = state
        .read_short(move |conn| item_of::<R>(conn, &caller, parent, id))
        .await?;
    Ok(tagged(HttpResponse::Ok(), row.version(), &R::view(&row)?))
}

/// `PATCH .../{segment}/{noun_id}`: the item changed by a JSON Merge Patch, checked against
/// `If-Match` first.
pub async fn update<R: ReferenceResource>(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    request: HttpRequest,
    path: web::Path<ItemIds<R>>,
    query: web::Query<DryRun>,
    ValidJson(body): ValidJson<R::Update>,
) -> Result<HttpResponse, ApiError> {
    let (parent, id) = R::Parent::split(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    let row = state
        .write(move |conn| {
            R::lock(conn, parent)?;
            let mut row = item_of::<R>(conn, &caller, parent, id)?;
            let owner = row.owner(conn)?;
            if scopes::reference_data(conn, owner)? {
                row = item_of::<R>(conn, &caller, parent, id)?;
            }
            if_match.check(row.version())?;
            let before = row.clone();
            R::apply_patch(&mut row, &body)?;
            R::check_change(conn, &before, &row)?;
            row.stamp(now(), &caller.sub);
            if !dry_run {
                R::Row::update(conn, &row)?;
            }
            Ok(row)
        })
        .await?;
    Ok(tagged(HttpResponse::Ok(), row.version(), &R::view(&row)?))
}

/// `DELETE .../{segment}/{noun_id}`: the item deleted (softly), checked against `If-Match`
/// first.
pub async fn delete<R: Deletable>(
    state: web::Data<AppState>,
    Admin(caller): Admin,
    request: HttpRequest,
    path: web::Path<ItemIds<R>>,
    query: web::Query<DryRun>,
) -> Result<HttpResponse, ApiError> {
    let (parent, id) = R::Parent::split(path.into_inner());
    let if_match = IfMatch::from_request(&request);
    let dry_run = query.dry_run;
    state
        .write(move |conn| {
            R::lock(conn, parent)?;
            let mut row = item_of::<R>(conn, &caller, parent, id)?;
            let owner = row.owner(conn)?;
            if scopes::reference_data(conn, owner)? {
                row = item_of::<R>(conn, &caller, parent, id)?;
            }
            if_match.check(row.version())?;
            R::check_delete(conn, &row)?;
            let at = now();
            row.stamp(at, &caller.sub);
            if !dry_run {
                row.mark_deleted(at);
                R::Row::update(conn, &row)?;
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The item with this ID, if the caller may see it under this parent; 404 otherwise.
fn item_of<R: ReferenceResource>(
    conn: &mut DbConnection,
    caller: &Caller,
    parent: ParentIds<R>,
    id: IdOf<R>,
) -> Result<R::Row, ApiError> {
    R::Row::find(conn, id)?
        .filter(|row| R::visible(caller, parent, row))
        .ok_or(ApiError::NotFound)
}
