//! HUD's reports (CoC APR and ESG CAPER, FY2026): `GET /v1/reports/hud-data-quality` (Q5a,
//! Q6a-Q6f) and `GET /v1/reports/outcomes` (Q7a, Q8a, Q19a1-2, Q22a, Q23c), each table as
//! HUD lays it out, every count cell with a link to its members; the drill-down
//! `GET /v1/reports/{report}/cells/{question}/{cell}`; and each report as one CSV per table
//! in a ZIP (`Accept: text/csv`). The computations are the domain's
//! (`threshold_domain::reports::hud`); the same functions serve `threshold report`.

use std::io::Write;

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use serde::{Deserialize, Serialize};
use threshold_domain::reports::hud::{
    find_cell, hud_data_quality_with, outcomes_with, CellValue, Detail, Member, Table,
};
use threshold_domain::reports::ReportRange;
use threshold_domain::Date;
use threshold_persistence::ids::ProgramId;
use threshold_persistence::privacy::Sight;
use threshold_persistence::reports::{self, ReportScope};
use threshold_persistence::DbConnection;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::error::ApiError;
use crate::http::pagination::{encode_cursor, pair_position, parse_pair_position, PageRequest};
use crate::http::state::AppState;

/// One of HUD's reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HudReport {
    /// Q5a, Q6a, Q6b, Q6c, Q6d, Q6e, Q6f.
    DataQuality,
    /// Q7a, Q8a, Q19a1, Q19a2, Q22a, Q23c.
    Outcomes,
}

impl HudReport {
    /// Its name in paths and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            HudReport::DataQuality => "hud-data-quality",
            HudReport::Outcomes => "outcomes",
        }
    }

    pub fn named(name: &str) -> Option<HudReport> {
        [HudReport::DataQuality, HudReport::Outcomes]
            .into_iter()
            .find(|report| report.name() == name)
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct HudReportQuery {
    /// The first day of the report.
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub from: Date,
    /// The last day of the report (included), not before `from`.
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub to: Date,
    /// Only this program.
    #[param(value_type = Option<Uuid>)]
    pub program_id: Option<ProgramId>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CellQuery {
    /// The first day of the report.
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub from: Date,
    /// The last day of the report (included), not before `from`.
    #[param(value_type = String, format = Date, pattern = "^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$")]
    pub to: Date,
    /// Only this program.
    #[param(value_type = Option<Uuid>)]
    pub program_id: Option<ProgramId>,
    /// Page size, 1-200 (default 50).
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u32>,
    /// `next_cursor` of the previous page.
    #[param(min_length = 1)]
    pub cursor: Option<String>,
}

/// A report: its tables in HUD's order.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct HudReportView {
    /// `hud-data-quality` or `outcomes`.
    pub report: String,
    #[schema(value_type = String, format = Date)]
    pub from: Date,
    #[schema(value_type = String, format = Date)]
    pub to: Date,
    #[schema(value_type = Option<Uuid>)]
    pub program_id: Option<ProgramId>,
    pub tables: Vec<TableView>,
}

/// One of HUD's tables: its row and column labels, and its cells (those HUD greys out are
/// left out).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TableView {
    /// HUD's question, such as `Q6a`.
    pub question: String,
    pub title: String,
    pub rows: Vec<String>,
    pub columns: Vec<String>,
    pub cells: Vec<CellView>,
}

/// A rate, as its two counts and their share.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RateView {
    pub numerator: usize,
    pub denominator: usize,
    /// numerator / denominator, from 0 to 1, to 4 places; null over nobody.
    pub fraction: Option<f64>,
}

/// One cell: a count (with the link to its members), a rate, or an amount of money.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellView {
    /// HUD's spreadsheet reference: `B2` is the first row and column of values.
    pub id: String,
    pub row: String,
    pub column: String,
    /// `count`, `rate` or `amount`.
    pub kind: String,
    /// A count cell's number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub count: Option<usize>,
    /// A count cell's members: `/v1/reports/{report}/cells/{question}/{cell}?...`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub members: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rate: Option<RateView>,
    /// An amount cell's dollars (average monthly income and its change), null over
    /// nobody.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub amount: Option<Option<f64>>,
}

/// One member of a cell: the enrollment the report chose for the client.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MemberView {
    pub client_id: Uuid,
    pub enrollment_id: Uuid,
    pub household_id: Uuid,
    /// Imported from another system though it breaks an enrollment rule (its `flags` say
    /// which): counted as it is.
    pub flagged: bool,
}

/// A page of a cell's members.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CellMembers {
    pub report: String,
    pub question: String,
    pub cell: String,
    pub row: String,
    pub column: String,
    /// Every member of the cell, across pages.
    pub count: usize,
    /// By client, then enrollment.
    pub data: Vec<MemberView>,
    pub next_cursor: Option<String>,
}

/// The tables of `report` for the scope over `range`, the cells keeping their members as
/// `detail` says.
pub fn hud_tables(
    conn: &mut DbConnection,
    sight: Sight,
    report: HudReport,
    range: ReportRange,
    program_id: Option<ProgramId>,
    detail: Detail<'_>,
) -> Result<Vec<Table>, ApiError> {
    let scope = ReportScope { sight, program_id };
    super::programs_in(conn, scope)?;
    let facts = reports::hud_facts(conn, scope, range.to().naive())?;
    Ok(match report {
        HudReport::DataQuality => hud_data_quality_with(&range, &facts, detail),
        HudReport::Outcomes => outcomes_with(&range, &facts, detail),
    })
}

fn range_of(from: Date, to: Date) -> Result<ReportRange, ApiError> {
    ReportRange::new(from, to).map_err(|error| ApiError::malformed_field("from", error.to_string()))
}

/// The report as JSON, each count cell linking to its members.
pub fn report_view(
    report: HudReport,
    range: ReportRange,
    program_id: Option<ProgramId>,
    tables: Vec<Table>,
) -> HudReportView {
    let mut query = format!("from={}&to={}", range.from(), range.to());
    if let Some(program_id) = program_id {
        query.push_str(&format!("&program_id={program_id}"));
    }
    let tables = tables
        .into_iter()
        .map(|table| TableView {
            question: table.question.to_owned(),
            title: table.title.to_owned(),
            rows: table.rows.iter().map(|row| (*row).to_owned()).collect(),
            columns: table
                .columns
                .iter()
                .map(|column| (*column).to_owned())
                .collect(),
            cells: table
                .cells
                .iter()
                .map(|cell| {
                    let mut view = CellView {
                        id: cell.id.clone(),
                        row: cell.row.to_owned(),
                        column: cell.column.to_owned(),
                        kind: String::new(),
                        count: None,
                        members: None,
                        rate: None,
                        amount: None,
                    };
                    match &cell.value {
                        CellValue::Count { count, .. } => {
                            view.kind = "count".into();
                            view.count = Some(*count);
                            view.members = Some(format!(
                                "/v1/reports/{}/cells/{}/{}?{query}",
                                report.name(),
                                table.question,
                                cell.id
                            ));
                        }
                        CellValue::Rate {
                            numerator,
                            denominator,
                        } => {
                            view.kind = "rate".into();
                            view.rate = Some(RateView {
                                numerator: *numerator,
                                denominator: *denominator,
                                fraction: cell.value.fraction().map(round4),
                            });
                        }
                        CellValue::Amount(amount) => {
                            view.kind = "amount".into();
                            view.amount = Some(amount.map(|cents| cents.dollars()));
                        }
                    }
                    view
                })
                .collect(),
        })
        .collect();
    HudReportView {
        report: report.name().to_owned(),
        from: range.from(),
        to: range.to(),
        program_id,
        tables,
    }
}

fn round4(fraction: f64) -> f64 {
    (fraction * 10_000.0).round() / 10_000.0
}

/// Each table as a CSV file laid out as HUD's table (row labels down the first column,
/// column labels across the first row, greyed cells empty), in a ZIP: `Q5a.csv`, ...
pub fn csv_zip(tables: &[Table]) -> Result<Vec<u8>, ApiError> {
    let failed = |error: &dyn std::fmt::Display| ApiError::Internal(format!("report CSV: {error}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for table in tables {
        zip.start_file(
            format!("{}.csv", table.question),
            zip::write::SimpleFileOptions::default(),
        )
        .map_err(|error| failed(&error))?;
        zip.write_all(&table_csv(table).map_err(|error| failed(&error))?)
            .map_err(|error| failed(&error))?;
    }
    let cursor = zip.finish().map_err(|error| failed(&error))?;
    Ok(cursor.into_inner())
}

/// One table as CSV.
pub fn table_csv(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    let mut header = vec![String::new()];
    header.extend(table.columns.iter().map(|column| (*column).to_owned()));
    writer.write_record(&header)?;
    for row in &table.rows {
        let mut record = vec![(*row).to_owned()];
        for column in &table.columns {
            record.push(
                table
                    .at(row, column)
                    .map(|cell| cell_text(&cell.value))
                    .unwrap_or_default(),
            );
        }
        writer.write_record(&record)?;
    }
    writer
        .into_inner()
        .map_err(|error| csv::Error::from(error.into_error()))
}

/// A cell as HUD's CSV writes it: a count, a rate as a decimal fraction (4 places), an
/// amount in dollars and cents.
pub fn cell_text(value: &CellValue) -> String {
    match value {
        CellValue::Count { count, .. } => count.to_string(),
        CellValue::Rate { .. } => value
            .fraction()
            .map(|fraction| format!("{:.4}", round4(fraction)))
            .unwrap_or_default(),
        CellValue::Amount(amount) => amount
            .map(|cents| format!("{:.2}", cents.dollars()))
            .unwrap_or_default(),
    }
}

/// Whether the caller asked for CSV (`Accept: text/csv`).
fn wants_csv(request: &HttpRequest) -> bool {
    request
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|value| value.to_str().ok())
        .any(|value| {
            value
                .split(',')
                .any(|kind| kind.trim().starts_with("text/csv"))
        })
}

async fn serve_report(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: HudReportQuery,
    report: HudReport,
) -> Result<HttpResponse, ApiError> {
    let range = range_of(query.from, query.to)?;
    let sight = caller.sight();
    let program_id = query.program_id;
    let tables = state
        .read_lagging(move |conn| {
            hud_tables(conn, sight, report, range, program_id, Detail::Counts)
        })
        .await?;
    if wants_csv(&request) {
        let file_name = format!("{}-{}-{}.zip", report.name(), range.from(), range.to());
        return Ok(HttpResponse::Ok()
            .content_type("application/zip")
            .insert_header((
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ))
            .body(csv_zip(&tables)?));
    }
    Ok(HttpResponse::Ok().json(report_view(report, range, program_id, tables)))
}

pub async fn get_hud_data_quality(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: web::Query<HudReportQuery>,
) -> Result<HttpResponse, ApiError> {
    serve_report(
        state,
        caller,
        request,
        query.into_inner(),
        HudReport::DataQuality,
    )
    .await
}

pub async fn get_outcomes(
    state: web::Data<AppState>,
    caller: Caller,
    request: HttpRequest,
    query: web::Query<HudReportQuery>,
) -> Result<HttpResponse, ApiError> {
    serve_report(
        state,
        caller,
        request,
        query.into_inner(),
        HudReport::Outcomes,
    )
    .await
}

pub async fn get_hud_data_quality_cell(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    query: web::Query<CellQuery>,
) -> Result<HttpResponse, ApiError> {
    let (question, cell) = path.into_inner();
    serve_cell(
        state,
        caller,
        HudReport::DataQuality,
        question,
        cell,
        query.into_inner(),
    )
    .await
}

pub async fn get_outcomes_cell(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<(String, String)>,
    query: web::Query<CellQuery>,
) -> Result<HttpResponse, ApiError> {
    let (question, cell) = path.into_inner();
    serve_cell(
        state,
        caller,
        HudReport::Outcomes,
        question,
        cell,
        query.into_inner(),
    )
    .await
}

/// `GET /v1/reports/{report}/cells/{question}/{cell}`: a page of the cell's members; 404 for
/// a question or cell there is not, and for a cell that counts nobody by name (a rate or an
/// amount).
async fn serve_cell(
    state: web::Data<AppState>,
    caller: Caller,
    report: HudReport,
    question: String,
    cell: String,
    query: CellQuery,
) -> Result<HttpResponse, ApiError> {
    let range = range_of(query.from, query.to)?;
    let page = PageRequest::new(query.limit, query.cursor.as_deref())?;
    let after = page
        .after
        .as_deref()
        .map(parse_pair_position::<Uuid, Uuid>)
        .transpose()?;
    let sight = caller.sight();
    let program_id = query.program_id;
    let members = state
        .read_lagging(move |conn| {
            let detail = Detail::Cell {
                question: &question,
                cell: &cell,
            };
            let tables = hud_tables(conn, sight, report, range, program_id, detail)?;
            let found = find_cell(&tables, &question, &cell).ok_or(ApiError::NotFound)?;
            let Some(members) = found.value.members() else {
                return Err(ApiError::NotFound);
            };
            let limit = usize::try_from(page.limit).unwrap_or(usize::MAX);
            let mut rest = members.iter().filter(|member| {
                after.is_none_or(|after| (member.client_id, member.enrollment_id) > after)
            });
            let data: Vec<MemberView> = rest
                .by_ref()
                .take(limit)
                .map(|member| member_view(*member))
                .collect();
            let next_cursor = match (rest.next(), data.last()) {
                (Some(_), Some(last)) => Some(encode_cursor(&pair_position(
                    last.client_id,
                    last.enrollment_id,
                ))),
                _ => None,
            };
            let question = tables
                .iter()
                .find(|table| table.question.eq_ignore_ascii_case(&question))
                .map(|table| table.question)
                .unwrap_or_default();
            Ok(CellMembers {
                report: report.name().to_owned(),
                question: question.to_owned(),
                cell: found.id.clone(),
                row: found.row.to_owned(),
                column: found.column.to_owned(),
                count: members.len(),
                data,
                next_cursor,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(members))
}

fn member_view(member: Member) -> MemberView {
    MemberView {
        client_id: member.client_id,
        enrollment_id: member.enrollment_id,
        household_id: member.household_id,
        flagged: member.flagged,
    }
}
