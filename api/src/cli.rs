//! The `threshold` command: serve, migrate, token, openapi, auto-exit, report, export,
//! import, seed.

mod report;
mod report_text;

use std::net::TcpListener;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use threshold_persistence::ids::{Id, ProgramId};
use uuid::Uuid;

use crate::auth::{parse_ttl, AuthConfig, Claims, Role};
use crate::error::ApiError;
use crate::settings::{LogFormat, Settings, Toggle};
use threshold_domain::Date;
use threshold_persistence::{migrations, Database};

#[derive(Debug, Parser)]
#[command(
    name = "threshold",
    version,
    about = "Threshold: an HMIS enrollment service"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run pending migrations, then serve the API.
    Serve(Settings),
    /// Run pending migrations and exit.
    Migrate {
        #[arg(
            long,
            env = "THRESHOLD_DATABASE_URL",
            default_value = "sqlite://data/threshold.db"
        )]
        database_url: String,
        #[arg(long, env = "THRESHOLD_LOG_FORMAT", value_enum, default_value = "text")]
        log_format: LogFormat,
    },
    /// Mint an HS256 token with the configured secret (for development and tests).
    Token {
        /// The user the token speaks for.
        #[arg(long)]
        sub: String,
        /// A role; repeat for several.
        #[arg(long = "role", value_enum, required = true)]
        roles: Vec<Role>,
        /// The caller's organization (required for every role but admin).
        #[arg(long)]
        org: Option<Uuid>,
        /// Lifetime, like 30m, 8h or 7d.
        #[arg(long, default_value = "8h")]
        ttl: String,
        #[arg(long, env = "THRESHOLD_JWT_SECRET", hide_env_values = true)]
        jwt_secret: String,
    },
    /// Print the OpenAPI document as YAML.
    Openapi,
    /// Import an HMIS CSV ZIP (FY2024 or FY2026) into an organization, with a progress bar:
    /// every row is checked, and any error leaves everything as it was.
    Import {
        /// The ZIP file.
        file: std::path::PathBuf,
        /// The organization that receives the records.
        #[arg(long)]
        organization_id: Uuid,
        /// Check everything and print the counts, write nothing.
        #[arg(long)]
        dry_run: bool,
        /// `strict` (any problem fails the import) or `tolerant` (rows that cannot be read
        /// are skipped with what depends on them, rule breaks imported and flagged).
        #[arg(long, value_enum, default_value = "strict")]
        mode: crate::hmis::import::Mode,
        /// In tolerant mode, the share of rows (0-100) that may be skipped before the whole
        /// import fails.
        #[arg(long, default_value_t = crate::hmis::import::DEFAULT_MAX_SKIPPED_PERCENT,
              value_parser = clap::value_parser!(u8).range(0..=100))]
        max_skipped_percent: u8,
        #[arg(
            long,
            env = "THRESHOLD_DATABASE_URL",
            default_value = "sqlite://data/threshold.db"
        )]
        database_url: String,
    },
    /// Exit idle enrollments of programs with `auto_exit_days` (run it daily, from cron),
    /// printing what it exited.
    AutoExit {
        #[arg(
            long,
            env = "THRESHOLD_DATABASE_URL",
            default_value = "sqlite://data/threshold.db"
        )]
        database_url: String,
        /// Decide as of this day (YYYY-MM-DD) instead of today (UTC).
        #[arg(long)]
        as_of: Option<Date>,
        /// Check and print everything, write nothing.
        #[arg(long)]
        dry_run: bool,
        #[arg(long, env = "THRESHOLD_LOG_FORMAT", value_enum, default_value = "text")]
        log_format: LogFormat,
    },
    /// Write an HMIS CSV export (FY2026 ZIP) of every enrollment active in a period, over
    /// every organization or one program, printing the rows written per file.
    Export {
        /// First day of the period (YYYY-MM-DD).
        #[arg(long)]
        from: Date,
        /// Last day of the period (YYYY-MM-DD).
        #[arg(long)]
        to: Date,
        /// Only this program's enrollments.
        #[arg(long)]
        program_id: Option<Uuid>,
        /// Also deleted records, with their DateDeleted.
        #[arg(long)]
        include_deleted: bool,
        /// The ZIP file to write.
        #[arg(long)]
        out: std::path::PathBuf,
        #[arg(
            long,
            env = "THRESHOLD_DATABASE_URL",
            default_value = "sqlite://data/threshold.db"
        )]
        database_url: String,
    },
    /// Fill the database with realistic synthetic data: a few organizations with programs,
    /// grants and case managers, then N clients in households with about three enrollments
    /// each over the last five years (most exited), services, assessments and the HUD
    /// records each program collects, keeping every enrollment and record rule (about one
    /// stay in ten misses a HUD record or answers 99). Written straight into the tables in
    /// batches (COPY on PostgreSQL),
    /// so seeded rows have no audit events. The same --random-seed on the same day gives the
    /// same data, IDs included.
    Seed {
        /// How many clients to make.
        #[arg(long)]
        clients: u32,
        /// Seed of the generator (default: from the clock, printed at the end).
        #[arg(long)]
        random_seed: Option<u64>,
        /// Send this share of the stays, in percent (1-99), into one program, the first
        /// organization's emergency shelter: a program with years of busy history (with
        /// --clients 25000 and 67, about 50,000 enrollments).
        #[arg(long, value_parser = clap::value_parser!(u32).range(1..=99))]
        busiest_program_percent: Option<u32>,
        #[arg(
            long,
            env = "THRESHOLD_DATABASE_URL",
            default_value = "sqlite://data/threshold.db"
        )]
        database_url: String,
    },
    /// Print a report as a plain text table, read straight from the database over every
    /// organization.
    Report {
        #[command(subcommand)]
        report: report::ReportCommand,
    },
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve(settings) => serve(settings),
        Command::Migrate {
            database_url,
            log_format,
        } => {
            init_logging(log_format);
            match threshold_persistence::migrations::run_pending(&database_url) {
                Ok(applied) => {
                    for version in &applied {
                        println!("applied {version}");
                    }
                    println!(
                        "{} migration(s) applied; the schema is current",
                        applied.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(error) => fail(&error.to_string()),
            }
        }
        Command::Token {
            sub,
            roles,
            org,
            ttl,
            jwt_secret,
        } => token(sub, roles, org, &ttl, &jwt_secret),
        Command::Openapi => {
            print!("{}", crate::http::openapi::spec_yaml());
            ExitCode::SUCCESS
        }
        Command::Import {
            file,
            organization_id,
            dry_run,
            mode,
            max_skipped_percent,
            database_url,
        } => {
            let job = crate::hmis::import::Job {
                id: Id::new(),
                organization_id: organization_id.into(),
                requested_by: "threshold import".to_owned(),
                dry_run,
                mode,
                max_skipped_percent,
            };
            import(&file, &job, &database_url)
        }
        Command::AutoExit {
            database_url,
            as_of,
            dry_run,
            log_format,
        } => {
            init_logging(log_format);
            auto_exit(&database_url, as_of, dry_run)
        }
        Command::Export {
            from,
            to,
            program_id,
            include_deleted,
            out,
            database_url,
        } => export(
            &database_url,
            from,
            to,
            program_id.map(ProgramId::from),
            include_deleted,
            &out,
        ),
        Command::Seed {
            clients,
            random_seed,
            busiest_program_percent,
            database_url,
        } => seed(&database_url, clients, random_seed, busiest_program_percent),
        Command::Report { report } => report::run(report),
    }
}

fn seed(
    database_url: &str,
    clients: u32,
    random_seed: Option<u64>,
    busiest_program_percent: Option<u32>,
) -> ExitCode {
    let random_seed = random_seed.unwrap_or_else(|| {
        let now = chrono::Utc::now();
        now.timestamp_micros().unsigned_abs()
    });
    let options = crate::seed::Options {
        clients,
        random_seed,
        today: crate::clock::today(),
        busiest_program_percent,
    };
    let bar = indicatif::ProgressBar::new(u64::from(clients));
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{msg} [{bar:40}] {pos}/{len} clients, {elapsed} elapsed, {eta} left",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message("seeding");
    let started = std::time::Instant::now();
    let outcome = crate::seed::run(database_url, &options, &|counts| {
        bar.set_position(counts.of("clients"));
    });
    bar.finish_and_clear();
    match outcome {
        Ok(counts) => {
            let seconds = started.elapsed().as_secs_f64();
            for (table, count) in counts.0 {
                println!("{table:>13}: {count}");
            }
            println!(
                "{} rows in {seconds:.1} s: {:.0} enrollments/s, {:.0} rows/s (random seed {random_seed})",
                counts.rows(),
                counts.of("enrollments") as f64 / seconds,
                counts.rows() as f64 / seconds,
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error.to_string()),
    }
}

fn auto_exit(database_url: &str, as_of: Option<Date>, dry_run: bool) -> ExitCode {
    let db = match migrations::run_pending(database_url)
        .and_then(|_| Database::connect(database_url, 2))
    {
        Ok(db) => db,
        Err(error) => return fail(&error.to_string()),
    };
    let as_of = as_of.unwrap_or_else(crate::clock::today);
    if dry_run {
        println!("dry run as of {as_of}: nothing is written");
    }
    let run = crate::usecases::auto_exit::run(&db, as_of, dry_run, |outcome| {
        println!("{}", crate::usecases::auto_exit::describe(outcome));
    });
    match run {
        Ok(outcomes) => {
            let exited = outcomes
                .iter()
                .filter(|outcome| {
                    matches!(outcome, crate::usecases::auto_exit::Outcome::Exited { .. })
                })
                .count();
            println!(
                "{exited} household(s) exited, {} skipped, as of {as_of}",
                outcomes.len() - exited
            );
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error.to_string()),
    }
}

fn export(
    database_url: &str,
    from: Date,
    to: Date,
    program_id: Option<ProgramId>,
    include_deleted: bool,
    out: &std::path::Path,
) -> ExitCode {
    if from > to {
        return fail("--to is before --from");
    }
    let filter = threshold_persistence::export::ExportFilter {
        from: from.into(),
        to: to.into(),
        sight: threshold_persistence::privacy::Sight::Everything,
        program_id,
        include_deleted,
    };
    let mut progress = |progress: crate::hmis::export::Progress<'_>| {
        eprint!("\r{}.csv: {} rows", progress.file, progress.rows);
        if progress.done {
            eprintln!();
        }
    };
    match crate::hmis::export::export_to_file(database_url, filter, out, &mut progress) {
        Ok(()) => {
            println!("wrote {}", out.display());
            ExitCode::SUCCESS
        }
        Err(error) => fail(&error),
    }
}

fn import(file: &std::path::Path, job: &crate::hmis::import::Job, database_url: &str) -> ExitCode {
    let (organization_id, dry_run) = (job.organization_id, job.dry_run);
    init_logging(LogFormat::Text);
    // Read from the file as the import goes, never held whole.
    let archive = match std::fs::File::open(file) {
        Ok(archive) => archive,
        Err(error) => return fail(&format!("cannot read {}: {error}", file.display())),
    };
    let db = match migrations::run_pending(database_url)
        .and_then(|_| Database::connect(database_url, 2))
    {
        Ok(db) => db,
        Err(error) => return fail(&error.to_string()),
    };
    let known = db.get().and_then(|mut conn| {
        threshold_persistence::reference::organization::find(&mut conn, organization_id)
    });
    match known {
        Ok(Some(_)) => {}
        Ok(None) => {
            return fail(&format!(
                "no organization {organization_id}: create it first (POST /v1/organizations)"
            ))
        }
        Err(error) => return fail(&error.to_string()),
    }
    let bar = indicatif::ProgressBar::new(0);
    bar.set_style(
        indicatif::ProgressStyle::with_template("{msg} [{bar:40}] {pos}/{len} rows")
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar.set_message(if dry_run { "checking" } else { "importing" });
    let outcome = db.get().and_then(|mut conn| {
        crate::hmis::import::run(
            &mut conn,
            job,
            &archive,
            Some(&|done, total| {
                bar.set_length(total.max(done));
                bar.set_position(done);
            }),
        )
    });
    bar.finish_and_clear();
    for file in crate::hmis::import::read::ignored_files(&archive) {
        println!("{file}: ignored (not read)");
    }
    let print_problems = |problems: &[crate::hmis::import::ImportError]| {
        for problem in problems {
            let caused_by = problem
                .caused_by
                .as_ref()
                .map(|cause| format!(", with {} line {}", cause.file, cause.line))
                .unwrap_or_default();
            println!(
                "{}{}{}: {}: {} ({}{caused_by})",
                problem.file,
                problem
                    .line
                    .map(|line| format!(" line {line}"))
                    .unwrap_or_default(),
                problem
                    .column
                    .as_deref()
                    .map(|column| format!(" column {column}"))
                    .unwrap_or_default(),
                if problem.is_error() {
                    "error"
                } else {
                    "warning"
                },
                problem.reason,
                problem.code
            );
        }
    };
    match outcome {
        Ok(outcome) if outcome.succeeded => {
            print_problems(&outcome.problems);
            for (file, counts) in &outcome.counts {
                println!(
                    "{file}: {} created, {} updated, {} deleted, {} unchanged, {} skipped, \
                     {} flagged",
                    counts.created,
                    counts.updated,
                    counts.deleted,
                    counts.unchanged,
                    counts.skipped,
                    counts.flagged
                );
            }
            println!(
                "{}",
                if dry_run {
                    "dry run: nothing was written"
                } else {
                    "imported"
                }
            );
            ExitCode::SUCCESS
        }
        Ok(outcome) => {
            print_problems(&outcome.problems);
            eprintln!(
                "threshold: {} problem(s); nothing was written",
                outcome.problems.len()
            );
            ExitCode::FAILURE
        }
        Err(error) => fail(&error.to_string()),
    }
}

/// Forgets the answers kept for idempotency keys once they can no longer be replayed, every
/// hour, beside the server.
fn schedule_key_expiry(db: Database) {
    std::thread::spawn(move || loop {
        let expired = chrono::Utc::now().naive_utc()
            - chrono::TimeDelta::hours(crate::http::idempotency::REPLAY_HOURS);
        let forgotten = db.get().map_err(ApiError::from).and_then(|mut conn| {
            Ok(threshold_persistence::idempotency::forget_older_than(
                &mut conn, expired,
            )?)
        });
        match forgotten {
            Ok(count) => tracing::debug!(count, "expired idempotency keys forgotten"),
            Err(error) => tracing::warn!(%error, "expired idempotency keys not forgotten"),
        }
        std::thread::sleep(std::time::Duration::from_secs(60 * 60));
    });
}

/// Stores again, at start and then every hour, beside the server, the completeness of the
/// households whose stored answer no longer holds (stored before completeness was, or past
/// the day it may change), a few hundred households a transaction; until then reads work
/// them out.
fn schedule_completeness_refresh(db: Database) {
    std::thread::spawn(move || loop {
        let refreshed = db.get().map_err(ApiError::from).and_then(|mut conn| {
            let mut households = 0;
            let mut last = Vec::new();
            loop {
                let stale = threshold_persistence::write_transaction(&mut conn, |conn| {
                    threshold_persistence::completeness::refresh_stale(conn, 500)
                })?;
                // Nothing left, or nothing that storing changes (which would be a defect):
                // stop until the next hour.
                if stale.is_empty() || stale == last {
                    return Ok::<_, ApiError>(households);
                }
                households += stale.len();
                last = stale;
            }
        });
        match refreshed {
            Ok(households) => tracing::info!(households, "household completeness stored again"),
            Err(error) => tracing::warn!(%error, "household completeness not stored again"),
        }
        std::thread::sleep(std::time::Duration::from_secs(60 * 60));
    });
}

/// Runs the auto-exit job at start and then once a day, beside the server.
fn schedule_auto_exit(db: Database) {
    std::thread::spawn(move || loop {
        let as_of = crate::clock::today();
        match crate::usecases::auto_exit::run(&db, as_of, false, |outcome| {
            tracing::info!(outcome = %crate::usecases::auto_exit::describe(outcome), "auto-exit");
        }) {
            Ok(outcomes) => tracing::info!(households = outcomes.len(), %as_of, "auto-exit ran"),
            Err(error) => tracing::warn!(%error, "auto-exit failed; it runs again tomorrow"),
        }
        std::thread::sleep(std::time::Duration::from_secs(24 * 60 * 60));
    });
}

fn fail(message: &str) -> ExitCode {
    eprintln!("threshold: {message}");
    ExitCode::FAILURE
}

/// Logs to standard output, filtered by `RUST_LOG` (default `info`), as text or as JSON
/// lines; either way each event inside a request carries its span's `request_id`.
fn init_logging(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter);
    let _ = match format {
        LogFormat::Text => builder.try_init(),
        LogFormat::Json => builder.json().try_init(),
    };
}

fn token(sub: String, roles: Vec<Role>, org: Option<Uuid>, ttl: &str, secret: &str) -> ExitCode {
    if org.is_none() && !roles.contains(&Role::Admin) {
        return fail("--org is required for every role but admin");
    }
    let seconds = match parse_ttl(ttl) {
        Ok(seconds) => seconds,
        Err(message) => return fail(&message),
    };
    let auth = match AuthConfig::new(Some(secret), None, None, None) {
        Ok(auth) => auth,
        Err(error) => return fail(&error.to_string()),
    };
    let now = chrono::Utc::now().timestamp().max(0) as u64;
    let claims = Claims {
        sub,
        roles,
        org,
        exp: now + seconds,
        iat: Some(now),
        iss: None,
        aud: None,
    };
    match auth.mint(&claims) {
        Some(token) => {
            println!("{token}");
            ExitCode::SUCCESS
        }
        None => fail("could not sign the token"),
    }
}

fn serve(settings: Settings) -> ExitCode {
    init_logging(settings.log_format);
    let state = match crate::http::app::prepare(&settings) {
        Ok(state) => state,
        Err(error) => return fail(&error.to_string()),
    };
    if settings.auto_exit == Toggle::On {
        schedule_auto_exit(state.db.clone());
    }
    schedule_key_expiry(state.db.clone());
    schedule_completeness_refresh(state.db.clone());
    let listener = match TcpListener::bind(&settings.bind) {
        Ok(listener) => listener,
        Err(error) => return fail(&format!("cannot listen on {}: {error}", settings.bind)),
    };
    let address = listener
        .local_addr()
        .map(|address| address.to_string())
        .unwrap_or_else(|_| settings.bind.clone());
    let serving = state.clone();
    let result = actix_web::rt::System::new().block_on(async move {
        let server = crate::http::app::server(serving, listener, settings.workers)?;
        println!("Threshold is serving on http://{address}");
        println!("Swagger UI: http://{address}/swagger-ui/");
        server.await
    });
    // Every request has ended: what the access log still holds is written before the exit.
    state.stopped();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => fail(&error.to_string()),
    }
}
