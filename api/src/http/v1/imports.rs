//! `/v1/imports`: HMIS CSV imports, queued as jobs and run by the import worker.

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{web, HttpRequest, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use threshold_persistence::ids::{Id, ImportJobId, OrganizationId};
use threshold_persistence::imports::{self, ImportJobRow, ImportJobSummary};
use threshold_persistence::reference::organization;
use utoipa::openapi::path::HttpMethod;
use utoipa::{IntoParams, PartialSchema as _, ToSchema};

use crate::auth::{Caller, Role};
use crate::clock::now;
use crate::error::{ApiError, ProblemItem};
use crate::hmis::import::{
    directory, read, CausedBy, Counts, ImportError, Mode, Severity, DEFAULT_MAX_SKIPPED_PERCENT,
};
use crate::http::endpoints::Endpoints;
use crate::http::etag::content_tagged_ok;
use crate::http::operations::entry::Entry;
use crate::http::state::AppState;
use crate::http::v1::common::{Lookup, ZipFile, ZipUpload};

/// The routes of imports with their OpenAPI entries.
pub fn endpoints() -> Endpoints {
    let import = Entry::new(
        "imports",
        "import_hmis_csv",
        "Import an HMIS CSV archive (FY2024 or FY2026): queued, then checked and written as a\n\
         whole, or not at all.",
    )
    .query::<ImportQuery>()
    .inline_body(
        vec![
            ("application/zip", ZipFile::schema()),
            ("multipart/form-data", ZipUpload::schema()),
        ],
        "The ZIP, with the CSV files at its root: the body itself, or the `file` part of a \
         form (as generated clients upload files)",
    )
    .json::<ImportQueued>("202", "Queued", &[("Location", "The job's URL")])
    .status(
        "422",
        "An admin's request without `organization_id` or naming no organization \
         (`validation.failed`), or an archive whose Export.csv names a `CSVVersion` the import \
         does not read, FY2022's say (`import.unsupported_version`, naming it)",
    );
    let job = Entry::new(
        "imports",
        "get_import",
        "An import job: its status, counts per file and every refused row.",
    )
    .path(&[("import_id", "The job's id")])
    .json::<ImportJobView>(
        "200",
        "The job",
        &[("ETag", "What the job holds now (for `If-None-Match`)")],
    )
    .status("404", "No such job in the caller's organization");
    Endpoints::new()
        .route(
            HttpMethod::Post,
            "/imports/hmis-csv",
            import_hmis_csv,
            import,
        )
        .route(HttpMethod::Get, "/imports/{import_id}", get_import, job)
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// Check everything and count what would change, writing nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The organization whose records these are: required for an admin; an integration
    /// imports into its own organization.
    #[param(value_type = Option<Uuid>)]
    pub organization_id: Option<OrganizationId>,
    /// `strict` (the default: any problem fails the job) or `tolerant` (rows that cannot be
    /// read are skipped with what depends on them, blank required codes read as 99, rule
    /// breaks imported and flagged).
    #[serde(default)]
    #[param(inline)]
    pub mode: Mode,
    /// In tolerant mode, the share of rows (0-100, default 5) that may be skipped: above it
    /// the whole job fails and nothing is written.
    #[param(minimum = 0, maximum = 100)]
    pub max_skipped_percent: Option<u8>,
}

/// A job as queued.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportQueued {
    #[schema(value_type = Uuid)]
    pub id: ImportJobId,
    /// `queued`.
    pub status: String,
}

/// A job: where it is, what it changed per file, and every row it refused.
#[derive(Debug, Serialize, ToSchema)]
pub struct ImportJobView {
    #[schema(value_type = Uuid)]
    pub id: ImportJobId,
    /// `queued`, `running`, `succeeded` or `failed`.
    pub status: String,
    pub dry_run: bool,
    #[schema(value_type = Uuid)]
    pub organization_id: OrganizationId,
    /// Per file (`Client.csv`): records created, updated, deleted and unchanged.
    pub counts: Counts,
    /// `strict` or `tolerant`.
    pub mode: Mode,
    /// In tolerant mode, the share of rows that may be skipped before the job fails whole.
    pub max_skipped_percent: i32,
    /// Every rejected row (file, line with the header as line 1, column, code, reason): in
    /// strict mode, when there is any, nothing was written; in tolerant mode, the rows
    /// skipped.
    pub errors: Vec<ImportError>,
    /// Every problem, errors and warnings (a blank required code read as 99, a rule an
    /// imported row breaks and is flagged with), each with its `severity`, `message` and
    /// the row that caused it (`caused_by`) when it is skipped with another.
    pub problems: Vec<ProblemView>,
    /// The archive's files the import does not read, by name: `Custom*.csv`, files no HMIS
    /// CSV version names, and the HUD files it does not read yet (IncomeBenefits.csv, ...).
    pub ignored: Vec<String>,
    pub created_at: DateTime<Utc>,
    pub started_at: Option<DateTime<Utc>>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A problem of an import, as the contract names its fields.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemView {
    /// The file, such as `Enrollment.csv`; empty for the archive itself.
    pub file: String,
    /// The line the row starts on; the header is line 1.
    pub line: Option<u64>,
    pub column: Option<String>,
    pub code: String,
    pub severity: Severity,
    pub message: String,
    /// The row this one is skipped with, when it depends on it.
    pub caused_by: Option<CausedBy>,
}

impl From<ImportError> for ProblemView {
    fn from(problem: ImportError) -> ProblemView {
        ProblemView {
            file: problem.file,
            line: problem.line,
            column: problem.column,
            code: problem.code,
            severity: problem.severity,
            message: problem.reason,
            caused_by: problem.caused_by.map(|cause| *cause),
        }
    }
}

impl ImportJobView {
    pub fn from_row(row: &ImportJobSummary) -> Result<ImportJobView, ApiError> {
        let problems: Vec<ImportError> = serde_json::from_str(&row.errors)
            .map_err(|error| ApiError::Internal(format!("import problems: {error}")))?;
        Ok(ImportJobView {
            id: row.id,
            status: row.status.clone(),
            dry_run: row.dry_run,
            organization_id: row.organization_id,
            counts: serde_json::from_str(&row.counts)
                .map_err(|error| ApiError::Internal(format!("import counts: {error}")))?,
            mode: Mode::named(&row.mode),
            max_skipped_percent: row.max_skipped_percent,
            errors: problems
                .iter()
                .filter(|problem| problem.is_error())
                .cloned()
                .collect(),
            problems: problems.into_iter().map(ProblemView::from).collect(),
            ignored: serde_json::from_str(&row.ignored)
                .map_err(|error| ApiError::Internal(format!("import ignored files: {error}")))?,
            created_at: row.created_at.and_utc(),
            started_at: row.started_at.map(|at| at.and_utc()),
            finished_at: row.finished_at.map(|at| at.and_utc()),
        })
    }
}

pub async fn import_hmis_csv(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Integration])?;
    let organization_id = match (caller.is_admin(), query.organization_id, caller.org) {
        (true, Some(requested), _) => requested,
        (true, None, _) => {
            return Err(ApiError::invalid(
                "organization_id",
                "required",
                "an admin names the organization to import into with ?organization_id=",
            ))
        }
        (false, Some(requested), Some(own)) if requested != own => return Err(ApiError::Forbidden),
        (false, _, Some(own)) => own,
        (false, _, None) => return Err(ApiError::Forbidden),
    };
    let essence = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .map(|value| value.split(';').next().unwrap_or("").trim().to_lowercase());
    let limit = state.max_import_bytes;
    let archive =
        match essence.as_deref() {
            Some("application/zip" | "application/x-zip-compressed") => {
                zip_body(&request, payload, limit).await?
            }
            Some("multipart/form-data") => uploaded_file(&request, payload, limit).await?,
            _ => return Err(ApiError::malformed(
                "the body must be a ZIP archive, sent with Content-Type: application/zip, or a \
                 multipart/form-data form whose `file` part is the archive",
            )),
        };
    if archive.is_empty() {
        return Err(ApiError::malformed(
            "the body is empty: send the ZIP archive",
        ));
    }
    let bytes = std::io::Cursor::new(&archive[..]);
    directory::check(bytes.clone()).map_err(archive_refused)?;
    // `CSVVersion` decides how the files are read: a version the import does not read is
    // refused before a job is queued.
    read::csv_version(bytes.clone()).map_err(|unsupported| ApiError::Unprocessable {
        code: "import.unsupported_version",
        detail: unsupported.reason,
    })?;
    let ignored = serde_json::to_string(&read::ignored_files(bytes))
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let dry_run = query.dry_run;
    let mode = query.mode;
    let max_skipped_percent = match query.max_skipped_percent {
        Some(percent) if percent > 100 => {
            return Err(ApiError::invalid(
                "max_skipped_percent",
                "out_of_range",
                "max_skipped_percent is a share of the rows, from 0 to 100",
            ))
        }
        Some(percent) => percent,
        None => DEFAULT_MAX_SKIPPED_PERCENT,
    };
    let created_by = caller.sub.clone();
    let id = state
        .write(move |conn| {
            if organization::find(conn, organization_id)?.is_none() {
                return Err(ApiError::invalid(
                    "organization_id",
                    "not_found",
                    "no such organization",
                ));
            }
            let id = Id::new();
            imports::insert_job(
                conn,
                &ImportJobRow {
                    id,
                    status: "queued".into(),
                    dry_run,
                    organization_id,
                    created_by: created_by.clone(),
                    created_at: now(),
                    started_at: None,
                    finished_at: None,
                    counts: "{}".into(),
                    errors: "[]".into(),
                    source: None,
                    // Stored apart, from the body itself, not from a copy of it.
                    archive: Vec::new(),
                    ignored: ignored.clone(),
                    mode: mode.name().to_owned(),
                    max_skipped_percent: i32::from(max_skipped_percent),
                },
            )?;
            imports::store_archive(conn, id, &archive)?;
            Ok(id)
        })
        .await?;
    Ok(HttpResponse::Accepted()
        .insert_header((header::LOCATION, format!("/v1/imports/{id}")))
        .json(ImportQueued {
            id,
            status: "queued".into(),
        }))
}

/// An `application/zip` body, at most `limit` bytes, gathered into room of the size its
/// Content-Length announces (no more than the limit), so a large archive is not copied
/// into ever larger buffers as it arrives.
async fn zip_body(
    request: &HttpRequest,
    mut payload: web::Payload,
    limit: usize,
) -> Result<Bytes, ApiError> {
    use futures_util::StreamExt as _;
    let announced = request
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if announced.is_some_and(|announced| announced > limit) {
        return Err(ApiError::TooLarge { limit });
    }
    let mut body = web::BytesMut::with_capacity(announced.unwrap_or(0));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk
            .map_err(|error| ApiError::malformed(format!("the body could not be read: {error}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::TooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The `file` part of a `multipart/form-data` body, the way generated clients upload a file:
/// at most `limit` bytes; any other part, or a second `file`, is refused.
async fn uploaded_file(
    request: &HttpRequest,
    payload: web::Payload,
    limit: usize,
) -> Result<Bytes, ApiError> {
    use futures_util::StreamExt as _;
    let unreadable = |error: actix_multipart::MultipartError| {
        ApiError::malformed(format!("the form cannot be read: {error}"))
    };
    let mut form = actix_multipart::Multipart::new(request.headers(), payload);
    let mut file: Option<Vec<u8>> = None;
    while let Some(part) = form.next().await {
        let mut part = part.map_err(unreadable)?;
        let name = part.name().unwrap_or_default().to_owned();
        if name != "file" {
            return Err(ApiError::malformed(format!(
                "the form has a part `{name}`: send the archive as its only part, `file`"
            )));
        }
        if file.is_some() {
            return Err(ApiError::malformed(
                "the form has two `file` parts: send one archive",
            ));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = part.next().await {
            let chunk = chunk.map_err(unreadable)?;
            if bytes.len() + chunk.len() > limit {
                return Err(ApiError::TooLarge { limit });
            }
            bytes.extend_from_slice(&chunk);
        }
        file = Some(bytes);
    }
    file.map(Bytes::from).ok_or_else(|| {
        ApiError::malformed("the form has no `file` part: send the archive as `file`")
    })
}

/// What the archive's directory shows wrong, every problem listed, the entry it concerns
/// as the field.
fn archive_refused(problems: Vec<directory::Problem>) -> ApiError {
    let detail = match problems.as_slice() {
        [only] => only.reason.clone(),
        _ => format!(
            "the archive cannot be imported: {} problems",
            problems.len()
        ),
    };
    let errors = problems
        .into_iter()
        .map(|problem| ProblemItem {
            field: problem.entry,
            code: problem.code.to_owned(),
            message: problem.reason,
        })
        .collect();
    ApiError::Malformed { detail, errors }
}

pub async fn get_import(
    state: web::Data<AppState>,
    read: Lookup<ImportJobId>,
) -> Result<HttpResponse, ApiError> {
    let Lookup { caller, path: id } = read;
    caller.require(&[Role::Integration])?;
    let job = state
        .read(move |conn| Ok(imports::find_job(conn, id)?))
        .await?
        .filter(|job| caller.sees(job.organization_id))
        .ok_or(ApiError::NotFound)?;
    content_tagged_ok(&ImportJobView::from_row(&job)?)
}
