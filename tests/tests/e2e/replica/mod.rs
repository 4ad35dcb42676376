//! A read replica (`THRESHOLD_DATABASE_REPLICA_URL`): `threshold serve` on a PostgreSQL
//! primary with a hot standby of it, both made here (see `clusters`). Writes and the reads
//! of one record go to the primary; the reports, the export and the audit trail to the
//! standby: with the standby's replay paused, a new enrollment is found by its GET and not by
//! them until replay resumes. Without the standby they read the primary, and the server says
//! so once. Skipped, with a message, where PostgreSQL's server binaries are not installed.
//! A replica of SQLite, or one that is not PostgreSQL, is refused at start.

mod clusters;

use std::time::Duration;

use serde_json::{json, Value};
use threshold_tests::{Backend, ServerProcess, TestApp, TestDatabase};

use self::clusters::{Binaries, Clusters};
use crate::common::imports::read_csv_zip;
use crate::common::*;

const SUMMARY: &str = "/v1/reports/enrollment-summary?from=2025-01-01&to=2025-01-31";
const EXPORT: &str = "/v1/exports/hmis-csv?from=2025-01-01&to=2025-01-31";
const FALLING_BACK: &str = "the read replica gave no connection";

/// What the lag-tolerant reads see: the report's entries, the enrollments exported, and
/// whether the audit trail has the enrollment `watched`.
#[derive(Debug, PartialEq, Eq)]
struct Seen {
    report_entries: u64,
    exported_enrollments: usize,
    audited: bool,
}

fn seen(app: &TestApp, watched: &str) -> Seen {
    let token = app.admin_token();
    let report = app.get(SUMMARY, Some(&token));
    report.assert_status(200);
    let export = app.get(EXPORT, Some(&token));
    export.assert_status(200);
    let audit = app.get(
        &format!("/v1/audit-events?entity_type=enrollment&entity_id={watched}"),
        Some(&token),
    );
    audit.assert_status(200);
    Seen {
        report_entries: report.body["programs"][0]["entries"]
            .as_u64()
            .unwrap_or_else(|| panic!("no entries in {}", report.describe())),
        exported_enrollments: read_csv_zip(&export.bytes)["Enrollment"].rows.len(),
        audited: audit.body["data"]
            .as_array()
            .is_some_and(|data| !data.is_empty()),
    }
}

fn seeing(report_entries: u64, audited: bool) -> Seen {
    Seen {
        report_entries,
        exported_enrollments: usize::try_from(report_entries).expect("a small count"),
        audited,
    }
}

#[test]
fn lag_tolerant_reads_go_to_the_standby_and_the_rest_to_the_primary() {
    let binaries = match Binaries::find() {
        Ok(binaries) => binaries,
        Err(reason) => {
            eprintln!("skipped: {reason}");
            return;
        }
    };
    let mut clusters = Clusters::start(binaries);
    clusters.on_primary("CREATE DATABASE threshold");
    clusters.wait_caught_up();
    let primary = clusters.primary_url("threshold");
    let mut server = ServerProcess::builder(&primary)
        .env(
            "THRESHOLD_DATABASE_REPLICA_URL",
            &clusters.standby_url("threshold"),
        )
        .start();
    server.wait_ready();
    let app = server.client(&primary);
    let token = app.admin_token();

    let shelter = shelter(&app, "Replica Agency");
    let first = new_head(&app, &shelter.program, "First", "2025-01-10", json!({}));
    clusters.wait_caught_up();
    assert_eq!(seen(&app, &first.id), seeing(1, true));

    clusters.on_standby("SELECT pg_wal_replay_pause()");
    let second = new_head(&app, &shelter.program, "Second", "2025-01-20", json!({}));
    // A client reads its own write: one record's GET goes to the primary.
    let fetched = app.get(&second.path(), Some(&token));
    fetched.assert_status(200);
    assert_eq!(fetched.body["entry_date"], Value::from("2025-01-20"));
    assert_eq!(
        seen(&app, &second.id),
        seeing(1, false),
        "the paused standby answers the lag-tolerant reads"
    );

    clusters.on_standby("SELECT pg_wal_replay_resume()");
    clusters.wait_caught_up();
    assert_eq!(seen(&app, &second.id), seeing(2, true));
    assert!(app
        .get("/metrics", None)
        .text
        .contains("threshold_db_replica_up 1\n"));
    assert!(!server.log().contains(FALLING_BACK), "{}", server.log());

    // Without the standby, the same reads go to the primary, and the server says so once.
    clusters.stop_standby();
    let third = new_head(&app, &shelter.program, "Third", "2025-01-30", json!({}));
    assert_eq!(seen(&app, &third.id), seeing(3, true));
    assert_eq!(seen(&app, &third.id), seeing(3, true));
    assert_eq!(
        server.log().matches(FALLING_BACK).count(),
        1,
        "{}",
        server.log()
    );
    assert!(app
        .get("/metrics", None)
        .text
        .contains("threshold_db_replica_up 0\n"));
    app.get("/readyz", None).assert_status(200);
}

#[test]
fn a_replica_is_postgresql_behind_postgresql() {
    let sqlite = TestDatabase::create(Backend::Sqlite);
    let postgres = TestDatabase::create(Backend::Postgres);
    for (primary, replica, said) in [
        (
            sqlite.url(),
            postgres.url(),
            "a read replica needs a PostgreSQL primary",
        ),
        (
            postgres.url(),
            "sqlite://replica.db",
            "the read replica URL must start with postgres://",
        ),
    ] {
        let mut server = ServerProcess::builder(primary)
            .env("THRESHOLD_DATABASE_REPLICA_URL", replica)
            .start();
        let exit = server
            .wait_exit(Duration::from_secs(30))
            .unwrap_or_else(|| panic!("the server started on {primary} with {replica}"));
        assert!(!exit.success());
        assert!(server.log().contains(said), "{}", server.log());
    }
}
