//! `threshold report ...`: the reports for an operator, read straight from the database
//! over every organization, printed as plain text tables.

use std::process::ExitCode;

use clap::Subcommand;
use threshold_domain::reports::ReportRange;
use threshold_domain::Date;
use threshold_persistence::ids::ProgramId;
use threshold_persistence::privacy::Sight;
use threshold_persistence::Database;
use uuid::Uuid;

use super::report_text;
use crate::error::ApiError;
use crate::http::v1::reports;

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Active at start and end, entries, exits by destination class and lengths of stay,
    /// per program and grant.
    EnrollmentSummary {
        /// The first day of the range (YYYY-MM-DD).
        #[arg(long)]
        from: Date,
        /// The last day of the range, included.
        #[arg(long)]
        to: Date,
        /// Only this program.
        #[arg(long)]
        program_id: Option<Uuid>,
        #[arg(
            long,
            env = "THRESHOLD_DATABASE_URL",
            default_value = "sqlite://data/threshold.db"
        )]
        database_url: String,
    },
    /// Records that break HUD data-quality expectations, per program.
    DataQuality {
        /// Only this program.
        #[arg(long)]
        program_id: Option<Uuid>,
        #[arg(
            long,
            env = "THRESHOLD_DATABASE_URL",
            default_value = "sqlite://data/threshold.db"
        )]
        database_url: String,
    },
}

pub fn run(command: ReportCommand) -> ExitCode {
    match print(command) {
        Ok(text) => {
            print!("{text}");
            ExitCode::SUCCESS
        }
        Err(message) => {
            eprintln!("threshold: {message}");
            ExitCode::FAILURE
        }
    }
}

fn print(command: ReportCommand) -> Result<String, String> {
    match command {
        ReportCommand::EnrollmentSummary {
            from,
            to,
            program_id,
            database_url,
        } => {
            let range = ReportRange::new(from, to).map_err(|error| error.to_string())?;
            let summary = with_connection(&database_url, |conn| {
                reports::enrollment_summary(
                    conn,
                    Sight::Everything,
                    range,
                    program_id.map(ProgramId::from),
                    None,
                )
            })?;
            Ok(report_text::enrollment_summary(&summary))
        }
        ReportCommand::DataQuality {
            program_id,
            database_url,
        } => {
            let report = with_connection(&database_url, |conn| {
                reports::data_quality_report(
                    conn,
                    Sight::Everything,
                    program_id.map(ProgramId::from),
                )
            })?;
            Ok(report_text::data_quality(&report))
        }
    }
}

fn with_connection<T>(
    database_url: &str,
    work: impl FnOnce(&mut threshold_persistence::DbConnection) -> Result<T, ApiError>,
) -> Result<T, String> {
    let db = Database::connect(database_url, 1).map_err(|error| error.to_string())?;
    let mut conn = db.get().map_err(|error| error.to_string())?;
    work(&mut conn).map_err(|error| match error {
        ApiError::NotFound => "no such program".to_owned(),
        other => other.to_string(),
    })
}
