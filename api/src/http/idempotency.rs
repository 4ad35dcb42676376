//! `Idempotency-Key`: a `POST` sent again with the same key and body within 24 hours gets the
//! first answer again and changes nothing. The answer is stored in the same transaction as
//! the request's writes, so a request either wrote and stored its answer, or did neither.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::{header, StatusCode};
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use chrono::TimeDelta;
use serde::de::DeserializeOwned;
use serde::Serialize;
use sha2::{Digest, Sha256};
use threshold_persistence::idempotency::{self, IdempotencyRow};
use threshold_persistence::DbConnection;
use utoipa::ToSchema;

use crate::clock::now;
use crate::error::ApiError;
use crate::http::etag::{etag, Tag};
use crate::http::extract::{json_bytes, parse_body, CheckBody};
use crate::http::state::AppState;

/// How long a stored answer is replayed.
pub const REPLAY_HOURS: i64 = 24;

/// The key a request was sent with, and a digest of what was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyKey {
    pub key: String,
    pub request_hash: String,
}

/// A JSON body (read as [`crate::http::extract::ValidJson`] reads it) and the request's
/// `Idempotency-Key`, if it has one.
pub struct Idempotent<T>(pub T, pub Option<IdempotencyKey>);

impl<T> FromRequest for Idempotent<T>
where
    T: DeserializeOwned + ToSchema + CheckBody + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let key = key_header(request);
        let target = format!(
            "{} {}?{}\n",
            request.method(),
            request.path(),
            request.query_string()
        );
        let bytes = json_bytes(request, payload);
        Box::pin(async move {
            let key = key?;
            let bytes = bytes.await?;
            let body = parse_body::<T>(&bytes)?;
            let key = key.map(|key| {
                let mut digest = Sha256::new();
                digest.update(target.as_bytes());
                digest.update(&bytes);
                IdempotencyKey {
                    key,
                    request_hash: format!("{:x}", digest.finalize()),
                }
            });
            Ok(Idempotent(body, key))
        })
    }
}

/// The `Idempotency-Key` of a `POST` that takes no body (an action on a record), if it has
/// one: the same key sent again replays the first answer, as for any other `POST`.
pub struct Keyed(pub Option<IdempotencyKey>);

impl FromRequest for Keyed {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let keyed = key_header(request).map(|key| {
            Keyed(key.map(|key| {
                let mut digest = Sha256::new();
                digest.update(
                    format!(
                        "{} {}?{}\n",
                        request.method(),
                        request.path(),
                        request.query_string()
                    )
                    .as_bytes(),
                );
                IdempotencyKey {
                    key,
                    request_hash: format!("{:x}", digest.finalize()),
                }
            }))
        });
        std::future::ready(keyed)
    }
}

fn key_header(request: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(value) = request.headers().get("Idempotency-Key") else {
        return Ok(None);
    };
    let key = value.to_str().unwrap_or("").trim();
    let sane = (1..=255).contains(&key.len()) && key.bytes().all(|byte| byte.is_ascii_graphic());
    if sane {
        Ok(Some(key.to_owned()))
    } else {
        Err(ApiError::malformed_field(
            "Idempotency-Key",
            "Idempotency-Key is 1-255 visible ASCII characters",
        ))
    }
}

/// An answer built inside the write's transaction, so it can be stored with the write.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub body: serde_json::Value,
    pub location: Option<String>,
    pub etag: Option<String>,
    /// Dry runs write nothing, so their answer is not kept for the key either.
    pub keep: bool,
    pub replayed: bool,
}

impl Reply {
    fn new<T: Serialize>(status: StatusCode, view: &T) -> Result<Reply, ApiError> {
        Ok(Reply {
            status,
            body: serde_json::to_value(view)
                .map_err(|error| ApiError::Internal(error.to_string()))?,
            location: None,
            etag: None,
            keep: true,
            replayed: false,
        })
    }

    /// 201 with `Location` and `ETag`.
    pub fn created<T: Serialize>(
        view: &T,
        location: String,
        tag: impl Into<Tag>,
    ) -> Result<Reply, ApiError> {
        let mut reply = Reply::new(StatusCode::CREATED, view)?;
        reply.location = Some(location);
        reply.etag = Some(etag(tag));
        Ok(reply)
    }

    /// 202: an action taken up, to be carried out a moment later.
    pub fn accepted<T: Serialize>(view: &T) -> Result<Reply, ApiError> {
        Reply::new(StatusCode::ACCEPTED, view)
    }

    /// 200 with `ETag`.
    pub fn ok<T: Serialize>(view: &T, tag: impl Into<Tag>) -> Result<Reply, ApiError> {
        let mut reply = Reply::new(StatusCode::OK, view)?;
        reply.etag = Some(etag(tag));
        Ok(reply)
    }

    /// 201 with `Location` and `ETag`; on a dry run, 200 with what would be stored.
    pub fn created_unless_dry_run<T: Serialize>(
        dry_run: bool,
        view: &T,
        location: String,
        tag: impl Into<Tag>,
    ) -> Result<Reply, ApiError> {
        if dry_run {
            return Reply::dry_run(view);
        }
        Reply::created(view, location, tag)
    }

    /// 200: what a dry run would store.
    pub fn dry_run<T: Serialize>(view: &T) -> Result<Reply, ApiError> {
        let mut reply = Reply::new(StatusCode::OK, view)?;
        reply.keep = false;
        Ok(reply)
    }

    pub fn into_response(self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        if let Some(location) = self.location {
            response.insert_header((header::LOCATION, location));
        }
        if let Some(etag) = self.etag {
            response.insert_header((header::ETAG, etag));
        }
        if self.replayed {
            response.insert_header(("Idempotent-Replayed", "true"));
        }
        response.json(self.body)
    }

    fn stored(row: IdempotencyRow) -> Reply {
        Reply {
            status: u16::try_from(row.status)
                .ok()
                .and_then(|status| StatusCode::from_u16(status).ok())
                .unwrap_or(StatusCode::OK),
            body: serde_json::from_str(&row.body).unwrap_or(serde_json::Value::Null),
            location: row.location,
            etag: row.etag,
            keep: false,
            replayed: true,
        }
    }
}

impl AppState {
    /// Runs `work` in a write transaction (see [`AppState::write`]); with a key, first replays
    /// a stored answer (or refuses a key used for another request), and keeps the new answer.
    pub async fn write_once<F>(
        &self,
        caller: &str,
        key: Option<IdempotencyKey>,
        mut work: F,
    ) -> Result<HttpResponse, ApiError>
    where
        F: FnMut(&mut DbConnection) -> Result<Reply, ApiError> + Send + 'static,
    {
        let caller = caller.to_owned();
        let reply = self
            .write(move |conn| {
                if let Some(key) = &key {
                    if let Some(stored) = replay(conn, &caller, key)? {
                        return Ok(stored);
                    }
                }
                let reply = work(conn)?;
                if let (Some(key), true) = (&key, reply.keep) {
                    idempotency::store(
                        conn,
                        &IdempotencyRow {
                            caller: caller.clone(),
                            idempotency_key: key.key.clone(),
                            request_hash: key.request_hash.clone(),
                            status: i32::from(reply.status.as_u16()),
                            body: reply.body.to_string(),
                            location: reply.location.clone(),
                            etag: reply.etag.clone(),
                            created_at: now(),
                        },
                    )?;
                }
                Ok(reply)
            })
            .await?;
        Ok(reply.into_response())
    }
}

fn replay(
    conn: &mut DbConnection,
    caller: &str,
    key: &IdempotencyKey,
) -> Result<Option<Reply>, ApiError> {
    let Some(stored) = idempotency::find(conn, caller, &key.key)? else {
        return Ok(None);
    };
    if stored.created_at < now() - TimeDelta::hours(REPLAY_HOURS) {
        idempotency::forget(conn, caller, &key.key)?;
        return Ok(None);
    }
    if stored.request_hash != key.request_hash {
        return Err(ApiError::IdempotencyKeyReused);
    }
    Ok(Some(Reply::stored(stored)))
}
