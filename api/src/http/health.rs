//! Liveness and readiness, open without a token.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::http::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// `ok`.
    pub status: String,
}

/// The process is alive.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_healthz",
    security(()),
    responses((status = 200, description = "The process is alive", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
    })
}

/// The service can answer requests: the database takes queries.
#[utoipa::path(
    tag = "operations",
    operation_id = "get_readyz",
    security(()),
    responses(
        (status = 200, description = "Ready", body = Health),
        (status = 503, description = "The database is unreachable"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let db = state.db.clone();
    web::block(move || db.ping())
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?
        .map_err(|_| ApiError::Unavailable)?;
    Ok(HttpResponse::Ok().json(Health {
        status: "ok".into(),
    }))
}
