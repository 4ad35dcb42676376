//! `GET /v1/exports/hmis-csv`: the HMIS CSV export, streamed as a ZIP.

use std::io::{self, Write};
use std::pin::Pin;
use std::task::{Context, Poll};

use actix_web::body::{BodySize, MessageBody};
use actix_web::http::header;
use actix_web::web::{self, Bytes};
use actix_web::HttpResponse;
use serde::Deserialize;
use threshold_domain::Date;
use threshold_persistence::export::ExportFilter;
use threshold_persistence::ids::ProgramId;
use tokio::sync::mpsc;
use utoipa::openapi::path::HttpMethod;
use utoipa::IntoParams;

use crate::auth::{Caller, Role};
use crate::error::ApiError;
use crate::hmis::export::{write_zip, ExportRequest, Ids};
use crate::http::endpoints::Endpoints;
use crate::http::operations::entry::Entry;
use crate::http::state::AppState;
use crate::http::v1::common::ZipFile;

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// First day of the period: enrollments active on any day of `from..=to` are exported.
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub from: Date,
    /// Last day of the period (on or after `from`).
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub to: Date,
    /// Only this program's enrollments.
    #[param(value_type = Option<Uuid>)]
    pub program_id: Option<ProgramId>,
    /// Also deleted records, with their `DateDeleted` (default false).
    #[serde(default)]
    pub include_deleted: bool,
    /// `own` (the default: our IDs) or `source`: the ID another system gave a record
    /// imported from it, where it has one, to send records back to the system they came
    /// from.
    #[serde(default)]
    #[param(inline)]
    pub ids: Ids,
}

impl ExportQuery {
    /// What the caller may export: its organization's programs, or everything for an admin.
    pub fn filter(&self, caller: &Caller) -> Result<ExportFilter, ApiError> {
        if self.from > self.to {
            return Err(ApiError::malformed_field("to", "`to` is before `from`"));
        }
        Ok(ExportFilter {
            from: self.from.into(),
            to: self.to.into(),
            sight: caller.sight(),
            program_id: self.program_id,
            include_deleted: self.include_deleted,
        })
    }
}

/// Chunks of the ZIP in flight between the writer and the response: with 64 KiB chunks,
/// at most half a megabyte waits for a slow reader.
const CHUNKS_IN_FLIGHT: usize = 8;
const CHUNK_BYTES: usize = 64 * 1024;

/// The route of the export with its OpenAPI entry.
pub fn endpoints() -> Endpoints {
    let text = "An HMIS CSV export (FY2026), as a ZIP.\n\n\
Every enrollment active on any day of `from..=to`, with its client, household, exit,\n\
assessments and services, and the organizations, programs, grants and users they refer\n\
to: Export, Organization, User, Project, Funder, Client, Enrollment, Exit, Assessment,\n\
AssessmentQuestions and Services CSV files at the root of the ZIP.\n\n\
For integrations (their own organization's programs) and admins (every organization).\n\
The ZIP is streamed as it is written; one ExportID is on every row.";
    let file_name = "attachment; filename=\"hmis-csv-<from>-<to>.zip\"";
    let entry = Entry::new("exports", "export_hmis_csv", text)
        .query::<ExportQuery>()
        .inline::<ZipFile>(
            "200",
            "The ZIP of HMIS CSV files",
            "application/zip",
            &[("Content-Disposition", file_name)],
        );
    Endpoints::new().route(HttpMethod::Get, "/exports/hmis-csv", export_hmis_csv, entry)
}

pub async fn export_hmis_csv(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, ApiError> {
    caller.require(&[Role::Integration])?;
    let filter = query.filter(&caller)?;
    let file_name = format!("hmis-csv-{}-{}.zip", query.from, query.to);
    // Take a connection before answering, so an unreachable database is still a 503; from
    // the replica when there is one, a snapshot that may trail the primary by a moment.
    let db = state.db.clone();
    let mut connection = web::block(move || db.get_lagging())
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))??;
    let (sender, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    let request = ExportRequest {
        ids: query.ids,
        ..ExportRequest::new(filter)
    };
    actix_web::rt::task::spawn_blocking(move || {
        let out = ChannelWriter::new(sender.clone());
        let written = write_zip(&mut connection, &request, out, &mut |_| {})
            .and_then(|mut out| out.flush().map_err(Into::into));
        if let Err(error) = written {
            if !sender.is_closed() {
                tracing::warn!(%error, "the HMIS CSV export failed while streaming");
                // The reader sees the body end in an error, never a truncated ZIP as whole.
                let _ = sender.blocking_send(Err(io::Error::other(error.to_string())));
            }
        }
    });
    Ok(HttpResponse::Ok()
        .content_type("application/zip")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(ZipBody { receiver }))
}

/// Hands the writer's bytes to the response in chunks, through a bounded channel: the writer
/// waits while the reader is slow, and stops once the reader has hung up.
pub struct ChannelWriter {
    sender: mpsc::Sender<io::Result<Bytes>>,
    buffer: Vec<u8>,
}

impl ChannelWriter {
    pub fn new(sender: mpsc::Sender<io::Result<Bytes>>) -> ChannelWriter {
        ChannelWriter {
            sender,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        self.sender
            .blocking_send(Ok(chunk))
            .map_err(|_| io::Error::new(io::ErrorKind::BrokenPipe, "the reader hung up"))
    }
}

impl Write for ChannelWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}

/// The response body: the chunks the writer sends, until it is done (or fails).
struct ZipBody {
    receiver: mpsc::Receiver<io::Result<Bytes>>,
}

impl MessageBody for ZipBody {
    type Error = io::Error;

    fn size(&self) -> BodySize {
        BodySize::Stream
    }

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        self.get_mut().receiver.poll_recv(cx)
    }
}
