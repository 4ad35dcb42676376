//! Reports over the caller's organization's programs (admins: every organization's): the
//! enrollment summary of a date range and the data-quality checks. The same computations
//! serve `threshold report` on the command line (`cli::report`).

mod data_quality;
mod hud;
mod summary;

pub use data_quality::{
    data_quality_report, get_data_quality_report, ClientCheck, DataQualityQuery,
    DataQualityReportView, EnrollmentCheck, HouseholdCheck, ProgramDataQuality,
};
pub use hud::{
    cell_text, csv_zip, get_hud_data_quality, get_hud_data_quality_cell, get_outcomes,
    get_outcomes_cell, hud_tables, report_view, table_csv, CellMembers, CellQuery, CellView,
    HudReport, HudReportQuery, HudReportView, MemberView, RateView, TableView,
};
pub use summary::{
    enrollment_summary, get_enrollment_summary, DestinationClassCounts, EnrollmentSummary,
    EnrollmentSummaryQuery, GrantSummary, ProgramSummary, SummaryCounts,
};

use threshold_persistence::reports::{self, ReportProgram, ReportScope};
use threshold_persistence::DbConnection;
use utoipa::openapi::path::HttpMethod;

use crate::error::ApiError;
use crate::http::endpoints::Endpoints;
use crate::http::operations::entry::Entry;
use crate::http::v1::common::ZipFile;

/// The routes of the reports with their OpenAPI entries.
pub fn endpoints() -> Endpoints {
    let summary = Entry::new(
        "reports",
        "get_enrollment_summary",
        "The enrollment summary of a date range, per program and per grant: who was there at \
the\nstart and at the end, who entered and exited, where they went, and how long they stayed.",
    )
    .query::<EnrollmentSummaryQuery>()
    .json::<EnrollmentSummary>("200", "The summary, per program", &[])
    .status(
        "404",
        "No such program or grant in the caller's organization",
    );
    let data_quality = Entry::new(
        "reports",
        "get_data_quality_report",
        "The records of each program that break a HUD data-quality expectation, with their \
IDs:\nhouseholds without exactly one head, members entering before the head, overlapping\n\
enrollments, exits before entries, move-in dates outside the stay, missing or unclear\n\
destinations, clients' unclear answers, and records stored more than 3 days late.",
    )
    .query::<DataQualityQuery>()
    .json::<DataQualityReportView>("200", "The checks, per program", &[])
    .status("404", "No such program in the caller's organization");
    let csv = "With `Accept: text/csv`, a ZIP of one CSV per table (`Q5a.csv`, ...), each laid \
out as HUD's\ntable: row labels down the first column, column labels across the first row, \
greyed cells\nempty; rates as decimal fractions, amounts in dollars.";
    let hud = |operation: &str, text: &str| {
        Entry::new("reports", operation, &format!("{text}\n\n{csv}"))
            .query::<HudReportQuery>()
            .json_or::<HudReportView, ZipFile>(
                "200",
                "The report's tables; with Accept: text/csv, as CSV files in a ZIP",
                "application/zip",
                &[(
                    "Content-Disposition",
                    "attachment; filename=\"<report>-<from>-<to>.zip\"",
                )],
            )
            .status("404", "No such program in the caller's organization")
    };
    let hud_data_quality = hud(
        "get_hud_data_quality",
        "HUD's data quality framework (CoC APR and ESG CAPER, FY2026): Q5a report \
validations,\nQ6a personally identifying information, Q6b universal data elements, Q6c \
income and\nhousing, Q6d chronic homelessness, Q6e timeliness, Q6f inactive records.",
    );
    let outcomes = hud(
        "get_outcomes",
        "HUD's outcome tables (CoC APR and ESG CAPER, FY2026): Q7a persons served, Q8a \
households\nserved, Q19a1 and Q19a2 income change to annual assessment and to exit, Q22a \
length of\nparticipation, Q23c exit destination.",
    );
    let cell = |report: &str| {
        Entry::new(
            "reports",
            &format!("get_{}_cell", report.replace('-', "_")),
            "The members one cell of a HUD report counts (its drill-down), a page at a time.\n\n\
Each member is the enrollment the report chose for the client, with its client and\n\
household. A cell that counts nobody by name (a rate, an amount) has no members: 404.",
        )
        .text_path(&[
            ("question", "HUD's question, such as Q6a (any case)"),
            ("cell", "HUD's cell reference, such as B2 (any case)"),
        ])
        .query::<CellQuery>()
        .json::<CellMembers>("200", "A page of the cell's members", &[])
        .status(
            "404",
            "No such program in the caller's organization, question, cell, or a cell without members",
        )
    };
    Endpoints::new()
        .route(
            HttpMethod::Get,
            "/reports/hud-data-quality",
            get_hud_data_quality,
            hud_data_quality,
        )
        .route(HttpMethod::Get, "/reports/outcomes", get_outcomes, outcomes)
        .route(
            HttpMethod::Get,
            "/reports/hud-data-quality/cells/{question}/{cell}",
            get_hud_data_quality_cell,
            cell("hud-data-quality"),
        )
        .route(
            HttpMethod::Get,
            "/reports/outcomes/cells/{question}/{cell}",
            get_outcomes_cell,
            cell("outcomes"),
        )
        .route(
            HttpMethod::Get,
            "/reports/enrollment-summary",
            get_enrollment_summary,
            summary,
        )
        .route(
            HttpMethod::Get,
            "/reports/data-quality",
            get_data_quality_report,
            data_quality,
        )
}

/// The programs a report covers; a `program_id` the scope does not see names nothing (404).
fn programs_in(
    conn: &mut DbConnection,
    scope: ReportScope,
) -> Result<Vec<ReportProgram>, ApiError> {
    let programs = reports::programs(conn, scope)?;
    if scope.program_id.is_some() && programs.is_empty() {
        return Err(ApiError::NotFound);
    }
    Ok(programs)
}
