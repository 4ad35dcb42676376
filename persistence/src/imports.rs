//! HMIS CSV import jobs, and the source IDs records were imported under.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Array, Nullable, Text, Timestamp};

use crate::db::DbConnection;
use crate::error::StoreError;
use crate::ids::{EnrollmentId, EntityId, ImportJobId, OrganizationId, ProgramId};
use crate::outbox::{self, Change, ClientOf};
use crate::schema::{enrollments, import_archive_slices, import_jobs, source_ids};

/// How the `created_by` and `updated_by` of every record an import writes begin: then comes
/// the job's ID ([`writer`]).
pub const IMPORT_ACTOR: &str = "import:";

/// The `created_by` and `updated_by` of every record the job `id` writes.
pub fn writer(id: ImportJobId) -> String {
    format!("{IMPORT_ACTOR}{id}")
}

/// A job as stored, its archive included.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(table_name = import_jobs)]
pub struct ImportJobRow {
    pub id: ImportJobId,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    pub dry_run: bool,
    pub organization_id: OrganizationId,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    /// Counts per file, as JSON.
    pub counts: String,
    /// Every rejected row, as a JSON array.
    pub errors: String,
    /// The source the archive's Export.csv names.
    pub source: Option<String>,
    pub archive: Vec<u8>,
    /// The archive's files the import does not read, by name, as a JSON array.
    pub ignored: String,
    /// `strict` or `tolerant`.
    pub mode: String,
    /// In tolerant mode, the share of rows (0-100) it may skip before it fails whole.
    pub max_skipped_percent: i32,
}

/// A job without its archive, as the API reports it.
#[derive(Debug, Clone, PartialEq, Queryable, serde::Serialize, serde::Deserialize)]
pub struct ImportJobSummary {
    pub id: ImportJobId,
    pub status: String,
    pub dry_run: bool,
    pub organization_id: OrganizationId,
    pub created_by: String,
    pub created_at: NaiveDateTime,
    pub started_at: Option<NaiveDateTime>,
    pub finished_at: Option<NaiveDateTime>,
    pub counts: String,
    pub errors: String,
    pub source: Option<String>,
    /// Empty (`[]`) in the events of jobs recorded before it was kept.
    #[serde(default = "no_files")]
    pub ignored: String,
    /// `strict` in the events of jobs recorded before modes.
    #[serde(default = "strict")]
    pub mode: String,
    #[serde(default = "five_percent")]
    pub max_skipped_percent: i32,
}

fn strict() -> String {
    "strict".to_owned()
}

fn five_percent() -> i32 {
    5
}

fn no_files() -> String {
    "[]".to_owned()
}

type SummaryColumns = (
    import_jobs::id,
    import_jobs::status,
    import_jobs::dry_run,
    import_jobs::organization_id,
    import_jobs::created_by,
    import_jobs::created_at,
    import_jobs::started_at,
    import_jobs::finished_at,
    import_jobs::counts,
    import_jobs::errors,
    import_jobs::source,
    import_jobs::ignored,
    import_jobs::mode,
    import_jobs::max_skipped_percent,
);

const SUMMARY: SummaryColumns = (
    import_jobs::id,
    import_jobs::status,
    import_jobs::dry_run,
    import_jobs::organization_id,
    import_jobs::created_by,
    import_jobs::created_at,
    import_jobs::started_at,
    import_jobs::finished_at,
    import_jobs::counts,
    import_jobs::errors,
    import_jobs::source,
    import_jobs::ignored,
    import_jobs::mode,
    import_jobs::max_skipped_percent,
);

pub fn insert_job(conn: &mut DbConnection, row: &ImportJobRow) -> Result<(), StoreError> {
    diesel::insert_into(import_jobs::table)
        .values(row)
        .execute(conn)?;
    Ok(())
}

/// Stores a job's archive (its row inserted with an empty one), a slice per row of
/// `import_archive_slices`: a connection's buffers grow to the largest value it has sent
/// and keep that size as long as it lives in the pool, so an archive sent whole would stay
/// in the server's memory; and each slice is written once, where appending it to one value
/// would write again all stored before it.
pub fn store_archive(
    conn: &mut DbConnection,
    id: ImportJobId,
    archive: &[u8],
) -> Result<(), StoreError> {
    for (position, slice) in archive.chunks(ARCHIVE_SLICE).enumerate() {
        let position = i32::try_from(position)
            .map_err(|_| StoreError::Config("an archive of too many slices".into()))?;
        diesel::insert_into(import_archive_slices::table)
            .values((
                import_archive_slices::job_id.eq(id),
                import_archive_slices::position.eq(position),
                import_archive_slices::bytes.eq(slice),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn find_job(
    conn: &mut DbConnection,
    id: ImportJobId,
) -> Result<Option<ImportJobSummary>, StoreError> {
    Ok(import_jobs::table
        .find(id)
        .select(SUMMARY)
        .first(conn)
        .optional()?)
}

/// Takes the oldest queued job, marking it running; `None` when none waits. Only one
/// worker runs per server; of two servers claiming the same job, the second's update waits
/// for the first's to commit and then finds the job no longer queued (`None`).
/// Its archive is read apart, with [`archive`].
pub fn claim_next(
    conn: &mut DbConnection,
    at: NaiveDateTime,
) -> Result<Option<ImportJobSummary>, StoreError> {
    let next: Option<ImportJobSummary> = import_jobs::table
        .filter(import_jobs::status.eq("queued"))
        .order((import_jobs::created_at.asc(), import_jobs::id.asc()))
        .select(SUMMARY)
        .first(conn)
        .optional()?;
    let Some(mut job) = next else {
        return Ok(None);
    };
    let claimed = diesel::update(
        import_jobs::table
            .find(&job.id)
            .filter(import_jobs::status.eq("queued")),
    )
    .set((
        import_jobs::status.eq("running"),
        import_jobs::started_at.eq(Some(at)),
    ))
    .execute(conn)?;
    if claimed == 0 {
        return Ok(None);
    }
    job.status = "running".into();
    job.started_at = Some(at);
    Ok(Some(job))
}

diesel::define_sql_function! {
    /// `length(blob)`: its size in bytes, on both backends.
    fn length(bytes: diesel::sql_types::Binary) -> diesel::sql_types::Integer;
}

diesel::define_sql_function! {
    /// `substr(blob, from, count)`: `count` bytes from the 1-based `from`, on both backends.
    fn substr(
        bytes: diesel::sql_types::Binary,
        from: diesel::sql_types::Integer,
        count: diesel::sql_types::Integer,
    ) -> diesel::sql_types::Binary;
}

/// Bytes of an archive stored, and read, at a time.
const ARCHIVE_SLICE: usize = 2 * 1024 * 1024;

/// A job's archive (empty when there is no such job), read a slice at a time: a
/// connection's buffers grow to the largest value it has received and keep that size as
/// long as it lives in the pool.
pub fn archive(conn: &mut DbConnection, id: ImportJobId) -> Result<Vec<u8>, StoreError> {
    let mut archive = Vec::new();
    archive_into(conn, id, &mut archive)?;
    Ok(archive)
}

/// [`archive`], each slice written to `out` as it is read (none when there is no such job);
/// answers how many bytes were written.
pub fn archive_into(
    conn: &mut DbConnection,
    id: ImportJobId,
    out: &mut impl std::io::Write,
) -> Result<u64, StoreError> {
    let mut write = |slice: &[u8]| {
        out.write_all(slice)
            .map_err(|error| StoreError::TemporaryFile(error.to_string()))
    };
    let mut written = 0;
    for position in 0.. {
        let slice: Option<Vec<u8>> = import_archive_slices::table
            .find((id, position))
            .select(import_archive_slices::bytes)
            .first(conn)
            .optional()?;
        let Some(slice) = slice else {
            break;
        };
        write(&slice)?;
        written += slice.len() as u64;
    }
    if written > 0 {
        return Ok(written);
    }
    // A job stored before slices were rows keeps its archive in its own column.
    let size: Option<i32> = import_jobs::table
        .find(id)
        .select(length(import_jobs::archive))
        .first(conn)
        .optional()?;
    let size = size.unwrap_or(0);
    let step = ARCHIVE_SLICE as i32;
    let mut from = 1;
    while from <= size {
        let slice: Vec<u8> = import_jobs::table
            .find(id)
            .select(substr(import_jobs::archive, from, step))
            .first(conn)?;
        if slice.is_empty() {
            break;
        }
        write(&slice)?;
        written += slice.len() as u64;
        from = from.saturating_add(step);
    }
    Ok(written)
}

/// Records how a job ended.
pub fn finish(
    conn: &mut DbConnection,
    id: ImportJobId,
    succeeded: bool,
    counts: &str,
    errors: &str,
    source: Option<&str>,
    at: NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(import_jobs::table.find(id))
        .set((
            import_jobs::status.eq(if succeeded { "succeeded" } else { "failed" }),
            import_jobs::counts.eq(counts),
            import_jobs::errors.eq(errors),
            import_jobs::source.eq(source),
            import_jobs::finished_at.eq(Some(at)),
        ))
        .execute(conn)?;
    finished(conn, id, at)
}

/// Publishes the end of a job (`import.finished`), in the transaction that records it.
fn finished(conn: &mut DbConnection, id: ImportJobId, at: NaiveDateTime) -> Result<(), StoreError> {
    let Some(job) = find_job(conn, id)? else {
        return Ok(());
    };
    let change = Change {
        entity_type: "import",
        action: "finish",
        entity_id: id.cast(),
        organization_id: Some(job.organization_id),
        client: ClientOf::Nobody,
        occurred_at: at,
    };
    outbox::publish(conn, &change, &|| outbox::json(&job))
}

/// Fails every job [`abandoned`] finds, holding each one while it does, so that a job a
/// live server runs is never failed. Their transaction was never committed (an import
/// records its end in the same transaction as its records), so nothing of them was written.
pub fn fail_interrupted(
    conn: &mut DbConnection,
    errors: &str,
    at: NaiveDateTime,
) -> Result<usize, StoreError> {
    let mut failed = 0;
    for id in running(conn)? {
        if !hold(conn, id)? {
            continue;
        }
        let updated = diesel::update(
            import_jobs::table
                .find(id)
                .filter(import_jobs::status.eq("running")),
        )
        .set((
            import_jobs::status.eq("failed"),
            import_jobs::errors.eq(errors),
            import_jobs::finished_at.eq(Some(at)),
        ))
        .execute(conn);
        let published = match updated {
            Ok(1) => finished(conn, id, at),
            _ => Ok(()),
        };
        let released = let_go(conn, id);
        failed += updated?;
        published?;
        released?;
    }
    Ok(failed)
}

fn running(conn: &mut DbConnection) -> Result<Vec<ImportJobId>, StoreError> {
    Ok(import_jobs::table
        .filter(import_jobs::status.eq("running"))
        .select(import_jobs::id)
        .load(conn)?)
}

/// The jobs marked running that no server holds (see [`hold`]) now: the server that ran
/// them stopped, or lost its database connection, before they finished.
pub fn abandoned(conn: &mut DbConnection) -> Result<Vec<ImportJobId>, StoreError> {
    let mut abandoned = Vec::new();
    for id in running(conn)? {
        if hold(conn, id)? {
            let_go(conn, id)?;
            abandoned.push(id);
        }
    }
    Ok(abandoned)
}

/// The first key of every job's PostgreSQL advisory lock (an arbitrary constant); the
/// second is drawn from the job's id.
const JOB_LOCKS: i32 = 0x696d_706f;

/// The second key of a job's lock: its id's text hashed (FNV-1a).
fn job_key(id: ImportJobId) -> i32 {
    let hash = id.to_string().bytes().fold(0x811c_9dc5_u32, |hash, byte| {
        (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
    });
    i32::from_ne_bytes(hash.to_ne_bytes())
}

/// Marks this connection's session as the one running a job, until [`let_go`] or until the
/// session ends (its process dies, its connection drops), so that other servers on the
/// same PostgreSQL database can tell a running job from an abandoned one. False when
/// another session holds it. SQLite is served by one process: always true there.
pub fn hold(conn: &mut DbConnection, id: ImportJobId) -> Result<bool, StoreError> {
    match conn {
        DbConnection::Postgresql(pg) => Ok(diesel::select(diesel::dsl::sql::<
            diesel::sql_types::Bool,
        >(&format!(
            "pg_try_advisory_lock({JOB_LOCKS}, {})",
            job_key(id)
        )))
        .get_result(pg)?),
        DbConnection::Sqlite(_) => Ok(true),
    }
}

/// Ends a [`hold`].
pub fn let_go(conn: &mut DbConnection, id: ImportJobId) -> Result<(), StoreError> {
    if let DbConnection::Postgresql(pg) = conn {
        diesel::select(diesel::dsl::sql::<diesel::sql_types::Bool>(&format!(
            "pg_advisory_unlock({JOB_LOCKS}, {})",
            job_key(id)
        )))
        .get_result::<bool>(pg)?;
    }
    Ok(())
}

/// The record a source's ID of an entity was imported as.
/// Every record imported from another system, with the ID its source gave it: `(entity,
/// record id, source ID)`, for an export that writes source IDs. A record imported from two
/// sources is listed twice.
pub fn every_source_id(
    conn: &mut DbConnection,
) -> Result<Vec<(String, EntityId, String)>, StoreError> {
    Ok(source_ids::table
        .select((
            source_ids::entity,
            source_ids::record_id,
            source_ids::source_id,
        ))
        .order((
            source_ids::source,
            source_ids::entity,
            source_ids::source_id,
        ))
        .load(conn)?)
}

/// Whether any ID of `entity` was imported from `source` before: when none was, a file of
/// the entity's records needs no look-up of its IDs.
pub fn any_known(conn: &mut DbConnection, source: &str, entity: &str) -> Result<bool, StoreError> {
    Ok(diesel::select(diesel::dsl::exists(
        source_ids::table
            .filter(source_ids::source.eq(source))
            .filter(source_ids::entity.eq(entity)),
    ))
    .get_result(conn)?)
}

pub fn record_id(
    conn: &mut DbConnection,
    source: &str,
    entity: &str,
    source_id: &str,
) -> Result<Option<EntityId>, StoreError> {
    Ok(source_ids::table
        .find((source, entity, source_id))
        .select(source_ids::record_id)
        .first(conn)
        .optional()?)
}

/// The source's DateUpdated of the version of a record last imported, when known.
pub fn last_seen(
    conn: &mut DbConnection,
    source: &str,
    entity: &str,
    source_id: &str,
) -> Result<Option<chrono::NaiveDateTime>, StoreError> {
    Ok(source_ids::table
        .find((source, entity, source_id))
        .select(source_ids::source_updated_at)
        .first::<Option<chrono::NaiveDateTime>>(conn)
        .optional()?
        .flatten())
}

/// Remembers the source's DateUpdated of the version just imported, so a later file updates
/// the record only when the source changed it since: the time the import ran says nothing
/// about that.
pub fn seen(
    conn: &mut DbConnection,
    source: &str,
    entity: &str,
    source_id: &str,
    date_updated: chrono::NaiveDateTime,
) -> Result<(), StoreError> {
    diesel::update(source_ids::table.find((source, entity, source_id)))
        .set(source_ids::source_updated_at.eq(Some(date_updated)))
        .execute(conn)?;
    Ok(())
}

/// What a source's ID was imported as, and the source's DateUpdated of the version last
/// imported, when known.
#[derive(Debug, Clone, PartialEq, Queryable, Insertable)]
#[diesel(table_name = source_ids, treat_none_as_default_value = false)]
pub struct SourceIdRow {
    pub source: String,
    pub entity: String,
    pub source_id: String,
    pub record_id: EntityId,
    pub source_updated_at: Option<NaiveDateTime>,
}

/// The records these source IDs of an entity were imported as, by source ID, read a
/// thousand at a time: the record's id and the source's DateUpdated last imported.
pub fn known_ids(
    conn: &mut DbConnection,
    source: &str,
    entity: &str,
    source_ids_wanted: &[&str],
) -> Result<HashMap<String, (EntityId, Option<NaiveDateTime>)>, StoreError> {
    let mut known = HashMap::new();
    for chunk in source_ids_wanted.chunks(crate::multi_row::ROWS_PER_STATEMENT) {
        let found: Vec<KnownId> = match conn {
            // Each ID looked up through the key: as `source_id = ANY($3)`, a prepared
            // statement's generic plan may scan every ID of the entity and compare each with
            // the whole list (a second import right after the first, before the table was
            // analyzed, spent seconds on every query).
            DbConnection::Postgresql(pg) => diesel::sql_query(
                "SELECT source_id, record_id, source_updated_at FROM source_ids \
                 WHERE (source, entity, source_id) IN (SELECT $1, $2, unnest($3::text[]))",
            )
            .bind::<Text, _>(source)
            .bind::<Text, _>(entity)
            .bind::<Array<Text>, _>(chunk)
            .load(pg)?,
            DbConnection::Sqlite(sqlite) => source_ids::table
                .filter(source_ids::source.eq(source))
                .filter(source_ids::entity.eq(entity))
                .filter(source_ids::source_id.eq_any(chunk))
                .select((
                    source_ids::source_id,
                    source_ids::record_id,
                    source_ids::source_updated_at,
                ))
                .load::<(String, EntityId, Option<NaiveDateTime>)>(sqlite)?
                .into_iter()
                .map(|(source_id, record_id, source_updated_at)| KnownId {
                    source_id,
                    record_id,
                    source_updated_at,
                })
                .collect(),
        };
        known.extend(
            found
                .into_iter()
                .map(|row| (row.source_id, (row.record_id, row.source_updated_at))),
        );
    }
    Ok(known)
}

#[derive(QueryableByName)]
struct KnownId {
    #[diesel(sql_type = Text)]
    source_id: String,
    #[diesel(sql_type = Text)]
    record_id: EntityId,
    #[diesel(sql_type = Nullable<Timestamp>)]
    source_updated_at: Option<NaiveDateTime>,
}

/// Remembers what many source IDs were imported as, many per statement.
pub fn remember_all(conn: &mut DbConnection, rows: &[SourceIdRow]) -> Result<(), StoreError> {
    crate::multi_row::insert_rows!(conn, source_ids::table, rows)
}

/// Remembers what a source's ID was imported as.
pub fn remember(
    conn: &mut DbConnection,
    source: &str,
    entity: &str,
    source_id: &str,
    record_id: EntityId,
) -> Result<(), StoreError> {
    diesel::insert_into(source_ids::table)
        .values((
            source_ids::source.eq(source),
            source_ids::entity.eq(entity),
            source_ids::source_id.eq(source_id),
            source_ids::record_id.eq(record_id),
        ))
        .execute(conn)?;
    Ok(())
}

/// The enrollments (not deleted) active in a program now, by id: an import counts them
/// against the program's capacity, less those its own file changes.
pub fn active_enrollment_ids(
    conn: &mut DbConnection,
    program_id: ProgramId,
) -> Result<Vec<EnrollmentId>, StoreError> {
    Ok(enrollments::table
        .filter(enrollments::program_id.eq(program_id))
        .filter(enrollments::exit_date.is_null())
        .filter(enrollments::deleted_at.is_null())
        .select(enrollments::id)
        .load(conn)?)
}

#[cfg(test)]
mod summaries {
    use super::*;

    #[test]
    fn a_job_recorded_before_ignored_files_were_kept_reads_with_none() {
        let recorded = r#"{"id": "01a24e52-d892-7593-9acf-65621b839654", "status": "succeeded",
            "dry_run": false, "organization_id": "01a24e52-d88b-714c-b339-a4b2e3779ce0",
            "created_by": "admin", "created_at": "2026-12-07T02:26:21.970444",
            "started_at": null, "finished_at": null, "counts": "{}", "errors": "[]",
            "source": null}"#;
        let read: ImportJobSummary = serde_json::from_str(recorded).expect("a recorded job");
        assert_eq!(read.ignored, "[]");
        assert_eq!(
            (read.mode.as_str(), read.max_skipped_percent),
            ("strict", 5)
        );
    }
}
