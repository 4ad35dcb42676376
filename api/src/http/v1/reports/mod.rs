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

use crate::error::ApiError;

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
