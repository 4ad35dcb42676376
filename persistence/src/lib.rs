//! Threshold's storage: diesel over SQLite (embedded, the default) and PostgreSQL, one code
//! path for both, chosen at run time by the database URL.

#[macro_use]
mod streaming;

pub mod audit;
pub mod bulk;
pub mod clock;
pub mod db;
pub mod error;
pub mod idempotency;
pub mod ids;
pub mod imports;
pub mod locks;
pub mod migrations;
mod multi_row;
pub mod outbox;
pub mod page;
pub mod privacy;
pub mod rows;
pub mod schema;
mod stale;
pub mod transaction;

pub mod clients;
pub mod completeness;
pub mod consents;
pub mod enrollments;
pub mod export;
pub mod household_answers;
pub mod households;
pub mod program_descriptors;
pub mod records;
pub mod reference;
pub mod reports;
pub mod rosters;
pub mod seed;
pub mod webhooks;

pub use db::{Database, DbConnection};
pub use error::StoreError;
pub use transaction::{write_transaction, Retryable};
