//! Threshold's HTTP API: routes, auth, validation, problem+json errors and the OpenAPI
//! document, over the domain rules and the storage layer.

pub mod app;
pub mod auth;
pub mod auto_exit;
pub mod cli;
pub mod cors;
pub mod errors;
pub mod etag;
pub mod extract;
pub mod health;
pub mod hmis;
pub mod idempotency;
pub mod metrics;
pub mod openapi;
pub mod pagination;
pub mod request_id;
pub mod seed;
pub mod settings;
pub mod state;
pub mod v1;
