//! HMIS CSV import: read an archive, check every row (types, codes, references between
//! files and the enrollment rules), then write every record in one transaction, or nothing.
//!
//! A job is queued by `POST /v1/imports/hmis-csv` and run by [`worker`] one at a time;
//! `threshold import` runs the same [`run`] in-process.

pub mod check;
pub mod directory;
mod queue;
pub mod read;
pub mod worker;
pub mod write;

use std::collections::BTreeMap;

use crate::usecases::scopes;
use serde::{Deserialize, Serialize};
use threshold_persistence::audit::{self, AuditEventRow};
use threshold_persistence::ids::{Id, ImportJobId, OrganizationId};
use threshold_persistence::{write_transaction, DbConnection, Retryable, StoreError};
use utoipa::ToSchema;

/// One rejected row, or a problem with the archive as a whole (no line then).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ImportError {
    /// The file, such as `Enrollment.csv`; empty for the archive itself.
    pub file: String,
    /// The line the row starts on; the header is line 1.
    pub line: Option<u64>,
    /// The column's name in the format, such as `EntryDate`.
    pub column: Option<String>,
    /// Stable and machine-readable, to count and filter problems by (`import.required`,
    /// `import.unknown_code`, `enrollment.overlap`, ...): see [`codes`].
    #[serde(default = "codes::recorded_before_codes")]
    pub code: String,
    pub reason: String,
}

/// The codes of the import's problems, beside those of the domain's rules (a rule an
/// imported enrollment breaks keeps its own code, `enrollment.overlap` say) and of the
/// archive's directory (`not_zip`, `too_many_entries`, `outside_root`, `too_large`).
pub mod codes {
    /// A required value is empty.
    pub const REQUIRED: &str = "import.required";
    /// A text is longer than its column allows.
    pub const TOO_LONG: &str = "import.too_long";
    /// Not an integer where one is wanted.
    pub const NOT_INTEGER: &str = "import.not_integer";
    /// An integer that is no code of the column's list.
    pub const UNKNOWN_CODE: &str = "import.unknown_code";
    /// Not a date `yyyy-mm-dd`, or a date and time `yyyy-mm-dd hh:mm:ss`.
    pub const NOT_DATE: &str = "import.not_date";
    /// Not an amount of money.
    pub const NOT_MONEY: &str = "import.not_money";
    /// A value that is not one the column takes (an SSN, a CoC code), or a detail another
    /// column asks for that is missing.
    pub const INVALID: &str = "import.invalid";
    /// An ID that refers to no row of the file it names.
    pub const REFERENCE_NOT_FOUND: &str = "import.reference_not_found";
    /// An ID that appears twice in its file, or an enrollment with two exits.
    pub const DUPLICATE: &str = "import.duplicate";
    /// A file, or the archive, that cannot be read.
    pub const UNREADABLE: &str = "import.unreadable";
    /// An archive of a version the import does not read.
    pub const UNSUPPORTED_VERSION: &str = "import.unsupported_version";
    /// The import failed for a reason of the server's (the database, a stop).
    pub const FAILED: &str = "import.failed";
    /// A problem a job recorded before problems had codes.
    pub const UNCODED: &str = "import.uncoded";

    pub(super) fn recorded_before_codes() -> String {
        UNCODED.to_owned()
    }
}

/// What an import did (or, in a dry run, would do) to one file's records.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FileCounts {
    pub created: u64,
    pub updated: u64,
    pub deleted: u64,
    pub unchanged: u64,
}

/// Counts per file, by file name (`Client.csv`).
pub type Counts = BTreeMap<String, FileCounts>;

/// What one change did to a record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    Created,
    Updated,
    Deleted,
    Unchanged,
}

pub fn count(counts: &mut Counts, file: &str, change: Change) {
    // Found without making the file's name: every record of an archive is counted.
    let found = counts
        .iter_mut()
        .find(|(name, _)| name.strip_suffix(".csv") == Some(file))
        .map(|(_, entry)| entry);
    let entry = match found {
        Some(entry) => entry,
        None => counts.entry(format!("{file}.csv")).or_default(),
    };
    match change {
        Change::Created => entry.created += 1,
        Change::Updated => entry.updated += 1,
        Change::Deleted => entry.deleted += 1,
        Change::Unchanged => entry.unchanged += 1,
    }
}

/// What to import, and for whom.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: ImportJobId,
    pub organization_id: OrganizationId,
    /// Who asked for it: the `actor` of the job's audit event.
    pub requested_by: String,
    pub dry_run: bool,
}

impl Job {
    /// The `created_by` / `updated_by` of every record the job writes.
    pub fn writer(&self) -> String {
        format!("import:{}", self.id)
    }
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub source: Option<String>,
    pub counts: Counts,
    /// Empty when the import succeeded.
    pub errors: Vec<ImportError>,
}

impl Outcome {
    pub fn succeeded(&self) -> bool {
        self.errors.is_empty()
    }
}

/// Why a transaction ended early: its work is rolled back either way.
#[derive(Debug)]
enum Stop {
    Store(StoreError),
    Rejected(Option<String>, Vec<ImportError>),
    DryRun(String, Counts),
}

impl From<StoreError> for Stop {
    fn from(error: StoreError) -> Self {
        Stop::Store(error)
    }
}

impl Retryable for Stop {
    fn is_retryable(&self) -> bool {
        matches!(self, Stop::Store(error) if error.is_retryable())
    }
}

/// Reads, checks and (unless a dry run) writes an archive. A dry run does every write too,
/// inside the transaction, and rolls it back, so its counts are exactly what would happen.
/// `progress` hears how many rows of how many are done.
pub fn run(
    conn: &mut DbConnection,
    job: &Job,
    archive: &[u8],
    progress: &dyn Fn(u64, u64),
) -> Result<Outcome, StoreError> {
    run_committing(conn, job, archive, progress, &mut |_, _, _| Ok(()))
}

/// [`run`], with `commit` writing in the import's own transaction once every record is
/// written (not in a dry run), with the source and the counts: what it records commits with
/// the records or not at all.
pub fn run_committing(
    conn: &mut DbConnection,
    job: &Job,
    archive: &[u8],
    progress: &dyn Fn(u64, u64),
    commit: &mut dyn FnMut(&mut DbConnection, &str, &Counts) -> Result<(), StoreError>,
) -> Result<Outcome, StoreError> {
    if let Err(unsupported) = read::csv_version(archive) {
        return Ok(Outcome {
            source: None,
            counts: Counts::new(),
            errors: vec![unsupported],
        });
    }
    let mut archive = match read::read_archive(archive) {
        Ok(archive) => archive,
        Err(errors) => {
            return Ok(Outcome {
                source: None,
                counts: Counts::new(),
                errors,
            })
        }
    };
    let today = crate::clock::today();
    let result = write_transaction(conn, |conn| {
        // Only writes into the same organization wait for the import; see `usecases::scopes`.
        scopes::import(conn, job.organization_id)?;
        let plan = check::check(conn, &mut archive, today)
            .map_err(|(source, errors)| Stop::Rejected(source, errors))?;
        let counts = write::write(conn, job, &plan, progress)?;
        if job.dry_run {
            return Err(Stop::DryRun(plan.source.clone(), counts));
        }
        audit::event(
            conn,
            &AuditEventRow {
                id: Id::new(),
                at: crate::clock::now(),
                actor: job.requested_by.clone(),
                action: "import".into(),
                entity_type: "import".into(),
                // The event is about the job.
                entity_id: job.id.cast(),
                organization_id: Some(job.organization_id),
                changes: serde_json::json!({
                    "source": {"old": null, "new": plan.source},
                    "counts": {"old": null, "new": counts},
                })
                .to_string(),
            },
        )?;
        commit(conn, &plan.source, &counts)?;
        Ok((plan.source.clone(), counts))
    });
    match result {
        Ok((source, counts)) => Ok(Outcome {
            source: Some(source),
            counts,
            errors: Vec::new(),
        }),
        Err(Stop::DryRun(source, counts)) => Ok(Outcome {
            source: Some(source),
            counts,
            errors: Vec::new(),
        }),
        Err(Stop::Rejected(source, errors)) => Ok(Outcome {
            source,
            counts: Counts::new(),
            errors,
        }),
        Err(Stop::Store(error)) => Err(error),
    }
}

#[cfg(test)]
mod problem_codes {
    use super::*;

    #[test]
    fn a_problem_recorded_before_codes_reads_as_uncoded() {
        let stored = r#"{"file": "Client.csv", "line": 2, "column": "DOB", "reason": "bad"}"#;
        let read: ImportError = serde_json::from_str(stored).expect("a stored problem");
        assert_eq!(read.code, codes::UNCODED);
        let coded = r#"{"file": "", "line": null, "column": null, "code": "import.failed",
                        "reason": "stopped"}"#;
        let read: ImportError = serde_json::from_str(coded).expect("a stored problem");
        assert_eq!(read.code, codes::FAILED);
    }
}
