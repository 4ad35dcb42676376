//! The import worker: a thread beside the server that runs queued jobs one at a time,
//! polling the jobs table, so jobs queued before a restart still run after it.

use std::sync::{Arc, Weak};
use std::time::Duration;

use threshold_persistence::imports::{self, ImportJobRow};
use threshold_persistence::{write_transaction, Database, StoreError};

use super::{ImportError, Job};
use crate::state::AppState;
use crate::v1::common::now;

/// How long the worker waits for a job when none is queued.
const POLL: Duration = Duration::from_millis(250);

/// Starts the worker for the server whose state this is; it stops once the state is gone.
pub fn start(state: &Arc<AppState>) {
    let state = Arc::downgrade(state);
    let spawned = std::thread::Builder::new()
        .name("threshold-imports".into())
        .spawn(move || work(state));
    if let Err(error) = spawned {
        tracing::error!(%error, "the import worker did not start; imports stay queued");
    }
}

fn work(state: Weak<AppState>) {
    let mut recovered = false;
    loop {
        let Some(db) = state.upgrade().map(|state| state.db.clone()) else {
            return;
        };
        if !recovered {
            match fail_interrupted(&db) {
                Ok(count) => {
                    recovered = true;
                    if count > 0 {
                        tracing::warn!(count, "imports interrupted by a restart marked failed");
                    }
                }
                Err(error) => tracing::warn!(%error, "interrupted imports not yet marked"),
            }
        }
        match run_next(&db) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "the import worker could not take a job"),
        }
        drop(db);
        std::thread::sleep(POLL);
    }
}

fn fail_interrupted(db: &Database) -> Result<usize, StoreError> {
    let errors = serde_json::to_string(&[ImportError {
        file: String::new(),
        line: None,
        column: None,
        reason: "interrupted by a restart; nothing was written".into(),
    }])
    .unwrap_or_else(|_| "[]".into());
    let mut conn = db.get()?;
    write_transaction(&mut conn, |conn| {
        imports::fail_interrupted(conn, &errors, now())
    })
}

/// Runs the oldest queued job, if any; answers whether there was one.
pub fn run_next(db: &Database) -> Result<bool, StoreError> {
    let mut conn = db.get()?;
    let claimed: Option<ImportJobRow> =
        write_transaction(&mut conn, |conn| imports::claim_next(conn, now()))?;
    let Some(row) = claimed else {
        return Ok(false);
    };
    let job = Job {
        id: row.id.clone(),
        organization_id: row.organization_id.clone(),
        requested_by: row.created_by.clone(),
        dry_run: row.dry_run,
    };
    let outcome = super::run(&mut conn, &job, &row.archive, &|_, _| {});
    let (succeeded, counts, errors, source) = match outcome {
        Ok(outcome) => (
            outcome.succeeded(),
            outcome.counts,
            outcome.errors,
            outcome.source,
        ),
        Err(error) => (
            false,
            super::Counts::new(),
            vec![ImportError {
                file: String::new(),
                line: None,
                column: None,
                reason: format!("the import could not be written, so nothing was: {error}"),
            }],
            None,
        ),
    };
    let counts = serde_json::to_string(&counts).unwrap_or_else(|_| "{}".into());
    let errors = serde_json::to_string(&errors).unwrap_or_else(|_| "[]".into());
    write_transaction(&mut conn, |conn| {
        imports::finish(
            conn,
            &job.id,
            succeeded,
            &counts,
            &errors,
            source.as_deref(),
            now(),
        )
    })?;
    tracing::info!(job = %job.id, succeeded, "import finished");
    Ok(true)
}
