//! The import worker: a thread beside the server that runs queued jobs one at a time,
//! polling the jobs table, so jobs queued before a restart still run after it. Several
//! servers on one PostgreSQL database each run one; a job that was running when its server
//! stopped is marked failed by the next worker that polls.

use std::sync::Weak;
use std::time::Duration;

use threshold_persistence::imports::{self, ImportJobSummary};
use threshold_persistence::{write_transaction, Database, DbConnection, StoreError};

use super::{ImportError, Job};
use crate::clock::now;

/// How long the worker waits for a job when none is queued.
const POLL: Duration = Duration::from_millis(250);

/// Starts the worker on `db` for a server; it stops once `owner` (the server's state) is
/// gone.
pub fn start<T: Send + Sync + 'static>(db: &Database, owner: Weak<T>) {
    let db = db.clone();
    let spawned = std::thread::Builder::new()
        .name("threshold-imports".into())
        .spawn(move || work(&db, owner));
    if let Err(error) = spawned {
        tracing::error!(%error, "the import worker did not start; imports stay queued");
    }
}

fn work<T>(db: &Database, owner: Weak<T>) {
    while owner.strong_count() > 0 {
        match fail_interrupted(db) {
            Ok(0) => {}
            Ok(count) => tracing::warn!(
                count,
                "imports interrupted by a stopped server marked failed"
            ),
            Err(error) => tracing::warn!(%error, "interrupted imports not yet marked"),
        }
        match run_next(db) {
            Ok(true) => continue,
            Ok(false) => {}
            Err(error) => tracing::warn!(%error, "the import worker could not take a job"),
        }
        std::thread::sleep(POLL);
    }
}

/// Fails the jobs left running by a server that stopped: this one before a restart, or
/// another one on the same database while this one lives. Looked for on every poll with a
/// read, so the writers' lock is taken only when there is one.
fn fail_interrupted(db: &Database) -> Result<usize, StoreError> {
    let mut conn = db.get()?;
    if imports::abandoned(&mut conn)?.is_empty() {
        return Ok(0);
    }
    let errors = serde_json::to_string(&[ImportError {
        file: String::new(),
        line: None,
        column: None,
        code: super::codes::FAILED.into(),
        reason: "interrupted: the server running it stopped; nothing was written".into(),
        severity: crate::hmis::import::Severity::Error,
        caused_by: None,
    }])
    .unwrap_or_else(|_| "[]".into());
    write_transaction(&mut conn, |conn| {
        imports::fail_interrupted(conn, &errors, now())
    })
}

/// Runs the oldest queued job, if any; answers whether there was one.
pub fn run_next(db: &Database) -> Result<bool, StoreError> {
    let mut conn = db.get()?;
    let claimed: Option<ImportJobSummary> =
        write_transaction(&mut conn, |conn| imports::claim_next(conn, now()))?;
    let Some(row) = claimed else {
        return Ok(false);
    };
    // Held until the job ends, or this server does: other servers' workers fail only the
    // running jobs nobody holds. A worker that found this one abandoned in the moment
    // since the claim holds it, and has failed it: then it is not run.
    if !imports::hold(&mut conn, row.id)? {
        return Ok(true);
    }
    let ran = run_held(&mut conn, &row);
    let released = imports::let_go(&mut conn, row.id);
    ran?;
    released?;
    Ok(true)
}

fn run_held(conn: &mut DbConnection, row: &ImportJobSummary) -> Result<(), StoreError> {
    let still_running = imports::find_job(conn, row.id)?.is_some_and(|job| job.status == "running");
    if !still_running {
        return Ok(());
    }
    let job = Job {
        id: row.id,
        organization_id: row.organization_id,
        requested_by: row.created_by.clone(),
        dry_run: row.dry_run,
        mode: super::Mode::named(&row.mode),
        max_skipped_percent: u8::try_from(row.max_skipped_percent.clamp(0, 100))
            .unwrap_or(super::DEFAULT_MAX_SKIPPED_PERCENT),
    };
    // A job that writes records its end in their transaction: killed a moment after
    // committing, it must not be reported as having written nothing.
    let mut finish_with_records = |conn: &mut DbConnection,
                                   source: &str,
                                   counts: &super::Counts,
                                   problems: &[ImportError]| {
        let counts = serde_json::to_string(counts).unwrap_or_else(|_| "{}".into());
        let problems = serde_json::to_string(problems).unwrap_or_else(|_| "[]".into());
        imports::finish(conn, job.id, true, &counts, &problems, Some(source), now())
    };
    let outcome = spooled(conn, row.id).and_then(|mut archive| {
        let file = archive.file()?;
        super::run_committing(conn, &job, file, None, &mut finish_with_records)
    });
    let (succeeded, counts, errors, source) = match outcome {
        Ok(outcome) if outcome.succeeded && !job.dry_run => {
            tracing::info!(job = %job.id, succeeded = true, "import finished");
            return Ok(());
        }
        Ok(outcome) => (
            outcome.succeeded,
            outcome.counts,
            outcome.problems,
            outcome.source,
        ),
        Err(error) => (
            false,
            super::Counts::new(),
            vec![ImportError {
                file: String::new(),
                line: None,
                column: None,
                code: super::codes::FAILED.into(),
                reason: format!("the import could not be written, so nothing was: {error}"),
                severity: crate::hmis::import::Severity::Error,
                caused_by: None,
            }],
            None,
        ),
    };
    let counts = serde_json::to_string(&counts).unwrap_or_else(|_| "{}".into());
    let errors = serde_json::to_string(&errors).unwrap_or_else(|_| "[]".into());
    write_transaction(conn, |conn| {
        imports::finish(
            conn,
            job.id,
            succeeded,
            &counts,
            &errors,
            source.as_deref(),
            now(),
        )
    })?;
    tracing::info!(job = %job.id, succeeded, "import finished");
    Ok(())
}

/// The job's archive in a file of its own in the temporary folder, read from it as the
/// import goes: an archive of any size takes none of the server's memory. The file is
/// created anew (never one left there, nor one a link points at) and, where the system
/// allows, unlinked at once; elsewhere it is removed once the job is done with it.
fn spooled(
    conn: &mut DbConnection,
    id: threshold_persistence::ids::ImportJobId,
) -> Result<Spooled, StoreError> {
    use std::io::{Seek, Write};
    let failed = |error: std::io::Error| StoreError::TemporaryFile(error.to_string());
    let path = std::env::temp_dir().join(format!("threshold-import-{id}.zip"));
    // A file of this job's left by a server stopped on a system that keeps open files.
    let _ = std::fs::remove_file(&path);
    let file = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(failed)?;
    let mut spooled = Spooled {
        left: std::fs::remove_file(&path).is_err().then_some(path),
        file: Some(file),
    };
    let file = spooled.file()?;
    let mut out = std::io::BufWriter::new(file);
    imports::archive_into(conn, id, &mut out)?;
    out.flush().map_err(failed)?;
    drop(out);
    spooled.file()?.rewind().map_err(failed)?;
    Ok(spooled)
}

/// A job's spooled archive: the file, and its path while it could not be unlinked.
struct Spooled {
    file: Option<std::fs::File>,
    left: Option<std::path::PathBuf>,
}

impl Spooled {
    fn file(&mut self) -> Result<&std::fs::File, StoreError> {
        self.file
            .as_ref()
            .ok_or_else(|| StoreError::TemporaryFile("the spooled archive is closed".into()))
    }
}

impl Drop for Spooled {
    fn drop(&mut self) {
        // Closed first: a system that keeps open files removes only closed ones.
        drop(self.file.take());
        if let Some(path) = self.left.take() {
            if let Err(error) = std::fs::remove_file(&path) {
                tracing::warn!(path = %path.display(), %error, "a spooled archive was left");
            }
        }
    }
}
