//! Reports over the caller's organization's programs (admins: every organization's): the
//! enrollment summary of a date range and the data-quality checks. The same computations
//! serve `threshold report` on the command line (`cli::report`).

mod data_quality;
mod summary;

pub use data_quality::{
    data_quality_report, get_data_quality_report, ClientCheck, DataQualityQuery,
    DataQualityReportView, EnrollmentCheck, HouseholdCheck, ProgramDataQuality,
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
    Endpoints::new()
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
