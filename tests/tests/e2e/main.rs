//! The end-to-end suite as one test binary: each module was a test binary of its own, and
//! every one of them linked the whole application again. Together the application is linked
//! once and `common` is compiled once. Run a part of it by its module path, e.g.
//! `cargo test -p threshold-tests --test e2e two_servers::`.
//!
//! The tests share one process and run in parallel, so none of them may change what is
//! global to the process (environment variables, the current directory, a global logger):
//! settings go to the app through `TestApp::builder` and to a child process through
//! `ServerProcess::builder(..).env(..)`, which sets them on the child only.

#[macro_use]
mod common;

mod access_log;
mod access_matrix;
mod assessments;
mod audit_trail;
mod auth;
mod change_feed;
mod client_match;
mod client_privacy;
mod clients;
mod completeness;
mod conditional_reads;
mod consents;
mod enrollment_period;
mod enrollment_races;
mod enrollment_records;
mod enrollments;
mod faults;
mod health;
mod hmis_export;
mod hmis_import;
mod hmis_import_batches;
mod hmis_import_every_case;
mod hmis_import_tolerant;
mod hmis_round_trip;
mod hostile_input;
mod hud_fields;
mod hud_records;
mod hud_reports;
mod idempotency;
mod import_jobs;
mod lifecycle;
mod lifecycle_races;
mod openapi_drift;
mod operations;
mod program_subresources;
mod reference_data;
mod replica;
mod reports;
mod rosters;
mod scoped_locks;
mod seed;
mod tokens;
mod two_servers;
mod webhooks;
