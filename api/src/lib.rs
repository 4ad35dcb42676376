//! Threshold's application: the use cases over the domain rules and the storage layer, the
//! HMIS CSV exchange, the synthetic-data seed, the `threshold` commands, and the HTTP API in
//! `http` (routes, auth, validation, problem+json errors and the OpenAPI document).
//! ARCHITECTURE.md at the top of the repository is the map, with what may import what.

pub mod auth;
pub mod cli;
pub mod clock;
pub mod error;
pub mod hmis;
pub mod http;
pub mod seed;
pub mod settings;
pub mod usecases;
pub mod webhooks;
