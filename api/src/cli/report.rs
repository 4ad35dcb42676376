//! `threshold report ...`: the reports for an operator, read straight from the database
//! over every organization, printed as plain text tables.

use std::process::ExitCode;

use clap::Subcommand;
use threshold_domain::reports::hud::Detail;
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
    /// HUD's data quality framework (APR/CAPER Q5a, Q6a-Q6f) over a date range.
    HudDataQuality(HudArgs),
    /// HUD's outcome tables (APR/CAPER Q7a, Q8a, Q19a1-2, Q22a, Q23c) over a date range.
    Outcomes(HudArgs),
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

/// How a HUD report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Plain text tables.
    Text,
    /// A ZIP of one CSV per table, laid out as HUD's tables (as `Accept: text/csv`).
    Csv,
}

#[derive(Debug, clap::Args)]
pub struct HudArgs {
    /// The first day of the report (YYYY-MM-DD).
    #[arg(long)]
    from: Date,
    /// The last day of the report, included.
    #[arg(long)]
    to: Date,
    /// Only this program.
    #[arg(long)]
    program_id: Option<Uuid>,
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
    /// Where the ZIP of `--format csv` goes (default: `<report>-<from>-<to>.zip`).
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    #[arg(
        long,
        env = "THRESHOLD_DATABASE_URL",
        default_value = "sqlite://data/threshold.db"
    )]
    database_url: String,
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
        ReportCommand::HudDataQuality(args) => hud(reports::HudReport::DataQuality, args),
        ReportCommand::Outcomes(args) => hud(reports::HudReport::Outcomes, args),
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

/// A HUD report as text on standard output, or as a ZIP of CSV files in a file (saying
/// which on standard output).
fn hud(report: reports::HudReport, args: HudArgs) -> Result<String, String> {
    let range = ReportRange::new(args.from, args.to).map_err(|error| error.to_string())?;
    let tables = with_connection(&args.database_url, |conn| {
        reports::hud_tables(
            conn,
            Sight::Everything,
            report,
            range,
            args.program_id.map(ProgramId::from),
            Detail::Counts,
        )
    })?;
    match args.format {
        Format::Text => Ok(report_text::hud_tables(&tables)),
        Format::Csv => {
            let out = args.out.unwrap_or_else(|| {
                format!("{}-{}-{}.zip", report.name(), range.from(), range.to()).into()
            });
            let zip = reports::csv_zip(&tables).map_err(|error| error.to_string())?;
            std::fs::write(&out, zip)
                .map_err(|error| format!("{} could not be written: {error}", out.display()))?;
            Ok(format!(
                "wrote {} ({} tables)\n",
                out.display(),
                tables.len()
            ))
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
