//! HMIS CSV import: read an archive, check every row (types, codes, references between
//! files and the enrollment rules) and write every record in one transaction, or nothing:
//! the files are written as they are checked, and a refusal rolls everything back.
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
    /// `error` (the row is not imported; in strict mode, nothing is) or `warning` (the row
    /// is imported, as the message says). Problems of jobs recorded before were errors.
    #[serde(default)]
    pub severity: Severity,
    pub reason: String,
    /// The row whose own problem this row is skipped for: a row depends on it (an exit or
    /// a service on its enrollment, an enrollment on its client).
    #[serde(default)]
    pub caused_by: Option<Box<CausedBy>>,
}

/// How much a problem weighs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Error,
    Warning,
}

/// A row of the archive: its file and line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
pub struct CausedBy {
    pub file: String,
    pub line: u64,
}

impl ImportError {
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
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
    /// A row that refers to a row refused for its own values: it is refused with it (its
    /// `caused_by` names that row).
    pub const DEPENDS_ON_REFUSED: &str = "import.depends_on_refused";
    /// An ID that appears twice in its file, or an enrollment with two exits.
    pub const DUPLICATE: &str = "import.duplicate";
    /// A file, or the archive, that cannot be read.
    pub const UNREADABLE: &str = "import.unreadable";
    /// An archive of a version the import does not read.
    pub const UNSUPPORTED_VERSION: &str = "import.unsupported_version";
    /// A tolerant import that would skip more rows than `max_skipped_percent` allows.
    pub const TOO_MANY_SKIPPED: &str = "import.too_many_skipped";
    /// A code HMIS CSV no longer lists, kept as it was recorded (a funding source FY2026
    /// retired, on a grant that ended before it).
    pub const RETIRED_CODE: &str = "import.retired_code";
    /// An SSN kept as another system recorded it: partial (padded with `x`) or hashed.
    pub const PARTIAL_OR_HASHED: &str = "import.partial_or_hashed_ssn";
    /// A blank required code read as 99 (data not collected), in a tolerant import.
    pub const READ_AS_NOT_COLLECTED: &str = "import.read_as_not_collected";
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
    /// Rows not imported, for their own problems or a row they depend on (tolerant mode).
    #[serde(default)]
    pub skipped: u64,
    /// Rows imported though they break an enrollment rule, and flagged (tolerant mode).
    #[serde(default)]
    pub flagged: u64,
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

/// How an import takes data another system recorded (contract: "Imports from other
/// systems").
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Any problem fails the job; nothing is written.
    #[default]
    Strict,
    /// Rows whose values cannot be read are skipped with the rows that depend on them; a
    /// blank required code is read as 99 (data not collected) with a warning; a row that
    /// breaks an enrollment rule is imported and flagged.
    Tolerant,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Strict => "strict",
            Mode::Tolerant => "tolerant",
        }
    }

    /// The mode a job stored names; `strict` for anything else (jobs before modes).
    pub fn named(name: &str) -> Mode {
        match name {
            "tolerant" => Mode::Tolerant,
            _ => Mode::Strict,
        }
    }
}

/// The share of rows a tolerant import may skip, unless told otherwise.
pub const DEFAULT_MAX_SKIPPED_PERCENT: u8 = 5;

/// What to import, and for whom.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: ImportJobId,
    pub organization_id: OrganizationId,
    /// Who asked for it: the `actor` of the job's audit event.
    pub requested_by: String,
    pub dry_run: bool,
    pub mode: Mode,
    /// In tolerant mode, the share of rows (0-100) it may skip before it fails whole.
    pub max_skipped_percent: u8,
}

impl Job {
    /// The `created_by` / `updated_by` of every record the job writes.
    pub fn writer(&self) -> String {
        threshold_persistence::imports::writer(self.id)
    }
}

/// How an import ended.
#[derive(Debug, Clone, PartialEq)]
pub struct Outcome {
    pub source: Option<String>,
    pub counts: Counts,
    /// Every problem: in strict mode none when the import succeeded; in tolerant mode the
    /// rows skipped and the warnings, of an import that succeeded too.
    pub problems: Vec<ImportError>,
    pub succeeded: bool,
}

impl Outcome {
    fn failed(source: Option<String>, problems: Vec<ImportError>) -> Outcome {
        Outcome {
            source,
            counts: Counts::new(),
            problems,
            succeeded: false,
        }
    }
}

/// Adds to `counts` the rows each file's problems skip and flag.
fn count_problems(counts: &mut Counts, problems: &[ImportError]) {
    let mut rows = std::collections::BTreeSet::new();
    for problem in problems {
        let Some(line) = problem.line else { continue };
        // A rule's own code on a row imported: a flag; the import's codes are warnings of
        // values read as something else.
        let flagged = !problem.is_error() && !problem.code.starts_with("import.");
        if !(problem.is_error() || flagged) || !rows.insert((&problem.file, line, flagged)) {
            continue;
        }
        let entry = counts.entry(problem.file.clone()).or_default();
        if problem.is_error() {
            entry.skipped += 1;
        } else {
            entry.flagged += 1;
        }
    }
}

/// Why a transaction ended early: its work is rolled back either way.
#[derive(Debug)]
enum Stop {
    Store(StoreError),
    Rejected(Option<String>, Vec<ImportError>),
    DryRun(String, Counts, Vec<ImportError>),
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

/// What the import's own transaction records as it commits: the source, the counts and the
/// problems (a tolerant import's skipped rows and warnings).
pub type Commit<'a> =
    dyn FnMut(&mut DbConnection, &str, &Counts, &[ImportError]) -> Result<(), StoreError> + 'a;

/// Reads, checks and (unless a dry run) writes an archive. A dry run does every write too,
/// inside the transaction, and rolls it back, so its counts are exactly what would happen.
/// `progress`, when given, hears how many rows of about how many are done.
pub fn run(
    conn: &mut DbConnection,
    job: &Job,
    archive: impl read::Source,
    progress: Option<&dyn Fn(u64, u64)>,
) -> Result<Outcome, StoreError> {
    run_committing(conn, job, archive, progress, &mut |_, _, _, _| Ok(()))
}

/// [`run`], with `commit` writing in the import's own transaction once every record is
/// written (not in a dry run), with the source, the counts and the problems: what it
/// records commits with the records or not at all.
pub fn run_committing(
    conn: &mut DbConnection,
    job: &Job,
    archive: impl read::Source,
    progress: Option<&dyn Fn(u64, u64)>,
    commit: &mut Commit<'_>,
) -> Result<Outcome, StoreError> {
    let mut archive = match read::read_archive(archive) {
        Ok(archive) => archive,
        Err(errors) => return Ok(Outcome::failed(None, errors)),
    };
    if let Err(unsupported) = archive.csv_version() {
        return Ok(Outcome::failed(None, vec![unsupported]));
    }
    let today = crate::clock::today();
    // For progress only: the files of HUD's records are counted as they are read.
    let records_about: u64 = match progress {
        Some(_) => check::record_file_names()
            .into_iter()
            .map(|name| archive.rows_about(name))
            .sum(),
        None => 0,
    };
    let progress = progress.unwrap_or(&|_, _| {});
    let result = write_transaction(conn, |conn| {
        // Only writes into the same organization wait for the import; see `usecases::scopes`.
        scopes::import(conn, job.organization_id)?;
        let mut checker = check::Checker::new(conn, today, job);
        checker.files(&mut archive);
        let source = checker.plan().source.clone();
        let total = checker.plan().rows() + records_about;
        let Some(conn) = checker.connection() else {
            return Err(Stop::Store(StoreError::Config(
                "the import's connection was not given back".into(),
            )));
        };
        // Every file but HUD's records is written once checked (unless the import is
        // refused already); HUD's records are checked and written a part at a time, the
        // database storing one while the next is checked. A refusal found later rolls it
        // all back.
        let counts = queue::run(&mut *conn, |queue| {
            let mut writer = write::Writer::new(queue, &source, job, total, progress);
            if checker.writable() {
                writer.plan(checker.plan_mut())?;
                checker.plan_mut().written();
            }
            checker.record_files(&mut archive, queue, &mut writer)?;
            match checker.writable() {
                true => writer.finish(checker.plan()),
                // Refused: rolled back.
                false => Ok(Counts::new()),
            }
        })?;
        let (source, problems) = checker
            .finish()
            .map_err(|(source, errors)| Stop::Rejected(source, errors))?;
        let mut counts = counts;
        count_problems(&mut counts, &problems);
        if job.dry_run {
            return Err(Stop::DryRun(source, counts, problems));
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
                    "source": {"old": null, "new": source},
                    "counts": {"old": null, "new": counts},
                })
                .to_string(),
            },
        )?;
        commit(conn, &source, &counts, &problems)?;
        Ok((source, counts, problems))
    });
    match result {
        Ok((source, counts, problems)) | Err(Stop::DryRun(source, counts, problems)) => {
            Ok(Outcome {
                source: Some(source),
                counts,
                problems,
                succeeded: true,
            })
        }
        Err(Stop::Rejected(source, errors)) => Ok(Outcome::failed(source, errors)),
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
