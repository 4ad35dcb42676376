//! The HTTP API: actix-web routes that translate requests to use cases and back, the
//! extractors (caller, bodies, queries, `If-Match`, `Idempotency-Key`), problem+json
//! errors, pagination, the OpenAPI document and the server itself. Nothing outside this
//! module imports it, apart from the `threshold` commands that start the server.

pub mod access_log;
pub mod app;
pub mod auth;
pub mod codes;
pub mod conditional;
pub mod cors;
pub mod endpoints;
pub mod etag;
pub mod extract;
pub mod health;
pub mod hud_fields;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod operations;
pub mod pagination;
pub mod problem;
pub mod records;
pub mod reference;
pub mod request_id;
pub mod resource;
pub mod state;
pub mod v1;
pub mod writes;
